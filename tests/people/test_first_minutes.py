"""A newcomer's first minutes: the signed-out welcome page shows what is really here; the feed
offers "Raise a problem" and "Post an idea" (and a first-visit note that can be put away);
profiles and organisation pages list what people contributed; sign-up takes an organisation that
is not listed; short names are spelt out."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.ratelimit import rate_limit_disabled
from discussion import services as discussion
from ideas import services
from ideas.models import Idea
from people.models import Organisation, Profile, User
from realtime.models import Activity
from tests.factories import ProfileFactory

PASSWORD = "kōwhai-tree-lantern-42"


def text_of(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def decided(person, steward, make_idea):
    """An idea shortlisted with a reason, a problem, and a hidden idea that must not show."""
    problem = services.problem_create(
        author=person.user,
        title="Referrals between GPs and mental health get lost",
        description="Nobody knows where they went.",
        affected="Whānau waiting for help",
    )
    idea = make_idea(title="One referral form agreed by both sides", problem=problem)
    services.idea_decide(
        actor=steward.user,
        idea=idea,
        to_stage=Idea.Stage.SHORTLISTED,
        reason="Two services offered to pilot it in Porirua.",
    )
    hidden = make_idea(title="Something a steward hid")
    discussion.hide(actor=steward.user, reason="Off topic", item=hidden)
    return idea


# --- the welcome page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_signed_out_welcome_says_how_it_works_and_shows_real_public_content(client, decided):
    # Given a platform with a problem, ideas and a public decision (and one hidden idea)
    # When someone who is not signed in opens the home page
    response = client.get(reverse("home"))

    # Then it says what it is and how it works, in steps
    assert response.status_code == 200
    page = text_of(response)
    for step in ("Raise a problem", "Post and support ideas", "Decisions in the open"):
        assert step in page
    # ... with real numbers: 2 people from one organisation, 1 problem, 1 visible idea
    assert "2 people from 1 organisation" in page
    assert "1 problem raised" in page and "1 idea to fix them" in page
    assert "1 decision, with its reason" in page
    # ... the newest problems and ideas with their stage, and the decision with its reason
    assert "Referrals between GPs and mental health get lost Open" in page
    assert "One referral form agreed by both sides Shortlisted" in page
    assert "from New to Shortlisted" in page
    assert "Two services offered to pilot it in Porirua." in page
    # ... but nothing hidden, and no one's name (the visitor is not signed in)
    assert "Something a steward hid" not in page
    for name in ("Aroha Ngata", "Rangi Tipene"):
        assert name not in page
    # ... and the way in
    assert page.count("Join Social Commons") >= 2
    assert reverse("account_signup") in response.content.decode()


@pytest.mark.django_db
def test_the_welcome_page_costs_the_same_queries_however_much_there_is(
    client, person, make_idea, django_assert_num_queries
):
    make_idea(title="First")
    with django_assert_num_queries(7):
        client.get(reverse("home"))
    for n in range(8):
        make_idea(title=f"Idea {n}")
    cache.clear()
    with django_assert_num_queries(7):
        client.get(reverse("home"))
    # then it is kept for a minute: no queries at all
    with django_assert_num_queries(0):
        client.get(reverse("home"))


# --- the feed for a newcomer ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_feed_offers_the_two_ways_to_start_and_says_the_difference(client, person):
    client.force_login(person.user)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert f'href="{reverse("problem_create")}">Raise a problem</a>' in html
    assert f'href="{reverse("idea_create")}">Post an idea</a>' in html
    page = text_of(response)
    assert "A problem is what gets in the way" in page
    assert "An idea is a way to fix a problem" in page


@pytest.mark.django_db
def test_a_newcomer_sees_a_first_visit_note_until_they_put_it_away(client, person):
    # Given someone who joined today
    client.force_login(person.user)
    page = text_of(client.get(reverse("home")))
    # Then the feed greets them and points at following and the dashboard
    assert "Kia ora, Aroha Ngata — here is how to start" in page
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("dashboard")}">dashboard</a>' in html
    assert "<strong>Follow</strong>" in html

    # When they press "Got it" (a plain form: no JavaScript needed)
    response = client.post(reverse("first_visit_done"))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    # Then the note is gone, the two actions stay
    page = text_of(client.get(reverse("home")))
    assert "here is how to start" not in page and "Raise a problem" in page


@pytest.mark.django_db
def test_someone_who_joined_weeks_ago_sees_no_first_visit_note(client, person):
    User.objects.filter(pk=person.user_id).update(date_joined=timezone.now() - timedelta(days=30))
    client.force_login(person.user)
    page = text_of(client.get(reverse("home")))
    assert "here is how to start" not in page and "Post an idea" in page


# --- contributions on profiles and organisation pages --------------------------------------------


def _contribute(person, colleague, steward, make_idea, n: int) -> None:
    """``n`` of each: ideas, problems, comments and supports by ``person``; decisions by the
    steward on the person's ideas."""
    with rate_limit_disabled():
        _contribute_n(person, colleague, steward, make_idea, n)


