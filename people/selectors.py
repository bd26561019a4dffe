"""Every read about people and organisations, with visibility applied."""

import re
import unicodedata

from django.db import connection
from django.db.models import BooleanField, Count, Func, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404

from core import search
from core.markdown import MENTION_RE
from people.models import ApiToken, Organisation, Profile


def people_directory(
    *, query: str = "", organisation: str = "", level: str = ""
) -> QuerySet[Profile]:
    """Active people, searchable by name, organisation and role: every word typed must be in one
    of them, accents and case aside, or a word one slip away (core.search) — "ngaire rawiri"
    finds Ngaire Rāwiri. One query per page (and, on PostgreSQL, one for the near words)."""
    qs = Profile.objects.filter(user__is_active=True).select_related("organisation")
    words = search.query_words(query, limit=6)
    if words and connection.vendor == "postgresql":
        qs = qs.filter(_directory_match_postgresql(words))
    elif words:
        fields = ("display_name", "role_title", "organisation__name", "organisation__short_name")
        text = Value(" ".join(words))
        qs = qs.filter(Func(text, *fields, function="sc_match", output_field=BooleanField()))
    if organisation:
        qs = qs.filter(organisation__slug=organisation)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("display_name", "id")


def _directory_match_postgresql(words: list[str]) -> RawSQL:
    """Each word (or a stored word one slip away) in the folded name and role — the generated
    ``search_text`` column, through its trigram index (people migration 0005) — or in the
    name of the person's organisation (few enough to fold each time, once per query)."""
    near = search.near_words(words)
    conditions, params = [], []
    for word in words:
        likes = ["%" + re.sub(r"([\\%_])", r"\\\1", w) + "%" for w in [word, *near.get(word, [])]]
        profile = " OR ".join('"people_profile"."search_text" LIKE %s' for _ in likes)
        org = " OR ".join("sc_fold(o.name || ' ' || o.short_name) LIKE %s" for _ in likes)
        # Only our own SQL in the text; what was typed is in the params.
        orgs = f"SELECT o.id FROM people_organisation o WHERE {org}"  # noqa: S608
        conditions.append(f'({profile} OR "people_profile"."organisation_id" = ANY(ARRAY({orgs})))')
        params += likes + likes
    return RawSQL(" AND ".join(conditions), params, output_field=BooleanField())  # noqa: S611


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


def _normal(name: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", name.lower()) if ch.isalnum())


def mention_handle(display_name: str) -> str:
    """How to ``@mention`` someone: their display name without spaces or other punctuation
    (``Hannah McKenzie`` → ``HannahMcKenzie``, ``Daniel O'Connor`` → ``DanielO'Connor``).
    :func:`mentioned_users` finds them by it; ``""`` if the name cannot make one."""
    handle = "".join(re.findall(r"[\w.\-']", display_name or "")).lstrip("_.-'")
    findable = (display_name or "").lower().startswith(handle[:2].lower())  # see mentioned_users
    match = MENTION_RE.fullmatch("@" + handle)
    return handle if match and findable and _normal(handle) == _normal(display_name) else ""


def people_to_mention(*, prefix: str, limit: int = 8) -> list[Profile]:
    """Active people whose name (or a later word of it) starts with what was typed after
    ``@``, ignoring case, accents, spaces and punctuation, each with a ``mention_handle``. One
    query. Someone whose name cannot make a handle (it starts with punctuation, say) is not
    offered: :func:`mentioned_users` could not find them by it."""
    want = _normal(prefix)[:60]
    if not want:
        return []
    start = prefix.strip()[:2]
    candidates = (
        Profile.objects.filter(user__is_active=True)
        .filter(Q(display_name__istartswith=start) | Q(display_name__icontains=" " + start))
        .select_related("organisation")
        .order_by("display_name", "id")[:200]
    )
    found = []
    for profile in candidates:
        words = [_normal(w) for w in profile.display_name.split()]
        whole = _normal(profile.display_name)
        handle = mention_handle(profile.display_name)
        if handle and (whole.startswith(want) or any(w.startswith(want) for w in words)):
            profile.mention_handle = handle
            found.append(profile)
    found.sort(key=lambda p: (not _normal(p.display_name).startswith(want), p.display_name))
    return found[:limit]


def organisation_names_of(user) -> tuple[str, str]:
    """A person's organisation as activities record it: (full name, short name), or blanks."""
    profile = profile_of(user) if user is not None else None
    organisation = profile.organisation if profile is not None else None
    if organisation is None:
        return "", ""
    return organisation.name, organisation.short_name


def mentioned_users(text: str) -> list:
    """People ``@mentioned`` in a text: ``@ArohaNgata``, ``@aroha.ngata`` or, when only one
    person has that first name, ``@Aroha``. Accents and case do not matter."""
    from people.models import Profile

    typed: dict[str, str] = {}  # normalised → as typed (which keeps accents: @Ōtara)
    for t in MENTION_RE.findall(text or ""):
        typed.setdefault(_normal(t), t)
    typed.pop("", None)
    if not typed:
        return []
    found = {}
    for token, raw in list(typed.items())[:20]:
        candidates = (
            Profile.objects.filter(
                Q(display_name__istartswith=token[:2]) | Q(display_name__istartswith=raw[:2]),
                user__is_active=True,
            )
            .select_related("user")
            .order_by("id")[:200]
        )
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
