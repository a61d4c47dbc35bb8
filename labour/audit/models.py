from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from labour.core.models import ChoiceLabels
from labour.core.visibility import NOTHING, VisibleQuerySet, is_signed_in, jurisdiction, tenant_model

if TYPE_CHECKING:
    from labour.core.visibility import Actor


class Action(models.TextChoices):
    APPLICATION_SUBMITTED = "application_submitted", "提交认证申请"
    APPLICATION_APPROVED = "application_approved", "审核通过"
    APPLICATION_RETURNED = "application_returned", "审核退回"
    SMS_QUEUED = "sms_queued", "短信入队"
    SMS_SENT = "sms_sent", "短信发送"
    SMS_FAILED = "sms_failed", "短信发送失败"
    CODE_SENT = "code_sent", "发送验证码"
    CODE_WRONG = "code_wrong", "验证码错误"
    CODE_REFUSED = "code_refused", "验证码发送被限制"
    LOGIN_SUCCESS = "login_success", "登录成功"
    LOGIN_FAILURE = "login_failure", "登录失败"
    LOCKOUT = "lockout", "账号锁定"
    LOGOUT = "logout", "退出登录"
    PASSWORD_CHANGED = "password_changed", "修改密码"
    PASSWORD_RESET = "password_reset", "忘记密码重置"
    FILE_UPLOADED = "file_uploaded", "上传文件"
    FILE_REFUSED = "file_refused", "文件被拒绝"
    FILE_DOWNLOADED = "file_downloaded", "下载文件"
    PROGRESS_QUERIED = "progress_queried", "查询认证进度"
    AUTHORITY_SAVED = "authority_saved", "创建或更新主管部门账号"
    PROJECT_CREATED = "project_created", "新建项目"
    PROJECT_ACCOUNT_SUBMITTED = "project_account_submitted", "提交项目账号认证"
    PROJECT_ACCOUNT_APPROVED = "project_account_approved", "项目账号认证通过"
    PROJECT_ACCOUNT_RETURNED = "project_account_returned", "项目账号认证退回"
    PROJECT_ACCOUNT_ABANDONED = "project_account_abandoned", "放弃项目账号认证"
    PROJECT_INFO_SAVED = "project_info_saved", "保存项目信息"
    PROJECT_INFO_SUBMITTED = "project_info_submitted", "提交项目信息审核"
    PROJECT_INFO_APPROVED = "project_info_approved", "项目信息审核通过"
    PROJECT_INFO_RETURNED = "project_info_returned", "项目信息审核退回"
    PARTICIPANT_ADDED = "participant_added", "添加参建单位"
    PARTICIPANT_REMOVED = "participant_removed", "删除参建单位"
    ACCOUNT_CREATED = "account_created", "创建账号"
    ACCOUNT_DISABLED = "account_disabled", "停用账号"
    ACCOUNT_ENABLED = "account_enabled", "启用账号"
    ACCOUNT_PASSWORD_RESET = "account_password_reset", "重置账号密码"
    TEAM_SAVED = "team_saved", "保存班组"
    WORKER_ADDED = "worker_added", "新增人员"
    WORKER_UPDATED = "worker_updated", "修改人员信息"
    WORKER_REVEALED = "worker_revealed", "查看完整信息"
    WORKER_ENTERED = "worker_entered", "进场"
    WORKER_EXITED = "worker_exited", "退场"
    CONTRACT_SAVED = "contract_saved", "保存劳动合同"
    WAGE_CARD_SAVED = "wage_card_saved", "保存工资卡"
    ROSTER_IMPORT_CHECKED = "roster_import_checked", "批量导入检查"
    ROSTER_IMPORTED = "roster_imported", "批量导入"
    ROSTER_EXPORTED = "roster_exported", "导出人员名单"
    WAGE_SHEET_CREATED = "wage_sheet_created", "新建工资表"
    WAGE_LINE_SAVED = "wage_line_saved", "修改工资明细"
    WAGE_LINE_REMOVED = "wage_line_removed", "删除工资明细"
    WAGE_SCAN_UPLOADED = "wage_scan_uploaded", "上传签字工资支付表"
    WAGE_SHEET_SUBMITTED = "wage_sheet_submitted", "提交工资表"
    WAGE_SHEET_CONFIRMED = "wage_sheet_confirmed", "确认工资表"
    WAGE_SHEET_RETURNED = "wage_sheet_returned", "退回工资表"
    WAGE_BANK_FILE = "wage_bank_file", "导出银行代发文件"
    WAGE_PAID = "wage_paid", "登记工资发放"
    WAGE_DOCUMENT = "wage_document", "生成工资文书"
    WAGE_QUERIED = "wage_queried", "工人查询工资"
    ARREARS_EXPORTED = "arrears_exported", "导出欠薪预警"


