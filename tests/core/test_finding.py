"""One search across kinds (core.finding; issue 12): ideas, problems and projects found by one
form — accents and a slip forgiven, a filter by kind, what a person may not see never shown —
on the page ``/search/``, in the site header and at ``GET /api/v1/search``; on SQLite and on
PostgreSQL alike."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from core import finding
from discussion import services as discussion
from ideas import services as ideas
from projects import services as projects
from projects.models import Membership
from tests.factories import ProfileFactory
from tests.ideas.test_api import api_for

API = "/search"  # under /api/v1 (the Api client adds it)
# Every signed-in page: session, user, the header's profile, unread notifications.
PAGE = 4
PG = int(connection.vendor == "postgresql")  # the lexicon's near words, once per search


@pytest.fixture(autouse=True)
def _generous_limits(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))


@pytest.fixture
def member(db, organisation):
    return ProfileFactory(display_name="Sam Lee", organisation=organisation).user


@pytest.fixture
def outsider(db, organisation):
    return ProfileFactory(display_name="Olive Outsider", organisation=organisation).user


@pytest.fixture
def corpus(person, member, make_idea, vocabulary):
    """Whānau things of every kind (with and without the macron), an interpreter idea, and a
    restricted project of which ``member`` is a member."""
    lead = person.user

    def project(title, purpose, **kwargs):
        return projects.project_create(actor=lead, title=title, purpose=purpose, **kwargs)

    found = {
        "idea": make_idea(
            title="Kai packs for whānau in winter", summary="Food at the door.", tags=[]
        ),
        "plain_idea": make_idea(
            title="Whanau hui at the marae", summary="Written without the macron.", tags=[]
        ),
        "interpreter": make_idea(
            title="Free interpreter at the front desk", summary="Ask once.", tags=[]
        ),
        "problem": ideas.problem_create(
            author=lead,
            title="Whānau wait weeks for a referral",
            description="Families ring three agencies to be told the same thing.",
            affected="Whānau in Porirua",
        ),
        "project": project("Whānau-led discharge plans", "One plan every agency follows."),
        "restricted": project(
            "Safety plans for whānau at risk",
            "Plans that name families.",
            restricted=True,
            restricted_reason="It discusses identifiable families.",
        ),
    }
    projects.invite(actor=lead, project=found["restricted"], user=member)
    invitation = found["restricted"].invitations.get(user=member)
    projects.invitation_answer(actor=member, invitation=invitation, accept=True)
    return found


def page(client, **params):
    response = client.get(reverse("search"), params)
    assert response.status_code == 200
    return response


def found(client, q, kind=""):
    """The titles on the page, by kind."""
    results = page(client, q=q, kind=kind).context["results"]
    return {g.kind.key: {h.title for h in g.hits} for g in results.groups}


@pytest.mark.django_db
def test_macrons_do_not_matter_either_way(client, person, corpus):
    client.force_login(person.user)
    with_macron = found(client, "whānau")
    assert found(client, "whanau") == found(client, "WHĀNAU") == with_macron
    assert with_macron == {
        "idea": {"Kai packs for whānau in winter", "Whanau hui at the marae"},
        "problem": {"Whānau wait weeks for a referral"},
        "project": {"Whānau-led discharge plans", "Safety plans for whānau at risk"},
    }


@pytest.mark.django_db
def test_one_slip_is_forgiven_and_a_word_that_is_nowhere_finds_nothing(client, person, corpus):
    client.force_login(person.user)
    assert found(client, "intrepreter") == {"idea": {"Free interpreter at the front desk"}}
    assert found(client, "whanua referal") == {"problem": {"Whānau wait weeks for a referral"}}
    response = page(client, q="spaceship")
    assert response.context["results"].groups == []
    assert "Nothing matches “spaceship”" in response.content.decode()


@pytest.mark.django_db
def test_the_kind_filter_shows_one_kind_and_every_kind_s_count(client, person, corpus):
    client.force_login(person.user)
    assert found(client, "whanau", kind="project") == {
        "project": {"Whānau-led discharge plans", "Safety plans for whānau at risk"}
    }
    html = page(client, q="whanau", kind="project").content.decode()
    # The filter says how many each kind found, and keeps the chosen kind chosen
    assert '<option value="">All kinds (5)</option>' in html
    assert '<option value="idea">Ideas (2)</option>' in html
    assert '<option value="problem">Problems (1)</option>' in html
    assert '<option value="project" selected>Projects (2)</option>' in html
    # A kind that has nothing says so, and points at the others
    html = page(client, q="intrepreter", kind="problem").content.decode()
    assert "Nothing among problems matches" in html and "1 match elsewhere" in html


@pytest.mark.django_db
def test_a_restricted_project_is_found_by_its_members_only(
    client, person, member, outsider, corpus
):
    client.force_login(outsider)
    assert found(client, "safety plans") == {}
    counts = {g.kind.key: g.count for g in page(client, q="whanau").context["results"].counts}
    assert counts["project"] == 1  # not even counted
    client.force_login(member)
    assert found(client, "safety plans") == {"project": {"Safety plans for whānau at risk"}}
    # A membership that has ended is no membership
    Membership.objects.filter(user=member).update(expires=timezone.localdate() - timedelta(days=1))
    assert found(client, "safety plans") == {}


@pytest.mark.django_db
def test_hidden_ideas_and_problems_are_found_by_nothing(client, person, steward, corpus):
    discussion.hide(actor=steward.user, item=corpus["idea"], reason="Spam")
    discussion.hide(actor=steward.user, item=corpus["problem"], reason="Spam")
    client.force_login(person.user)
    result = found(client, "whanau")
    assert result["idea"] == {"Whanau hui at the marae"} and "problem" not in result
    assert found(client, "kai packs") == {}
    api = api_for(person).get(API, {"q": "kai packs"}).json()
    assert api["groups"] == [] and all(c["count"] == 0 for c in api["counts"])


@pytest.mark.django_db
def test_titles_and_snippets_are_escaped(client, person, make_idea):
    make_idea(
        title='<script>alert("t")</script> whānau',
        summary="<img src=x onerror=alert(1)> for whānau",
        body="**bold** [link](javascript:alert(2)) whānau",
        tags=[],
    )
    client.force_login(person.user)
    html = page(client, q="whanau").content.decode()
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; whānau" in html
    assert "&lt;img src=x onerror=alert(1)&gt; for whānau" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "javascript:" not in html  # the snippet is plain text: a link's address is dropped


@pytest.mark.django_db
def test_an_empty_query_shows_the_form_and_a_hint_and_searches_nothing(
    client, person, corpus, django_assert_num_queries
):
    client.force_login(person.user)
    for params in ({}, {"q": ""}, {"q": "   ", "kind": "idea"}):
        with django_assert_num_queries(PAGE):
            response = page(client, **params)
        assert response.context["results"] is None
        assert "Type what you are looking for" in response.content.decode()


@pytest.mark.django_db
def test_an_overlong_query_or_an_unknown_kind_is_refused_with_a_message(
    client, person, corpus, django_assert_num_queries
):
    client.force_login(person.user)
    with django_assert_num_queries(PAGE):
        response = page(client, q="whanau " * 40)
    html = response.content.decode()
    assert response.context["results"] is None
    assert "There is a problem" in html
    assert "A search can be at most 200 characters long (this one has 279)" in html
    response = page(client, q="whanau", kind="spaceships")
    assert response.context["results"] is None
    assert "Choose one of the kinds in the list." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "q", ["!!!", "' \\ '' :* <-> ʹ ː", "(intrepreter | desk) & !free", '"kai packs" or x', "-"]
)
def test_odd_characters_are_only_text(client, person, corpus, q):
    client.force_login(person.user)
    response = page(client, q=q)  # a page, never an error
    if not re.search(r"\w", q):
        assert "There is nothing to search for" in response.content.decode()


@pytest.mark.django_db
def test_more_of_one_kind_is_a_link_to_that_kind_paged(client, person, make_idea):
    for n in range(23):
        make_idea(title=f"Whānau idea {n}", summary="For whānau.", tags=[])
    client.force_login(person.user)
    response = page(client, q="whanau")
    (group,) = response.context["results"].groups
    assert len(group.hits) == finding.PER_KIND == 5 and group.count == 23
    assert "?q=whanau&amp;kind=idea" in response.content.decode()
    first = page(client, q="whanau", kind="idea")
    second = page(client, q="whanau", kind="idea", page=2)
    titles = [h.title for h in first.context["results"].groups[0].hits]
    titles += [h.title for h in second.context["results"].groups[0].hits]
    assert len(titles) == len(set(titles)) == 23
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in second.content.decode()
    assert 'start="21"' in second.content.decode()
    # A page beyond the last says so; a page that is not a number is the first
    beyond = page(client, q="whanau", kind="idea", page=3).content.decode()
    assert "No more ideas on this page" in beyond
    odd = page(client, q="whanau", kind="idea", page="x²").context["results"]
    assert len(odd.groups[0].hits) == 20


@pytest.mark.django_db
def test_the_best_match_comes_first_and_the_snippet_shows_the_word(client, person, make_idea):
    filler = " ".join(["Agencies meet every month to plan the week."] * 12)
    make_idea(title="Transport to clinics", summary="Buses.", body=f"{filler} Kaumātua ride free.")
    make_idea(title="Kaumātua ride free to clinics", summary="Kaumātua ride free.", tags=[])
    client.force_login(person.user)
    hits = page(client, q="kaumatua ride").context["results"].groups[0].hits
    assert [h.title for h in hits] == ["Kaumātua ride free to clinics", "Transport to clinics"]
    assert hits[1].snippet.startswith("…") and "Kaumātua ride free." in hits[1].snippet
    assert len(hits[1].snippet) <= finding.SNIPPET + 2


@pytest.mark.django_db
@pytest.mark.parametrize("n", [2, 12])
def test_a_search_costs_a_fixed_number_of_queries_per_kind(
    client, person, make_idea, django_assert_num_queries, n
):
    for i in range(n):
        make_idea(title=f"Whānau interpreter {i}", tags=[])
        ideas.problem_create(
            author=person.user, title=f"No whānau interpreter {i}", description="No one.",
            affected="Whānau",
        )  # fmt: skip
        projects.project_create(
            actor=person.user, title=f"Whānau interpreter {i}", purpose="An interpreter."
        )
    client.force_login(person.user)
    kinds = len(finding.kinds())
    # the page's own, and one per kind: its hits and how many there are, in one
    with django_assert_num_queries(PAGE + PG + kinds):
        response = page(client, q="whanau intrepreter")
    assert [len(g.hits) for g in response.context["results"].groups] == [min(n, 5)] * 3
    assert [g.count for g in response.context["results"].groups] == [n] * 3
    # one kind: its hits, and how many every other kind found
    with django_assert_num_queries(PAGE + PG + kinds):
        response = page(client, q="whanau intrepreter", kind="project")
    assert len(response.context["results"].groups[0].hits) == n


@pytest.mark.django_db
def test_the_header_has_a_search_box_that_leads_here(client, person):
    client.force_login(person.user)
    html = client.get(reverse("idea_list")).content.decode()
    form = re.search(r'<form class="site-search"[^>]*>.*?</form>', html, re.S).group()
    assert f'action="{reverse("search")}"' in form and 'role="search"' in form
    assert '<label for="site-search-q"' in form and 'name="q"' in form
    assert '<button type="submit"' in form


@pytest.mark.django_db
def test_a_project_edited_is_found_by_its_new_words_and_a_slip_in_them(client, person, corpus):
    projects.project_edit(
        actor=person.user,
        project=corpus["project"],
        title="Whānau-led discharge plans and whakapapa",
        purpose="One plan every agency follows.",
    )
    client.force_login(person.user)
    assert found(client, "whakapaap") == {"project": {"Whānau-led discharge plans and whakapapa"}}
    # The portfolio's own search is the same search
    response = client.get(reverse("project_list"), {"q": "whakapaap"})
    assert [p.title for p in response.context["page"].items] == [
        "Whānau-led discharge plans and whakapapa"
    ]


# --- the API ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_is_the_same_search(person, member, outsider, corpus):
    result = api_for(person).get(API, {"q": "whanau"}).json()
    assert result["words"] == ["whanau"] and result["kind"] is None
    assert {c["kind"]: c["count"] for c in result["counts"]} == {
        "idea": 2, "problem": 1, "project": 2, "article": 0,
    }  # fmt: skip
    idea = next(g for g in result["groups"] if g["kind"] == "idea")
    assert {i["title"] for i in idea["items"]} == {
        "Kai packs for whānau in winter", "Whanau hui at the marae",
    }  # fmt: skip
    assert idea["items"][0]["url"].startswith("http://testserver/ideas/")
    # One kind; a restricted project for its members only
    for user, titles in ((member, 2), (outsider, 1)):
        response = api_for(user.profile).get(API, {"q": "whānau", "kind": "project"})
        (group,) = response.json()["groups"]
        assert len(group["items"]) == titles and group["next_page"] is None


@pytest.mark.django_db
def test_the_api_refuses_bad_input_naming_the_field(person, client):
    api = api_for(person)
    response = api.get(API, {"q": "x" * 201})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "q"
    response = api.get(API, {"q": "whanau", "kind": "spaceships"})
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert error["field"] == "kind" and "idea" in error["message"]
    assert api.get(API, {"q": "whanau", "page": "0"}).status_code == 422
    assert api.get(API, {"q": "!!!"}).json()["groups"] == []
    assert client.get("/api/v1/search", {"q": "whanau"}).status_code == 401


@pytest.mark.django_db
def test_the_api_lists_the_search_in_its_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert set(schema["paths"]["/api/v1/search"]) == {"get"}


@pytest.mark.django_db
def test_a_kind_counts_and_ranks_its_newest_matches_only(client, person, make_idea, monkeypatch):
    # Given more matches than a kind ranks (200 in life, 6 here)
    monkeypatch.setattr(finding, "CANDIDATES", 6)
    for n in range(8):
        make_idea(title=f"Whānau idea {n}", summary="For whānau.", tags=[])
    client.force_login(person.user)
    # Then it says "6+", and ranks the newest six
    response = page(client, q="whanau", kind="idea")
    (group,) = response.context["results"].groups
    assert (group.count, group.capped) == (6, True)
    assert {h.title for h in group.hits} >= {f"Whānau idea {n}" for n in range(2, 8)}
    html = response.content.decode()
    assert '<option value="idea" selected>Ideas (6+)</option>' in html
    assert "6+ ideas for “whanau”" in html
