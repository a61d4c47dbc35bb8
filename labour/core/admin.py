from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """Operators may look, never add, change or delete: records are made by services."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
