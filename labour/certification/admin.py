from django.contrib import admin

from labour.core.admin import ReadOnlyAdmin

from .models import EnterpriseApplication


@admin.register(EnterpriseApplication)
class EnterpriseApplicationAdmin(ReadOnlyAdmin):
    list_display = ("number", "name", "credit_code", "region_code", "status", "submitted_at",
                    "reviewed_at")
    list_filter = ("status",)
    search_fields = ("number", "name", "credit_code")
