from django.db import models

from labour.core.transitions import Flow


class ReviewStatus(models.TextChoices):
    """Every review (审核) of a submission: 企业账号认证, 项目信息审核, …"""

    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"


# a returned submission is corrected and sent again as a new one (never reopened)
REVIEW_FLOW = Flow(ReviewStatus, {
    ReviewStatus.SUBMITTED: (ReviewStatus.APPROVED, ReviewStatus.RETURNED),
}, name="审核")
