"""Forms check the shape of what was typed; the services check the rules (who, what, when)."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.urls import reverse_lazy

from core.forms import IdentifyingCheckMixin, SubmissionKeyMixin
from ideas.forms import OrganisationsField, PeopleField, TagsField
from ideas.models import Idea, Problem
from projects.models import Membership, Project, Risk

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _between(what: str, low: int, high: int) -> dict[str, str]:
    message = f"{what} is a whole number from {low} to {high}."
    return {"invalid": message, "min_value": message, "max_value": message}


def _date(label: str = "", **kwargs: Any) -> forms.DateField:
    kwargs.setdefault("required", False)
    if label:
        kwargs["label"] = label
    return forms.DateField(widget=DATE, **kwargs)


class ProjectForm(IdentifyingCheckMixin, SubmissionKeyMixin):
    title = forms.CharField(max_length=200)
    purpose = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the project is for, and for whom. Markdown works.",
    )
    ideas = forms.ModelMultipleChoiceField(
        queryset=Idea.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="The ideas this project takes up: each moves to “In a project”, publicly.",
    )
    problems = forms.ModelMultipleChoiceField(
        queryset=Problem.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        label="Problems it answers",
    )
    organisations = OrganisationsField(label="Organisations involved")
    lead = PeopleField(most=1, label="Lead", help_text="Leave empty to lead it yourself.")
    start_date = _date("Start date")
    end_date = _date("End date")
    tags = TagsField()
    restricted = forms.BooleanField(
        required=False,
        label="Restricted: only members see what is inside",
        help_text="For projects that discuss identifiable cases. Its title, purpose, lead, "
        "organisations and the reason stay public.",
    )
    restricted_reason = forms.CharField(
        max_length=500, required=False, label="Why it is restricted (public)"
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ideas"].queryset = (
            Idea.objects.filter(hidden_at__isnull=True)
            .exclude(stage__in=["merged", "not_progressed"])
            .order_by("-created")
        )
        self.fields["problems"].queryset = Problem.objects.filter(hidden_at__isnull=True)
        if editing:  # restricting has its own form; ideas are linked when it starts
            for name in ("ideas", "restricted", "restricted_reason"):
                del self.fields[name]


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Choose the new status"), *Project.Status.choices],
        label="New status",
        error_messages={"required": "Choose the new status."},
    )
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required. Everyone sees the decision and its reason.",
    )
    achieved = forms.CharField(
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What the project achieved",
        help_text="Needed to complete or stop a project.",
    )
    learned = forms.CharField(
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        label="What was learned",
        help_text="What others doing similar work should know.",
    )

    def __init__(self, *args: Any, measures: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        kwargs.setdefault("auto_id", "status_%s")
        super().__init__(*args, **kwargs)
        self.measures = list(measures)
        for m in self.measures:
            self.fields[f"final_{m.pk}"] = forms.DecimalField(
                required=False,
                max_digits=14,
                decimal_places=2,
                label=f"{m.name}: final value ({m.unit})",
                initial=m.current,
            )
            self.fields[f"result_{m.pk}"] = forms.CharField(
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                label=f"{m.name}: what was achieved",
            )

    def results(self) -> dict[int, dict[str, Any]]:
        data = self.cleaned_data
        return {
            m.pk: {"final": data.get(f"final_{m.pk}"), "note": data.get(f"result_{m.pk}") or ""}
            for m in self.measures
        }

    def measure_fields(self) -> list[tuple[Any, Any]]:
        return [(self[f"final_{m.pk}"], self[f"result_{m.pk}"]) for m in self.measures]


class RestrictForm(forms.Form):
    restricted = forms.BooleanField(required=False, label="Restricted")
    restricted_reason = forms.CharField(
        max_length=500, required=False, label="Why it is restricted (public)"
    )


class InviteForm(forms.Form):
    person = PeopleField(most=1, label="Person", required=True)
    role = forms.ChoiceField(choices=Membership.Role.choices, initial="member")
    expires = _date("Membership ends", help_text="Optional: for guests from outside agencies.")
    message = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "invite_%s")
        super().__init__(*args, **kwargs)


class MemberForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)
    expires = _date("Membership ends")


class JoinForm(forms.Form):
    message = forms.CharField(
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: what you would bring, for the leads.",
    )


class ColumnForm(forms.Form):
    name = forms.CharField(max_length=60)
    done = forms.BooleanField(required=False, label="Cards here count as done")


class TaskForm(SubmissionKeyMixin):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    assignee = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "— nobody —")],
        label="Assigned to",
        error_messages={
            "invalid_choice": "Cards can be given only to members of the project (not observers)."
        },
    )
    due = _date("Due")
    labels = forms.CharField(max_length=200, required=False, help_text="Separate with commas.")
    checklist = forms.CharField(
        required=False,
        max_length=15000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One item per line.",
    )
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        people: Sequence[Any] = (),
        editing: bool = False,
        columns: Sequence[Any] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "— nobody —")] + [
            (u.pk, u.profile.display_name if hasattr(u, "profile") else u.get_username())
            for u in people
        ]
        if editing:
            del self.fields["checklist"]
        if columns:  # a new card: which column it starts in (the first by default)
            field = forms.TypedChoiceField(
                coerce=int,
                choices=[(c.pk, c.name) for c in columns],
                initial=columns[0].pk,
                label="Column",
                error_messages={"invalid_choice": "Choose one of this board's columns."},
            )
            self.fields: dict[str, forms.Field] = {"column": field, **self.fields}

    def checklist_items(self) -> list[str]:
        return [
            line.strip()
            for line in (self.cleaned_data.get("checklist") or "").splitlines()
            if line.strip()
        ]


class MoveForm(forms.Form):
    """A card's move: where to, between which cards, from which version."""

    version = forms.IntegerField(min_value=0)
    column = forms.IntegerField(min_value=1)
    after = forms.IntegerField(min_value=1, required=False)
    before = forms.IntegerField(min_value=1, required=False)


