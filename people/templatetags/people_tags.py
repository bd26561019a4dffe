from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def org_abbr(organisation) -> SafeString | str:
    """An organisation by its short name, spelt out for whoever does not know it:
    ``<abbr title="Hamilton City Council">HCC</abbr>``; its name when it has no short name."""
    if organisation is None:
        return ""
    short, name = organisation.short_name, organisation.name
    if short and short != name:
        return format_html('<abbr title="{}">{}</abbr>', name, short)
    return conditional_escape(name)