def _contribute_n(person, colleague, steward, make_idea, n: int) -> None:
    for i in range(n):
        idea = make_idea(title=f"Idea number {i}")
        services.problem_create(
            author=person.user, title=f"Problem {i}", description="d", affected="a"
        )
        other = make_idea(author=colleague, title=f"Colleague's idea {i}")
        discussion.comment_create(author=person.user, body=f"Comment {i} on it", target=other)
        services.idea_support(user=person.user, idea=other)
        services.idea_decide(actor=steward.user, idea=idea, to_stage="discussion", reason=f"R{i}")


@pytest.mark.django_db
def test_a_profile_lists_what_the_person_contributed(client, person, colleague, steward, make_idea):
    _contribute(person, colleague, steward, make_idea, 2)
    hidden = make_idea(title="Hidden idea of hers")
    discussion.hide(actor=steward.user, reason="Duplicate", item=hidden)
    client.force_login(colleague.user)

    response = client.get(person.get_absolute_url())
    page = text_of(response)
    assert "Contributions" in page
    assert "2 ideas" in page and "2 problems" in page and "2 comments" in page
    assert "supports 2 ideas" in page
    assert "Idea number 1" in page and "Problem 0" in page
    assert "Hidden idea of hers" not in page
    html = response.content.decode()
    comment = person.user.comments.first()
    assert f'href="{comment.get_absolute_url()}"' in html  # comments link to where they are
    # a steward's page shows the decisions they made, with the reason
    page = text_of(client.get(steward.get_absolute_url()))
    assert "2 decisions made" in page and "from New to Under discussion" in page and "R1" in page


@pytest.mark.django_db
def test_more_than_a_few_are_one_click_away_and_paged(
    client, person, colleague, steward, make_idea
):
    _contribute(person, colleague, steward, make_idea, 7)
    client.force_login(colleague.user)
    html = client.get(person.get_absolute_url()).content.decode()
    url = reverse("person_contributions", kwargs={"pk": person.user_id, "kind": "ideas"})
    assert f'href="{url}">All 7 ideas</a>' in html
    assert html.count('class="contribution"') == 5 * 3  # five each of ideas, problems, comments

    full = client.get(url)
    assert full.status_code == 200
    assert all(f"Idea number {i}" in text_of(full) for i in range(7))
    assert (
        client.get(
            reverse("person_contributions", kwargs={"pk": person.user_id, "kind": "secrets"})
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_the_contributions_list_is_keyset_paged(client, person, colleague, make_idea):
    with rate_limit_disabled():
        for i in range(23):
            make_idea(title=f"Paged idea {i:02d}")
    client.force_login(colleague.user)
    url = reverse("person_contributions", kwargs={"pk": person.user_id, "kind": "ideas"})
    first = client.get(url)
    assert first.context["page"].next_cursor
    assert len(first.context["page"].items) == 20
    second = client.get(url, {"cursor": first.context["page"].next_cursor})
    assert [i.title for i in second.context["page"].items] == [
        "Paged idea 02",
        "Paged idea 01",
        "Paged idea 00",
    ]
    assert client.get(url, {"cursor": "nonsense"}).status_code == 200  # from the top


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["profile", "organisation"])
def test_profile_and_organisation_pages_cost_the_same_queries_however_much_was_contributed(
    client, person, colleague, steward, make_idea, page
):
    client.force_login(colleague.user)
    url = person.get_absolute_url() if page == "profile" else person.organisation.get_absolute_url()
    client.get(url)  # warm up (session, content types)
    _contribute(person, colleague, steward, make_idea, 1)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _contribute(person, colleague, steward, make_idea, 6)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few), [q["sql"][:120] for q in many.captured_queries]


