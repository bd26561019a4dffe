"""No 500s, whatever the input: one test per kind of input that once reached a 500, on the pages
and in the JSON API, each checking that the answer is a 4xx (naming the field) or a sensible
page, and that nothing was written. The property tests (test_hostile_properties.py and
ideas/test_api_schema.py) look for kinds not listed here."""

import base64
import json

import pytest
from django.test import Client
from django.urls import reverse

from discussion import services as discussion
from discussion.models import Comment
from ideas.models import Idea, IdeaRevision, Problem
from people.services import api_token_create
from realtime.models import Activity, Notification
from tests.tasks import run_queued_tasks

SUPERSCRIPT_TWO = "²"  # str.isdigit() is true, int() refuses it
DIGITS_5000 = "9" * 5000  # int() refuses more than 4,300 digits
BEYOND_64_BITS = str(2**70)  # no database column holds it
NOT_NUMBERS = [SUPERSCRIPT_TWO, DIGITS_5000, BEYOND_64_BITS]


def cursor(*values) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(values)).encode()).decode()


BAD_CURSORS = {
    "year 1 east of UTC (year 0 in UTC)": cursor("0001-01-01T00:00:00+14:00", 1),
    "year 9999 west of UTC (year 10000 in UTC)": cursor("9999-12-31T23:59:59-14:00", 1),
    "no time zone": cursor("0001-01-01T00:00:00", 1),
    "an id beyond 64 bits": cursor("2026-01-01T00:00:00+00:00", 2**70),
    "not a list": base64.urlsafe_b64encode(b'{"created": "2026-01-01T00:00:00+00:00"}').decode(),
    "not base64": "not a cursor!",
}


def counts() -> tuple[int, ...]:
    return (
        Idea.objects.count(),
        Problem.objects.count(),
        Comment.objects.count(),
        IdeaRevision.objects.count(),
        Activity.objects.count(),
    )


@pytest.fixture
def signed_in(client, person):
    client.force_login(person.user)
    return client


@pytest.fixture
def api(person):
    _, raw = api_token_create(user=person.user, name="hostile input")
    return Client(headers={"Authorization": f"Bearer {raw}"})


def api_json(api: Client, method: str, path: str, data) -> object:
    body = data if isinstance(data, str | bytes) else json.dumps(data)
    return getattr(api, method)("/api/v1" + path, body, content_type="application/json")


def field_error(response) -> tuple[str | None, str]:
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    [error, *_] = response.json()["detail"]
    return error["field"], error["type"]


# --- numbers in query parameters -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("value", [SUPERSCRIPT_TWO, DIGITS_5000])
def test_the_feed_and_notifications_show_their_first_page_for_a_bad_before(
    signed_in, make_idea, value
):
    idea = make_idea()
    feed = signed_in.get("/", {"before": value})
    assert feed.status_code == 200 and idea.title in feed.content.decode()
    assert signed_in.get(reverse("notifications"), {"before": value}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_idea_pages_ignore_a_number_that_is_not_one(signed_in, make_idea, value):
    idea = make_idea()
    before = counts()
    for url, params in [
        (idea.get_absolute_url(), {"reply": value}),
        (reverse("idea_discussion", args=[idea.pk]), {"after": value}),
        (reverse("idea_similar"), {"title": "shared story", "exclude": value}),
        (reverse("idea_create"), {"problem": value}),
        (reverse("idea_list"), {"problem": value}),
        (reverse("people_directory"), {"page": value}),
    ]:
        response = signed_in.get(url, params)
        assert response.status_code == 200, (url, response.status_code)
    assert counts() == before


@pytest.mark.django_db
def test_an_id_beyond_64_bits_in_an_address_is_not_found(signed_in, person, make_idea):
    make_idea()
    for url in (f"/ideas/{BEYOND_64_BITS}/", f"/people/{BEYOND_64_BITS}/"):
        assert signed_in.get(url).status_code == 404
    before = Notification.objects.count()
    assert signed_in.post(f"/notifications/{BEYOND_64_BITS}/read/").status_code == 404
    assert Notification.objects.count() == before


# --- cursors --------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("value", list(BAD_CURSORS.values()), ids=list(BAD_CURSORS))
def test_a_list_page_with_a_bad_cursor_starts_from_the_top(signed_in, make_idea, value):
    idea = make_idea()
    for url in (reverse("idea_list"), reverse("idea_list") + "?sort=supported"):
        response = signed_in.get(url, {"cursor": value})
        assert response.status_code == 200 and idea.title in response.content.decode()
    assert signed_in.get(reverse("problem_list"), {"cursor": value}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("value", list(BAD_CURSORS.values()), ids=list(BAD_CURSORS))
def test_the_api_names_a_bad_cursor(api, make_idea, value):
    idea = make_idea()
    for path in ("/ideas", "/problems", f"/ideas/{idea.pk}/comments"):
        assert field_error(api.get("/api/v1" + path, {"cursor": value})) == (
            "cursor", "invalid_cursor",
        )  # fmt: skip
    response = api.get("/api/v1/ideas", {"sort": "supported", "cursor": cursor(2**70, 1)})
    assert field_error(response) == ("cursor", "invalid_cursor")


# --- NUL characters -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/problems/?q=a%00b", "q"),
        ("/ideas/?q=a%00b", "q"),
        ("/ideas/tags/?q=%00", "q"),
        ("/people/?q=x%00", "q"),
        ("/ideas/?tag=ok&x%00=1", "x\\x00"),
    ],
)
def test_a_nul_in_a_query_is_a_400_naming_the_parameter(signed_in, url, name):
    response = signed_in.get(url)
    assert response.status_code == 400
    assert f"“{name}”" in response.content.decode()


