from django.db import models


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"


class ProjectAccountStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"
    ABANDONED = "abandoned", "已放弃"


PROJECT_ACCOUNT_ATTACHMENT_FIELDS = {
    "authorisation_letter": "账号管理员授权书",
    "id_card_front": "身份证正面",
    "id_card_back": "身份证反面",
}

ATTACHMENT_FIELDS = {
    "certificate": "证书上传",
    "authorisation_letter": "账号管理员授权书",
    "id_card_front": "身份证正面",
    "id_card_back": "身份证反面",
}
