import uuid

from django import forms
from django.core.exceptions import ValidationError

from core import identifying
from core.params import MAX_ID, positive_int
from ideas import selectors
from ideas.models import Idea, Problem
from people import selectors as people_selectors
from people.models import Organisation, User


def new_submission_key() -> str:
    return uuid.uuid4().hex


class SubmissionKeyMixin(forms.Form):
    """A key per rendered form: submitting the same form twice creates one row."""

    submission_key = forms.CharField(
        required=False, max_length=64, widget=forms.HiddenInput, initial=new_submission_key
    )


class IdentifyingCheckMixin(forms.Form):
    """The box to tick to post text that looks like it identifies someone. Hidden until the
    service has found something (``ideas.services.check_identifying``); then, or once ticked,
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


class TagsField(forms.CharField):
    """Comma-separated tags; the shared vocabulary is checked by the service."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 400)
        kwargs.setdefault(
            "help_text", "Separate tags with commas; start typing to see the existing tags."
        )
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"list": "tag-suggestions", "autocomplete": "off"})
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        return [t.strip() for t in text.split(",") if t.strip()]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value


class OrganisationsField(forms.ModelMultipleChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            queryset=Organisation.objects.order_by("name"),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            **kwargs,
        )

    def _check_values(self, value):
        # An id no database column can hold would reach the ``IN (…)`` query as an error.
        for pk in value:
            if positive_int(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class ProblemForm(IdentifyingCheckMixin, SubmissionKeyMixin):
    title = forms.CharField(max_length=200, help_text="The problem in a sentence.")
    description = forms.CharField(
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="What happens, where, how often. Markdown works: *emphasis*, lists, links.",
    )
    affected = forms.CharField(
        label="Who is affected", max_length=500, help_text="Who feels this problem, and how."
    )
    tags = TagsField()
    organisations = OrganisationsField(label="Organisations involved")


class IdeaForm(IdentifyingCheckMixin, SubmissionKeyMixin):
    title = forms.CharField(
        max_length=200,
        help_text="As you type, similar ideas appear below: you may want to support one instead.",
        widget=forms.TextInput(
            attrs={
                "hx-get": "/ideas/similar/",
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#similar-ideas",
                "hx-sync": "this:replace",
                "autocomplete": "off",
            }
        ),
    )
    summary = forms.CharField(max_length=300, help_text="One or two sentences.")
    body = forms.CharField(
        label="The idea",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="How it would work. Markdown works: *emphasis*, lists, links.",
    )
    benefit = forms.CharField(
        label="Expected benefit",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Who is better off, and how, if it works.",
    )
    tags = TagsField()
    problem = forms.ModelChoiceField(
        queryset=Problem.objects.none(),
        required=False,
        empty_label="— none —",
        help_text="The problem this idea answers, if any.",
        error_messages={"invalid_choice": "That problem does not exist."},
    )
    organisations = OrganisationsField(label="Organisations or services it touches")
    coauthors = forms.CharField(
        label="Co-authors",
        required=False,
        max_length=1000,
        help_text="E-mail addresses of people who wrote this with you, separated by commas.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].queryset = selectors.problem_choices()

    def clean_coauthors(self) -> list[User]:
        emails = [e.strip().lower() for e in self.cleaned_data["coauthors"].split(",") if e.strip()]
        if len(emails) > 10:
            raise ValidationError("At most 10 co-authors.")
        found = people_selectors.active_users_by_email(emails)
        missing = [e for e in emails if e not in found]
        if missing:
            raise ValidationError("No one here has the address: " + ", ".join(missing))
        return list(found.values())


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


class DecisionForm(forms.Form):
    to_stage = forms.ChoiceField(
        label="New stage",
        choices=[(v, label) for v, label in Idea.Stage.choices if v != Idea.Stage.MERGED],
    )
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required. Everyone sees the decision and its reason.",
    )


class MergeForm(forms.Form):
    target = forms.IntegerField(
        label="Merge into idea number",
        min_value=1,
        max_value=MAX_ID,
        help_text="The number in the other idea's address.",
    )
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ProblemStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Problem.Status.choices)
    reason = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when closing.",
    )


class IdeaFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    stage = forms.ChoiceField(required=False, choices=[("", "Any stage"), *Idea.Stage.choices])
    tag = forms.CharField(required=False, max_length=100)
    organisation = forms.SlugField(required=False)
    problem = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    level = forms.ChoiceField(
        required=False,
        label="Author's level",
        choices=[
            ("", "Any level"),
            ("frontline", "Frontline"),
            ("team_leader", "Team leader"),
            ("manager", "Manager"),
            ("senior_leader", "Senior leader"),
        ],
    )
    sort = forms.ChoiceField(
        required=False, choices=list(selectors.SORT_LABELS.items()), label="Sort by"
    )


class OwnerForm(forms.Form):
    email = forms.EmailField(
        label="Add an owner", help_text="The e-mail address of someone on Social Commons."
    )

    def clean_email(self) -> User:
        email = self.cleaned_data["email"].lower()
        user = people_selectors.active_users_by_email([email]).get(email)
        if user is None:
            raise forms.ValidationError("No one here has that address.")
        return user
