"""Template filters for what people write: ``{% load text %}``."""

from django import template
from django.utils.safestring import SafeString

from core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render a person's Markdown, sanitised."""
    return render_markdown(text)
