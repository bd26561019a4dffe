from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render a person's Markdown, sanitised."""
    return render_markdown(text)


@register.filter
def days_since(moment: datetime | None, until: datetime | None = None) -> int:
    if moment is None:
        return 0
    return max(0, ((until or timezone.now()) - moment).days)


@register.filter
def tag_list(tag_text: str) -> list[str]:
    return [t.strip() for t in (tag_text or "").split(",") if t.strip()]
