"""Parts of a page that a higher layer fills in.

A page names a *slot* and renders whatever the apps registered for it; an app registers a
renderer for a slot in its ``AppConfig.ready()``. So a page of a lower layer shows a higher
layer's content without importing it: a profile (``people``) lists the person's ideas, problems
and comments (``ideas``), and the signed-out welcome page (``realtime``) shows recent problems,
ideas and decisions (``ideas``) — the same way ``realtime``'s scope and verb registries work.

Slots in use, and what their renderers are given besides the request:

* ``welcome``      — nothing (the visitor is signed out: public content only)
* ``profile``      — ``profile``, the ``people.Profile`` shown
* ``organisation`` — ``organisation``, the ``people.Organisation`` shown
* ``idea``         — ``idea``, the ``ideas.Idea`` shown (the projects that took it up)
* ``problem``      — ``problem``, the ``ideas.Problem`` shown
* ``measure``      — ``measure``, a ``projects.Measure`` on its project's outcomes page, and
  ``viewer`` (``projects.selectors.Viewer``: what the reader may do in the project)
* ``project``      — ``project``, the ``projects.Project`` on its overview page, and ``viewer``
  (a restricted project's inside is its members': a renderer asks ``viewer.can_view``)
* ``indicator``    — ``indicator``, the ``commons.Indicator`` on its page

A renderer returns HTML rendered by an auto-escaping template (a ``SafeString``); anything else
is escaped. Core imports nothing of ours.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

Renderer = Callable[..., str]


@dataclass(frozen=True)
class Section:
    slot: str
    name: str
    render: Renderer
    order: int


_sections: dict[str, dict[str, Section]] = {}


def register(slot: str, name: str, render: Renderer, *, order: int = 100) -> None:
    """Show ``render(request, **context)`` in ``slot``; registering a name again replaces it."""
    _sections.setdefault(slot, {})[name] = Section(slot, name, render, order)


def registered(slot: str) -> list[Section]:
    return sorted(_sections.get(slot, {}).values(), key=lambda s: (s.order, s.name))


def render(slot: str, request: HttpRequest, **context: Any) -> list[SafeString]:
    """The HTML of every section registered for ``slot``, in order."""
    return [conditional_escape(s.render(request, **context)) for s in registered(slot)]
