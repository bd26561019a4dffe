"""Forms check the shape of what a steward sends; the services check the rules (who may import
or publish, and whether the file fits the dataset's mapping)."""

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


class ImportForm(forms.Form):
    """A CSV file to import as the dataset's next version, with the dataset's own mapping."""

    file = forms.FileField(
        label="CSV file",
        help_text=f"Comma-separated, UTF-8, with a header row; at most {MAX_UPLOAD_TEXT}.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={
            "required": "Choose the CSV file to import.",
            "empty": "The file is empty: there is nothing to import.",
        },
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_large_message(upload.size))
        return upload
