"""Form pieces every posting form shares: a submission key, and the identifying-details box."""

import uuid

from django import forms

from core import identifying


def new_submission_key() -> str:
    return uuid.uuid4().hex


class SubmissionKeyMixin(forms.Form):
    """A key per rendered form: submitting the same form twice creates one row."""

    submission_key = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, initial=new_submission_key
    )


class IdentifyingCheckMixin(forms.Form):
    """The box to tick to post text that looks like it identifies someone. Hidden until the
    service has found something (``core.identifying.check``); then, or once ticked,
    it shows as a checkbox after the other fields."""

    confirm_not_identifying = forms.BooleanField(
        required=False,
        initial=False,
        label=identifying.CONFIRM_LABEL,
        label_suffix="",
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name = self.add_prefix("confirm_not_identifying")
        if self.is_bound and self.data.get(name) in ("on", "true", "True", "1"):
            self.ask_to_confirm_not_identifying()

    def ask_to_confirm_not_identifying(self) -> None:
        field = self.fields.pop("confirm_not_identifying")
        field.widget = forms.CheckboxInput()
        self.fields["confirm_not_identifying"] = field  # last: just before the button
