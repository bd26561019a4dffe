"""Forms for the governance pages: they check the shape of what was typed; ``commons.access``
checks the rules (who, under which rules version, for how long)."""

from typing import Any

from django import forms

from commons.models import Code, GoverningMember, RulesProposal, Series, Version
from people.models import Organisation
from projects.models import Project

TEXT = {"rows": 3}


def _text(label: str, help_text: str = "", max_length: int = 3000) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs=TEXT),
        error_messages={"required": f"{label}: this is required."},
    )


class AccessRequestForm(forms.Form):
    """The purpose statement, in the Data Protection and Use Policy manner: each part written
    so a person whose data it is could understand it."""

    project = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        help_text="An active project you lead: access is for its work only.",
        error_messages={"required": "Choose the project the access is for."},
    )
    versions = forms.ModelMultipleChoiceField(
        queryset=Version.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one published version."},
    )
    what = _text("What data", "Which values, for which areas, groups and periods.")
    why = _text("Why it is needed", "What the rounded and suppressed values cannot tell you.")
    how = _text("How it will be used", "What you will do with the values, step by step.")
    who_sees = _text("Who will see it", "The people, by role, who will see the stored values.")
    how_long = _text("How long it is kept", "When any copy is deleted.")
    not_done = _text(
        "What will not be done", "For example: no one will be identified; nothing is linked."
    )
    days = forms.IntegerField(
        label="Days of access",
        min_value=1,
        error_messages={
            "required": "Say for how many days you need access.",
            "invalid": "Days of access is a whole number.",
            "min_value": "Ask for one day or more.",
        },
    )
    areas = forms.ModelMultipleChoiceField(
        queryset=Code.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="The areas you need (none chosen: every area). The register shows them.",
    )
    cohorts = forms.ModelMultipleChoiceField(
        queryset=Series.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text="The groups you need (none chosen: every group).",
    )

    def __init__(
        self,
        *args: Any,
        projects: list[Project],
        versions: list[Version],
        areas: list[Code],
        cohorts: Any,
        max_days: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["project"].queryset = Project.objects.filter(pk__in=[p.pk for p in projects])
        fields["versions"].queryset = Version.objects.filter(pk__in=[v.pk for v in versions])
        fields["versions"].label_from_instance = lambda v: f"Version {v.number}"
        fields["areas"].queryset = Code.objects.filter(pk__in=[a.pk for a in areas])
        fields["cohorts"].queryset = cohorts
        fields["days"].max_value = max_days
        fields["days"].help_text = f"At most {max_days} days, under the rules of use."
        fields["days"].widget.attrs["max"] = max_days


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("decline", "Decline")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or decline."},
    )
    reason = _text("Reason", "Public: it shows on the request and, once approved, the register.")


class RulesProposalForm(forms.ModelForm):
    class Meta:
        model = RulesProposal
        fields = ["who_may_ask", "purposes", "never", "max_days", "reason"]
        widgets = {
            name: forms.Textarea(attrs=TEXT)
            for name in ("who_may_ask", "purposes", "never", "reason")
        }
        labels = {"reason": "Why the rules should change"}
        help_texts = {
            "reason": "Public, with the proposal: the governing group and everyone else read it."
        }


class RulesAnswerForm(forms.Form):
    answer = forms.TypedChoiceField(
        label="Your organisation's answer",
        choices=[("yes", "Agree"), ("no", "Decline")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether your organisation agrees."},
    )
    note = forms.CharField(
        label="Note",
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs=TEXT),
        help_text="Public. Required when your organisation declines: say why.",
    )


class GoverningForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        error_messages={"required": "Choose an organisation."},
    )
    role = forms.ChoiceField(choices=GoverningMember.Role.choices)
