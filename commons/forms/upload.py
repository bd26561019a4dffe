"""The CSV file a steward uploads, on the import page and the "Add a dataset" page alike."""

from typing import Any

from django import forms

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # the largest real file (vaccinations) is under 2 MB
MAX_UPLOAD_TEXT = "20 MB"


def too_large_message(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return (
        f"The file is {megabytes:.1f} MB; a version can be at most {MAX_UPLOAD_TEXT}. "
        "Split it by period and import the parts as successive versions, or ask the site's "
        "administrators to load it with manage.py import_dataset."
    )


class CsvFileField(forms.FileField):
    """A CSV file of at most ``MAX_UPLOAD_BYTES`` (read when checked, so a test can lower it)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", "CSV file")
        kwargs.setdefault(
            "help_text", f"Comma-separated, UTF-8, with a header row; at most {MAX_UPLOAD_TEXT}."
        )
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}))
        kwargs.setdefault(
            "error_messages",
            {
                "required": "Choose the CSV file to import.",
                "empty": "The file is empty: there is nothing to import.",
            },
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_large_message(upload.size))
        return upload
