"""Forms of the knowledge pages: they parse and bound input; the rules are the services'."""

from django import forms

from core.forms import IdentifyingCheckMixin
from ideas.forms import TagsField
from knowledge.models import MAX_BODY, MAX_REVIEW_DAYS, TWO_YEARS, Article


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
