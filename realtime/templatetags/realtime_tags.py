from django import template
from django.utils.safestring import SafeString, mark_safe

from realtime.models import Activity
from realtime.publish import render_activity

register = template.Library()


@register.simple_tag
def activity_item(activity: Activity) -> SafeString:
    """The same fragment a live message carries, so a reload shows exactly what arrived live."""
    return mark_safe(render_activity(activity))  # noqa: S308 - rendered by an auto-escaping template
