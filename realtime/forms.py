from django import forms

from realtime.models import NotificationSettings


class EmailFrequencyForm(forms.Form):
    email = forms.ChoiceField(
        label="E-mail me about notifications",
        choices=NotificationSettings.Email.choices,
        help_text="Digests are sent once a day (or week) and group updates by idea.",
    )
