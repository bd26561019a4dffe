"""Small text helpers for the lines that say what happened (feed items, notifications)."""

from typing import Any

from django.utils.text import Truncator

EXCERPT = 140  # characters of a reason or comment quoted in a line


def quote(text: Any) -> str:
    """ "“text”", on one line and shortened; nothing for no text."""
    text = " ".join(str(text or "").split())
    return f"“{Truncator(text).chars(EXCERPT)}”" if text else ""


def then(text: str, sep: str = ": ") -> str:
    """``sep`` and ``text``, or nothing for no text."""
    return f"{sep}{text}" if text else ""
