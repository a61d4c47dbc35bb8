from django.db import models

from labour.core.transitions import Flow


class ProjectAccountStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"
    ABANDONED = "abandoned", "已放弃"


# seed 二 2.6: a returned application is resubmitted (a new one) or abandoned
PROJECT_ACCOUNT_FLOW = Flow(ProjectAccountStatus, {
    ProjectAccountStatus.SUBMITTED: (ProjectAccountStatus.APPROVED, ProjectAccountStatus.RETURNED),
    ProjectAccountStatus.RETURNED: (ProjectAccountStatus.ABANDONED,),
}, name="项目账号认证")

PROJECT_ACCOUNT_ATTACHMENT_FIELDS = {
    "authorisation_letter": "账号管理员授权书",
    "id_card_front": "身份证正面",
    "id_card_back": "身份证反面",
}
