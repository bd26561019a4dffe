"""``<id:pk>`` in URL patterns: a database id, 1 to 2**63 - 1, in ASCII digits.

Django's ``<int:…>`` matches any run of digits, so ``/people/99999999999999999999999/`` reached
the database with an integer no column can hold (a 500 on SQLite and PostgreSQL). An id out of
range does not match this converter: the address is a plain 404.
"""

from django.urls import register_converter
from django.urls.converters import get_converters

from core.params import positive_int


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        pk = positive_int(value)
        if pk is None:
            raise ValueError(value)  # Django reads a ValueError as "no match"
        return pk

    def to_url(self, value: int | str) -> str:
        return str(value)


def register() -> None:
    """Make ``<id:…>`` available to URL patterns (safe to call more than once)."""
    if "id" not in get_converters():
        register_converter(IdConverter, "id")
