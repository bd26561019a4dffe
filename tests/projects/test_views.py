"""The project pages as people use them: the overview (and a restricted project's public face),
starting and editing, status and closing, restricting, the team, the portfolio and "my projects"."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from discussion import services as discussion
from ideas import services as ideas_services
from ideas.models import Idea
from projects import services
from projects.models import Decision, Invitation, Membership, Project
from realtime.notifications import fan_out_inline
from tests.factories import OrganisationFactory, ProfileFactory


@pytest.fixture(autouse=True)
def _inline(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))
    with fan_out_inline():
        yield


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def inside_of(project, lead, member):
    """Things from inside a project, each with text that must not leak: an update, a card, a
    status decision, a comment."""
    services.update_post(
        actor=member, project=project, title="Ward 7 pilot week one", body="Families were seen."
    )
    services.task_create(actor=member, project=project, title="Ring the GP practice manager")
    services.project_set_status(
        actor=lead, project=project, status="active", reason="The funding letter arrived today."
    )
    discussion.comment_create(author=member, target=project, body="Shall we meet on Thursday?")
    project.refresh_from_db()
    return [
        "Ward 7 pilot week one",
        "Ring the GP practice manager",
        "The funding letter arrived today.",
        "Shall we meet on Thursday?",
        "Sam Lee",  # the member's name
    ]


# --- the overview ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_open_projects_overview_shows_everything_to_everyone_signed_in(
    client, project, lead, member, outsider
):
    secrets = inside_of(project, lead, member)
    client.force_login(outsider)
    html = page(client, project.get_absolute_url())
    update, _card, reason, comment, name = secrets  # cards are on the board, not the overview
    for text in (update, reason, comment, name):  # the name: the update's and comment's author
        assert text in html, text
    assert "Older people leave hospital with one plan" in html
    assert "People from 2 organisations work on this project." in html
    assert "Porirua Whānau Centre</a>: 1 member" in html
    assert "Te Awa Health</a>: 1 member" in html
    assert 'id="follow-button"' in html and 'id="comment-form"' in html
    assert 'id="project-status"' in html and "Active" in html
    assert reverse("project_join", args=[project.pk]) in html  # an outsider may ask to join
    assert reverse("project_edit", args=[project.pk]) not in html  # not a lead


@pytest.mark.django_db
def test_a_restricted_projects_outsider_sees_only_its_public_face(
    client, restricted, lead, member, outsider, organisation
):
    secrets = inside_of(restricted, lead, member)
    restricted.organisations.add(organisation)
    client.force_login(outsider)
    html = page(client, restricted.get_absolute_url())
    assert "Safety plans for whānau at risk" in html
    assert "Older people leave hospital with one plan" in html  # the purpose
    assert "Mere Parata" in html  # the lead
    assert "Porirua Whānau Centre" in html  # an organisation
    assert "It discusses identifiable families." in html  # the reason
    assert f'action="{reverse("project_join", args=[restricted.pk])}"' in html
    assert "Ask to join" in html
    for text in secrets:
        assert text not in html, text
    assert 'id="comment-form"' not in html and 'id="follow-button"' not in html
    assert reverse("project_updates", args=[restricted.pk]) not in html  # no inner tabs
    team = page(client, reverse("project_team", args=[restricted.pk]))
    assert "Mere Parata" in team and "Te Awa Health" in team
    for text in secrets:
        assert text not in team, text


@pytest.mark.django_db
def test_a_restricted_projects_member_sees_inside(client, restricted, lead, member):
    secrets = inside_of(restricted, lead, member)
    client.force_login(member)
    html = page(client, restricted.get_absolute_url())
    update, _card, reason, comment, name = secrets
    for text in (update, reason, comment, name):
        assert text in html, text
    team = page(client, reverse("project_team", args=[restricted.pk]))
    assert "Sam Lee" in team and "Leave project" in team


@pytest.mark.django_db
def test_the_overview_links_each_idea_and_its_outcomes_and_leads_see_their_buttons(
    client, make_idea, make_project, lead
):
    idea = make_idea(title="Shared discharge plans")
    project = make_project(ideas=[idea], tags=["discharge"])
    client.force_login(lead)
    html = page(client, project.get_absolute_url())
    assert f'href="{idea.get_absolute_url()}"' in html
    assert f'href="{reverse("project_outcomes", args=[project.pk])}"' in html
    for name in ("project_edit", "project_status", "project_restrict"):
        assert reverse(name, args=[project.pk]) in html, name
    assert "Invite people" in html and "Restrict it" in html
    assert ">discharge</a>" in html  # its tag, linking to the portfolio filtered by it
    # The trail back: the idea's page links to the project, and offers to start another.
    idea_page = page(client, idea.get_absolute_url())
    assert f'href="{project.get_absolute_url()}"' in idea_page
    assert "Start a project from this idea" in idea_page


@pytest.mark.django_db
def test_the_overview_shows_the_closure_report_once_closed(client, project, lead):
    services.project_set_status(
        actor=lead,
        project=project,
        status="completed",
        reason="Every ward uses the plan now.",
        achieved="One plan per patient on three wards.",
        learned="Start with the ward with the most delays.",
    )
    client.force_login(lead)
    html = page(client, project.get_absolute_url())
    assert "Closure report" in html
    assert "One plan per patient on three wards." in html
    assert "Start with the ward with the most delays." in html
    assert "Every ward uses the plan now." in html  # the status decision and its reason


# --- starting and editing --------------------------------------------------------------------


def project_data(**overrides):
    data = {
        "title": "Warm homes before winter",
        "purpose": "Every family we visit has a *warm, dry* home by June.",
        "ideas": [],
        "problems": [],
        "organisations": [],
        "lead": "",
        "start_date": "",
        "end_date": "",
        "tags": "whānau",
        "restricted_reason": "",
        "submission_key": "k1",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_start_a_project_from_an_idea(client, make_idea, lead, organisation):
    idea = make_idea()
    client.force_login(lead)
    form = page(client, reverse("project_create"), idea=idea.pk)
    assert re.search(rf'<option value="{idea.pk}" selected>', form)
    assert idea.title in form  # the title starts as the idea's
    assert 'list="tag-suggestions"' in form and "tag-vocabulary" in form
    response = client.post(
        reverse("project_create"),
        project_data(ideas=[idea.pk], organisations=[organisation.pk]),
    )
    project = Project.objects.get(title="Warm homes before winter")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    idea.refresh_from_db()
    assert idea.stage == Idea.Stage.PROJECT
    assert list(project.ideas.all()) == [idea]
    assert project.lead == lead
    html = page(client, project.get_absolute_url())
    assert "<em>warm, dry</em>" in html  # the purpose, as Markdown
    assert "The project has started" in html


@pytest.mark.django_db
def test_starting_a_project_without_a_title_keeps_what_was_typed(client, lead):
    client.force_login(lead)
    response = client.post(reverse("project_create"), project_data(title=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Every family we visit has a *warm, dry* home by June." in html
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_a_lead_edits_the_project_and_a_member_cannot(client, project, lead, member):
    url = reverse("project_edit", args=[project.pk])
    client.force_login(member)
    assert client.get(url)["Location"] == project.get_absolute_url()
    client.force_login(lead)
    form = page(client, url)
    assert "Edit the project" in form and project.title in form
    response = client.post(
        url,
        project_data(title="One plan, every ward", lead=f"Mere Parata (#{lead.pk})"),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "One plan, every ward"


# --- status ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_lead_changes_the_status_with_a_reason(client, project, lead, outsider):
    url = reverse("project_status", args=[project.pk])
    client.force_login(lead)
    form = page(client, url)
    assert "It is <strong>Forming</strong> now" in form
    assert "Closure report" in form  # shown without JavaScript
    response = client.post(url, {"status": "active", "reason": "The team is complete."})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == "active"
    decision = Decision.objects.get(project=project)
    assert decision.reason == "The team is complete." and decision.decided_by == lead
    client.force_login(outsider)
    html = page(client, project.get_absolute_url())
    assert "The team is complete." in html and "Forming → Active" in html


@pytest.mark.django_db
def test_completing_without_the_closure_report_names_each_missing_part(client, project, lead):
    services.measure_save(
        actor=lead,
        project=project,
        name="Days from ready to home",
        unit="days",
        baseline="6",
        baseline_date=date(2026, 1, 1),
        target="2",
        target_date=date(2026, 12, 1),
        source="Ward discharge log",
    )
    url = reverse("project_status", args=[project.pk])
    client.force_login(lead)
    overview = page(client, project.get_absolute_url())
    assert "No values recorded yet for its outcome measures" in overview
    form = page(client, url, to="completed")
    assert re.search(r'<option value="completed" selected>', form)
    assert "Days from ready to home" in form  # its closure fields
    response = client.post(url, {"status": "completed", "reason": "Done."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Write what the project achieved." in html
    assert "Write what was learned." in html
    assert "what was achieved against “Days from ready to home”" in html
    assert "Done." in html  # the reason is kept
    project.refresh_from_db()
    assert project.status == "forming" and not Decision.objects.exists()


@pytest.mark.django_db
def test_a_member_who_is_not_a_lead_is_told_on_the_status_page(client, project, member):
    client.force_login(member)
    url = reverse("project_status", args=[project.pk])
    assert "Only the project’s leads change its status." in page(client, url)
    response = client.post(url, {"status": "active", "reason": "Let us go."})
    assert response.status_code == 400
    assert "Only the project&#x27;s leads can do that." in response.content.decode()
    project.refresh_from_db()
    assert project.status == "forming"


# --- restricting ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_lead_restricts_the_project_from_its_page_and_outsiders_lose_the_inside(
    client, project, lead, member, outsider
):
    secrets = inside_of(project, lead, member)
    url = reverse("project_restrict", args=[project.pk])
    client.force_login(lead)
    assert "Restrict this project" in page(client, url)
    response = client.post(url, {"restricted": "on", "restricted_reason": ""})
    assert response.status_code == 400
    assert "Write why the project is restricted." in response.content.decode()
    response = client.post(
        url, {"restricted": "on", "restricted_reason": "We will discuss named families."}
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.restricted
    client.force_login(outsider)
    html = page(client, project.get_absolute_url())
    assert "We will discuss named families." in html
    for text in secrets:
        assert text not in html, text


# --- the team ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_team_page_groups_members_with_their_organisation_level_and_guest_end(
    client, project, lead, member
):
    ends = timezone.localdate() + timedelta(days=90)
    services.member_set(
        actor=lead, membership=project.memberships.get(user=member), role="member", expires=ends
    )
    client.force_login(lead)
    html = page(client, reverse("project_team", args=[project.pk]))
    assert "Leads (1)" in html and "Members (1)" in html
    assert "Te Awa Health" in html and "Frontline" in html
    assert f"Guest until {ends:%-d %b %Y}" in html
    assert "People from 2 organisations work on this project." in html
    assert 'id="invite-heading"' in html  # the invite form, for leads


@pytest.mark.django_db
def test_a_lead_invites_someone_and_sees_the_invitation_waiting(client, project, lead):
    newcomer = ProfileFactory(display_name="Tama Rewi").user
    client.force_login(lead)
    response = client.post(
        reverse("project_invite", args=[project.pk]),
        {"person": f"Tama Rewi (#{newcomer.pk})", "role": "member", "expires": "", "message": ""},
    )
    assert response.status_code == 302
    html = page(client, reverse("project_team", args=[project.pk]))
    assert "Tama Rewi" in html and "waiting for their answer" in html
    assert Invitation.objects.get(user=newcomer).state == "pending"


@pytest.mark.django_db
def test_a_join_request_reaches_the_leads_who_approve_it(client, project, lead, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("project_join", args=[project.pk]), {"message": "I run the Tuesday clinic."}
    )
    assert response.status_code == 302
    client.force_login(lead)
    html = page(client, reverse("project_team", args=[project.pk]))
    assert "Olive Outsider" in html and "asked to join" in html
    assert "I run the Tuesday clinic." in html
    invitation = Invitation.objects.get(user=outsider)
    response = client.post(
        reverse("project_invitation_answer", args=[project.pk, invitation.pk]),
        {"answer": "accept"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(project=project, user=outsider).exists()
    assert "Approved: they are in the team." in page(
        client, reverse("project_team", args=[project.pk])
    )


@pytest.mark.django_db
def test_a_member_who_is_not_a_lead_cannot_change_roles(client, project, lead, member):
    client.force_login(member)
    lead_membership = project.memberships.get(user=lead)
    response = client.post(
        reverse("project_member_change", args=[project.pk, lead_membership.pk]),
        {"role": "observer", "expires": ""},
    )
    assert response.status_code == 403
    assert "Only the project&#x27;s leads can do that." in response.content.decode()
    lead_membership.refresh_from_db()
    assert lead_membership.role == "lead"


@pytest.mark.django_db
def test_a_member_leaves_the_project(client, project, member):
    client.force_login(member)
    mine = project.memberships.get(user=member)
    response = client.post(reverse("project_member_remove", args=[project.pk, mine.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=mine.pk).exists()


# --- the portfolio ------------------------------------------------------------------------------


@pytest.fixture
def portfolio(make_project, project, lead, other_org, vocabulary):
    """The open project (two agencies, a frontline member, forming) and two more of the lead's
    own (one agency, no frontline): one active, tagged, in a named organisation."""
    active = make_project(
        title="Warm homes before winter",
        purpose="Insulation for families with babies.",
        tags=["whānau"],
        organisations=[other_org],
    )
    services.project_set_status(actor=lead, project=active, status="active", reason="Funded.")
    problem = ideas_services.problem_create(
        author=lead,
        title="Referral letters nobody understands",
        description="Families cannot tell what a referral letter asks of them.",
        affected="Families referred between agencies.",
    )
    quiet = make_project(
        title="Referral letters in plain words", purpose="Shorter letters.", problems=[problem]
    )
    return {"crossing": project, "active": active, "quiet": quiet, "problem": problem}


def titles(html):
    return re.findall(r'class="project-row-title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Referral letters in plain words", "Warm homes before winter",
              "One plan for discharge home"]),
        ({"status": "active"}, ["Warm homes before winter"]),
        ({"crosses": "1"}, ["One plan for discharge home"]),
        ({"frontline": "1"}, ["One plan for discharge home"]),
        ({"organisation": "te-awa"}, ["Warm homes before winter", "One plan for discharge home"]),
        ({"tag": "whānau"}, ["Warm homes before winter"]),
        ({"q": "insulation"}, ["Warm homes before winter"]),
        ({"problem": "the problem"}, ["Referral letters in plain words"]),
        ({"sort": "oldest"}, ["One plan for discharge home", "Warm homes before winter",
                              "Referral letters in plain words"]),
        ({"sort": "members"}, ["One plan for discharge home", "Referral letters in plain words",
                               "Warm homes before winter"]),
    ],
)  # fmt: skip
def test_the_portfolio_filters_and_sorts(client, portfolio, outsider, other_org, params, expected):
    other_org.slug = "te-awa"
    other_org.save(update_fields=["slug"])
    if params.get("problem"):
        params = {"problem": portfolio["problem"].pk}
    client.force_login(outsider)
    html = page(client, reverse("project_list"), **params)
    assert titles(html) == expected


@pytest.mark.django_db
def test_the_portfolio_shows_each_projects_public_face_and_badges(
    client, portfolio, restricted, outsider
):
    client.force_login(outsider)
    html = page(client, reverse("project_list"))
    row = html[html.index(f'id="project-{restricted.pk}"') :]
    row = row[: row.index("</li>")]
    assert "Safety plans for whānau at risk" in row
    for text in ("Restricted", "Crosses agencies", "Frontline members", "Forming"):
        assert text in row, text
    assert "Led by Mere Parata (Porirua Whānau Centre)" in row
    assert "2 members" in row and "Te Awa Health" in row
    assert "Forming (3)" in html and "Active (1)" in html  # status filter with counts
    assert "project-live.js" in html and "projects.css" in html


@pytest.mark.django_db
def test_the_portfolio_pages_with_more_projects_and_swaps_its_list_with_htmx(
    client, make_project, lead, settings
):
    for n in range(27):
        make_project(title=f"Project number {n}", submission_key=f"k{n}")
    client.force_login(lead)
    html = page(client, reverse("project_list"), status="forming")
    assert len(titles(html)) == 25
    cursor = re.search(r'cursor=([^"&]+)"', html).group(1)
    assert "More projects" in html and "status=forming&amp;cursor=" in html
    more = client.get(
        reverse("project_list"), {"status": "forming", "cursor": cursor}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in more and 'id="project-list"' not in more
    assert titles(more) == ["Project number 1", "Project number 0"]
    assert "More projects" not in more
    swapped = client.get(
        reverse("project_list"), {"q": "number 2"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in swapped and 'id="project-list"' in swapped
    assert "Project number 2" in titles(swapped)
    # A cursor this site did not give out starts from the top.
    assert len(titles(page(client, reverse("project_list"), cursor="nonsense"))) == 25


@pytest.mark.django_db
@pytest.mark.parametrize("size", [5, 40])
def test_the_portfolio_query_count_is_fixed(
    client, make_project, lead, other_org, size, django_assert_num_queries
):
    for n in range(size):
        make_project(
            title=f"Project {n}", submission_key=f"k{n}", organisations=[other_org], tags=["whānau"]
        )
    client.force_login(lead)
    # session, user, header profile, unread notifications, status counts, projects, their
    # organisations, the organisation, tag and problem filters (tags come from tag_text)
    with django_assert_num_queries(10):
        response = client.get(reverse("project_list"))
    assert len(response.context["page"].items) == min(size, 25)


@pytest.mark.django_db
def test_the_main_navigation_links_the_projects(client, lead):
    client.force_login(lead)
    html = page(client, reverse("project_list"))
    assert re.search(r'href="/projects/" aria-current="page">Projects</a>', html)


# --- my projects --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_my_projects_lists_memberships_invitations_and_cards_due(
    client, project, make_project, lead, member
):
    other = make_project(title="Warm homes before winter", submission_key="other")
    services.invite(actor=lead, project=other, user=member, role="observer")
    due = timezone.localdate() + timedelta(days=2)
    services.task_create(
        actor=lead, project=project, title="Book the room", assignee=member, due=due
    )
    client.force_login(member)
    html = page(client, reverse("project_mine"))
    assert "One plan for discharge home" in html and "Your role: Member, since" in html
    assert "Warm homes before winter" in html and "Mere Parata invited you as observer" in html
    invitation = Invitation.objects.get(project=other, user=member)
    answer = reverse("project_invitation_answer", args=[other.pk, invitation.pk])
    assert f'action="{answer}"' in html
    assert "Book the room" in html and f"{due:%-d %b %Y}" in html
    response = client.post(answer, {"answer": "accept"})
    assert response.status_code == 302
    assert Membership.objects.get(project=other, user=member).role == "observer"
    assert "No invitations are waiting for you." in page(client, reverse("project_mine"))


@pytest.mark.django_db
def test_someone_new_has_empty_but_helpful_lists(client, db):
    someone = ProfileFactory(display_name="New Person", organisation=OrganisationFactory()).user
    client.force_login(someone)
    html = page(client, reverse("project_mine"))
    assert "You are not in a project yet." in html
    assert "No invitations are waiting for you." in html
