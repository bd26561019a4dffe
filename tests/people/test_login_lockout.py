"""Failed sign-ins lock the account, not the address everyone behind the load balancer shares
(issue 7.9); the client's address comes from a trusted proxy's header only when configured."""

import os
import subprocess
import sys

import pytest
from allauth.account.adapter import get_adapter
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.factories import ProfileFactory

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's
BALANCER = "10.0.0.5"  # every request arrives from the load balancer's address


def sign_in(email: str, password: str, **headers: str):
    """A fresh browser behind the balancer (no cookies shared with anyone else)."""
    return Client(REMOTE_ADDR=BALANCER).post(
        reverse("account_login"), {"login": email, "password": password}, headers=headers
    )


def signed_in(response) -> bool:
    return response.status_code == 302 and "login" not in response["Location"]


@pytest.fixture
def alice(db):
    return ProfileFactory(user__email="alice@example.org").user


@pytest.fixture
def bob(db):
    return ProfileFactory(user__email="bob@example.org").user


@pytest.mark.django_db
def test_an_attacker_locks_only_the_account_they_attack(alice, bob):
    for _ in range(12):
        assert not signed_in(sign_in(alice.email, "guess"))
    # Alice's account is locked — even with her password — and the page says why.
    locked = sign_in(alice.email, PASSWORD)
    assert not signed_in(locked)
    assert "Too many failed sign-in attempts for this account" in locked.content.decode()
    # Bob, behind the same address, signs in as usual.
    assert signed_in(sign_in(bob.email, PASSWORD))


@pytest.mark.django_db
def test_a_few_typos_do_not_lock_anyone_out(alice):
    for _ in range(4):
        sign_in(alice.email, "typo")
    assert signed_in(sign_in(alice.email, PASSWORD))


@pytest.mark.django_db
def test_with_a_trusted_proxy_x_forwarded_for_is_the_clients_address(settings, alice, bob):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    request = RequestFactory().get(
        "/", REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    # The address the balancer appended, not what the client wrote before it.
    assert get_adapter().get_client_ip(request) == "203.0.113.9"
    attacker = {"X-Forwarded-For": "203.0.113.9"}
    for n in range(3):  # password spraying from one address
        sign_in(f"someone{n}@example.org", "guess", **attacker)
    assert "Too many failed" in sign_in(alice.email, "guess", **attacker).content.decode()
    # Someone else behind the same balancer is a different client.
    assert signed_in(sign_in(bob.email, PASSWORD, **{"X-Forwarded-For": "198.51.100.7"}))


@pytest.mark.django_db
def test_a_named_client_ip_header_is_used_when_configured(settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    request = RequestFactory().get("/", REMOTE_ADDR=BALANCER, HTTP_X_REAL_IP="198.51.100.7")
    assert get_adapter().get_client_ip(request) == "198.51.100.7"


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_forged_x_forwarded_for_is_ignored(settings, bob):
    assert settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0  # the default
    assert settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER is None
    request = RequestFactory().get("/", REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert get_adapter().get_client_ip(request) == BALANCER
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/m/ip"}
    for n in range(3):  # a new forged address each time does not escape the limit
        sign_in(f"someone{n}@example.org", "guess", **{"X-Forwarded-For": f"1.2.3.{n}"})
    refused = sign_in(bob.email, PASSWORD, **{"X-Forwarded-For": "1.2.3.99"})
    assert not signed_in(refused)


def test_the_settings_come_from_the_environment():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; "
        "django.setup(); from django.conf import settings as s; "
        "print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_CLIENT_IP_HEADER)"
    )
    env = {"TRUSTED_PROXY_COUNT": "2", "TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert out.stdout.split() == ["2", "X-Real-IP"]
