"""Writes about people are rate-limited per person too (issue 7.8): adding organisations,
saving one's profile, creating access tokens — a 429 with the message, nothing lost."""

import pytest
from django.urls import reverse

from core import ratelimit
from people import services
from people.models import ApiToken, Organisation
from realtime.models import Activity


@pytest.fixture(autouse=True)
def _generous(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))


def only(settings, action, count=1, seconds=60):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, action: (count, seconds)}


@pytest.mark.django_db
def test_adding_organisations_is_limited_with_the_form_kept(client, settings, person):
    only(settings, "organisation", 1, 3600)
    client.force_login(person.user)
    url = reverse("organisation_add")
    first = {"name": "Kāpiti Foodbank", "kind": "community", "region": "wellington"}
    assert client.post(url, first).status_code == 302
    second = {"name": "Ōtaki Kai Collective", "kind": "community", "region": "wellington"}
    response = client.post(url, second)
    assert response.status_code == 429 and response["Retry-After"]
    page = response.content.decode()
    assert "You have added an organisation once in the last hour" in page
    assert "Ōtaki Kai Collective" in page  # what they typed is still in the form
    assert not Organisation.objects.filter(name="Ōtaki Kai Collective").exists()


@pytest.mark.django_db
def test_trusted_paths_without_a_person_are_not_limited(settings):
    only(settings, "organisation", 1, 3600)
    for n in range(3):
        services.organisation_create(actor=None, name=f"Trust {n}", kind="ngo", region="national")
    assert Organisation.objects.filter(name__startswith="Trust").count() == 3


@pytest.mark.django_db
def test_saving_ones_profile_is_limited(client, settings, person):
    only(settings, "profile")
    services.profile_update(actor=person.user, profile=person, bio="First")
    with pytest.raises(ratelimit.RateLimited, match="saved your profile once"):
        services.profile_update(actor=person.user, profile=person, bio="Second")
    client.force_login(person.user)
    response = client.post(
        reverse("profile_edit"),
        {
            "display_name": "Aroha Ngata",
            "organisation": person.organisation_id,
            "role_title": "Case manager",
            "level": "frontline",
            "bio": "A third, longer bio",
        },
    )
    assert response.status_code == 429
    assert "A third, longer bio" in response.content.decode()
    person.refresh_from_db()
    assert person.bio == "First"
    assert Activity.objects.filter(verb="profile.updated").count() == 1


@pytest.mark.django_db
def test_creating_tokens_is_limited(client, settings, person):
    only(settings, "token", 1, 3600)
    client.force_login(person.user)
    url = reverse("api_tokens")
    assert client.post(url, {"name": "weekly report"}).status_code == 200
    response = client.post(url, {"name": "another script"})
    assert response.status_code == 429
    page = response.content.decode()
    assert "You have created an access token once in the last hour" in page
    assert "another script" in page
    assert ApiToken.objects.filter(user=person.user).count() == 1
