"""Double-submit protection for posting forms: each rendered form carries a key
(``core.forms.SubmissionKeyMixin``), and a row records the key it was created with under a
unique (author, key) constraint, so the same form submitted twice creates one row."""

from typing import Any

from django.db import IntegrityError, transaction


def already_submitted(model: Any, author: Any, key: str) -> Any:
    """What this author already created with this form's submission key, if anything."""
    return model.objects.filter(author=author, submission_key=key).first() if key else None


def save_once(obj: Any, key: str) -> tuple[Any, bool]:
    """Save a new row; if the same form was submitted twice at once, return the first row.
    Returns the row and whether it is new."""
    obj.submission_key = key
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError:
        existing = already_submitted(type(obj), obj.author, key)
        if existing is None:
            raise
        return existing, False
    return obj, True
