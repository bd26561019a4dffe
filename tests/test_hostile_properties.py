"""No answer is a 5xx, whatever the input (DESIGN.md section 7): Hypothesis throws arbitrary
strings — NULs, Unicode digits, 5,000-digit numbers, integers beyond 64 bits, forged cursors —
at every query parameter and form field of every page, and at every query parameter and JSON
field of every API operation, as a signed-in person.

Every URL pattern is visited (path ids filled with real objects), so a new page is fuzzed
without a line here; a new query parameter must be added to ``QUERY_PARAMETERS`` (a test below
reads the views to make sure). Bounded: the known-bad kinds and five random examples a page,
no deadline, derandomised so that CI is repeatable (HYPOTHESIS_RANDOM=1 explores new inputs,
HYPOTHESIS_EXAMPLES=n runs more)."""

import base64
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from config.api import api as ninja_api
from discussion import services as discussion
from ideas import services
from people.services import api_token_create
from realtime import notifications
from realtime.models import Notification
from tests.factories import OrganisationFactory, ProfileFactory

BOUNDED = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "5")),
    deadline=None,
    database=None,
    derandomize=not os.environ.get("HYPOTHESIS_RANDOM"),
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# Every query parameter a page reads (request.GET and the filter forms bound to it).
QUERY_PARAMETERS = sorted(
    {
        "after", "before", "cursor", "exclude", "handle", "level", "next", "organisation", "page",
        "problem", "q", "reply", "sort", "stage", "status", "tag", "title", "unread",
        "crosses", "frontline", "idea", "to",  # projects: the portfolio, a new one, its status
        "column", "left",  # projects: a new card's column, a board column's cards not shown yet
        "kind", "from",  # knowledge: a kind of article (list, new), two revisions to compare
        "open",  # knowledge: the feedback list's open items, paged
        "fill",  # knowledge: how a local version's merge writes out its conflicts
        "revision",  # knowledge: ?revision=newest, the newest rather than the verified one
    }
)  # fmt: skip
# Every field a posted form (ours and allauth's) reads.
FORM_FIELDS = sorted(
    {
        "action", "affected", "auto_follow", "benefit", "bio", "body", "coauthors",
        "description", "display_name", "email", "kind", "level", "login", "name", "next",
        "organisation", "organisations", "parent", "password", "password1", "password2",
        "oldpassword", "problem", "reason", "region", "remember", "role_title", "short_name",
        "status", "submission_key", "summary", "tags", "target", "title", "to_stage",
        "unread", "website",
        "base", "edit_summary", "review_interval_days",  # knowledge: an article and its edits
        "address", "project", "text", "response", "resolve", "confirm_public",  # links, feedback
        "label", "upstream", "local", "decline-upstream", "decline-reason",  # local versions
        "revision", "comment",  # knowledge: a verification of the revision shown
    }
)  # fmt: skip


def b64(value: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


SPECIAL = [
    "²", "٣", "9" * 5000, str(2**70), str(2**64), str(2**63), str(2**63 - 1), "-1", "0",
    "1.5", "1e400", "NaN", " 7", "7\n", "\x00", "a\x00b", "", "null", "[", "%00", "../",
    "<script>alert(1)</script>", "0001-01-01", "9999-12-31T23:59:59-14:00",
    b64(["0001-01-01T00:00:00+14:00", 1]), b64(["9999-12-31T23:59:59-14:00", 1]),
    b64(["0001-01-01T00:00:00", 1]), b64(["2026-01-01T00:00:00+00:00", 2**70]),
    b64([2**70, 1]), b64([1.5, True]), b64({"a": 1}), b64([[[[]]]]), "W10=",
]  # fmt: skip
WORDS = [
    "support", "withdraw", "follow", "unfollow", "new", "discussion", "shortlisted",
    "not_progressed", "open", "closed", "newest", "supported", "discussed", "waiting",
    "frontline", "manager", "whānau", "older people", "1", "2", "3", "on", "true",
]  # fmt: skip
JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)
TEXT = st.one_of(
    st.text(max_size=40),
    st.sampled_from(SPECIAL),
    st.sampled_from(WORDS),
    st.integers().map(str),
    JSONISH.map(b64),
)


