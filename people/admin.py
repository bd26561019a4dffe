from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from people import services
from people.models import Organisation, Profile, User


class ProfileInline(admin.StackedInline):
    model = Profile
    can_delete = False
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [ProfileInline]
    list_display = ("email", "profile_name", "is_active", "is_staff", "date_joined")
    search_fields = ("email", "profile__display_name")
    actions = ["deactivate"]

    @admin.display(description="Name")
    def profile_name(self, obj: User) -> str:
        profile = getattr(obj, "profile", None)
        return profile.display_name if profile else ""

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("profile")

    def save_model(self, request, obj, form, change):
        deactivating = change and "is_active" in form.changed_data and not obj.is_active
        super().save_model(request, obj, form, change)
        if deactivating:
            services.close_connections_on_commit(user=obj)

    @admin.action(description="Deactivate (closes their live connections)")
    def deactivate(self, request, queryset):
        for user in queryset:
            services.person_deactivate(actor=request.user, user=user)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "region")
    list_filter = ("kind", "region")
    search_fields = ("name", "short_name")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("display_name", "organisation", "role_title", "level")
    list_filter = ("level", "organisation")
    search_fields = ("display_name", "role_title", "user__email")
    list_select_related = ("organisation",)
    autocomplete_fields = ["organisation", "user"]
