"""Template filters for what people write: ``{% load text %}``."""

from django import template
from django.utils.safestring import SafeString

from core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render a person's Markdown, sanitised."""
    return render_markdown(text)


@register.simple_tag
def submission_key() -> str:
    """A fresh key for a hand-written posting form (see core.forms.SubmissionKeyMixin)."""
    from core.forms import new_submission_key

    return new_submission_key()