def everywhere(value: str) -> dict[str, str]:
    return dict.fromkeys(QUERY_PARAMETERS, value)


def every_field(value: str) -> dict[str, str]:
    return dict.fromkeys(FORM_FIELDS, value)


# One value in every parameter, or different values in some of them.
QUERY = st.one_of(
    TEXT.map(everywhere),
    st.dictionaries(
        st.sampled_from(QUERY_PARAMETERS), st.one_of(TEXT, st.lists(TEXT, min_size=1, max_size=2))
    ),
)
FORM = st.one_of(
    TEXT.map(every_field),
    st.dictionaries(
        st.sampled_from(FORM_FIELDS), st.one_of(TEXT, st.lists(TEXT, min_size=1, max_size=3))
    ),
)
# The kinds of input that once gave a 500 (issue 7.7) are always among the examples: numbers
# and NULs in every parameter and field, forged cursors in every parameter (GET only: no form
# field takes a cursor).
KNOWN_BAD_TEXT = [
    "²",  # str.isdigit() is true, int() refuses it
    "9" * 5000,  # int() refuses over 4,300 digits
    str(2**70),  # beyond a 64-bit column
    "a\x00b",  # PostgreSQL refuses NUL in text
]
KNOWN_BAD_CURSORS = [
    b64(["0001-01-01T00:00:00+14:00", 1]),  # a date before year 1 in UTC
    b64(["9999-12-31T23:59:59-14:00", 2**70]),  # after 9999, and an id beyond 64 bits
]
KNOWN_BAD = KNOWN_BAD_TEXT + KNOWN_BAD_CURSORS


def with_known_bad(test: Any) -> Any:
    for value in reversed(KNOWN_BAD):
        post = value in KNOWN_BAD_TEXT
        bad = example(query=everywhere(value), form=every_field(value), post=post, htmx=False)
        test = bad(test)
    return test


# --- the world the pages are about -------------------------------------------------------


@pytest.fixture
def world(db, person, colleague, steward, make_idea, settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (10_000, 60))  # reach the writes
    problem = services.problem_create(
        author=person.user, title="Referrals get lost", description="d", affected="a", tags=[]
    )
    idea = make_idea(problem=problem, organisations=[OrganisationFactory()])
    other = make_idea(author=colleague, title="Another idea")
    comment = discussion.comment_create(author=colleague.user, body="@Aroha yes", target=idea)
    discussion.comment_create(author=person.user, body="A reply", target=idea, parent=comment)
    token, raw = api_token_create(user=steward.user, name="fuzz")
    ProfileFactory(display_name="Someone Else")
    project = _project(steward.user, colleague.user, idea)
    organisation = idea.organisations.get()
    return {
        **project,
        **_article_and_local(person.user, colleague.user),
        **_dataset(steward, organisation.slug),
        "user": steward.user,
        "raw_token": raw,
        "idea": idea,
        "other": other,
        "problem": problem,
        "comment": comment,
        "token": token,
        "person": person,
        "organisation": organisation,
        "notification": Notification.objects.filter(user=person.user).first(),
    }


def _project(lead: Any, member: Any, idea: Any) -> dict[str, Any]:
    """A project the fuzzing person leads, with one of everything inside it."""
    from datetime import date

    from projects import services as projects

    project = projects.project_create(actor=lead, title="Fuzzed", purpose="p", ideas=[idea])
    invitation = projects.invite(actor=lead, project=project, user=member)
    projects.invitation_answer(actor=member, invitation=invitation, accept=True)
    task = projects.task_create(actor=lead, project=project, title="Card", checklist=["one"])
    measure = projects.measure_save(
        actor=lead, project=project, name="m", unit="%", baseline=1, baseline_date=date(2026, 1, 1),
        target=2, target_date=date(2027, 1, 1), source="s",
    )  # fmt: skip
    return {
        "project": project,
        "task": task,
        "column": task.column,
        "checklist": task.checklist.get(),
        "member": project.memberships.get(user=member),
        "invitation": invitation,
        "update": projects.update_post(actor=lead, project=project, title="u", body="b"),
        "milestone": projects.milestone_save(actor=lead, project=project, title="m",
                                             due=date(2027, 1, 1)),
        "risk": projects.risk_save(actor=lead, project=project, title="r", likelihood=2,
                                   consequence=3),
        "measure": measure,
    }  # fmt: skip


