from django.db import models


class AccountKind(models.TextChoices):
    AUTHORITY = "authority", "主管部门"
    ENTERPRISE = "enterprise", "企业"
    PROJECT = "project", "项目"
    OPERATOR = "operator", "运维人员"
