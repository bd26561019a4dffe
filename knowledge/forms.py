"""Forms of the knowledge pages: they parse and bound input; the rules are the services'."""

from collections.abc import Iterable
from typing import Any

from django import forms

from core.forms import IdentifyingCheckMixin
from ideas.forms import TagsField
from knowledge.models import (
    FEEDBACK_DAYS,
    MAX_BODY,
    MAX_FEEDBACK,
    MAX_REVIEW_DAYS,
    TWO_YEARS,
    Article,
)


class ArticleFilterForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[("", "All kinds"), *Article.Kind.choices], required=False, label="Kind"
    )


class _TextFields(IdentifyingCheckMixin):
    title = forms.CharField(max_length=200)
    summary = forms.CharField(
        label="Plain-language summary",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What it says, in words anyone can follow: one or two sentences.",
    )
    body = forms.CharField(
        label="Text",
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text="Markdown works: ## headings, *emphasis*, lists, links.",
    )


class ArticleForm(_TextFields):
    kind = forms.ChoiceField(choices=Article.Kind.choices, widget=forms.HiddenInput)
    tags = TagsField()
    review_interval_days = forms.IntegerField(
        label="Review every (days)",
        min_value=1,
        max_value=MAX_REVIEW_DAYS,
        initial=TWO_YEARS,
        help_text="How often it should be checked it still holds: two years (730 days) unless "
        "it needs to be sooner.",
    )
    field_order = ["kind", "title", "summary", "body", "tags", "review_interval_days"]


class RevisionForm(_TextFields):
    """An edit, made from revision ``base`` (hidden): saving against an older base is a
    conflict, shown with both texts."""

    base = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    edit_summary = forms.CharField(
        label="What you changed",
        max_length=300,
        required=False,
        help_text="A few words for the history: “Added the Porirua referral line”.",
    )
    field_order = ["base", "title", "summary", "body", "edit_summary"]

    def with_base(self, number: int) -> "RevisionForm":
        """The same text, now based on revision ``number`` (after a conflict: saving again is
        made against what is current, with the person's text kept)."""
        data = self.data.copy()
        data[self.add_prefix("base")] = str(number)
        return RevisionForm(data)


class LinkForm(forms.Form):
    """Link an article: choose one of your projects, or paste the address of an idea, problem,
    project or indicator page (the service resolves and checks it)."""

    project = forms.TypedChoiceField(
        label="One of your projects",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="The projects you are in.",
    )
    address = forms.CharField(
        label="Or paste the address of an idea, problem, project or outcome indicator",
        max_length=500,
        required=False,
        help_text="For example https://…/ideas/12/ or /data/…/indicators/3/.",
    )

    def __init__(self, *args: Any, projects: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [("", "—"), *((p.pk, p.title) for p in projects)]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("project") and not (data.get("address") or "").strip():
            raise forms.ValidationError(
                "Choose one of your projects, or paste the address of what to link."
            )
        if data.get("project") and (data.get("address") or "").strip():
            raise forms.ValidationError("Choose a project or paste an address, not both.")
        return data


class FeedbackForm(IdentifyingCheckMixin):
    text = forms.CharField(
        label="Your feedback",
        max_length=MAX_FEEDBACK,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What is wrong, out of date or missing? The owner answers in public within "
        f"{FEEDBACK_DAYS} days.",
    )


class ResponseForm(IdentifyingCheckMixin):
    response = forms.CharField(
        label="Your answer",
        max_length=MAX_FEEDBACK,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Public, on the article page, under the feedback.",
    )
    resolve = forms.BooleanField(
        label="This resolves it (the article is changed, or nothing needs to change)",
        required=False,
    )


# --- base and local versions --------------------------------------------------------------


class LocaliseForm(forms.Form):
    label = forms.CharField(
        label="Who it is for",
        max_length=100,
        required=False,
        help_text="The region or organisation, as readers should see it: “Porirua”, "
        "“Hutt Valley”. Your organisation's name if left empty.",
    )


class TakeUpstreamForm(_TextFields):
    """The merged text, as the person edited it. ``upstream`` is the base revision offered and
    ``local`` the local revision the merge was made from: if either moved on, nothing is saved."""

    upstream = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    local = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    edit_summary = forms.CharField(
        label="What you changed",
        max_length=300,
        required=False,
        help_text="For the local history; “Took in revision N of the base” if left empty.",
    )
    field_order = ["upstream", "local", "title", "summary", "body", "edit_summary"]


class DeclineUpstreamForm(IdentifyingCheckMixin):
    prefix = "decline"  # it shares its page with the take-in form: ids stay unique

    upstream = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    reason = forms.CharField(
        label="Why the local version does not take this change",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say why the local version does not take this change: it is shown on "
            "the local version's page."
        },
        help_text="Shown on the local version's page with your name and the date.",
    )


class VerificationForm(forms.Form):
    """A sign-off of revision ``revision`` (hidden): the one the page showed. If a newer one
    was saved meanwhile the service refuses, and the reader is shown the newer one."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    comment = forms.CharField(
        label="What you checked",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: “Checked the referral criteria and phone numbers with the "
        "falls clinic on 2 December.”",
    )


class ReviewIntervalForm(forms.Form):
    review_interval_days = forms.IntegerField(
        label="Review every (days)",
        min_value=1,
        max_value=MAX_REVIEW_DAYS,
        help_text=f"Between 1 and {MAX_REVIEW_DAYS} days; two years is {TWO_YEARS}.",
        error_messages={
            "invalid": "Give the number of days between reviews, such as 730.",
            "required": "Give the number of days between reviews, such as 730.",
            "min_value": f"Choose between 1 and {MAX_REVIEW_DAYS} days between reviews.",
            "max_value": f"Choose between 1 and {MAX_REVIEW_DAYS} days between reviews.",
        },
    )
