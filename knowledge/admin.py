from django.contrib import admin

from knowledge.models import Article, Revision, Verification


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
    # Kept by the services (verification's too): read here, never set by hand.
    readonly_fields = ("current", "created", "updated", "verified", "last_verification")
    inlines = [RevisionInline]


@admin.register(Verification)
class VerificationAdmin(admin.ModelAdmin):
    """Sign-offs are read here, never edited: who stood behind which text is the record."""

    list_display = ("article", "revision", "by", "organisation", "at")
    list_select_related = ("article", "revision", "by", "organisation")
    readonly_fields = ("article", "revision", "by", "organisation", "comment", "at")

    def has_add_permission(self, request):
        return False