@pytest.mark.django_db
def test_the_contributions_section_itself_is_five_queries(
    rf, person, colleague, steward, make_idea, django_assert_num_queries
):
    from core import sections

    _contribute(person, colleague, steward, make_idea, 6)
    request = rf.get("/")
    request.user = colleague.user
    # ideas' own section (projects add theirs to the same slots)
    profile = {s.name: s for s in sections.registered("profile")}["ideas"]
    organisation = {s.name: s for s in sections.registered("organisation")}["ideas"]
    with django_assert_num_queries(5):  # the counts together, then four short lists
        html = profile.render(request, profile=person)
    assert "All 6 ideas" in html
    with django_assert_num_queries(5):
        organisation.render(request, organisation=person.organisation)


@pytest.mark.django_db
def test_an_organisation_page_lists_its_peoples_contributions(
    client, person, colleague, steward, make_idea
):
    _contribute(person, colleague, steward, make_idea, 1)
    outsider = ProfileFactory(display_name="Someone Else")
    make_idea(author=outsider, title="An idea from elsewhere")
    client.force_login(outsider.user)
    page = text_of(client.get(person.organisation.get_absolute_url()))
    assert f"What people from {person.organisation.name} have posted" in page
    assert "Idea number 0" in page and "Colleague's idea 0" in page
    assert "An idea from elsewhere" not in page
    assert "1 decision made" in page  # the steward works there too


# --- abbreviations -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_short_names_are_spelt_out_wherever_they_show(client, person, make_idea):
    org = person.organisation  # "Porirua Whānau Centre" (PWC)
    make_idea()
    client.force_login(person.user)
    abbr = f'<abbr title="{org.name}">{org.short_name}</abbr>'
    for url in (
        reverse("idea_list"),
        reverse("idea_waiting"),
        reverse("organisation_list"),
        org.get_absolute_url(),
    ):
        assert abbr in client.get(url).content.decode(), url


# --- sign-up with an organisation that is not listed --------------------------------------------