def _article(author: Any, editor: Any) -> Any:
    """A knowledge article with two revisions (so that its diff and restore have something)."""
    from knowledge import services as knowledge

    article = knowledge.article_create(
        actor=author, kind="practice_note", title="Fuzzed article", summary="s", body="b"
    )
    knowledge.revision_save(
        actor=editor, article=article, base_number=1, title="Fuzzed article", summary="s",
        body="b, edited",
    )  # fmt: skip
    return article


def _article_and_local(author: Any, editor: Any) -> dict[str, Any]:
    """The article, and a local version of it made by another organisation, one base revision
    behind (so that its comparison and both answers have something)."""
    from knowledge import localising
    from knowledge import services as knowledge

    article = _article(author, editor)
    region = ProfileFactory(display_name="Region", organisation=OrganisationFactory()).user
    local = localising.localise(actor=region, base=article, label="Fuzzed region").local
    knowledge.revision_save(
        actor=author, article=article, base_number=2, title="Fuzzed article", summary="s",
        body="b, edited twice",
    )  # fmt: skip
    return {"article": article, "local": local}


def _dataset(steward: Any, slug: str) -> dict[str, Any]:
    """A tiny published commons dataset (two cells and their margins), under the slug the
    organisation pages get, so that the commons pages and API reach one."""
    import io

    from commons import publishing
    from commons import services as commons
    from commons.importing import DimensionSpec, IndicatorSpec, Mapping

    mapping = Mapping(
        dimensions=(
            DimensionSpec(code="year", name="Year", role="period", column="Year",
                          period_format="year"),
            DimensionSpec(code="area", name="Area", role="area", column="Area"),
            DimensionSpec(code="group", name="Group", role="other", column="Group"),
        ),
        indicators=(IndicatorSpec(code="n", name="People", kind="count", unit="people",
                                  column="N"),),
    )  # fmt: skip
    dataset = commons.dataset_create(
        actor=steward.user, steward=steward.organisation, slug=slug, mapping=mapping,
        title="Fuzzed data", source_name="s", collection="c", parties="p", licence_name="l",
        attribution="a", method="raw",
    )  # fmt: skip
    source = io.BytesIO(b"Year,Area,Group,N\r\n2024,North,A,40\r\n2024,North,B,7\r\n")
    version = commons.import_version(
        actor=steward.user, dataset=dataset, source=source, file_name="f.csv"
    )
    publishing.publish_version(version=version, by=steward.user)
    return {"dataset": dataset, "indicator": dataset.indicators.get()}


