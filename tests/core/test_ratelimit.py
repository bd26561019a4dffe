"""core.ratelimit: per-person budgets per kind of action, one message, Retry-After."""

import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from core import ratelimit
from tests.factories import UserFactory


@pytest.fixture
def budgets(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (2, 60), "support": (1, 60)}


def test_one_message_names_what_was_done_how_often_and_in_what_time():
    assert ratelimit.message(action="post", count=10, seconds=60) == (
        "You have posted 10 times in the last minute. "
        "Please wait a moment and try again — what you wrote is still here."
    )
    # Nothing typed, nothing to keep; longer windows read naturally.
    assert ratelimit.message(action="support", count=20, seconds=60).endswith("try again.")
    assert "1 time" not in ratelimit.message(action="report", count=1, seconds=600)
    assert "reported something once in the last 10 minutes" in ratelimit.message(
        action="report", count=1, seconds=600
    )
    assert "in the last hour" in ratelimit.message(action="organisation", count=5, seconds=3600)


@pytest.mark.django_db
def test_each_person_has_a_budget_per_kind_of_action(budgets):
    alice, bob = UserFactory(), UserFactory()
    ratelimit.check(user=alice, action="post")
    ratelimit.check(user=alice, action="post")
    with pytest.raises(ratelimit.RateLimited, match="You have posted 2 times") as refused:
        ratelimit.check(user=alice, action="post")
    assert refused.value.action == "post" and 1 <= refused.value.retry_after <= 60
    ratelimit.check(user=bob, action="post")  # someone else is not limited
    ratelimit.check(user=alice, action="support")  # nor another kind of action
    with pytest.raises(ratelimit.RateLimited, match="supported or withdrawn support once"):
        ratelimit.check(user=alice, action="support")


@pytest.mark.django_db
def test_retry_after_is_the_time_left_in_the_window(budgets, monkeypatch):
    user = UserFactory()
    start = time.time()
    monkeypatch.setattr(ratelimit.time, "time", lambda: start)
    ratelimit.check(user=user, action="support")
    monkeypatch.setattr(ratelimit.time, "time", lambda: start + 45.2)
    with pytest.raises(ratelimit.RateLimited) as refused:
        ratelimit.check(user=user, action="support")
    assert refused.value.retry_after == 15


@pytest.mark.django_db
def test_the_window_opens_at_the_first_action_and_closes_after_its_length(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "follow": (1, 1)}
    user = UserFactory()
    ratelimit.check(user=user, action="follow")
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.check(user=user, action="follow")
    time.sleep(1.2)
    ratelimit.check(user=user, action="follow")  # a new window


@pytest.mark.django_db
def test_trusted_bulk_paths_can_switch_the_limit_off(budgets):
    user = UserFactory()
    with ratelimit.rate_limit_disabled():
        for _ in range(10):
            ratelimit.check(user=user, action="post")
    ratelimit.check(user=user, action="post")  # nothing was counted while it was off
    ratelimit.check(user=user, action="post")
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.check(user=user, action="post")


@pytest.mark.django_db
def test_an_action_without_a_budget_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match="dance"):
        ratelimit.check(user=UserFactory(), action="dance")


def test_every_action_has_a_budget_and_a_message(settings):
    assert set(settings.RATE_LIMITS) == set(ratelimit.ACTIONS)
    for count, seconds in settings.RATE_LIMITS.values():
        assert count >= 1 and seconds >= 1


@pytest.mark.django_db
def test_first_time_is_true_once_per_key_in_its_window():
    assert ratelimit.first_time("support:1:2", within=60)
    assert not ratelimit.first_time("support:1:2", within=60)
    assert ratelimit.first_time("support:1:3", within=60)
