"""Personal access tokens: created on /profile/tokens/, shown once, stored hashed, revocable by
their owner only."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from people.models import ApiToken
from people.services import api_token_create

TOKENS = "/profile/tokens/"


def api_status(raw: str) -> int:
    return Client().get("/api/v1/ideas", headers={"Authorization": f"Bearer {raw}"}).status_code


@pytest.mark.django_db
def test_token_pages_need_sign_in(client, person):
    token, _ = api_token_create(user=person.user, name="script")
    for response in (
        client.get(TOKENS),
        client.post(TOKENS, {"name": "sneaky"}),
        client.post(reverse("api_token_revoke", args=[token.pk])),
    ):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert ApiToken.objects.count() == 1
    token.refresh_from_db()
    assert token.revoked is None


@pytest.mark.django_db
def test_the_profile_page_links_to_the_token_page(client, person, colleague):
    client.force_login(person.user)
    assert f'href="{TOKENS}"'.encode() in client.get(person.get_absolute_url()).content
    assert f'href="{TOKENS}"'.encode() not in client.get(colleague.get_absolute_url()).content


@pytest.mark.django_db
def test_a_new_token_is_shown_once_stored_hashed_and_works(client, person):
    client.force_login(person.user)
    page = client.get(TOKENS)
    assert page.status_code == 200
    assert b"You have no tokens yet." in page.content
    assert b'<label for="id_name">Token name' in page.content
    assert b'maxlength="80" required aria-describedby="id_name_helptext"' in page.content

    response = client.post(TOKENS, {"name": "  Weekly report  "})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = response.context["raw_token"]
    html = response.content.decode()
    assert raw.startswith("sc_") and f'value="{raw}"' in html
    assert "cannot be shown again" in html

    token = ApiToken.objects.get()
    assert (token.user, token.name) == (person.user, "Weekly report")
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())

    again = client.get(TOKENS).content.decode()
    assert raw not in again  # never shown again
    assert "Weekly report" in again and f"{token.prefix}…" in again and "Never" in again
    assert api_status(raw) == 200
    assert "Never" not in client.get(TOKENS).content.decode()  # last used is now shown


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "error"), [("", "This field is required"), ("x" * 81, "at most 80")]
)
def test_a_bad_name_is_explained_beside_the_field_and_creates_nothing(client, person, name, error):
    client.force_login(person.user)
    response = client.post(TOKENS, {"name": name})
    assert response.status_code == 200
    assert error in response.context["form"].errors["name"][0]
    assert response.context["raw_token"] is None
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_people_see_only_their_own_tokens(client, person, colleague):
    api_token_create(user=person.user, name="Mine")
    api_token_create(user=colleague.user, name="Hannah's script")
    client.force_login(person.user)
    html = client.get(TOKENS).content.decode()
    assert "Mine" in html
    assert "Hannah" not in html


@pytest.mark.django_db
def test_revoking_a_token_stops_it_working(client, person):
    token, raw = api_token_create(user=person.user, name="Old script")
    client.force_login(person.user)
    response = client.post(reverse("api_token_revoke", args=[token.pk]), follow=True)
    assert response.redirect_chain == [(TOKENS, 302)]
    assert "was revoked" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked is not None
    assert "Revoked" in response.content.decode()
    assert api_status(raw) == 401


@pytest.mark.django_db
def test_someone_elses_token_cannot_be_revoked(client, person, colleague):
    token, raw = api_token_create(user=colleague.user, name="Hannah's script")
    client.force_login(person.user)
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked is None
    assert api_status(raw) == 200


@pytest.mark.django_db
def test_revoking_needs_a_post_and_the_csrf_token(person):
    token, _ = api_token_create(user=person.user, name="script")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person.user)
    url = reverse("api_token_revoke", args=[token.pk])
    assert browser.get(url).status_code == 405
    assert browser.post(url).status_code == 403
    assert browser.post(TOKENS, {"name": "no csrf"}).status_code == 403
    token.refresh_from_db()
    assert token.revoked is None and ApiToken.objects.count() == 1

    browser.get(TOKENS)
    csrf = browser.cookies["csrftoken"].value
    assert browser.post(url, {"csrfmiddlewaretoken": csrf}).status_code == 302
    token.refresh_from_db()
    assert token.revoked is not None
