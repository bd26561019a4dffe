import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from core.forms import IdentifyingCheckMixin, SubmissionKeyMixin
from core.params import MAX_ID, positive_int
from ideas import selectors, stages
from ideas.models import Idea, Problem
from people import selectors as people_selectors
from people.models import Organisation, User


def suggesting(url: Any, *, multiple: bool = False, **attrs: Any) -> forms.TextInput:
    """A text input that suggests values while typing (static/js/forms.js: an ARIA 1.2
    combobox fed by ``url?q=…``); ``multiple``: comma-separated values, each suggested in turn.
    Without JavaScript it is a plain text input the form reads as typed."""
    attrs = {"data-suggest": url, "autocomplete": "off", "spellcheck": "false", **attrs}
    if multiple:
        attrs["data-suggest-multiple"] = ""
    return forms.TextInput(attrs=attrs)


def similar_while_typing(url: Any, target: str) -> forms.TextInput:
    """A title input that shows similar titles under it as it changes (htmx). Its value is
    kept when the person goes Back to the form (no ``autocomplete="off"``)."""
    return forms.TextInput(
        attrs={
            "hx-get": url,
            "hx-trigger": "input changed delay:400ms",
            "hx-target": target,
            "hx-sync": "this:replace",
        }
    )


class TagsField(forms.CharField):
    """Comma-separated tags; the shared vocabulary is checked by the service."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 400)
        kwargs.setdefault(
            "help_text",
            "Separate tags with commas; as you type each one, the existing tags that match are "
            "suggested. All the tags are listed below.",
        )
        kwargs.setdefault(
            "widget",
            suggesting(reverse_lazy("tag_suggestions"), multiple=True, list="tag-suggestions"),
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


class _PickedField(forms.CharField):
    """Text that names things and cleans to them: the text is checked (its length, no NUL),
    not the things it names."""

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if self.max_length is not None and len(text) > self.max_length:
            raise ValidationError(f"Keep this under {self.max_length:,} characters.")
        if "\x00" in text:
            raise ValidationError("Null characters are not allowed.")
        return text

    def run_validators(self, value: Any) -> None:
        """Done on the text, in ``to_python``."""


PICKED_ID = re.compile(r"\(#(\d+)\)\s*$")  # "Hannah McKenzie (#12)", as a suggestion puts it


def _same_name(name: str) -> str:
    return " ".join(name.split()).casefold()


class PeopleField(_PickedField):
    """People picked by name: a suggestion puts "Name (#id)" in the field; a name or an e-mail
    address typed without the suggestions works too. Cleans to a list of active users."""

    def __init__(self, *, most: int = 10, **kwargs: Any) -> None:
        self.most = most
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 1000)
        kwargs.setdefault("widget", suggesting(reverse_lazy("people_suggest"), multiple=True))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(f"{people_selectors.name_of(u)} (#{u.pk})" for u in value)
        return value

    def to_python(self, value: Any) -> list[User]:
        text = super().to_python(value)
        entries = list(dict.fromkeys(e.strip() for e in text.split(",") if e.strip()))
        if len(entries) > self.most:
            raise ValidationError(
                "Choose one person." if self.most == 1 else f"At most {self.most} people."
            )
        ids: dict[str, int | None] = {}
        emails: dict[str, str] = {}
        names: dict[str, str] = {}
        for entry in entries:
            if match := PICKED_ID.search(entry):
                ids[entry] = positive_int(match.group(1))
            elif "@" in entry:
                emails[entry] = entry.lower()
            else:
                names[entry] = _same_name(entry)
        by_id = people_selectors.active_users_by_ids([i for i in ids.values() if i])
        by_email = people_selectors.active_users_by_email(list(emails.values()))
        by_name = people_selectors.active_users_named(list(names.values()))
        found: list[User] = []
        problems: list[str] = []
        for entry in entries:
            if entry in ids:
                user = by_id.get(ids[entry] or 0)
                missing = f"No one here is “{entry}” any more: choose them again."
            elif entry in emails:
                user = by_email.get(emails[entry])
                missing = f"No one here has the address: {entry}"
            else:
                matches = by_name.get(names[entry], [])
                if len(matches) > 1:
                    problems.append(
                        f"More than one person is called “{entry}”: choose the one you mean "
                        "from the suggestions, or write their e-mail address."
                    )
                    continue
                user = matches[0] if matches else None
                missing = (
                    f"No one here is called “{entry}”: check the spelling, choose from the "
                    "suggestions, or write their e-mail address."
                )
            if user is None:
                problems.append(missing)
            elif user not in found:
                found.append(user)
        if problems:
            raise ValidationError(problems)
        return found


class IdeaRefField(_PickedField):
    """An idea picked by title or number: a suggestion puts "#12 Its title" in the field; a
    number ("12", "#12") or a whole title typed without the suggestions works too. Cleans to
    the idea's number (the view looks it up as it looks up any idea)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("widget", suggesting(reverse_lazy("idea_suggest")))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        text = " ".join(super().to_python(value).split())
        if not text:
            return None
        if match := re.match(r"#?\s*(\d+)\b", text):
            number = positive_int(match.group(1))
            if number is None:
                raise ValidationError("There is no idea with that number.")
            return number
        titled = selectors.ideas_titled(title=text)
        if len(titled) > 1:
            numbers = ", ".join(f"#{i.pk}" for i in titled)
            raise ValidationError(
                f"Several ideas are called “{text}” ({numbers}): write the number of the one "
                "you mean, or choose it from the suggestions."
            )
        if not titled:
            raise ValidationError(
                f"No idea is called “{text}”: write its number (it is in the idea's address) "
                "or choose it from the suggestions."
            )
        return titled[0].pk


