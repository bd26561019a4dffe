"""What a newcomer meets around the demo (issue 8.9): e-mails in the site's name, a verification
link opened twice, a connection pill that does not promise what needs JavaScript, our own 404."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.people.test_signup import signup_data
from tests.tasks import run_queued_tasks


@pytest.mark.django_db
def test_emails_speak_as_the_site_not_its_address(client, organisation):
    client.post(reverse("account_signup"), signup_data(organisation))
    run_queued_tasks()  # the worker sends what the sign-up rendered
    body = mail.outbox[0].body
    assert "Social Commons" in body
    assert "testserver" not in body.split("http://testserver")[0]  # only in the link itself
    assert "Hello from" not in body


@pytest.mark.django_db
def test_a_verification_link_opened_again_says_the_address_is_confirmed(client, organisation):
    client.post(reverse("account_signup"), signup_data(organisation))
    run_queued_tasks()
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[0].body)
    assert link
    client.post(link.group(1))  # confirmed the first time
    again = Client().get(link.group(1)).content.decode()
    assert "already confirmed" in again and "mere@example.org" in again
    assert "expired or is invalid" not in again
    # a made-up key is still "expired or invalid"
    bogus = Client().get("/accounts/confirm-email/not-a-key/").content.decode()
    assert "expired or is invalid" in bogus


@pytest.mark.django_db
def test_without_javascript_no_connection_state_is_promised(client, person):
    client.force_login(person.user)
    page = client.get(reverse("home")).content.decode()
    pill = re.search(r'<span class="live-status"[^>]*>', page)
    assert pill and " hidden" in pill.group(0)


@pytest.mark.django_db
def test_a_mistyped_address_gets_the_sites_own_page(client, person, settings):
    settings.DEBUG = False
    client.force_login(person.user)
    response = client.get("/ideaz/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Social Commons" in text and "URLconf" not in text
