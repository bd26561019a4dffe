"""Stored values as numbers people read: ``{% load commons_numbers %}``.

The public pages show a value with ``floatformat:"-2g"`` (thousands separators, no decimals
for a whole number). The restricted values page shows what is stored, unrounded, so it cannot
cut a stored 0.1234 to two places; but the database pads every value to six decimal places
("1005.000000"), which is storage, not precision. ``stored_number`` drops that padding and
keeps every digit the publisher gave, in the public pages' style.
"""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def stored_number(value: Decimal | None) -> str:
    """1005.000000 → "1,005"; 12.500000 → "12.5"; 0.123400 → "0.1234"; None → ""."""
    if value is None:
        return ""
    exponent = value.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return str(floatformat(value, f"{places}g"))
