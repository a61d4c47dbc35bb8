from django.contrib import admin

from .models import EnterpriseApplication


@admin.register(EnterpriseApplication)
class EnterpriseApplicationAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "credit_code", "region_code", "status", "submitted_at",
                    "reviewed_at")
    list_filter = ("status",)
    search_fields = ("number", "name", "credit_code")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
