"""``Idempotency-Key`` on every API endpoint that creates something (issue 7.10): a retry with
the same key and body gets the first response again and creates nothing, even at once."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from discussion.models import Comment
from ideas import services
from ideas.models import Decision, Idea, Problem
from people.models import IdempotencyKey
from people.services import api_token_create
from realtime.models import Activity
from tests.ideas.test_services import _in_threads

API = "/api/v1"
KEY = "Idempotency-Key"


@pytest.fixture(autouse=True)
def _generous(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))


def token(profile) -> str:
    return api_token_create(user=profile.user, name="tests")[1]


def post(raw_token: str, path: str, body: dict, key: str | None = None, client=None):
    headers = {"Authorization": f"Bearer {raw_token}"}
    if key is not None:
        headers[KEY] = key
    return (client or Client()).post(
        API + path, json.dumps(body), content_type="application/json", headers=headers
    )


IDEA = {
    "title": "Shared referral form",
    "summary": "One form for all agencies.",
    "body": "Fewer forms.",
    "benefit": "Families tell their story once.",
}


@pytest.mark.django_db
def test_the_same_key_and_body_twice_is_one_idea_and_the_same_response(person):
    raw = token(person)
    first = post(raw, "/ideas", IDEA, key="7f1c9a2e-retry-1")
    second = post(raw, "/ideas", IDEA, key="7f1c9a2e-retry-1")
    assert first.status_code == second.status_code == 201
    assert first.content == second.content  # byte for byte
    assert Idea.objects.count() == 1
    assert Activity.objects.filter(verb="idea.posted").count() == 1
    # The body is compared by value: another key order or spacing is the same request.
    reordered = json.loads(json.dumps(dict(reversed(list(IDEA.items())))))
    assert post(raw, "/ideas", reordered, key="7f1c9a2e-retry-1").content == first.content


@pytest.mark.django_db
def test_without_a_key_every_post_creates(person):
    raw = token(person)
    assert post(raw, "/ideas", IDEA).status_code == 201
    assert post(raw, "/ideas", IDEA).status_code == 201
    assert Idea.objects.count() == 2


@pytest.mark.django_db
def test_the_same_key_for_another_request_is_a_422_naming_the_header(person):
    raw = token(person)
    assert post(raw, "/ideas", IDEA, key="k-1").status_code == 201
    other_body = post(raw, "/ideas", {**IDEA, "title": "Something else"}, key="k-1")
    problem = {"title": "Forms", "description": "Too many.", "affected": "Families"}
    other_endpoint = post(raw, "/problems", problem, key="k-1")
    for response in (other_body, other_endpoint):
        assert response.status_code == 422
        [error] = response.json()["detail"]
        assert error["field"] == KEY and error["loc"] == ["header", KEY]
        assert error["type"] == "idempotency_key_reused"
        assert "different request" in error["message"]
    assert Idea.objects.count() == 1 and Problem.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key",
    ["x" * 256, "has space", "clé", "tab\there", ""],
    ids=["long", "space", "accent", "tab", "empty"],
)
def test_a_malformed_key_is_a_400_and_creates_nothing(person, key):
    response = post(token(person), "/ideas", IDEA, key=key)
    assert response.status_code == 400
    assert KEY in response.json()["detail"]
    assert Idea.objects.count() == 0


@pytest.mark.django_db
def test_a_key_of_255_visible_characters_is_fine(person):
    assert post(token(person), "/ideas", IDEA, key="a" * 250 + "-_.:~").status_code == 201


@pytest.mark.django_db
def test_keys_belong_to_one_person(person, colleague):
    assert post(token(person), "/ideas", IDEA, key="shared").status_code == 201
    theirs = post(token(colleague), "/ideas", IDEA, key="shared")
    assert theirs.status_code == 201
    assert theirs.json()["author"]["id"] == colleague.user.pk
    assert Idea.objects.count() == 2


@pytest.mark.django_db
def test_a_key_is_kept_for_a_day(person):
    raw = token(person)
    post(raw, "/ideas", IDEA, key="daily")
    IdempotencyKey.objects.update(created=timezone.now() - timedelta(hours=25))
    assert post(raw, "/ideas", IDEA, key="daily").status_code == 201
    assert Idea.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1  # the expired one is gone


@pytest.mark.django_db
def test_a_refused_request_is_not_kept_so_its_retry_runs(person, settings):
    raw = token(person)
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (1, 60)}
    assert post(raw, "/ideas", IDEA).status_code == 201
    assert post(raw, "/ideas", {**IDEA, "title": "Second"}, key="retry").status_code == 429
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (1000, 60)}
    assert post(raw, "/ideas", {**IDEA, "title": "Second"}, key="retry").status_code == 201
    assert Idea.objects.count() == 2


@pytest.mark.django_db
def test_every_creating_endpoint_takes_the_header(person, steward):
    raw = token(person)
    idea = services.idea_create(author=person.user, title="T", summary="S", body="B", benefit="X")
    problem = services.problem_create(author=person.user, title="P", description="D", affected="A")
    creating = [
        (raw, "/problems", {"title": "Forms", "description": "Many.", "affected": "Families"}),
        (raw, "/ideas", IDEA),
        (raw, f"/ideas/{idea.pk}/comments", {"body": "Good idea"}),
        (raw, f"/problems/{problem.pk}/comments", {"body": "Seen it"}),
        (token(steward), f"/ideas/{idea.pk}/decisions", {"to_stage": "discussion", "reason": "Ok"}),
    ]
    for n, (who, path, body) in enumerate(creating):
        first = post(who, path, body, key=f"key-{n}")
        again = post(who, path, body, key=f"key-{n}")
        assert first.status_code == 201, (path, first.content)
        assert (again.status_code, again.content) == (201, first.content), path
    assert (Problem.objects.count(), Idea.objects.count()) == (2, 2)
    assert (Comment.objects.count(), Decision.objects.count()) == (2, 1)


@pytest.mark.django_db
def test_the_header_is_in_the_openapi_schema(client):
    schema = client.get(f"{API}/openapi.json").json()
    for path in ("/problems", "/ideas", "/ideas/{idea_id}/comments", "/ideas/{idea_id}/decisions",
                 "/problems/{problem_id}/comments"):  # fmt: skip
        params = schema["paths"][API + path]["post"]["parameters"]
        [header] = [p for p in params if p["name"] == KEY]
        assert header["in"] == "header" and not header["required"]
        assert "24 hours" in header["description"]
    assert KEY in schema["info"]["description"]


@pytest.mark.django_db(transaction=True)
def test_the_same_key_twice_at_once_creates_one_idea(person):
    raw = token(person)
    responses = [None, None]

    def send(i):
        responses[i] = post(raw, "/ideas", IDEA, key="at-once")

    errors = _in_threads(2, send)
    done = [r for r in responses if r is not None]
    if connection.vendor == "sqlite":
        # The in-memory test database locks whole tables and does not wait, so a request may
        # fail with "table is locked" (raised, or a 500). Whatever succeeded: never two ideas.
        errors = [e for e in errors if "locked" not in str(e)]
        done = [r for r in done if r.status_code != 500]
        assert Idea.objects.count() <= 1
    else:  # PostgreSQL: the second waits for the first and replays it
        assert len(done) == 2
        assert Idea.objects.count() == 1
    assert errors == []
    assert all(r.status_code == 201 for r in done)
    assert len({r.content for r in done}) <= 1