@pytest.mark.django_db
def test_a_nul_in_a_posted_form_is_a_400_and_nothing_is_written(signed_in, make_idea, vocabulary):
    idea = make_idea()
    before = counts()
    form = {"title": "A\x00title", "summary": "s", "body": "b", "benefit": "b", "tags": ""}
    response = signed_in.post(reverse("idea_create"), form)
    assert response.status_code == 400 and "“title”" in response.content.decode()
    response = signed_in.post(reverse("idea_comment", args=[idea.pk]), {"body": "hi\x00"})
    assert response.status_code == 400
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("param", ["q", "tag", "organisation", "cursor"])
def test_a_nul_in_an_api_query_is_a_422_naming_it(api, param):
    assert field_error(api.get("/api/v1/ideas", {param: "a\x00b"})) == (param, "nul_character")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "data", "field"),
    [
        ("/problems", {"title": "A\x00", "description": "d", "affected": "a"}, "title"),
        ("/ideas", {"title": "t", "summary": "s", "body": "b\x00", "benefit": "b"}, "body"),
        ("/ideas", {"title": "t", "summary": "s", "body": "b", "benefit": "b", "tags": ["\x00"]},
         "tags"),
        ("/ideas/{idea}/comments", {"body": "\x00"}, "body"),
        ("/ideas/{idea}/decisions", {"to_stage": "shortlisted", "reason": "r\x00"}, "reason"),
    ],
)  # fmt: skip
def test_a_nul_in_api_json_is_a_422_naming_the_field_and_writes_nothing(
    api, make_idea, path, data, field
):
    idea = make_idea()
    before = counts()
    response = api_json(api, "post", path.format(idea=idea.pk), data)
    assert field_error(response) == (field, "nul_character")
    response = api_json(api, "patch", f"/ideas/{idea.pk}", {"summary": "\x00"})
    assert field_error(response) == ("summary", "nul_character")
    assert counts() == before


# --- numbers in the API -----------------------------------------------------------------------


@pytest.mark.django_db
def test_api_ids_beyond_64_bits_are_a_422_naming_the_field(api, make_idea, organisation):
    idea = make_idea()
    before = counts()
    assert field_error(api.get("/api/v1/ideas", {"problem": BEYOND_64_BITS}))[0] == "problem"
    for path in (f"/ideas/{BEYOND_64_BITS}", f"/problems/{BEYOND_64_BITS}/comments"):
        assert field_error(api.get("/api/v1" + path))[0] in ("idea_id", "problem_id")
    new = {"title": "t", "summary": "s", "body": "b", "benefit": "b"}
    for extra in ({"organisations": [2**70]}, {"problem": 2**70}):
        assert field_error(api_json(api, "post", "/ideas", {**new, **extra}))[0] == next(
            iter(extra)
        )
    response = api_json(api, "post", f"/ideas/{idea.pk}/comments", {"body": "b", "parent": 2**70})
    assert field_error(response)[0] == "parent"
    assert counts() == before


@pytest.mark.django_db
def test_form_ids_beyond_64_bits_are_explained_and_write_nothing(client, steward, make_idea):
    client.force_login(steward.user)
    idea = make_idea()
    before = counts()
    form = {"title": "t", "summary": "s", "body": "b", "benefit": "b", "tags": ""}
    response = client.post(reverse("idea_create"), {**form, "organisations": [BEYOND_64_BITS]})
    assert response.status_code == 200 and "organisations" in response.context["form"].errors
    response = client.post(
        reverse("idea_comment", args=[idea.pk]), {"body": "hi", "parent": BEYOND_64_BITS}
    )
    assert response.status_code == 400 and "parent" in response.context["comment_form"].errors
    response = client.post(
        reverse("idea_merge", args=[idea.pk]), {"target": BEYOND_64_BITS, "reason": "same"}
    )
    assert response.status_code == 400 and "target" in response.context["merge_form"].errors
    assert counts() == before


# --- the shape of API errors ------------------------------------------------------------------


