from django import template
from django.utils.safestring import SafeString, mark_safe

from realtime.models import Activity
from realtime.publish import render_activity

register = template.Library()


@register.simple_tag
def activity_item(activity: Activity) -> SafeString:
    """The same fragment a live message carries, so a reload shows exactly what arrived live."""
    return mark_safe(render_activity(activity))  # noqa: S308 - rendered by an auto-escaping template


@register.simple_tag(takes_context=True)
def recent_activity(context, limit: int = 10) -> SafeString:
    """The newest activities visible to the viewer, as feed items (for tickers on any page)."""
    from realtime.selectors import activities_visible_to

    user = context["request"].user
    items = activities_visible_to(user=user, limit=limit)[:limit]
    return mark_safe("".join(render_activity(a) for a in items))  # noqa: S308
