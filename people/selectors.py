"""Every read about people and organisations, with visibility applied."""

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from people.models import Organisation, Profile


def people_directory(
    *, query: str = "", organisation: str = "", level: str = ""
) -> QuerySet[Profile]:
    """Active people, searchable by name, organisation and role. One query per page."""
    qs = Profile.objects.filter(user__is_active=True).select_related("organisation")
    for term in query.split()[:6]:
        qs = qs.filter(
            Q(display_name__icontains=term)
            | Q(role_title__icontains=term)
            | Q(organisation__name__icontains=term)
            | Q(organisation__short_name__icontains=term)
        )
    if organisation:
        qs = qs.filter(organisation__slug=organisation)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("display_name", "id")


def organisation_choices() -> QuerySet[Organisation]:
    return Organisation.objects.order_by("name")


def organisations_with_counts() -> QuerySet[Organisation]:
    return Organisation.objects.annotate(
        member_count=Count("members", filter=Q(members__user__is_active=True))
    ).order_by("name")


def organisation_by_slug(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


def organisation_members(organisation: Organisation) -> QuerySet[Profile]:
    return (
        Profile.objects.filter(organisation=organisation, user__is_active=True)
        .select_related("organisation")
        .order_by("display_name")
    )


def profile_for(user_id: int) -> Profile:
    """A person's public profile; deactivated people are not shown (404)."""
    return get_object_or_404(
        Profile.objects.select_related("organisation", "user"),
        user_id=user_id,
        user__is_active=True,
    )


def profile_of(user) -> Profile | None:
    try:
        return user.profile
    except Profile.DoesNotExist:
        return None
