from django.contrib import admin

from realtime.models import Activity


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """Read-only: the activity log is a record, written only by services."""

    list_display = ("id", "created", "actor_name", "verb", "target_title", "scope")
    list_filter = ("verb", "scope")
    search_fields = ("actor_name", "target_title")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
