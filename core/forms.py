"""Form pieces every posting form shares (a submission key, the identifying-details box), and the
form of the one search across kinds."""

import uuid
from typing import Any

from django import forms

from core import finding, identifying


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


class SearchForm(forms.Form):
    """The one search across kinds (core.finding): what to look for, and in which kind. The
    kinds are those registered; after a search each says how many it found."""

    q = forms.CharField(
        label="Search for",
        required=False,
        max_length=finding.MAX_QUERY,
        error_messages={
            "max_length": "A search can be at most %(limit_value)d characters long (this one "
            "has %(show_value)d): shorten it to the words that matter."
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(
        label="Show",
        required=False,
        error_messages={"invalid_choice": "Choose one of the kinds in the list."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = self.kind_choices()

    def kind_choices(self, counts: list[finding.Group] | None = None) -> list[tuple[str, str]]:
        """The choice of all kinds and of each registered kind, each with how many it found
        when ``counts`` are given."""
        if counts is None:
            return [("", "All kinds")] + [(k.key, k.label) for k in finding.kinds()]

        def label(text: str, count: int, capped: bool) -> str:
            return f"{text} ({count}{'+' if capped else ''})"

        found = {g.kind.key: g for g in counts}
        total = label("All kinds", sum(g.count for g in counts), any(g.capped for g in counts))
        return [("", total)] + [
            (k.key, label(k.label, found[k.key].count, found[k.key].capped) if k.key in found
             else k.label)
            for k in finding.kinds()
        ]  # fmt: skip
