from django import forms

from people import selectors
from people.models import Organisation, Profile


class ProfileFieldsMixin(forms.Form):
    display_name = forms.CharField(
        max_length=80,
        label="Your name",
        help_text="As colleagues know you, e.g. “Aroha Ngata”.",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        empty_label="Choose your organisation…",
        help_text=(
            "The agency, provider, school, council, iwi or community group you work for. "
            "Your activity is shown beside it, so people can see who is working on what."
        ),
        error_messages={"required": "Choose the organisation you work for."},
    )
    role_title = forms.CharField(
        max_length=80, label="Role", help_text="e.g. Social worker, Practice nurse, Principal."
    )
    level = forms.ChoiceField(
        choices=Profile.Level.choices,
        help_text="Used to show how much innovation comes from the front line.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.organisation_choices()


NEW_ORGANISATION_FIELDS = (
    "new_organisation_name",
    "new_organisation_short_name",
    "new_organisation_kind",
    "new_organisation_region",
)


class SignupProfileForm(ProfileFieldsMixin):
    """Extra sign-up fields. The profile itself is created by ``people.adapters.AccountAdapter``
    in the same transaction as the account (see ``people.services.person_join``).

    Someone whose organisation is not in the list names it (name, kind, region) under "My
    organisation is not listed" — a ``<details>`` group, so it works without JavaScript — and
    the adapter creates it in the same transaction as the account
    (``people.services.organisation_create``)."""

    new_organisation_name = forms.CharField(
        required=False,
        max_length=150,
        label="Its full name",
        help_text="The organisation’s name, e.g. “Ōtautahi Community Mental Health Trust”.",
    )
    new_organisation_short_name = forms.CharField(
        required=False,
        max_length=40,
        label="Its short name (optional)",
        help_text="An abbreviation people use, e.g. “OCMHT”.",
    )
    new_organisation_kind = forms.ChoiceField(
        required=False,
        label="What kind it is",
        choices=[("", "Choose…"), *Organisation.Kind.choices],
    )
    new_organisation_region = forms.ChoiceField(
        required=False,
        label="Its region",
        choices=[("", "Choose…"), *Organisation.Region.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].required = False
        self.fields["organisation"].help_text += " Not in the list? Name it below."

    new_organisation_fields = NEW_ORGANISATION_FIELDS

    @property
    def names_new_organisation(self) -> bool:
        """Whether the person is (or was, when the form came back) naming a new organisation:
        its group is then shown open."""
        return any(self[name].value() for name in NEW_ORGANISATION_FIELDS) or any(
            name in self.errors for name in NEW_ORGANISATION_FIELDS
        )

    def clean(self):
        data = super().clean()
        chosen = data.get("organisation")
        name = " ".join(data.get("new_organisation_name", "").split())
        data["new_organisation_name"] = name
        if chosen and name:
            self.add_error(
                "new_organisation_name",
                f"You chose “{chosen}” from the list: leave this empty, or set the list back to "
                "“Choose your organisation…” to add yours.",
            )
        elif not chosen and not name and "organisation" not in self.errors:
            self.add_error(
                "organisation",
                "Choose the organisation you work for. If it is not listed, name it under "
                "“My organisation is not listed”.",
            )
        elif name:
            if not data.get("new_organisation_kind"):
                self.add_error("new_organisation_kind", "Choose what kind of organisation it is.")
            if not data.get("new_organisation_region"):
                self.add_error("new_organisation_region", "Choose the region it works in.")
            listed = selectors.organisation_named(name)
            if listed is not None:
                self.add_error(
                    "new_organisation_name",
                    f"“{listed.name}” is already listed: choose it from the list above.",
                )
        return data

    def signup(self, request, user) -> None:
        """Nothing to do here: the adapter already created the profile atomically."""


class ProfileForm(ProfileFieldsMixin):
    bio = forms.CharField(
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A few lines about your work (up to 600 characters).",
    )
    auto_follow = forms.BooleanField(
        required=False,
        label="Follow automatically what I post, support or comment on",
        help_text="You are notified of activity on what you follow. You can unfollow any time.",
    )


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "region", "website"]
        help_texts = {
            "short_name": "An abbreviation people use, e.g. “MSD”.",
            "website": "Optional.",
        }


class DirectorySearchForm(forms.Form):
    q = forms.CharField(
        required=False, max_length=100, label="Search by name, role or organisation"
    )
    organisation = forms.SlugField(required=False, widget=forms.HiddenInput)
    level = forms.ChoiceField(
        required=False, choices=[("", "Any level"), *Profile.Level.choices], label="Level"
    )