def signup_data(**overrides):
    data = {
        "email": "tama@example.org",
        "display_name": "Tama Rewi",
        "organisation": "",
        "new_organisation_name": "Te Awa Whānau Services",
        "new_organisation_short_name": "TAWS",
        "new_organisation_kind": Organisation.Kind.IWI,
        "new_organisation_region": Organisation.Region.WAIKATO,
        "role_title": "Kaiāwhina",
        "level": Profile.Level.FRONTLINE,
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_the_sign_up_form_offers_not_listed_without_javascript(client, organisation):
    html = client.get(reverse("account_signup")).content.decode()
    details = re.search(r'<details class="new-organisation"[^>]*>(.*?)</details>', html, re.S)
    assert details, "the group is a <details>: it opens without JavaScript"
    assert "<summary>My organisation is not listed</summary>" in details.group(1)
    for name in ("new_organisation_name", "new_organisation_kind", "new_organisation_region"):
        assert f'name="{name}"' in details.group(1)
    # it comes right after the list of organisations
    assert html.index('name="organisation"') < details.start() < html.index('name="role_title"')


@pytest.mark.django_db
def test_sign_up_with_an_organisation_that_is_not_listed_creates_both(client, organisation):
    response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 302, response.context["form"].errors
    org = Organisation.objects.get(name="Te Awa Whānau Services")
    assert (org.short_name, org.kind, org.region) == ("TAWS", "iwi", "waikato")
    profile = Profile.objects.get(user__email="tama@example.org")
    assert profile.organisation == org and org.created_by == profile.user
    joined = Activity.objects.get(verb="person.joined")
    assert joined.target_title == "Te Awa Whānau Services"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"new_organisation_name": ""}, "organisation", "If it is not listed, name it"),
        ({"organisation": "ORG"}, "new_organisation_name", "leave this empty"),
        ({"new_organisation_kind": ""}, "new_organisation_kind", "what kind"),
        ({"new_organisation_region": ""}, "new_organisation_region", "region"),
        (
            {"new_organisation_name": "porirua  whānau centre"},
            "new_organisation_name",
            "already listed",
        ),
        ({"new_organisation_name": "x" * 151}, "new_organisation_name", "at most 150"),
    ],
)
def test_a_bad_new_organisation_is_explained_and_nothing_is_created(
    client, organisation, overrides, field, message
):
    if overrides.get("organisation") == "ORG":
        overrides["organisation"] = organisation.pk
    before = (User.objects.count(), Organisation.objects.count())
    response = client.post(reverse("account_signup"), signup_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message.lower() in " ".join(errors[field]).lower(), errors
    assert (User.objects.count(), Organisation.objects.count()) == before
    # the group is open, so the message beside its field can be seen
    if field.startswith("new_organisation"):
        assert re.search(
            r'<details class="new-organisation"[^>]*\bopen\b', response.content.decode()
        )


@pytest.mark.django_db
def test_a_failure_after_the_organisation_is_created_leaves_neither(
    client, organisation, monkeypatch
):
    from people import services as people_services

    def broken_join(**kwargs):
        raise RuntimeError("the profile could not be saved")

    monkeypatch.setattr(people_services, "person_join", broken_join)
    with pytest.raises(RuntimeError):
        client.post(reverse("account_signup"), signup_data())
    assert not Organisation.objects.filter(name="Te Awa Whānau Services").exists()
    assert not User.objects.filter(email="tama@example.org").exists()


@pytest.mark.django_db
def test_choosing_a_listed_organisation_still_works(client, organisation):
    data = signup_data(organisation=organisation.pk, new_organisation_name="")
    data.update(
        new_organisation_kind="", new_organisation_region="", new_organisation_short_name=""
    )
    assert client.post(reverse("account_signup"), data).status_code == 302
    assert Profile.objects.get(user__email="tama@example.org").organisation == organisation
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
def test_two_colleagues_adding_the_same_organisation_at_once_both_join_it(
    client, organisation, monkeypatch
):
    from people import services

    original = services.organisation_create

    def a_colleague_was_quicker(**kwargs):
        # Between the form's check and the save, a colleague's sign-up added it
        Organisation.objects.create(
            name="Te Awa Whānau Services", slug="te-awa-whanau-services",
            kind=Organisation.Kind.IWI, region=Organisation.Region.WAIKATO,
        )  # fmt: skip
        return original(**kwargs)

    monkeypatch.setattr(services, "organisation_create", a_colleague_was_quicker)
    response = client.post(reverse("account_signup"), signup_data())
    assert response.status_code == 302
    profile = Profile.objects.get(user__email="tama@example.org")
    assert profile.organisation.name == "Te Awa Whānau Services"
    assert Organisation.objects.filter(name="Te Awa Whānau Services").count() == 1
