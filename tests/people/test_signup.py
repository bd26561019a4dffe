"""Sign-up → verification e-mail → confirm → sign in → edit profile, and bad sign-up input."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import strip_tags

from people.models import Profile, User
from realtime.models import Activity
from tests.tasks import queued_tasks, run_queued_tasks

PASSWORD = "kōwhai-tree-lantern-42"


def signup_data(org, **overrides):
    data = {
        "email": "mere@example.org",
        "display_name": "Mere Parata",
        "organisation": org.pk,
        "role_title": "Practice nurse",
        "level": Profile.Level.FRONTLINE,
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_signup_verify_login_and_edit_profile(client, organisation):
    # Given the sign-up form
    # When a new person signs up with their organisation
    response = client.post(reverse("account_signup"), signup_data(organisation))

    # Then they are asked to verify their e-mail, and a verification e-mail is sent
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert mail.outbox == []  # rendered now, sent by the worker: no SMTP on the request path
    assert queued_tasks() == ["people.tasks.send_email"]
    run_queued_tasks()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["mere@example.org"]
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    # ... and their profile, and a public "joined" activity, exist already
    profile = Profile.objects.get(user__email="mere@example.org")
    assert profile.organisation == organisation
    joined = Activity.objects.get(verb="person.joined")
    assert (joined.actor_name, joined.target_title, joined.scope) == (
        "Mere Parata",
        organisation.name,
        "public",
    )

    # When they follow the link and confirm
    assert client.get(link.group(1)).status_code == 200
    client.post(link.group(1))

    # Then they can sign in
    response = client.post(
        reverse("account_login"), {"login": "mere@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].email == "mere@example.org"

    # And edit their profile, which is announced in the feed
    response = client.post(
        reverse("profile_edit"),
        {
            "display_name": "Mere Tūhoe-Parata",
            "organisation": organisation.pk,
            "role_title": "Nurse practitioner",
            "level": Profile.Level.TEAM_LEADER,
            "bio": "Porirua East, twelve years.",
        },
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.display_name, profile.role_title, profile.level) == (
        "Mere Tūhoe-Parata",
        "Nurse practitioner",
        Profile.Level.TEAM_LEADER,
    )
    feed = client.get(reverse("home")).content.decode()
    assert "Mere Tūhoe-Parata updated their profile" in " ".join(strip_tags(feed).split())


@pytest.mark.django_db
def test_unverified_person_cannot_sign_in(client, organisation):
    client.post(reverse("account_signup"), signup_data(organisation))
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "mere@example.org", "password": PASSWORD}
    )
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("people_directory")).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": "taken@example.org"}, "email", "already registered"),
        ({"password1": "password", "password2": "password"}, "password1", "too common"),
        ({"password2": "something-else-entirely"}, "password2", "same password"),
        ({"organisation": ""}, "organisation", "Choose the organisation you work for."),
        ({"organisation": "99999"}, "organisation", "Select a valid choice"),
        ({"display_name": "x" * 81}, "display_name", "at most 80 characters"),
        ({"role_title": "r" * 81}, "role_title", "at most 80 characters"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"level": "chief"}, "level", "Select a valid choice"),
    ],
)
def test_bad_signup_shows_message_beside_field_and_creates_nothing(
    client, organisation, overrides, field, message
):
    # Given someone already uses taken@example.org
    from tests.factories import ProfileFactory

    ProfileFactory(user__email="taken@example.org", organisation=organisation)
    users, profiles, activities = (
        User.objects.count(),
        Profile.objects.count(),
        Activity.objects.count(),
    )

    # When a sign-up has one bad field
    response = client.post(reverse("account_signup"), signup_data(organisation, **overrides))

    # Then the form comes back with the message on that field, and nothing was created
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message.lower() in " ".join(errors[field]).lower()
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and f'id="id_{field}"' in html
    assert (User.objects.count(), Profile.objects.count(), Activity.objects.count()) == (
        users,
        profiles,
        activities,
    )
    assert mail.outbox == [] and queued_tasks() == []
