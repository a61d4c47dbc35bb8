"""The wage ledger in 运维管理, read only: operators may look (the bank's batch
numbers, statuses, totals), never add, change or delete (保障农民工工资支付条例
第五十条: kept at least 3 years). Encrypted card and account numbers are not shown."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from labour.core.admin import ReadOnlyAdmin

from .models import Payment, SheetSubmission, WageItem, WageLine, WageSheet

HIDDEN = {"card_number_token", "payer_account_token"}


class LedgerAdmin(ReadOnlyAdmin):
    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return self.get_readonly_fields(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields if f.name not in HIDDEN]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        obj.delete()  # refused by the model (RetentionError): never reached, no permission

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        queryset.delete()  # refused by the queryset (RetentionError)


@admin.register(WageSheet)
class WageSheetAdmin(LedgerAdmin):
    list_display = ("number", "month", "project", "team", "status", "line_count", "net_total",
                    "paid_total")
    list_filter = ("status",)
    search_fields = ("number",)
    list_select_related = ("project", "team")
    raw_id_fields = ("project", "participant", "team", "signed_scan", "created_by")


@admin.register(SheetSubmission)
class SheetSubmissionAdmin(LedgerAdmin):
    list_display = ("sheet", "status", "submitted_at", "reviewed_at", "line_count", "net_total")
    list_filter = ("status",)
    list_select_related = ("sheet",)


@admin.register(Payment)
class PaymentAdmin(LedgerAdmin):
    list_display = ("sheet", "paid_on", "batch_number", "paid_count", "failed_count", "paid_amount")
    search_fields = ("batch_number",)
    list_select_related = ("sheet",)


@admin.register(WageLine)
class WageLineAdmin(LedgerAdmin):
    list_display = ("sheet", "worker", "days", "net_amount", "pay_status", "paid_on")
    list_filter = ("pay_status", "is_back_pay")
    list_select_related = ("sheet", "worker__person")


@admin.register(WageItem)
class WageItemAdmin(LedgerAdmin):
    list_display = ("line", "kind", "name", "amount")
    list_select_related = ("line__sheet",)
