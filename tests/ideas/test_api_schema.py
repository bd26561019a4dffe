"""Schemathesis against the API's own OpenAPI document (DESIGN.md section 7), in process.

Every operation, with data that fits its schema and data that does not (wrong types, NULs,
bodies that are not JSON, headers nobody asked for), signed in with a personal access token.
Each answer must not be a 5xx, must have a documented status code and content type, and must
match the documented schema for that status. Bounded (25 examples an operation, derandomised so
CI is repeatable; HYPOTHESIS_RANDOM=1 explores anew, HYPOTHESIS_EXAMPLES=n for more)."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.api import api
from people.services import api_token_create

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def app():
    """Django's WSGI handler, keeping the test's database connection open between requests
    (it would close it after each, inside the test's transaction; the test client does this)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, person, settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (10_000, 60))
    _, raw = api_token_create(user=person.user, name="schemathesis")
    return raw


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "25")),
    deadline=None,
    database=None,
    derandomize=not os.environ.get("HYPOTHESIS_RANDOM"),
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema(case, app, token):
    case.call_and_validate(app=app, headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
