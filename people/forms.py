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


class SignupProfileForm(ProfileFieldsMixin):
    """Extra sign-up fields. The profile itself is created by ``people.adapters.AccountAdapter``
    in the same transaction as the account (see ``people.services.person_join``)."""

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
