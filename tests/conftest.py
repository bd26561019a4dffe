import os
import uuid

import pytest
from django.core.cache import cache

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


def pytest_sessionfinish(session, exitstatus):
    """With FAIL_ON_SKIP=1 (CI on PostgreSQL and Redis) a skipped test fails the run."""
    if os.environ.get("FAIL_ON_SKIP") and exitstatus == 0:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        skipped = reporter.stats.get("skipped", []) if reporter else []
        if skipped:
            names = ", ".join(getattr(r, "nodeid", "?") for r in skipped[:10])
            print(f"\nFAIL_ON_SKIP: {len(skipped)} test(s) skipped: {names}")
            session.exitstatus = 1
