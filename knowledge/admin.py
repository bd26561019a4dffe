from django.contrib import admin

from knowledge.models import Article, Revision


class RevisionInline(admin.TabularInline):
    """Revisions are read here, never edited: the history is the record."""

    model = Revision
    fields = ("number", "title", "author", "organisation", "edit_summary", "created")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "organisation", "updated")
    list_filter = ("kind",)
    search_fields = ("title", "summary")
    raw_id_fields = ("owner", "current", "hidden_by")
    readonly_fields = ("current", "created", "updated")
    inlines = [RevisionInline]
