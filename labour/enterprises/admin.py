from django.contrib import admin

from labour.core.admin import ReadOnlyAdmin

from .models import Enterprise


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ("name", "credit_code", "unit_type", "region_code", "certified_at")
    search_fields = ("name", "credit_code")
    list_filter = ("unit_type",)
