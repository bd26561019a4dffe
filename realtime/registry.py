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


def register_scope(
    prefix: str,
    *,
    arguments_for: Callable[[Any], Iterable[str]],
    may_see: Callable[[Any, str], bool],
) -> None:
    _providers[prefix] = ScopeProvider(prefix, arguments_for, may_see)


def register_verb(verb: str, phrase: str) -> None:
    """How ``verb`` reads in a feed item: "<actor> <phrase> <target>"."""
    _verbs[verb] = phrase


def verb_phrase(verb: str) -> str:
    return _verbs.get(verb, verb.replace(".", " ").replace("_", " "))


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