class AuditEventQuerySet(VisibleQuerySet):
    def visible_to(self, user: Actor) -> Self:
        """「操作日志」: an authority reads its jurisdiction's log; an enterprise account
        its enterprise's; a project account its part of its project."""
        if not is_signed_in(user):
            return self.filter(NOTHING)
        if user.is_authority:
            return self.filter(jurisdiction(user))
        if user.is_enterprise:
            return self.filter(enterprise_id=user.enterprise_id)
        if user.is_project_account:
            return self.filter(Q(enterprise_id=user.enterprise_id) & Q(project_id=user.project_id))
        return self.filter(NOTHING)


@tenant_model


class AuditEvent(ChoiceLabels, models.Model):
    """Append-only: rows are never updated or deleted by the platform.

    region_code / enterprise / project say whose log the event belongs to (an
    authority reads its jurisdiction's, an enterprise its own); `changes` holds
    {field: [old, new]} of what the action changed, personal numbers masked."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField("操作人（记录时）", max_length=150, blank=True)
    ip = models.GenericIPAddressField("IP", null=True, blank=True)
    action = models.CharField("操作", max_length=40, choices=Action.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象", max_length=64, blank=True, db_index=True)
    detail = models.JSONField("详情", default=dict, blank=True)
    changes = models.JSONField("变更", default=dict, blank=True)
    region_code = models.CharField("地区编码", max_length=6, blank=True, db_index=True)
    # no database constraint: an event outlives whatever it is about
    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name="企业", null=True,
                                   blank=True, on_delete=models.DO_NOTHING, db_constraint=False,
                                   related_name="+")
    project = models.ForeignKey("projects.Project", verbose_name="项目", null=True, blank=True,
                                on_delete=models.DO_NOTHING, db_constraint=False,
                                related_name="+")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计事件"
        verbose_name_plural = "审计事件"
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["region_code", "-at"], name="audit_region_at"),
            models.Index(fields=["enterprise", "-at"], name="audit_enterprise_at"),
            models.Index(fields=["project", "-at"], name="audit_project_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label or '匿名'} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("审计事件只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("审计事件只能追加，不能删除")

    @property
    def readable_changes(self) -> list[tuple[str, str, str]]:
        """`changes` in words, for 「操作日志」: (the field's name, old, new), each
        field by its verbose name and each choice by its label (「缴纳形式：— → 银行保函」,
        never 「guarantee_form：— → bank_guarantee」)."""
        from django.apps import apps
        from django.core.exceptions import FieldDoesNotExist

        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            model = None
        # the object's own fields, then those of its one-to-one parts (a project's
        # information is saved under the project)
        models_ = [] if model is None else [model] + [
            rel.related_model for rel in model._meta.related_objects if rel.one_to_one]
        rows = []
        for name, pair in (self.changes or {}).items():
            field = None
            for candidate in models_:
                try:
                    field = candidate._meta.get_field(name)
                    break
                except FieldDoesNotExist:
                    continue
            label = str(getattr(field, "verbose_name", name))
            choices = dict(getattr(field, "flatchoices", None) or ())
            old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list | tuple) else (
                None, pair)
            if field is not None and field.is_relation:  # a row's id says nothing to a reader
                old, new = ("已设置" if old else None), ("已设置" if new else None)
            rows.append((label, _word(old, choices), _word(new, choices)))
        return rows

    @property
    def object_label(self) -> str:
        """「企业账号认证申请」 for certification.EnterpriseApplication."""
        from django.apps import apps

        try:
            return str(apps.get_model(self.object_type)._meta.verbose_name)
        except (LookupError, ValueError):
            return self.object_type


def _word(value: object, choices: dict[object, object]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(choices.get(value, value))
