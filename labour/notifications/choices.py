from django.db import models

from labour.core.transitions import Flow


class SmsStatus(models.TextChoices):
    QUEUED = "queued", "待发送"
    RETRY = "retry", "待重试"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


# one delivery attempt moves a message on; 已发送 and 发送失败 are final
SMS_FLOW = Flow(SmsStatus, {
    SmsStatus.QUEUED: (SmsStatus.SENT, SmsStatus.RETRY, SmsStatus.FAILED),
    SmsStatus.RETRY: (SmsStatus.SENT, SmsStatus.RETRY, SmsStatus.FAILED),
}, name="短信")


class CodePurpose(models.TextChoices):
    ENTERPRISE_CERTIFICATION = "enterprise_cert", "企业账号认证"
    PROJECT_ACCOUNT_CERTIFICATION = "project_cert", "项目账号认证"
    PROGRESS = "progress", "查询认证进度"
    PASSWORD_RESET = "password_reset", "忘记密码"
    WAGE_QUERY = "wage_query", "工资查询"


class SmsTemplate(models.TextChoices):
    VERIFY_CODE = "verify_code", "验证码"
    ENTERPRISE_APPROVED = "enterprise_approved", "企业账号认证通过"
    ENTERPRISE_RETURNED = "enterprise_returned", "企业账号认证退回"
    PROJECT_ACCOUNT_APPROVED = "project_account_approved", "项目账号认证通过"
    PROJECT_ACCOUNT_RETURNED = "project_account_returned", "项目账号认证退回"
    PROJECT_ACCOUNT_PASSWORD_RESET = "project_account_password_reset", "项目账号密码重置"
    PROJECT_INFO_APPROVED = "project_info_approved", "项目信息审核通过"
    PROJECT_INFO_RETURNED = "project_info_returned", "项目信息审核退回"


# The text of each template. Aliyun templates registered for the platform carry
# the same words, with the same ${name} parameters.
TEMPLATE_TEXT = {
    SmsTemplate.VERIFY_CODE: "您的验证码为{code}，用于{purpose}，{minutes}分钟内有效。"
                             "请勿泄露给他人。",
    SmsTemplate.ENTERPRISE_APPROVED: "{name}的企业账号认证已审核通过。登录名称：{username}，"
                                     "随机登录密码：{password}。首次登录后请立即修改密码。",
    SmsTemplate.ENTERPRISE_RETURNED: "{name}的企业账号认证（申请编号{number}）已被退回，"
                                     "退回原因：{reason}。请根据退回原因修改后重新认证。",
    SmsTemplate.PROJECT_ACCOUNT_APPROVED: "{name}在项目“{project}”的项目账号认证已审核通过。"
                                          "登录名称：{username}，随机登录密码：{password}。"
                                          "首次登录后请立即修改密码。",
    SmsTemplate.PROJECT_ACCOUNT_RETURNED: "{name}在项目“{project}”的项目账号认证（申请编号{number}）"
                                          "已被退回，退回原因：{reason}。可修改后重新认证，或放弃本次认证。",
    SmsTemplate.PROJECT_ACCOUNT_PASSWORD_RESET: "{name}在项目“{project}”的项目账号{username}的密码已由本单位"
                                                "企业账号重置。新的随机登录密码：{password}。"
                                                "登录后请立即修改密码。",
    SmsTemplate.PROJECT_INFO_APPROVED: "项目“{project}”（{code}）的项目信息已审核通过，"
                                       "专业承包、劳务分包单位现可进行项目账号认证。",
    SmsTemplate.PROJECT_INFO_RETURNED: "项目“{project}”（{code}）的项目信息已被退回，"
                                       "退回原因：{reason}。请修改后重新提交审核。",
}
