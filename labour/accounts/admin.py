from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "kind", "region_code", "is_active",
                    "must_change_password", "last_login")
    list_filter = ("kind", "is_active", "must_change_password")
    search_fields = ("username", "display_name")
    fieldsets = (*(BaseUserAdmin.fieldsets or ()),
        ("平台", {"fields": ("kind", "display_name", "region_code", "enterprise",
                           "admin_phone", "must_change_password", "password_changed_at")}),
    )
    raw_id_fields = ("enterprise",)
