"""The discussion rows about a target, asked as tests ask them: ``supports(idea=idea)``,
``follows(idea=idea, user=u)``, ``reports(comment=c)`` (the target by its old field name)."""

from typing import Any

from django.db.models import QuerySet

from discussion.models import Comment, Follow, Reaction, Report
from discussion.selectors import of


def _target(filters: dict[str, Any]) -> dict[str, Any]:
    for name in ("idea", "problem", "comment", "target"):
        if name in filters:
            return of(filters.pop(name))
    return {}


def supports(**filters: Any) -> QuerySet:
    return Reaction.objects.filter(kind="support", **_target(filters), **filters)


def support_row(**fields: Any) -> Reaction:
    return Reaction.objects.create(kind="support", **_target(fields), **fields)


def follows(**filters: Any) -> QuerySet:
    return Follow.objects.filter(**_target(filters), **filters)


def reports(**filters: Any) -> QuerySet:
    return Report.objects.filter(**_target(filters), **filters)


def report_row(**fields: Any) -> Report:
    return Report.objects.create(**_target(fields), **fields)


def comments(**filters: Any) -> QuerySet:
    return Comment.objects.filter(**_target(filters), **filters)
