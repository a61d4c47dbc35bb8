from django.db import models

from labour.core.models import ChoiceLabels

from .choices import CodePurpose, SmsStatus, SmsTemplate


class SmsMessage(ChoiceLabels, models.Model):
    """The outbox: every SMS is a row first, then sent (and retried) by a worker."""

    phone = models.CharField("手机号", max_length=11, db_index=True)
    template = models.CharField("模板", max_length=40, choices=SmsTemplate.choices)
    params = models.JSONField("模板参数", default=dict)
    text = models.TextField("短信内容")
    status = models.CharField("状态", max_length=10, choices=SmsStatus.choices,
                              default=SmsStatus.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    last_error = models.TextField("最近错误", blank=True)
    provider_id = models.CharField("服务商回执", max_length=100, blank=True)
    next_attempt_at = models.DateTimeField("下次发送时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)

    class Meta:
        verbose_name = "短信"
        verbose_name_plural = "短信发件箱"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.phone} {self.get_template_display()} {self.get_status_display()}"


class VerificationCode(models.Model):
    phone = models.CharField("手机号", max_length=11)
    purpose = models.CharField("用途", max_length=20, choices=CodePurpose.choices)
    code_hash = models.CharField("验证码摘要", max_length=64)
    created_at = models.DateTimeField("发送时间")
    expires_at = models.DateTimeField("过期时间")
    tries = models.PositiveSmallIntegerField("错误次数", default=0)
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    burned = models.BooleanField("已作废", default=False)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)

    class Meta:
        verbose_name = "验证码"
        verbose_name_plural = "验证码"
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"])]

    def __str__(self):
        return f"{self.phone} {self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"
