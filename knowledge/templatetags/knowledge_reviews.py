"""``{{ article|long_overdue }}``: lists warn of an article overdue for review by more than its
interval, by the same rule as its page (``knowledge.verification.long_overdue``)."""

from typing import Any

from django import template

from knowledge import verification

register = template.Library()


@register.filter
def long_overdue(article: Any) -> bool:
    return verification.long_overdue(article)


@register.filter
def review_due(article: Any) -> Any:
    return verification.review_due(article)


@register.filter
def overdue_days(article: Any) -> int:
    return verification.overdue_days(article)
