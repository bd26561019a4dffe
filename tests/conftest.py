import os
import uuid

import pytest
from django.core.cache import cache
from taggit.models import Tag

from tests.factories import OrganisationFactory, ProfileFactory


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Rate limits live in the cache; each test starts with none used. On Redis each test gets
    its own key prefix instead of a FLUSHDB, which would wipe other users of that database."""
    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        settings.CACHES = {
            "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
        }
    else:
        cache.clear()


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Porirua Whānau Centre", short_name="PWC")


@pytest.fixture
def person(db, organisation):
    return ProfileFactory(display_name="Aroha Ngata", organisation=organisation)


@pytest.fixture
def colleague(db, organisation):
    return ProfileFactory(display_name="Hannah McKenzie", organisation=organisation)


@pytest.fixture
def vocabulary(db):
    for name in ("whānau", "older people", "discharge", "referrals", "mental health"):
        Tag.objects.get_or_create(name=name, defaults={"slug": name.replace(" ", "-")})


@pytest.fixture
def steward(db, organisation):
    return ProfileFactory(display_name="Rangi Tipene", organisation=organisation, is_steward=True)


@pytest.fixture
def make_idea(person, vocabulary):
    from ideas import services

    def make(author=None, **kwargs):
        fields = {
            "title": "One shared story for whānau across agencies",
            "summary": "Whānau tell their story once; agencies share it with consent.",
            "body": "A **consented** summary travels with the family.",
            "benefit": "Less re-telling of trauma; faster help.",
            "tags": ["whānau"],
        }
        fields.update(kwargs)
        return services.idea_create(author=(author or person).user, **fields)

    return make


def pytest_sessionfinish(session, exitstatus):
    """With FAIL_ON_SKIP=1 (CI on PostgreSQL and Redis) a skipped test fails the run."""
    if os.environ.get("FAIL_ON_SKIP") and exitstatus == 0:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        skipped = reporter.stats.get("skipped", []) if reporter else []
        if skipped:
            names = ", ".join(getattr(r, "nodeid", "?") for r in skipped[:10])
            print(f"\nFAIL_ON_SKIP: {len(skipped)} test(s) skipped: {names}")
            session.exitstatus = 1
