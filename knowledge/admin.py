from django.contrib import admin

from knowledge.models import Article, LocalVersion, Revision, UpstreamDecision, Verification


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


class UpstreamDecisionInline(admin.TabularInline):
    """What a local version did with base changes: read here, never edited (it is public)."""

    model = UpstreamDecision
    fk_name = "local_version"
    fields = ("action", "base_revision", "local_revision", "reason", "actor", "created")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LocalVersion)
class LocalVersionAdmin(admin.ModelAdmin):
    """Local versions are made and moved on by the services (localise, take in, decline):
    here they are read, and the label can be corrected."""

    list_display = ("label", "organisation", "base", "local", "created")
    search_fields = ("label", "base__title", "local__title")
    readonly_fields = ("base", "local", "organisation", "follows", "created_by", "created")
    inlines = [UpstreamDecisionInline]


@admin.register(Verification)
class VerificationAdmin(admin.ModelAdmin):
    """Sign-offs are read here, never edited: who stood behind which text is the record."""

    list_display = ("article", "revision", "by", "organisation", "at")
    list_select_related = ("article", "revision", "by", "organisation")
    readonly_fields = ("article", "revision", "by", "organisation", "comment", "at")

    def has_add_permission(self, request):
        return False
