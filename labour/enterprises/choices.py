from django.db import models


class UnitType(models.TextChoices):
    CONSTRUCTION = "construction", "施工企业"
    OWNER = "owner", "建设单位"
    SUPERVISION = "supervision", "监理企业"
    LABOUR = "labour", "劳务企业"
    SPECIALTY = "specialty", "专业承包企业"
    DESIGN = "design", "勘察设计企业"
    PUBLIC_INSTITUTION = "institution", "事业单位"
    SOCIAL_ORGANISATION = "social", "社会团体"
    OTHER = "other", "其他"


# the documents of 企业账号认证 (seed 2.4), kept on the application and the enterprise,
# each named as a document (「请上传证书」), not as the form's label (「证书上传」)
ENTERPRISE_DOCUMENTS = {
    "certificate": "证书",
    "authorisation_letter": "账号管理员授权书",
    "id_card_front": "身份证正面",
    "id_card_back": "身份证反面",
}