class MoveToForm(MoveForm):
    """A move without dragging (the card's page): a column, and the top or the bottom of it."""

    position = forms.ChoiceField(
        required=False,
        choices=[("bottom", "At the bottom"), ("top", "At the top")],
        initial="bottom",
    )


class VersionForm(forms.Form):
    """The version of a card the person saw (deleting refuses a card changed since)."""

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class ColumnMoveForm(forms.Form):
    position = forms.IntegerField(min_value=1, max_value=100, label="Position (1 is first)")


class ChecklistItemForm(forms.Form):
    text = forms.CharField(max_length=300, label="New checklist item")


class ChecklistToggleForm(forms.Form):
    done = forms.BooleanField(required=False)


class MilestoneForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due = _date("Date", required=True)
    progress = forms.IntegerField(
        min_value=0,
        max_value=100,
        initial=0,
        label="Progress (%)",
        error_messages=_between("Progress", 0, 100),
    )
    weight = forms.IntegerField(
        min_value=1,
        max_value=100,
        initial=1,
        help_text="How much it counts in the project's progress.",
        error_messages=_between("The weight", 1, 100),
    )
    completed = _date("Completed on")


class UpdateForm(IdentifyingCheckMixin, SubmissionKeyMixin):
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        label="Update",
        help_text="Markdown works. @mention people to tell them.",
    )


class DecisionForm(forms.Form):
    title = forms.CharField(max_length=200, label="Decision")
    options = forms.CharField(
        max_length=4000,
        required=False,
        label="Options considered",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        max_length=2000, label="Rationale", widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "logdecision_%s")
        super().__init__(*args, **kwargs)


SCALE = [(n, str(n)) for n in range(1, 6)]


class RiskForm(forms.Form):
    title = forms.CharField(max_length=200, label="Risk")
    description = forms.CharField(
        max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    likelihood = forms.TypedChoiceField(
        choices=SCALE,
        coerce=int,
        help_text="1 rare … 5 almost certain",
        error_messages={"invalid_choice": "Rate the likelihood from 1 to 5."},
    )
    consequence = forms.TypedChoiceField(
        choices=SCALE,
        coerce=int,
        help_text="1 minor … 5 severe",
        error_messages={"invalid_choice": "Rate the consequence from 1 to 5."},
    )
    owner = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None, choices=[("", "— nobody —")]
    )
    mitigation = forms.CharField(
        max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    status = forms.ChoiceField(choices=Risk.Status.choices, initial="open")
    review_by = _date("Review by")

    def __init__(self, *args: Any, people: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "— nobody —")] + [
            (u.pk, u.profile.display_name if hasattr(u, "profile") else u.get_username())
            for u in people
        ]


class MeasureForm(forms.Form):
    name = forms.CharField(max_length=200, label="What is measured")
    unit = forms.CharField(max_length=40)
    baseline = forms.DecimalField(max_digits=14, decimal_places=2)
    baseline_date = _date("Baseline date", required=True)
    target = forms.DecimalField(max_digits=14, decimal_places=2)
    target_date = _date("Target date", required=True)
    source = forms.CharField(max_length=300, help_text="Where the figures come from.")
    weight = forms.IntegerField(
        min_value=1,
        max_value=100,
        initial=1,
        help_text="How much it counts in the project's progress.",
        error_messages=_between("The weight", 1, 100),
    )


class ReadingForm(forms.Form):
    value = forms.DecimalField(max_digits=14, decimal_places=2)
    date = _date("Date", required=True)
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "reading_%s")
        super().__init__(*args, **kwargs)


SUGGEST_PEOPLE = reverse_lazy("people_suggest")
