"""URL patterns of the discussion of every registered kind.

A domain app's ``urls.py`` adds ``*discussion.urls.for_kind("idea", "ideas/")``: the
``<prefix><id>/comments/``, ``discussion/``, ``follow/``, ``report/`` and ``hide/`` addresses,
named ``<key>_comment`` … ``<key>_hide``. The comment-level and moderation addresses are here.
"""

from django.urls import URLPattern, path

from core import converters
from discussion import views

converters.register()  # <id:…>: an id a database column can hold, else a 404


def for_kind(key: str, prefix: str, *, hideable: bool = True) -> list[URLPattern]:
    """The discussion's addresses under ``prefix`` (``"ideas/"``) for the kind ``key``."""
    actions = [
        ("comments/", views.comment_create, "comment"),
        ("discussion/", views.discussion, "discussion"),
        ("follow/", views.follow_toggle, "follow"),
    ]
    if hideable:
        actions += [("report/", views.report, "report"), ("hide/", views.hide, "hide")]
    return [
        path(f"{prefix}<id:pk>/{suffix}", view, {"kind": key}, name=f"{key}_{name}")
        for suffix, view, name in actions
    ]


urlpatterns = [
    path("comments/<id:pk>/", views.comment_fragment, name="comment_fragment"),
    path("comments/<id:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<id:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<id:pk>/history/", views.comment_history, name="comment_history"),
    path("comments/<id:pk>/report/", views.report, {"kind": "comment"}, name="comment_report"),
    path("comments/<id:pk>/hide/", views.hide, {"kind": "comment"}, name="comment_hide"),
    path("moderation/reports/", views.reports, name="reports"),
]
