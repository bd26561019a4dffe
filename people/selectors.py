"""Every read about people and organisations, with visibility applied."""

import re
import unicodedata

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from people.models import ApiToken, Organisation, Profile


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


def organisations_by_ids(ids: list[int]) -> list[Organisation]:
    """The organisations with these ids (unknown ids are simply missing from the result)."""
    return list(Organisation.objects.filter(pk__in=set(ids)).order_by("name"))


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """A person's own API tokens, newest first. Nobody sees anyone else's."""
    return ApiToken.objects.filter(user=user).order_by("-created", "-id")


def api_token_of(*, user, pk: int) -> ApiToken:
    """One of the person's own tokens; someone else's is a 404, not a 403."""
    return get_object_or_404(ApiToken, pk=pk, user=user)


def active_users_by_email(emails: list[str]) -> dict:
    """Active accounts for these addresses, keyed by lower-cased address."""
    from people.models import User

    return {u.email.lower(): u for u in User.objects.filter(email__in=emails, is_active=True)}


MENTION_RE = re.compile(r"(?<![\w@])@([^\W_][\w.\-']{1,60})")


def _normal(name: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", name.lower()) if ch.isalnum())


def mentioned_users(text: str) -> list:
    """People ``@mentioned`` in a text: ``@ArohaNgata``, ``@aroha.ngata`` or, when only one
    person has that first name, ``@Aroha``. Accents and case do not matter."""
    from people.models import Profile

    tokens = {_normal(t) for t in MENTION_RE.findall(text or "")}
    tokens.discard("")
    if not tokens:
        return []
    found = {}
    for token in list(tokens)[:20]:
        candidates = Profile.objects.filter(
            display_name__istartswith=token[:2], user__is_active=True
        ).select_related("user")[:200]
        exact = [p for p in candidates if _normal(p.display_name) == token]
        first = [p for p in candidates if _normal(p.display_name.split()[0]) == token]
        for p in exact or (first if len(first) == 1 else []):
            found[p.user_id] = p.user
    return list(found.values())


# --- picking people by name (co-authors, …) ---------------------------------------------------


def name_of(user) -> str:
    """The name a person goes by here (their e-mail address if they have no profile)."""
    profile = profile_of(user)
    return profile.display_name if profile else user.email


def active_users_by_ids(ids: list[int]) -> dict:
    """Active accounts with these ids, with their profiles, keyed by id."""
    from people.models import User

    qs = User.objects.filter(pk__in=set(ids), is_active=True).select_related("profile")
    return {u.pk: u for u in qs} if ids else {}


def active_users_named(names: list[str]) -> dict[str, list]:
    """Active accounts whose display name is one of ``names`` (compared without regard to case
    or repeated spaces), keyed by the name in lower case: more than one means it is shared."""
    from people.models import User

    wanted = {" ".join(n.split()).casefold() for n in names if n.strip()}
    if not wanted:
        return {}
    condition = Q()
    for name in wanted:
        condition |= Q(profile__display_name__iexact=name)
    found: dict[str, list] = {}
    for user in User.objects.filter(condition, is_active=True).select_related("profile"):
        key = " ".join(user.profile.display_name.split()).casefold()
        if key in wanted:
            found.setdefault(key, []).append(user)
    return found


def people_suggestions(*, query: str, limit: int = 8) -> list[Profile]:
    """People whose name, role or organisation match what is being typed (the directory's
    search), for a picker. One query."""
    query = " ".join(query.split())[:100]
    if not query:
        return []
    return list(people_directory(query=query)[:limit])


def profile_row(profile_id: int) -> QuerySet[Profile]:
    """One profile as a queryset, for reads that add columns to it (counts of what they did)."""
    return Profile.objects.filter(pk=profile_id)


def organisation_row(organisation_id: int) -> QuerySet[Organisation]:
    """One organisation as a queryset, for reads that add columns to it."""
    return Organisation.objects.filter(pk=organisation_id)


def public_counts() -> dict[str, int]:
    """How many people are here (active, with a profile) and from how many organisations (one
    query)."""
    return Profile.objects.filter(user__is_active=True).aggregate(
        people=Count("pk"), organisations=Count("organisation", distinct=True)
    )


def organisation_named(name: str) -> Organisation | None:
    """The organisation with this name, ignoring case and repeated spaces (sign-up checks
    before adding one)."""
    return Organisation.objects.filter(name__iexact=" ".join(name.split())).first()