@pytest.mark.django_db
def test_malformed_json_is_a_documented_400(api, make_idea, client):
    before = counts()
    for body in ('{"title": ', b"\xff\xfe", "[" * 5000, '{"n": ' + DIGITS_5000 + "}"):
        response = api_json(api, "post", "/ideas", body)
        assert response.status_code == 400
        assert set(response.json()) == {"detail"}
    assert counts() == before
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/ideas"]["post"]
    assert "400" in operation["responses"]


@pytest.mark.django_db
def test_unknown_json_fields_are_a_422_naming_them(api, make_idea):
    idea = make_idea()
    before = counts()
    new = {"title": "t", "summary": "s", "body": "b", "benefit": "b", "titel": "typo"}
    assert field_error(api_json(api, "post", "/ideas", new)) == ("titel", "extra_forbidden")
    response = api_json(api, "patch", f"/ideas/{idea.pk}", {"title": "New", "stage": "merged"})
    assert field_error(response) == ("stage", "extra_forbidden")
    assert counts() == before
    idea.refresh_from_db()
    assert idea.title != "New"


@pytest.mark.django_db
def test_the_schema_says_what_patch_accepts_null_for(api, make_idea, client):
    idea = make_idea()
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["IdeaPatch"]
    nullable = {
        name
        for name, spec in schema["properties"].items()
        if any(option.get("type") == "null" for option in spec.get("anyOf", []))
    }
    assert nullable == {"problem"}  # to unlink; leaving a field out keeps it
    response = api_json(api, "patch", f"/ideas/{idea.pk}", {"organisations": None})
    assert field_error(response)[0] == "organisations"
    assert api_json(api, "patch", f"/ideas/{idea.pk}", {"problem": None}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/nothing", "/api/v1/ideas/1/nothing", "/api/v2/ideas"])
def test_an_api_address_with_no_endpoint_is_a_json_404(api, path):
    for response in (api.get(path), api.post(path, {}), Client().get(path)):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert "no API endpoint" in response.json()["detail"]


@pytest.mark.django_db
def test_in_production_an_api_error_is_json_without_a_traceback(api, settings, monkeypatch):
    from ideas import selectors

    def broken(**kwargs):
        raise RuntimeError("secret internals")

    settings.DEBUG = False
    monkeypatch.setattr(selectors, "ideas_page", broken)
    response = api.get("/api/v1/ideas")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert set(response.json()) == {"detail"}
    body = response.content.decode()
    assert "Traceback" not in body and "secret internals" not in body


@pytest.mark.django_db
def test_marking_a_notification_read_goes_back_only_to_a_path_here(signed_in, person, colleague):
    from ideas import services

    idea = services.idea_create(
        author=person.user, title="An idea", summary="s", body="b", benefit="b", tags=[]
    )
    discussion.comment_create(author=colleague.user, body="Nice", target=idea)
    run_queued_tasks()  # the author follows their idea: the worker notifies followers
    notification = Notification.objects.filter(user=person.user).first()
    assert notification is not None
    url = reverse("notification_read", args=[notification.pk])
    for target, expected in [
        ("notAPath", reverse("notifications")),  # once taken for a view's name: a 500
        ("https://elsewhere.example/", reverse("notifications")),
        ("/ideas/", "/ideas/"),
    ]:
        response = signed_in.post(url, {"next": target})
        assert (response.status_code, response["Location"]) == (302, expected)


@pytest.mark.django_db
def test_the_admin_search_refuses_a_nul_too(client, person):
    person.user.is_staff = person.user.is_superuser = True
    person.user.save()
    client.force_login(person.user)
    assert client.get("/admin/people/organisation/", {"q": "trust"}).status_code == 200
    response = client.get("/admin/people/organisation/", {"q": "trust\x00"})
    assert response.status_code == 400 and "“q”" in response.content.decode()


@pytest.mark.django_db
def test_a_method_a_path_does_not_have_is_a_json_405(api):
    response = api.delete("/api/v1/ideas")
    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}
    assert set(response["Allow"].split(", ")) == {"GET", "POST"}


@pytest.mark.django_db
def test_an_error_outside_the_api_handlers_is_json_too(settings, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    settings.DEBUG = False
    monkeypatch.setattr("config.api.JsonResponse", broken)  # the /api/ catch-all view breaks
    response = Client(raise_request_exception=False).get("/api/v1/nothing")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal Server Error"}
    assert "secret internals" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("cookie", ["sessionid", "csrftoken"])
def test_a_cookie_holding_a_nul_is_ignored(cookie):
    client = Client()
    client.cookies[cookie] = "abcdefghijkl\x00mnop"
    assert client.get("/").status_code == 200  # the welcome page: no session
    assert client.get("/ideas/").status_code == 302  # sign in first
    assert client.get("/api/v1/ideas").status_code == 401