class ProblemForm(IdentifyingCheckMixin, SubmissionKeyMixin):
    title = forms.CharField(
        max_length=200,
        help_text="The problem in a sentence. As you type, similar problems appear below: you "
        "may want to add to one instead.",
        widget=similar_while_typing(reverse_lazy("problem_similar"), "#similar-problems"),
    )
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
        widget=similar_while_typing(reverse_lazy("idea_similar"), "#similar-ideas"),
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
    coauthors = PeopleField(
        label="Co-authors",
        help_text="People who wrote this with you: start typing a name and choose from the "
        "suggestions, or write names or e-mail addresses separated by commas.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].queryset = selectors.problem_choices()


class DecisionForm(forms.Form):
    """The stages a decision may move this idea to (ideas/stages.py), the next one on the usual
    path chosen; the current stage is said in words, not offered."""

    to_stage = forms.ChoiceField(label="New stage")
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required. Everyone sees the decision and its reason.",
    )

    def __init__(self, *args: Any, idea: Idea, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "decision_%s")  # the page has other forms with a reason
        super().__init__(*args, **kwargs)
        label = dict(Idea.Stage.choices)
        choices = [(s, label[s]) for s in stages.decision_stages(idea.stage)]
        following = stages.next_stage(idea.stage)
        if following is None:
            choices.insert(0, ("", "Choose a stage"))
        field = self.fields["to_stage"]
        field.choices = choices
        field.initial = following or ""
        field.help_text = f"It is “{idea.get_stage_display()}” now."


class MergeForm(forms.Form):
    target = IdeaRefField(
        label="Merge into",
        help_text="The idea this one repeats: start typing its title or number and choose from "
        "the suggestions.",
    )
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, idea: Idea | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "merge_%s")  # the page has other forms with a reason
        super().__init__(*args, **kwargs)
        if idea is not None:  # never suggested as its own duplicate
            self.fields["target"].widget.attrs["data-suggest-exclude"] = str(idea.pk)


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
    # Named "email" as it always was (a person's address still works), though a name does too.
    email = PeopleField(
        most=1,
        required=True,
        label="Add an owner",
        help_text="Start typing their name and choose from the suggestions, or write their "
        "e-mail address.",
    )

    def clean_email(self) -> User:
        return self.cleaned_data["email"][0]
