"""What people can discuss: each domain app registers its kinds of thing here.

``ideas`` registers ideas and problems in ``IdeasConfig.ready()``; ``projects`` and ``knowledge``
will register theirs the same way. A registered kind gets comments (with replies, edit history,
tombstones), follows, reactions, reports and visible hiding — models, services, views, URL
patterns, htmx fragments and API endpoints — without a line of its own for them. Nothing in
``discussion`` names a domain: everything it needs to know about a kind is in its ``Kind``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.http import HttpResponse

from realtime import registry as realtime_registry
from realtime.registry import PUBLIC


def _anyone(user: Any, obj: Any = None) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@dataclass(frozen=True)
class Kind:
    key: str  # "idea": in URL names (idea_comment, idea_follow …) and the API's paths
    model: type[Model]
    # The pages of one object: ``page(request, obj, **extra)`` renders its page again with a
    # form's errors (extra holds ``comment_form``); ``load(pk)`` fetches it for that page (404).
    page: Callable[..., HttpResponse]
    load: Callable[[int], Any]
    # Who sees activities, comments and follows of an object (``public``, ``project:<id>``).
    scope: Callable[[Any], str] = lambda obj: PUBLIC
    can_view: Callable[[Any, Any], bool] = _anyone
    can_comment: Callable[[Any, Any], bool] = _anyone
    # Stewards, or a project's leads: hide comments (and the object, if ``hideable``).
    can_moderate: Callable[[Any, Any], bool] = lambda user, obj: False
    # Reactions people may give it, each with the counter field on the model it keeps.
    reactions: dict[str, str] = field(default_factory=dict)
    # Where opening an activity about it lands, when not on a comment (``#decision-4`` …).
    landing: Callable[[Any], str] | None = None
    hideable: bool = True  # the object itself can be reported and hidden
    noun: str = ""  # "idea", as a sentence says it

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def url_name(self, action: str) -> str:
        return f"{self.key}_{action}"


_by_key: dict[str, Kind] = {}
_by_model: dict[type, Kind] = {}
_by_label: dict[str, Kind] = {}


def register(model: type[Model], *, key: str, **options: Any) -> Kind:
    """Make ``model`` discussable under ``key``. Call from ``AppConfig.ready()``; the model
    mixes in ``discussion.models.Discussable`` (its counters) and, if hideable, ``Hideable``.
    Also registers it with ``realtime`` as something activities are about (same scope)."""
    options.setdefault("noun", str(model._meta.verbose_name))
    kind = Kind(key=key, model=model, **options)
    _by_key[key], _by_model[model], _by_label[kind.label] = kind, kind, kind
    realtime_registry.register_target(model, scope=kind.scope)
    from discussion.notifying import landing_with

    realtime_registry.register_landing(kind.label, landing_with(kind.landing))
    return kind


def kind_for_key(key: str) -> Kind:
    return _by_key[key]


def kind_of(obj: Any) -> Kind:
    return _by_model[type(obj)]


def kind_for_label(label: str) -> Kind | None:
    return _by_label.get(label)


def kinds() -> list[Kind]:
    return list(_by_key.values())


def kind_for_content_type(content_type_id: int) -> Kind | None:
    """The kind of the model with this content type (cached by Django: no query after the
    first)."""
    from django.contrib.contenttypes.models import ContentType

    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return _by_model.get(model) if model is not None else None


def url_for(content_type_id: int, object_id: int) -> str:
    """The page of a registered object, from its content type and id: no query for it."""
    from django.urls import reverse

    kind = kind_for_content_type(content_type_id)
    return reverse(kind.url_name("detail"), kwargs={"pk": object_id}) if kind else ""
