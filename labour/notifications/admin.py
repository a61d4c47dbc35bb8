from django.contrib import admin

from labour.core.admin import ReadOnlyAdmin

from .models import SmsMessage


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "phone", "template", "status", "attempts", "sent_at")
    list_filter = ("status", "template")
    search_fields = ("phone",)
