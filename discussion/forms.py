from django import forms

from core.forms import IdentifyingCheckMixin, SubmissionKeyMixin
from core.params import MAX_ID


class CommentForm(IdentifyingCheckMixin, SubmissionKeyMixin):
    body = forms.CharField(
        label="Comment",
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown works.",
    )
    parent = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, widget=forms.HiddenInput
    )


class CommentEditForm(IdentifyingCheckMixin):
    body = forms.CharField(label="Comment", max_length=10000, widget=forms.Textarea)


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
