"""Who may see which scope, and how an activity verb reads — declared by the domain apps.

``realtime`` imports no domain app. Each app registers, in its ``AppConfig.ready()``, a provider for
a scope prefix (``project`` for ``project:<id>``): a function listing the scope arguments a user
may see, and one deciding a single scope. The consumer asks this registry before every group join
and every replay; the feed selector asks it before every query.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

PUBLIC = "public"


@dataclass(frozen=True)
class ScopeProvider:
    prefix: str
    # All scope arguments this user may see (e.g. the ids of their projects).
    arguments_for: Callable[[Any], Iterable[str]]
    # Whether this user may see the scope with this argument.
    may_see: Callable[[Any, str], bool]
    # The ids of everyone who may see the scope with this argument (notifications are only
    # written for them).
    members: Callable[[str], Iterable[int]] | None = None


_providers: dict[str, ScopeProvider] = {}
_verbs: dict[str, str] = {}
# What happened, in a few words, from an activity's payload (``" to Shortlisted: “…”"``).
_details: dict[str, Callable[[dict[str, Any]], str]] = {}
# What several activities of a verb are called: ("new comment", "new comments").
_nouns: dict[str, tuple[str, str]] = {}
# Where opening an activity about a kind of target lands (a path, with its #anchor).
_landings: dict[str, Callable[[Any], str]] = {}


def register_scope(
    prefix: str,
    *,
    arguments_for: Callable[[Any], Iterable[str]],
    may_see: Callable[[Any, str], bool],
    members: Callable[[str], Iterable[int]] | None = None,
) -> None:
    _providers[prefix] = ScopeProvider(prefix, arguments_for, may_see, members)


def register_verb(
    verb: str,
    phrase: str,
    *,
    detail: Callable[[dict[str, Any]], str] | None = None,
    noun: tuple[str, str] | None = None,
) -> None:
    """How ``verb`` reads in a feed item: "<actor> <phrase> <target><detail>".

    ``detail(payload)`` says what happened, from the activity's payload only (so text that is
    hidden, deleted or edited away and rewritten there goes from every line too); it starts
    with its own separator (``": “…”"``). ``noun`` names several of them in a grouped line
    ("5 new comments on …")."""
    _verbs[verb] = phrase
    if detail is not None:
        _details[verb] = detail
    if noun is not None:
        _nouns[verb] = noun


def verb_phrase(verb: str) -> str:
    return _verbs.get(verb, verb.replace(".", " ").replace("_", " "))


def verb_detail(verb: str, payload: dict[str, Any]) -> str:
    render = _details.get(verb)
    return render(payload or {}) if render else ""


def verb_noun(verb: str) -> tuple[str, str] | None:
    return _nouns.get(verb)


def describe(activity: Any) -> dict[str, str]:
    """The words of an activity's line: its phrase and its detail."""
    return {
        "phrase": verb_phrase(activity.verb),
        "detail": verb_detail(activity.verb, activity.payload),
    }


def register_landing(target_type: str, landing: Callable[[Any], str]) -> None:
    """Where opening an activity about ``target_type`` lands: ``landing(activity)`` returns a
    path on this site (e.g. the target's page and the comment's ``#anchor``)."""
    _landings[target_type] = landing


def landing_url(activity: Any) -> str:
    landing = _landings.get(activity.target_type)
    return (landing(activity) if landing else "") or activity.target_url


@dataclass(frozen=True)
class TargetType:
    """How activities name one kind of thing they are about (registered by its domain app)."""

    label: str  # "ideas.idea": the activities' target_type
    title: Callable[[Any], str]  # as everyone may see it ("Hidden idea #4" once hidden)
    url: Callable[[Any], str]
    scope: Callable[[Any], str]  # who may see activities about it


@dataclass(frozen=True)
class Actor:
    """Who did something, as an activity copies it (name, profile, organisation)."""

    name: str
    url: str = ""
    org: str = ""
    org_short: str = ""


_targets: dict[type, TargetType] = {}
_actor: list[Callable[[Any], Actor]] = []


def register_target(
    model: type,
    *,
    title: Callable[[Any], str] | None = None,
    url: Callable[[Any], str] | None = None,
    scope: Callable[[Any], str] | None = None,
) -> TargetType:
    """Declare a model whose objects activities can be about. By default the title is the
    object's ``public_title`` (or ``str``), the url its ``get_absolute_url()``, and the scope
    ``public``."""
    kind = TargetType(
        label=model._meta.label_lower,  # type: ignore[attr-defined]
        title=title or (lambda obj: str(getattr(obj, "public_title", obj))),
        url=url or (lambda obj: obj.get_absolute_url()),
        scope=scope or (lambda obj: PUBLIC),
    )
    _targets[model] = kind
    return kind


def target_type(obj: Any) -> TargetType:
    try:
        return _targets[type(obj)]
    except KeyError:
        raise LookupError(
            f"{type(obj).__name__} is not registered with realtime.registry.register_target"
        ) from None


def register_actor(describe_actor: Callable[[Any], Actor]) -> None:
    """How a person is named in activities (``people`` registers it: realtime knows no
    profiles or organisations)."""
    _actor[:] = [describe_actor]


def actor_of(user: Any) -> Actor:
    if user is None:
        return Actor(name="Someone")
    if _actor:
        return _actor[0](user)
    return Actor(name=user.get_username())


def user_scope(user_id: int) -> str:
    return f"user:{user_id}"


def register_builtin_scopes() -> None:
    # ``public``: every signed-in, active person. ``user:<id>``: that person alone.
    register_scope(
        "user",
        arguments_for=lambda user: [str(user.pk)],
        may_see=lambda user, argument: str(user.pk) == argument,
    )


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def scopes_for(user: Any) -> list[str]:
    """Every scope ``user`` may see now."""
    if not _active(user):
        return []
    scopes = [PUBLIC]
    for provider in _providers.values():
        scopes.extend(f"{provider.prefix}:{arg}" for arg in provider.arguments_for(user))
    return scopes


def may_see(user: Any, scope: str) -> bool:
    if not _active(user):
        return False
    if scope == PUBLIC:
        return True
    prefix, _, argument = scope.partition(":")
    provider = _providers.get(prefix)
    return bool(provider and argument and provider.may_see(user, argument))


def who_may_see(scope: str, user_ids: Iterable[int]) -> set[int]:
    """Those of ``user_ids`` who may see ``scope`` (active accounts are the caller's concern:
    notifications are not written for anyone else)."""
    ids = set(user_ids)
    if scope == PUBLIC or not ids:
        return ids
    prefix, _, argument = scope.partition(":")
    if prefix == "user":
        return {i for i in ids if str(i) == argument}
    provider = _providers.get(prefix)
    if provider is None or not argument:
        return set()
    if provider.members is not None:
        return ids & {int(i) for i in provider.members(argument)}
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=ids, is_active=True)
    return {u.pk for u in users if provider.may_see(u, argument)}


def group_for_scope(scope: str) -> str:
    """Channel-layer group name for a scope (letters, digits, dots only)."""
    return "scope." + scope.replace(":", ".")


def control_group(user_id: int) -> str:
    """Group every socket of one user joins, for revocation and session checks."""
    return f"user-control.{user_id}"


def session_group(session_key: str) -> str:
    """Group the sockets of one browser session join, so ending that session closes exactly
    them. The key is hashed: group names travel through Redis, session keys must not."""
    return "session-control." + hashlib.sha256(session_key.encode()).hexdigest()[:40]