def _patterns(patterns: list, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            found += [(namespace + n, p) for n, p in _patterns(pattern.url_patterns)]
        elif pattern.name:
            found.append((pattern.name, pattern))
    return found


# The JSON API is fuzzed from its OpenAPI document below; the admin is Django's own.
PAGES = [
    name
    for name, pattern in _patterns(get_resolver().url_patterns)
    if not name.startswith("api:") and not name.startswith("admin:")
]
assert len(PAGES) > 50, PAGES


def _url(name: str, world: dict[str, Any]) -> str:
    """The page's address, its path filled with real objects (by the name's first word; any
    real id for a name not listed: a 404 is an answer too)."""
    pattern = dict(_patterns(get_resolver().url_patterns))[name]
    ids = {
        "idea": world["idea"].pk,
        "problem": world["problem"].pk,
        "comment": world["comment"].pk,
        "profile": world["person"].user.pk,
        "person": world["person"].user.pk,
        "people": world["person"].user.pk,
        "api": world["token"].pk,
        "notification": getattr(world["notification"], "pk", 1),
        "project": world["project"].pk,
        "commons": world["indicator"].pk,
        "article": world["article"].pk,
        "local": world["local"].pk,  # local_differs: a local version
        "upstream": world["local"].pk,  # upstream_take, upstream_decline: one behind its base
    }
    # A project's parts, by the name of their path parameter.
    parts = {
        key: world[key].pk
        for key in ("task", "column", "member", "invitation", "milestone", "risk", "measure",
                    "checklist")
    }  # fmt: skip
    if name.startswith("project_update"):
        ids["project"] = world["update"].pk
    texts = {
        "slug": world["organisation"].slug,
        "token": notifications.unsubscribe_token(world["person"].user.pk),
        "uidb36": "1",
        "key": "not-a-key",
        "kind": "ideas",
        "number": 1,  # the commons dataset's published version
        "link_pk": 1,
        "feedback_pk": 1,  # knowledge: an article's link or feedback (a 404 is fine)
        "project_pk": world["project"].pk,  # knowledge: a lesson from a project's closure
    }
    kwargs: dict[str, Any] = {}
    for group in pattern.pattern.regex.groupindex:
        if group == "pk":
            kwargs[group] = ids.get(name.split("_")[0], world["idea"].pk)
        elif group in parts:
            kwargs[group] = parts[group]
        elif group.endswith("_id") and group[:-3] in parts:
            kwargs[group] = parts[group[:-3]]
        else:
            kwargs[group] = texts.get(group, "x")
    return reverse(name, kwargs=kwargs)


def _signed_in(world: dict[str, Any], name: str) -> Client:
    """One signed-in client for all of a page's examples (signing in costs more than most
    requests); a fresh one for pages that may sign out or change the account."""
    if name.startswith("account_") or "client" not in world:
        world["client"] = Client()
        world["client"].force_login(world["user"])
    return world["client"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
@BOUNDED
@with_known_bad
@given(query=QUERY, form=FORM, post=st.booleans(), htmx=st.booleans())
def test_no_page_answers_a_5xx(world, name, query, form, post, htmx):
    client = _signed_in(world, name)
    url = _url(name, world)
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(url, query, headers=headers)
    assert response.status_code < 500, (url, query, response.status_code)
    if post:
        response = client.post(url + "?" + _encode(query), form, headers=headers)
        assert response.status_code < 500, (url, form, response.status_code)


def _encode(query: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(query, doseq=True)


def test_every_query_parameter_a_view_reads_is_fuzzed():
    """A new ``request.GET.get("x")`` in a view must be added to QUERY_PARAMETERS."""
    root = Path(django_settings.BASE_DIR)
    read = set()
    for app in (
        "config", "people", "ideas", "projects", "knowledge", "dashboard", "realtime", "core",
    ):  # fmt: skip
        for source in (root / app).rglob("*.py"):
            read |= set(re.findall(r"GET(?:\.get\(|\[)\"(\w+)\"", source.read_text()))
    assert read, "no query parameters found: has the pattern changed?"
    assert read <= set(QUERY_PARAMETERS), read - set(QUERY_PARAMETERS)
    from ideas.forms import IdeaFilterForm
    from people.forms import DirectorySearchForm

    for form in (IdeaFilterForm, DirectorySearchForm):
        assert set(form.base_fields) <= set(QUERY_PARAMETERS), form


# --- the JSON API, from its OpenAPI document ---------------------------------------------

JSON_VALUE = st.one_of(
    TEXT,
    st.integers(),
    st.sampled_from([2**63, 2**70, -(2**70), 0, -1]),
    st.floats(),
    st.none(),
    st.booleans(),
    st.lists(st.one_of(TEXT, st.integers()), max_size=4),
    JSONISH,
)


OPENAPI = ninja_api.get_openapi_schema()
OPERATIONS = [
    (path, method, operation)
    for path, methods in OPENAPI["paths"].items()
    for method, operation in methods.items()
]
SCHEMAS = OPENAPI["components"]["schemas"]


def _fields(operation: dict[str, Any]) -> tuple[list[str], list[str]]:
    query = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    body: list[str] = []
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        ref = content["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
        body = sorted(SCHEMAS[ref]["properties"])
    return query, body


def _all_text(operation: dict[str, Any], body_names: list[str]) -> bool:
    """Whether every field of the operation's body is free text (and it has no query)."""
    if any(p["in"] == "query" for p in operation.get("parameters", [])) or not body_names:
        return False
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    properties = SCHEMAS[ref.rsplit("/", 1)[-1]]["properties"]
    return all(properties[name].get("type") == "string" for name in body_names)


def _api_url(path: str, world: dict[str, Any]) -> str:
    """An operation's path, its parameters filled with the world's objects."""
    values = {
        "idea_id": world["idea"].pk, "problem_id": world["problem"].pk,
        "user_id": world["member"].user_id,
        **{f"{key}_id": world[key].pk for key in (
            "project", "task", "column", "milestone", "risk", "measure", "update", "invitation",
            "member", "checklist")},
    }  # fmt: skip
    values["project_update_id"] = world["update"].pk
    values["article_id"] = world["article"].pk
    values["number"] = 1  # the article's first revision
    values["item_id"] = world["checklist"].pk
    values["slug"] = world["dataset"].slug
    for name, value in values.items():
        path = path.replace("{" + name + "}", str(value))
    return re.sub(r"\{\w+\}", str(world["project"].pk), path)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "method", "operation"),
    OPERATIONS,
    ids=[f"{m.upper()} {p}" for p, m, _ in OPERATIONS],
)
@BOUNDED
@given(data=st.data())
def test_no_api_operation_answers_a_5xx(world, path, method, operation, data):
    query_names, body_names = _fields(operation)
    url = _api_url(path, world)
    query = data.draw(st.dictionaries(st.sampled_from(query_names or ["q"]), TEXT))
    client = Client(headers={"Authorization": f"Bearer {world['raw_token']}"})
    kwargs: dict[str, Any] = {}
    if method in ("post", "put", "patch", "delete"):
        names = [*body_names, "unknown_field"]
        body = data.draw(
            st.one_of(
                st.dictionaries(st.sampled_from(names), JSON_VALUE).map(json.dumps),
                JSON_VALUE.map(json.dumps),
                st.text(max_size=30),
            )
        )
        kwargs = {"data": body, "content_type": "application/json"}
        url += "?" + _encode(query)
    else:
        kwargs = {"data": query}
    response = getattr(client, method)(url, **kwargs)
    assert response.status_code < 500, (method, url, kwargs, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "method", "operation"),
    OPERATIONS,
    ids=[f"{m.upper()} {p}" for p, m, _ in OPERATIONS],
)
def test_known_bad_values_in_every_api_field_are_4xx(world, path, method, operation):
    query_names, body_names = _fields(operation)
    url = _api_url(path, world)
    client = Client(headers={"Authorization": f"Bearer {world['raw_token']}"})
    for value in [*KNOWN_BAD, 2**70]:
        query = _encode(dict.fromkeys(query_names, value))
        if method == "get":
            response = client.get(f"{url}?{query}")
        else:
            body = json.dumps(dict.fromkeys(body_names, value))
            response = getattr(client, method)(
                f"{url}?{query}", body, content_type="application/json"
            )
        # An operation that takes only text (a column's name) may take "²" as it is; a NUL never.
        fits = _all_text(operation, body_names) and "\x00" not in str(value)
        assert 400 <= response.status_code < 500 or fits or not (query_names or body_names), (
            method, url, value, response.status_code,
        )  # fmt: skip
        assert response.status_code < 500
        assert response["Content-Type"].startswith("application/json")
