from django.contrib import admin

from labour.core.admin import ReadOnlyAdmin

from .models import Participant, Project


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 0
    can_delete = False
    readonly_fields = ("role", "unit_name", "credit_code", "subcontract_content", "added_by",
                       "added_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "region_code", "category", "info_status", "created_at")
    search_fields = ("code", "name")
    list_filter = ("info_status", "category")
    inlines = [ParticipantInline]
