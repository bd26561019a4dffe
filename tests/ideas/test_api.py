"""The JSON API at /api/v1/: authentication, error shape, ideas, problems, comments, supports,
decisions, cursor pagination and a fixed query count."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from taggit.models import Tag

from discussion import services as discussion
from discussion.models import Comment
from ideas import services
from ideas.models import Decision, Idea, Problem
from people.models import ApiToken
from people.services import api_token_create, api_token_revoke
from tests.factories import OrganisationFactory, ProfileFactory
from tests.rows import supports

API = "/api/v1"


class Api:
    """A test client that sends JSON with a personal access token."""

    def __init__(self, client: Client, raw_token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {raw_token}"} if raw_token else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(API + path, params or {}, headers=self.headers)

    def _send(self, method: str, path: str, data: dict | None = None):
        return getattr(self.client, method)(
            API + path, data or {}, content_type="application/json", headers=self.headers
        )

    def post(self, path: str, data: dict | None = None):
        return self._send("post", path, data)

    def patch(self, path: str, data: dict | None = None):
        return self._send("patch", path, data)

    def put(self, path: str):
        return self._send("put", path)

    def delete(self, path: str):
        return self._send("delete", path)


def api_for(profile) -> Api:
    _, raw = api_token_create(user=profile.user, name="tests")
    return Api(Client(), raw)


@pytest.fixture(autouse=True)
def _generous_posting_limit(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))


@pytest.fixture
def tags(db):
    return [Tag.objects.create(name=n, slug=n) for n in ("housing", "youth", "mental health")]


@pytest.fixture
def api(person):
    return api_for(person)


@pytest.fixture
def steward(db, organisation):
    return ProfileFactory(display_name="Mere Steward", organisation=organisation, is_steward=True)


def make_idea(profile, n: int = 0, **extra) -> Idea:
    fields = {
        "title": f"Idea {n}",
        "summary": f"Summary {n}",
        "body": f"**Body** {n}",
        "benefit": "Whānau wait less.",
    }
    return services.idea_create(author=profile.user, **{**fields, **extra})


def make_problem(profile, **extra) -> Problem:
    fields = {"title": "Long waits", "description": "People wait.", "affected": "Whānau"}
    return services.problem_create(author=profile.user, **{**fields, **extra})


def idea_payload(**extra) -> dict:
    return {
        "title": "Shared referral form",
        "summary": "One form for all agencies.",
        "body": "## Why\nFewer forms.",
        "benefit": "Families tell their story once.",
        **extra,
    }


# --- schema and docs ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_openapi_schema_is_served_and_lists_the_endpoints(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Social Commons API"
    paths = {
        path: set(ops)
        for path, ops in schema["paths"].items()
        # tests/projects/test_api.py, tests/commons/ and tests/knowledge/ list their own
        if not path.startswith(
            (f"{API}/projects", f"{API}/datasets", f"{API}/register", f"{API}/knowledge")
        )
    }
    assert paths == {
        f"{API}/problems": {"get", "post"},
        f"{API}/problems/{{problem_id}}": {"get"},
        f"{API}/problems/{{problem_id}}/comments": {"get", "post"},
        f"{API}/ideas": {"get", "post"},
        f"{API}/ideas/{{idea_id}}": {"get", "patch"},
        f"{API}/ideas/{{idea_id}}/support": {"put", "delete"},
        f"{API}/ideas/{{idea_id}}/comments": {"get", "post"},
        f"{API}/ideas/{{idea_id}}/decisions": {"get", "post"},
        f"{API}/search": {"get"},  # one search across kinds (tests/core/test_finding.py)
    }
    assert set(schema["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    title = schema["components"]["schemas"]["IdeaIn"]["properties"]["title"]
    assert (title["minLength"], title["maxLength"]) == (1, 200)


@pytest.mark.django_db
def test_docs_page_is_html_that_needs_no_inline_script_or_style(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "swagger-ui" in html and f"{API}/openapi.json" in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "style-src 'self';" in csp
    # Every executable script is a same-origin file carrying the page's nonce; no inline styles.
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert html.count("<script") == html.count(f'nonce="{nonce}"') == 3
    assert html.count('<script type="application/json"') == 1  # settings: data, not code
    assert "<style" not in html and "style=" not in html
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


# --- authentication ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/ideas"),
        ("post", "/ideas"),
        ("get", "/ideas/1"),
        ("patch", "/ideas/1"),
        ("put", "/ideas/1/support"),
        ("delete", "/ideas/1/support"),
        ("get", "/ideas/1/comments"),
        ("post", "/ideas/1/comments"),
        ("get", "/ideas/1/decisions"),
        ("post", "/ideas/1/decisions"),
        ("get", "/problems"),
        ("post", "/problems"),
        ("get", "/problems/1"),
        ("get", "/problems/1/comments"),
        ("post", "/problems/1/comments"),
        ("get", "/search"),
    ],
)
def test_every_data_endpoint_answers_401_json_without_credentials(client, method, path):
    response = getattr(client, method)(API + path, {}, content_type="application/json")
    assert response.status_code == 401  # not a redirect to the sign-in page
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "Bearer" in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.django_db
def test_a_token_authenticates_and_records_when_it_was_used(person):
    token, raw = api_token_create(user=person.user, name="script")
    response = Client().post(
        f"{API}/problems",
        {"title": "Waits", "description": "Long.", "affected": "Families"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201
    assert response.json()["author"]["name"] == "Aroha Ngata"
    assert Problem.objects.get().author == person.user
    token.refresh_from_db()
    assert token.last_used is not None


@pytest.mark.django_db
def test_a_revoked_or_wrong_token_is_401_even_with_a_session(client, person):
    token, raw = api_token_create(user=person.user, name="script")
    assert Api(Client(), raw).get("/ideas").status_code == 200
    api_token_revoke(user=person.user, token=token)
    response = Api(Client(), raw).get("/ideas")
    assert response.status_code == 401
    assert response.json() == {"detail": "That token is not valid, or it was revoked."}
    client.force_login(person.user)
    assert client.get(f"{API}/ideas").status_code == 200
    wrong = client.get(f"{API}/ideas", headers={"Authorization": "Bearer sc_not-a-real-token"})
    assert wrong.status_code == 401


@pytest.mark.django_db
def test_a_deactivated_persons_token_stops_working(person):
    _, raw = api_token_create(user=person.user, name="script")
    person.user.is_active = False
    person.user.save()
    assert Api(Client(), raw).get("/ideas").status_code == 401


@pytest.mark.django_db
def test_tokens_are_stored_hashed_never_raw(person):
    token, raw = api_token_create(user=person.user, name="script")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert raw.startswith("sc_") and len(raw) > 40
    assert not any(raw in str(value) for value in stored.values())
    assert stored["token_hash"] == hashlib.sha256(raw.encode()).hexdigest()
    assert raw.startswith(stored["prefix"]) and len(stored["prefix"]) < len(raw) // 3


@pytest.mark.django_db
def test_session_auth_needs_the_csrf_token_for_unsafe_methods(person):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person.user)
    assert browser.get(f"{API}/ideas").status_code == 200  # safe: no token needed

    refused = browser.post(f"{API}/ideas", idea_payload(), content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert not Idea.objects.exists()

    browser.get(f"{API}/docs")  # any page with a form sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.post(
        f"{API}/ideas",
        idea_payload(),
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert accepted.status_code == 201
    assert Idea.objects.get().author == person.user


# --- ideas -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_idea(api, person, tags):
    problem = make_problem(person)
    org = OrganisationFactory(slug="oranga-tamariki")
    response = api.post(
        "/ideas",
        idea_payload(tags=["Housing", "youth"], problem=problem.pk, organisations=[org.pk]),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    idea = Idea.objects.get()
    assert data["id"] == idea.pk
    assert data["title"] == "Shared referral form"
    assert data["body_html"] == "<h3>Why</h3>\n<p>Fewer forms.</p>\n"
    assert (data["stage"], data["stage_label"]) == ("new", "New")
    assert data["tags"] == ["housing", "youth"]
    assert data["problem"] == problem.pk
    assert data["author"] == {
        "id": person.user.pk,
        "name": "Aroha Ngata",
        "organisation": {
            "id": person.organisation.pk,
            "slug": person.organisation.slug,
            "name": "Porirua Whānau Centre",
        },
    }
    assert data["organisations"] == [{"id": org.pk, "slug": org.slug, "name": org.name}]
    assert (data["support_count"], data["comment_count"], data["supported"]) == (0, 0, False)
    assert data["hidden"] is None and data["merged_into"] is None
    assert data["url"] == f"http://testserver/ideas/{idea.pk}/"
    assert sorted(idea.tags.names()) == ["housing", "youth"]
    assert api.get(f"/ideas/{idea.pk}").json() == data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": "   "}, "title", "at least 1 character"),
        ({"title": "x" * 201}, "title", "at most 200 characters"),
        ({"summary": "x" * 301}, "summary", "at most 300 characters"),
        ({"tags": ["no-such-tag"]}, "tags", "Unknown tag(s): no-such-tag"),
        ({"tags": ["<script>"]}, "tags", "is not a valid tag"),
        ({"problem": 999999}, "problem", "There is no problem with id 999999"),
        ({"organisations": [999999]}, "organisations", "No organisation with id 999999"),
        ({"problem": "abc"}, "problem", "valid integer"),
    ],
)
def test_bad_idea_input_is_422_naming_the_field_and_saves_nothing(
    api, tags, change, field, message
):
    response = api.post("/ideas", idea_payload(**change))
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["field"] == field
    assert message in error["message"]
    assert set(error) == {"field", "message", "type", "loc"}
    assert not Idea.objects.exists()


@pytest.mark.django_db
def test_a_missing_field_is_named_too(api):
    response = api.post("/ideas", {"title": "Only a title"})
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["detail"]} == {"summary", "body", "benefit"}


@pytest.mark.django_db
def test_a_missing_idea_is_a_404_json(api):
    response = api.get("/ideas/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_posting_too_fast_is_a_429_json(api, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (1, 60)}
    assert api.post("/ideas", idea_payload()).status_code == 201
    response = api.post("/ideas", idea_payload(title="Another"))
    assert response.status_code == 429
    assert "Please wait a moment" in response.json()["detail"]
    assert Idea.objects.count() == 1


@pytest.mark.django_db
def test_only_authors_can_patch_and_only_what_is_sent_changes(api, person, colleague, tags):
    idea = make_idea(person, tags=["housing"])
    refused = api_for(colleague).patch(f"/ideas/{idea.pk}", {"title": "Mine now"})
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Only the idea's authors can edit it."}

    response = api.patch(f"/ideas/{idea.pk}", {"title": "  Better title ", "tags": ["youth"]})
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Better title"
    assert (data["summary"], data["tags"]) == ("Summary 0", ["youth"])
    bad = api.patch(f"/ideas/{idea.pk}", {"summary": None})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "summary"
    idea.refresh_from_db()
    assert (idea.title, idea.summary, idea.tag_text) == ("Better title", "Summary 0", "youth")


@pytest.mark.django_db
def test_a_hidden_idea_shows_who_hid_it_and_why_but_not_its_text(api, person, steward):
    idea = make_idea(person)
    discussion.hide(actor=steward.user, reason="Names a child.", item=idea)
    data = api.get(f"/ideas/{idea.pk}").json()
    assert data["hidden"]["by"] == "Mere Steward"
    assert data["hidden"]["reason"] == "Names a child."
    assert data["body"] is None and data["summary"] is None and data["body_html"] is None
    assert api.get("/ideas").json()["items"] == []


@pytest.mark.django_db
def test_filters(api, person, colleague, tags):
    problem = make_problem(person)
    org = OrganisationFactory(slug="plunket")
    a = make_idea(person, 1, tags=["housing"], problem=problem, organisations=[org])
    b = make_idea(colleague, 2, title="Walking school bus", tags=["youth"])

    def ids(**params):
        response = api.get("/ideas", params)
        assert response.status_code == 200, response.content
        return [i["id"] for i in response.json()["items"]]

    assert ids() == [b.pk, a.pk]
    assert ids(tag="housing") == [a.pk]
    assert ids(organisation="plunket") == [a.pk]
    assert ids(problem=problem.pk) == [a.pk]
    assert ids(q="walking") == [b.pk]
    assert ids(stage="shortlisted") == []
    assert ids(level="frontline") == [b.pk, a.pk]
    assert ids(sort="waiting") == [a.pk, b.pk]
    bad = api.get("/ideas", {"sort": "random", "size": 101})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["detail"]} == {"sort", "size"}
    assert [e["loc"][0] for e in bad.json()["detail"]] == ["query", "query"]


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["newest", "supported", "waiting"])
def test_cursor_pagination_walks_every_idea_once(api, person, sort):
    ideas = [make_idea(person, n) for n in range(23)]
    # Ties on the sort key are broken by id, across page boundaries too.
    same_time = timezone.now() - timedelta(days=1)
    Idea.objects.filter(pk__in=[i.pk for i in ideas[5:12]]).update(created=same_time)
    Idea.objects.filter(pk__in=[i.pk for i in ideas[::3]]).update(support_count=2)

    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params = {"size": 5, "sort": sort, **({"cursor": cursor} if cursor else {})}
        data = api.get("/ideas", params).json()
        seen += [i["id"] for i in data["items"]]
        pages += 1
        cursor = data["next_cursor"]
        if cursor is None:
            break
    assert pages == 5
    assert len(seen) == len(set(seen)) == 23
    assert set(seen) == {i.pk for i in ideas}


@pytest.mark.django_db
@pytest.mark.parametrize("cursor", ["garbage", "WyJ4IiwgMV0=", "WzEsICJ4Il0="])
def test_a_tampered_cursor_is_a_422_naming_it(api, person, cursor):
    # Not an empty page, which a script would take for the end of the list.
    make_idea(person)
    for sort in ("newest", "supported"):
        response = api.get("/ideas", {"cursor": cursor, "sort": sort})
        assert response.status_code == 422
        [error] = response.json()["detail"]
        assert (error["field"], error["type"], error["loc"]) == (
            "cursor", "invalid_cursor", ["query", "cursor"],
        )  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 100])
def test_idea_list_costs_the_same_queries_whatever_the_page_size(
    person, tags, django_assert_num_queries, size
):
    orgs = OrganisationFactory.create_batch(3)
    authors = [ProfileFactory(organisation=orgs[n % 3]) for n in range(4)]
    problem = make_problem(person)
    for n in range(105):
        make_idea(authors[n % 4], n, tags=["housing", "youth"], problem=problem)
    api = api_for(person)
    services.idea_support(user=person.user, idea=Idea.objects.first())
    # token lookup, token last-used update, ideas (with author, profile, organisation), supports
    with django_assert_num_queries(4):
        response = api.get("/ideas", {"size": size})
    items = response.json()["items"]
    assert len(items) == size
    assert items[0]["tags"] == ["housing", "youth"]
    assert items[0]["author"]["organisation"] is not None
    assert sum(i["supported"] for i in items) == 1


@pytest.mark.django_db
def test_problem_list_costs_the_same_queries_whatever_the_page_size(
    person, tags, django_assert_num_queries
):
    for n in range(30):
        make_problem(person, title=f"Problem {n}", tags=["housing"])
    api = api_for(person)
    # token lookup, token last-used update, problems (with author), their tags
    for size in (5, 30):
        with django_assert_num_queries(4):
            response = api.get("/problems", {"size": size})
        assert len(response.json()["items"]) == size
        assert response.json()["items"][0]["tags"] == ["housing"]


# --- support -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_support_is_idempotent_and_can_be_withdrawn(api, person, colleague):
    idea = make_idea(colleague)
    assert api.put(f"/ideas/{idea.pk}/support").json() == {"supported": True, "support_count": 1}
    assert api.put(f"/ideas/{idea.pk}/support").json() == {"supported": True, "support_count": 1}
    assert supports(idea=idea).count() == 1
    assert api.get(f"/ideas/{idea.pk}").json()["supported"] is True

    gone = api.delete(f"/ideas/{idea.pk}/support")
    assert gone.status_code == 200
    assert gone.json() == {"supported": False, "support_count": 0}
    assert api.delete(f"/ideas/{idea.pk}/support").json()["support_count"] == 0
    assert not supports().exists()
    idea.refresh_from_db()
    assert idea.support_count == 0


# --- decisions ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_someone_who_may_not_decide_gets_403_and_nothing_changes(api, person, colleague):
    idea = make_idea(colleague)
    response = api.post(
        f"/ideas/{idea.pk}/decisions", {"to_stage": "shortlisted", "reason": "Looks good."}
    )
    assert response.status_code == 403
    assert "Only stewards" in response.json()["detail"]
    idea.refresh_from_db()
    assert idea.stage == Idea.Stage.NEW and idea.first_decision_at is None
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_a_stewards_decision_is_201_and_public(api, person, steward):
    idea = make_idea(person)
    response = api_for(steward).post(
        f"/ideas/{idea.pk}/decisions", {"to_stage": "shortlisted", "reason": " Strong support. "}
    )
    assert response.status_code == 201, response.content
    decision = response.json()
    assert (decision["from_stage"], decision["to_stage"]) == ("new", "shortlisted")
    assert decision["to_stage_label"] == "Shortlisted"
    assert decision["reason"] == "Strong support."
    assert decision["decided_by"]["name"] == "Mere Steward"

    listed = api.get(f"/ideas/{idea.pk}/decisions")  # anyone signed in sees it
    assert listed.status_code == 200
    assert listed.json() == [decision]
    assert api.get(f"/ideas/{idea.pk}").json()["stage"] == "shortlisted"

    again = api_for(steward).post(
        f"/ideas/{idea.pk}/decisions", {"to_stage": "shortlisted", "reason": "Again."}
    )
    assert again.status_code == 422
    assert again.json()["detail"][0]["field"] == "to_stage"
    bad = api_for(steward).post(f"/ideas/{idea.pk}/decisions", {"to_stage": "nope", "reason": ""})
    assert {e["field"] for e in bad.json()["detail"]} == {"to_stage", "reason"}
    assert Decision.objects.count() == 1


# --- comments ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_comments_on_an_idea_oldest_first_with_replies_and_cursor(api, person, colleague):
    idea = make_idea(person)
    first = api.post(f"/ideas/{idea.pk}/comments", {"body": "First *thought*"})
    assert first.status_code == 201, first.content
    first_id = first.json()["id"]
    assert first.json()["body_html"] == "<p>First <em>thought</em></p>\n"
    reply = api_for(colleague).post(
        f"/ideas/{idea.pk}/comments", {"body": "A reply", "parent": first_id}
    )
    assert reply.json()["parent"] == first_id
    assert reply.json()["url"].endswith(f"/ideas/{idea.pk}/#comment-{reply.json()['id']}")
    for n in range(3):
        api.post(f"/ideas/{idea.pk}/comments", {"body": f"More {n}"})

    page1 = api.get(f"/ideas/{idea.pk}/comments", {"size": 3}).json()
    page2 = api.get(
        f"/ideas/{idea.pk}/comments", {"size": 3, "cursor": page1["next_cursor"]}
    ).json()
    bodies = [c["body"] for c in page1["items"] + page2["items"]]
    assert bodies == ["First *thought*", "A reply", "More 0", "More 1", "More 2"]
    assert page2["next_cursor"] is None
    assert api.get(f"/ideas/{idea.pk}").json()["comment_count"] == 5

    bad_parent = api.post(f"/ideas/{idea.pk}/comments", {"body": "x", "parent": 999999})
    assert bad_parent.status_code == 422
    assert bad_parent.json()["detail"][0]["field"] == "parent"
    empty = api.post(f"/ideas/{idea.pk}/comments", {"body": "  "})
    assert empty.status_code == 422 and empty.json()["detail"][0]["field"] == "body"
    assert Comment.objects.count() == 5


@pytest.mark.django_db
def test_a_reply_must_be_on_the_same_thing(api, person):
    idea = make_idea(person)
    problem = make_problem(person)
    on_idea = discussion.comment_create(author=person.user, body="On the idea", target=idea)
    response = api.post(f"/problems/{problem.pk}/comments", {"body": "x", "parent": on_idea.pk})
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "field": "parent",
            "message": "That comment is on something else.",
            "type": "invalid",
            "loc": ["body", "parent"],
        }
    ]


# --- problems ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_problems_create_list_detail_and_comments(api, person, tags):
    org = OrganisationFactory()
    response = api.post(
        "/problems",
        {
            "title": "Referrals get lost",
            "description": "Between *agencies*.",
            "affected": "Families waiting for help",
            "tags": ["housing"],
            "organisations": [org.pk],
        },
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["tags"] == ["housing"]
    assert created["organisations"] == [{"id": org.pk, "slug": org.slug, "name": org.name}]
    assert created["description_html"] == "<p>Between <em>agencies</em>.</p>\n"
    assert (created["status"], created["status_label"]) == ("open", "Open")

    listed = api.get("/problems").json()
    assert [p["id"] for p in listed["items"]] == [created["id"]]
    assert api.get(f"/problems/{created['id']}").json() == created

    comment = api.post(f"/problems/{created['id']}/comments", {"body": "Same in Porirua."})
    assert comment.status_code == 201
    comments = api.get(f"/problems/{created['id']}/comments").json()
    assert [c["body"] for c in comments["items"]] == ["Same in Porirua."]

    too_long = api.post(
        "/problems", {"title": "t", "description": "d", "affected": "a" * 501, "tags": []}
    )
    assert too_long.status_code == 422
    assert too_long.json()["detail"][0]["field"] == "affected"
    assert Problem.objects.count() == 1
