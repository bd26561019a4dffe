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
) -> None:
    _providers[prefix] = ScopeProvider(prefix, arguments_for, may_see)


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
