"""A dataset's next version, imported with the dataset's own mapping."""

from django import forms

from commons.forms.upload import CsvFileField


class ImportForm(forms.Form):
    """A CSV file to import as the dataset's next version."""

    file = CsvFileField()
