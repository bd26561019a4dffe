"""The projects JSON API at /api/v1/: the portfolio and a project's public face, its team,
board, plan and outcomes — and that a restricted project's inside never reaches anyone who is
not a current member, by any endpoint."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ideas.models import Idea
from people.services import api_token_create
from projects import services
from projects.models import (
    Column,
    Decision,
    Invitation,
    Measure,
    Membership,
    Milestone,
    Project,
    Reading,
    Risk,
    Task,
    Update,
)
from realtime.notifications import fan_out_inline
from tests.factories import OrganisationFactory, ProfileFactory

API = "/api/v1"
SECRET = "Kowhai-7 family safety plan"  # distinctive text written inside a restricted project


class Api:
    """A test client that sends JSON with a personal access token."""

    def __init__(self, raw_token: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {raw_token}"} if raw_token else {}

    def get(self, path: str, params: dict | None = None):
        return self.client.get(API + path, params or {}, headers=self.headers)

    def _send(self, method: str, path: str, data: dict | None = None, **headers: str):
        return getattr(self.client, method)(
            API + path,
            json.dumps(data or {}),
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def post(self, path: str, data: dict | None = None, **headers: str):
        return self._send("post", path, data, **headers)

    def patch(self, path: str, data: dict | None = None):
        return self._send("patch", path, data)

    def delete(self, path: str, data: dict | None = None):
        return self._send("delete", path, data)


def api_for(user) -> Api:
    _, raw = api_token_create(user=user, name="tests")
    return Api(raw)


def field_errors(response) -> dict[str, str]:
    assert response.status_code == 422, response.content
    return {e["field"]: e["message"] for e in response.json()["detail"]}


@pytest.fixture(autouse=True)
def _generous_limits_and_inline_fan_out(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))
    with fan_out_inline():
        yield


@pytest.fixture
def as_lead(lead):
    return api_for(lead)


@pytest.fixture
def as_member(member):
    return api_for(member)


@pytest.fixture
def as_outsider(outsider):
    return api_for(outsider)


def fill(project, lead, member):
    """Something of every kind inside ``project``, each carrying SECRET."""
    todo = project.columns.order_by("position").first()
    task = services.task_create(
        actor=member,
        project=project,
        title=f"Call the {SECRET}",
        description=f"About the {SECRET}",
        column=todo,
        checklist=[f"Check the {SECRET}"],
    )
    update = services.update_post(
        actor=member, project=project, title=f"Update on {SECRET}", body=f"The {SECRET} is done."
    )
    from discussion import services as discussion

    discussion.comment_create(author=lead, target=project, body=f"Comment on {SECRET}")
    discussion.comment_create(author=lead, target=update, body=f"Reply on {SECRET}")
    decision = services.decision_record(
        actor=lead, project=project, title=f"Use the {SECRET}", options="A or B", rationale="Why"
    )
    risk = services.risk_save(
        actor=lead,
        project=project,
        title=f"Risk to the {SECRET}",
        likelihood=4,
        consequence=5,
        mitigation=f"Guard the {SECRET}",
    )
    today = timezone.localdate()
    measure = services.measure_save(
        actor=lead,
        project=project,
        name=f"Families with a {SECRET}",
        unit="families",
        baseline=0,
        baseline_date=today - timedelta(days=30),
        target=10,
        target_date=today + timedelta(days=60),
        source=f"The {SECRET} register",
    )
    services.reading_add(actor=lead, measure=measure, value=5, on=today, note=f"{SECRET} count")
    milestone = services.milestone_save(
        actor=lead, project=project, title=f"First {SECRET}", due=today + timedelta(days=7)
    )
    return {
        "task": task,
        "update": update,
        "decision": decision,
        "risk": risk,
        "measure": measure,
        "milestone": milestone,
        "column": todo,
    }


def inner_reads(project, things):
    p, t = project.pk, things
    return [
        f"/projects/{p}/members",
        f"/projects/{p}/invitations",
        f"/projects/{p}/columns",
        f"/projects/{p}/tasks?column={t['column'].pk}",
        f"/projects/{p}/tasks/{t['task'].pk}",
        f"/projects/{p}/milestones",
        f"/projects/{p}/updates",
        f"/projects/{p}/decisions",
        f"/projects/{p}/risks",
        f"/projects/{p}/measures",
        f"/projects/{p}/comments",
        f"/projects/updates/{t['update'].pk}/comments",
    ]


def inner_writes(project, things, someone):
    p, t = project.pk, things
    task = t["task"]
    today = timezone.localdate().isoformat()
    return [
        ("patch", f"/projects/{p}", {"title": "Taken over"}),
        ("post", f"/projects/{p}/status", {"status": "active", "reason": "Go"}),
        ("post", f"/projects/{p}/restrict", {"restricted": False}),
        ("post", f"/projects/{p}/invitations", {"user": someone.pk}),
        ("patch", f"/projects/{p}/members/{someone.pk}", {"role": "lead"}),
        ("delete", f"/projects/{p}/members/{someone.pk}", None),
        ("post", f"/projects/{p}/columns", {"name": "Mine"}),
        ("patch", f"/projects/{p}/columns/{t['column'].pk}", {"name": "Mine"}),
        ("delete", f"/projects/{p}/columns/{t['column'].pk}", None),
        ("post", f"/projects/{p}/tasks", {"title": "Mine"}),
        ("patch", f"/projects/{p}/tasks/{task.pk}", {"version": task.version, "title": "Mine"}),
        ("delete", f"/projects/{p}/tasks/{task.pk}?version={task.version}", None),
        (
            "post",
            f"/projects/{p}/tasks/{task.pk}/move",
            {"version": task.version, "column": t["column"].pk},
        ),
        ("post", f"/projects/{p}/tasks/{task.pk}/checklist", {"text": "Mine"}),
        ("post", f"/projects/{p}/milestones", {"title": "Mine", "due": today}),
        ("patch", f"/projects/{p}/milestones/{t['milestone'].pk}", {"title": "Mine"}),
        ("post", f"/projects/{p}/updates", {"title": "Mine", "body": "Mine"}),
        ("post", f"/projects/{p}/decisions", {"title": "Mine", "reason": "Mine"}),
        ("post", f"/projects/{p}/risks", {"title": "Mine", "likelihood": 1, "consequence": 1}),
        ("patch", f"/projects/{p}/risks/{t['risk'].pk}", {"title": "Mine"}),
        (
            "post",
            f"/projects/{p}/measures",
            {
                "name": "Mine",
                "unit": "x",
                "baseline": 0,
                "baseline_date": today,
                "target": 1,
                "target_date": today,
                "source": "Mine",
            },
        ),
        ("patch", f"/projects/{p}/measures/{t['measure'].pk}", {"name": "Mine"}),
        ("post", f"/projects/{p}/measures/{t['measure'].pk}/readings", {"value": 1, "date": today}),
        ("post", f"/projects/{p}/comments", {"body": "Mine"}),
        ("post", f"/projects/updates/{t['update'].pk}/comments", {"body": "Mine"}),
    ]


def snapshot(project):
    """Everything an outsider's write could have changed."""
    project.refresh_from_db()
    return (
        project.title,
        project.status,
        project.restricted,
        sorted(project.memberships.values_list("user_id", "role")),
        list(Column.objects.filter(project=project).values_list("pk", "name", "position")),
        list(Task.objects.filter(project=project).values_list("pk", "title", "column", "version")),
        Invitation.objects.filter(project=project).count(),
        list(Milestone.objects.filter(project=project).values_list("title")),
        Update.objects.filter(project=project).count(),
        Decision.objects.filter(project=project).count(),
        list(Risk.objects.filter(project=project).values_list("title")),
        list(Measure.objects.filter(project=project).values_list("name")),
        Reading.objects.filter(measure__project=project).count(),
        project.comment_count,
    )


# --- a restricted project's inside -----------------------------------------------------------


def test_an_outsider_gets_404_from_every_inner_endpoint_and_never_sees_inner_text(
    restricted, lead, member, as_outsider
):
    things = fill(restricted, lead, member)
    for path in inner_reads(restricted, things):
        response = as_outsider.get(path)
        assert response.status_code == 404, (path, response.content)
        assert SECRET not in response.content.decode(), path
    # The public face: in the portfolio and on its own, with nothing from inside.
    listed = as_outsider.get("/projects")
    assert listed.status_code == 200
    assert [p["title"] for p in listed.json()["items"]] == [restricted.title]
    face = as_outsider.get(f"/projects/{restricted.pk}")
    assert face.status_code == 200
    body = face.json()
    assert body["restricted"] and body["restricted_reason"] == "It discusses identifiable families."
    assert body["lead"]["name"] == "Mere Parata"
    for inner in ("progress", "ideas", "problems", "closure"):
        assert body[inner] is None, inner
    assert body["viewer"] == {
        "can_view": False,
        "can_write": False,
        "is_lead": False,
        "is_member": False,
        "can_ask_to_join": True,
    }
    for response in (listed, face):
        assert SECRET not in response.content.decode()


def test_an_outsiders_writes_to_a_restricted_project_are_404_and_change_nothing(
    restricted, lead, member, outsider, as_outsider
):
    things = fill(restricted, lead, member)
    before = snapshot(restricted)
    for method, path, data in inner_writes(restricted, things, member):
        response = getattr(as_outsider, method)(path, data)
        assert response.status_code == 404, (method, path, response.content)
        assert SECRET not in response.content.decode()
    assert snapshot(restricted) == before


def test_a_member_sees_inside_with_progress_and_how_it_was_worked_out(
    restricted, lead, member, as_member, make_idea
):
    things = fill(restricted, lead, member)
    body = as_member.get(f"/projects/{restricted.pk}").json()
    assert body["viewer"]["can_view"] and body["viewer"]["can_write"]
    assert body["progress"] == {
        "percent": 50,
        "basis": "measures",
        "parts": [{"name": things["measure"].name, "weight": 1, "share": 0.5}],
    }
    assert body["ideas"] == [] and body["problems"] == [] and body["closure"] is None
    for path in inner_reads(restricted, things):
        if path.endswith("/invitations"):
            continue  # its leads' only
        response = as_member.get(path)
        assert response.status_code == 200, (path, response.content)


def test_a_removed_members_token_is_404_inside_and_their_writes_change_nothing(
    restricted, lead, member, as_member
):
    things = fill(restricted, lead, member)
    assert as_member.get(f"/projects/{restricted.pk}/tasks/{things['task'].pk}").status_code == 200
    services.member_remove(actor=lead, membership=restricted.memberships.get(user=member))
    before = snapshot(restricted)
    for path in inner_reads(restricted, things):
        response = as_member.get(path)
        assert response.status_code == 404, path
        assert SECRET not in response.content.decode()
    for method, path, data in inner_writes(restricted, things, lead):
        assert getattr(as_member, method)(path, data).status_code == 404, path
    assert snapshot(restricted) == before
    assert as_member.get(f"/projects/{restricted.pk}").json()["progress"] is None


def test_an_expired_guest_is_404_inside(restricted, lead, member, as_member):
    membership = restricted.memberships.get(user=member)
    Membership.objects.filter(pk=membership.pk).update(
        expires=timezone.localdate() - timedelta(days=1)
    )
    assert as_member.get(f"/projects/{restricted.pk}/members").status_code == 404


def test_a_deactivated_accounts_token_is_401(restricted, member, as_member):
    assert as_member.get(f"/projects/{restricted.pk}/members").status_code == 200
    member.is_active = False
    member.save(update_fields=["is_active"])
    for path in ("/projects", f"/projects/{restricted.pk}", f"/projects/{restricted.pk}/members"):
        response = as_member.get(path)
        assert response.status_code == 401, path
    assert as_member.post("/projects", {"title": "T", "purpose": "P"}).status_code == 401
    assert Project.objects.count() == 1


# --- the team --------------------------------------------------------------------------------


def test_members_show_names_organisations_and_profiles_never_e_mail_addresses(
    project, lead, member, as_outsider
):
    response = as_outsider.get(f"/projects/{project.pk}/members")  # an open project: anyone
    assert response.status_code == 200
    text = response.content.decode()
    for user in (lead, member):
        assert user.email and user.email not in text
        assert user.email.split("@")[0] not in text
    assert "@" not in text
    people = {m["person"]["name"]: m for m in response.json()}
    assert set(people) == {"Mere Parata", "Sam Lee"}
    sam = people["Sam Lee"]
    assert sam["role"] == "member" and sam["current"] and sam["expires"] is None
    assert sam["person"]["organisation"]["name"] == "Te Awa Health"
    assert sam["profile_url"].endswith(f"/people/{member.pk}/")
    assert set(sam) == {
        "person",
        "profile_url",
        "role",
        "role_label",
        "expires",
        "joined",
        "current",
    }
    assert set(sam["person"]) == {"id", "name", "organisation"}


def test_a_lead_invites_the_invited_person_accepts_and_the_lead_changes_their_role(
    project, lead, outsider, as_lead, as_outsider
):
    expires = (timezone.localdate() + timedelta(days=90)).isoformat()
    response = as_lead.post(
        f"/projects/{project.pk}/invitations",
        {"user": outsider.pk, "role": "observer", "expires": expires, "message": "Join us"},
    )
    assert response.status_code == 201, response.content
    invitation = response.json()
    assert (invitation["kind"], invitation["state"], invitation["role"]) == (
        "invite",
        "pending",
        "observer",
    )
    assert [i["id"] for i in as_lead.get(f"/projects/{project.pk}/invitations").json()] == [
        invitation["id"]
    ]
    # Someone else may not answer it; the lead may not answer for them.
    path = f"/projects/{project.pk}/invitations/{invitation['id']}/answer"
    assert as_lead.post(path, {"accept": True}).status_code == 403
    answered = as_outsider.post(path, {"accept": True})
    assert answered.status_code == 200 and answered.json()["state"] == "accepted"
    assert project.memberships.get(user=outsider).role == "observer"
    # An observer follows the work and does not change it.
    refused = as_outsider.post(f"/projects/{project.pk}/tasks", {"title": "Mine"})
    assert refused.status_code == 403
    assert "Observers" in refused.json()["detail"]
    changed = as_lead.patch(f"/projects/{project.pk}/members/{outsider.pk}", {"role": "member"})
    assert changed.status_code == 200
    assert (changed.json()["role"], changed.json()["expires"]) == ("member", expires)
    assert as_outsider.post(f"/projects/{project.pk}/tasks", {"title": "Mine"}).status_code == 201


def test_asking_to_join_and_a_lead_approving(restricted, lead, outsider, as_lead, as_outsider):
    asked = as_outsider.post(f"/projects/{restricted.pk}/join", {"message": "I run the ward"})
    assert asked.status_code == 201 and asked.json()["kind"] == "request"
    path = f"/projects/{restricted.pk}/invitations/{asked.json()['id']}/answer"
    assert as_outsider.post(path, {"accept": True}).status_code == 403  # a lead decides
    assert as_lead.post(path, {"accept": True}).json()["state"] == "accepted"
    assert as_outsider.get(f"/projects/{restricted.pk}/members").status_code == 200


def test_only_leads_see_invitations_and_answers_to_others_invitations_are_404(
    project, lead, member, outsider, as_member, as_outsider
):
    invitation = services.invite(actor=lead, project=project, user=outsider)
    assert as_member.get(f"/projects/{project.pk}/invitations").status_code == 403
    path = f"/projects/{project.pk}/invitations/{invitation.pk}/answer"
    assert as_member.post(path, {"accept": False}).status_code == 404
    assert as_outsider.post(path, {"accept": False}).json()["state"] == "declined"


def test_removing_a_member_and_leaving(project, lead, member, as_lead, as_member):
    assert as_member.delete(f"/projects/{project.pk}/members/{lead.pk}").status_code == 403
    left = as_member.delete(f"/projects/{project.pk}/members/{member.pk}")
    assert left.status_code == 200 and left.json()["detail"] == "You left the project."
    assert not project.memberships.filter(user=member).exists()
    # The last lead cannot go.
    last = as_lead.delete(f"/projects/{project.pk}/members/{lead.pk}")
    assert field_errors(last) == {"member": "A project needs a lead: make someone else lead first."}
    assert as_lead.delete(f"/projects/{project.pk}/members/{member.pk}").status_code == 404


# --- the board -------------------------------------------------------------------------------


def test_a_stale_move_is_a_409_with_the_card_where_it_really_is(project, member, as_member):
    _todo, doing, done = project.columns.all()
    task = services.task_create(actor=member, project=project, title="Ring the GP")
    services.task_move(actor=member, task=task, version=1, column=doing)  # someone else, now v2
    response = as_member.post(
        f"/projects/{project.pk}/tasks/{task.pk}/move", {"version": 1, "column": done.pk}
    )
    assert response.status_code == 409
    body = response.json()
    assert body["task"]["column"] == doing.pk and body["task"]["version"] == 2
    assert "Someone changed this card" in body["detail"]
    assert Task.objects.get(pk=task.pk).column_id == doing.pk
    # With the version it has now, the move goes through.
    moved = as_member.post(
        f"/projects/{project.pk}/tasks/{task.pk}/move", {"version": 2, "column": done.pk}
    )
    assert moved.status_code == 200
    assert (moved.json()["column"], moved.json()["version"]) == (done.pk, 3)
    assert moved.json()["rank"] == Task.objects.get(pk=task.pk).rank


def test_moving_between_two_cards(project, member, as_member):
    todo = project.columns.first()
    a, b, c = (
        services.task_create(actor=member, project=project, title=t) for t in ("A", "B", "C")
    )
    response = as_member.post(
        f"/projects/{project.pk}/tasks/{c.pk}/move",
        {"version": 1, "column": todo.pk, "after": a.pk, "before": b.pk},
    )
    assert response.status_code == 200, response.content
    page = as_member.get(f"/projects/{project.pk}/tasks", {"column": todo.pk}).json()
    assert [t["title"] for t in page["items"]] == ["A", "C", "B"]
    wrong = as_member.post(
        f"/projects/{project.pk}/tasks/{c.pk}/move",
        {"version": 2, "column": todo.pk, "after": 10**9},
    )
    assert field_errors(wrong) == {"after": "That card is not on this project's board."}


def test_a_move_by_a_non_member_is_refused_and_nothing_changes(
    project, restricted, lead, member, as_outsider
):
    for p in (project, restricted):
        task = services.task_create(actor=member, project=p, title="Ring the GP")
        done = p.columns.get(done=True)
        response = as_outsider.post(
            f"/projects/{p.pk}/tasks/{task.pk}/move", {"version": 1, "column": done.pk}
        )
        # An open project's outsider is told why; a restricted project's sees nothing there.
        assert response.status_code == (403 if p == project else 404), response.content
        task.refresh_from_db()
        assert (task.column_id, task.version) == (p.columns.first().pk, 1)
    assert (
        "ask to join"
        in as_outsider.post(f"/projects/{project.pk}/tasks", {"title": "Mine"}).json()["detail"]
    )


def test_giving_a_card_to_a_non_member_is_a_422_saying_so(project, member, outsider, as_member):
    message = "Cards can be given only to members of the project (not observers)."
    response = as_member.post(
        f"/projects/{project.pk}/tasks", {"title": "Ring the GP", "assignee": outsider.pk}
    )
    assert field_errors(response) == {"assignee": message}
    nobody = as_member.post(f"/projects/{project.pk}/tasks", {"title": "X", "assignee": 10**9})
    assert field_errors(nobody) == {"assignee": message}
    assert not Task.objects.exists()
    task = services.task_create(actor=member, project=project, title="Ring the GP")
    edit = as_member.patch(
        f"/projects/{project.pk}/tasks/{task.pk}", {"version": 1, "assignee": outsider.pk}
    )
    assert field_errors(edit) == {"assignee": message}
    assert Task.objects.get(pk=task.pk).assignee is None


def test_cards_with_checklists_edits_and_deletes_by_version(project, lead, member, as_member):
    doing = project.columns.get(name="Doing")
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    created = as_member.post(
        f"/projects/{project.pk}/tasks",
        {
            "title": "Book the hui",
            "column": doing.pk,
            "assignee": lead.pk,
            "due": due,
            "labels": ["whānau", "urgent"],
            "checklist": ["Venue", "Kai"],
        },
    )
    assert created.status_code == 201, created.content
    task = created.json()
    assert task["column"] == doing.pk and task["version"] == 1
    assert task["assignee"]["name"] == "Mere Parata"
    assert task["labels"] == ["whānau", "urgent"]
    assert [(i["text"], i["done"]) for i in task["checklist"]] == [("Venue", False), ("Kai", False)]
    assert (task["checklist_total"], task["checklist_done"]) == (2, 0)
    path = f"/projects/{project.pk}/tasks/{task['id']}"
    ticked = as_member.patch(f"{path}/checklist/{task['checklist'][0]['id']}", {"done": True})
    assert ticked.json()["checklist_done"] == 1
    added = as_member.post(f"{path}/checklist", {"text": "Karakia"})
    assert added.status_code == 201 and added.json()["checklist_total"] == 3
    version = added.json()["version"]
    edited = as_member.patch(path, {"version": version, "title": "Book the hui at the marae"})
    assert edited.status_code == 200
    assert edited.json()["title"] == "Book the hui at the marae"
    assert edited.json()["assignee"]["id"] == lead.pk  # left out: kept
    assert edited.json()["due"] == due
    stale = as_member.patch(path, {"version": version, "title": "Again"})
    assert stale.status_code == 409 and stale.json()["task"]["title"] == "Book the hui at the marae"
    unassigned = as_member.patch(path, {"version": version + 1, "assignee": None})
    assert unassigned.json()["assignee"] is None
    assert as_member.delete(f"{path}?version=1").status_code == 409
    assert as_member.delete(f"{path}?version={version + 2}").status_code == 200
    assert as_member.get(path).status_code == 404


def test_columns_with_their_card_counts_added_renamed_moved_and_removed(
    project, member, as_lead, as_member
):
    services.task_create(actor=member, project=project, title="A")
    columns = as_lead.get(f"/projects/{project.pk}/columns").json()
    assert [(c["name"], c["task_count"], c["done"]) for c in columns] == [
        ("To do", 1, False),
        ("Doing", 0, False),
        ("Done", 0, True),
    ]
    assert as_member.post(f"/projects/{project.pk}/columns", {"name": "Mine"}).status_code == 403
    added = as_lead.post(f"/projects/{project.pk}/columns", {"name": "Waiting"})
    assert added.status_code == 201 and added.json()["position"] == 3
    cid = added.json()["id"]
    moved = as_lead.patch(
        f"/projects/{project.pk}/columns/{cid}", {"name": "Waiting on others", "position": 0}
    )
    assert (moved.json()["name"], moved.json()["position"]) == ("Waiting on others", 0)
    names = [c["name"] for c in as_lead.get(f"/projects/{project.pk}/columns").json()]
    assert names == ["Waiting on others", "To do", "Doing", "Done"]
    todo = columns[0]["id"]
    busy = as_lead.delete(f"/projects/{project.pk}/columns/{todo}")
    assert "Move the cards out" in field_errors(busy)["column"]
    assert as_lead.delete(f"/projects/{project.pk}/columns/{cid}").status_code == 200
    assert as_lead.delete(f"/projects/{project.pk}/columns/{cid}").status_code == 404


def test_a_columns_cards_are_paged_in_board_order(project, member, as_member):
    todo = project.columns.first()
    titles = [f"Card {n}" for n in range(7)]
    for title in titles:
        services.task_create(actor=member, project=project, title=title)
    seen, cursor = [], None
    while True:
        params = {"column": todo.pk, "size": 3, **({"cursor": cursor} if cursor else {})}
        page = as_member.get(f"/projects/{project.pk}/tasks", params).json()
        seen += [t["title"] for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == titles
    bad = as_member.get(f"/projects/{project.pk}/tasks", {"column": todo.pk, "cursor": "W10="})
    assert field_errors(bad) == {
        "cursor": "Not a cursor of this list: pass the next_cursor of the previous page unchanged."
    }
    other = as_member.get(f"/projects/{project.pk}/tasks", {"column": 10**9})
    assert other.status_code == 404
    assert field_errors(as_member.get(f"/projects/{project.pk}/tasks"))["column"]


def test_a_columns_page_costs_the_same_whatever_its_size(
    project, lead, member, as_member, django_assert_max_num_queries
):
    todo = project.columns.first()
    for n in range(30):
        services.task_create(
            actor=member, project=project, title=f"Card {n}", assignee=lead, checklist=["x"]
        )
    with django_assert_max_num_queries(8):
        page = as_member.get(f"/projects/{project.pk}/tasks", {"column": todo.pk, "size": 30})
    assert len(page.json()["items"]) == 30


# --- plan and outcomes -----------------------------------------------------------------------


def test_milestones_updates_and_decisions(project, lead, member, as_member, as_lead):
    today = timezone.localdate()
    made = as_member.post(
        f"/projects/{project.pk}/milestones",
        {"title": "Pilot ward", "due": (today - timedelta(days=1)).isoformat(), "weight": 2},
    )
    assert made.status_code == 201, made.content
    assert made.json()["overdue"] and made.json()["progress"] == 0
    done = as_member.patch(
        f"/projects/{project.pk}/milestones/{made.json()['id']}", {"progress": 100}
    )
    assert (done.json()["completed"], done.json()["overdue"]) == (today.isoformat(), False)
    assert done.json()["title"] == "Pilot ward" and done.json()["weight"] == 2
    path = f"/projects/{project.pk}/milestones/{made.json()['id']}"
    reopened = as_member.patch(path, {"progress": 60}).json()
    assert (reopened["progress"], reopened["completed"], reopened["overdue"]) == (60, None, True)
    assert as_member.patch(path, {"progress": 100}).json()["completed"] == today.isoformat()
    progress = as_member.get(f"/projects/{project.pk}").json()["progress"]
    assert progress == {
        "percent": 100,
        "basis": "milestones",
        "parts": [{"name": "Pilot ward", "weight": 2, "share": 1.0}],
    }

    update = as_member.post(
        f"/projects/{project.pk}/updates", {"title": "Week one", "body": "We met **twice**."}
    )
    assert update.status_code == 201
    assert "<strong>twice</strong>" in update.json()["body_html"]
    assert update.json()["author"]["name"] == "Sam Lee"
    for n in range(3):
        services.update_post(actor=member, project=project, title=f"Week {n + 2}", body="More")
    first = as_member.get(f"/projects/{project.pk}/updates", {"size": 2}).json()
    second = as_member.get(
        f"/projects/{project.pk}/updates", {"size": 2, "cursor": first["next_cursor"]}
    ).json()
    titles = [u["title"] for u in first["items"] + second["items"]]
    assert titles == ["Week 4", "Week 3", "Week 2", "Week one"] and second["next_cursor"] is None
    comment = as_lead.post(f"/projects/updates/{update.json()['id']}/comments", {"body": "Ka pai"})
    assert comment.status_code == 201

    decided = as_member.post(
        f"/projects/{project.pk}/decisions",
        {"title": "Meet at the marae", "options": "Marae or hospital", "reason": "Whānau asked"},
    )
    assert decided.status_code == 201
    assert (decided.json()["kind"], decided.json()["headline"]) == ("decision", "Meet at the marae")
    log = as_member.get(f"/projects/{project.pk}/decisions").json()
    assert [d["title"] for d in log] == ["Meet at the marae"]


def test_risks_with_rating_level_and_review(project, lead, member, as_member):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    risk = as_member.post(
        f"/projects/{project.pk}/risks",
        {
            "title": "Staff turnover",
            "likelihood": 4,
            "consequence": 5,
            "owner": lead.pk,
            "review_by": yesterday,
        },
    )
    assert risk.status_code == 201, risk.content
    body = risk.json()
    assert (body["rating"], body["level"], body["needs_review"]) == (20, "extreme", True)
    assert body["owner"]["organisation"]["name"] == "Porirua Whānau Centre"
    closed = as_member.patch(
        f"/projects/{project.pk}/risks/{body['id']}", {"status": "closed", "likelihood": 1}
    )
    assert (closed.json()["rating"], closed.json()["level"]) == (5, "medium")
    assert closed.json()["needs_review"] is False and closed.json()["owner"]["id"] == lead.pk
    assert field_errors(
        as_member.post(
            f"/projects/{project.pk}/risks", {"title": "X", "likelihood": 6, "consequence": 1}
        )
    )["likelihood"]
    assert [r["title"] for r in as_member.get(f"/projects/{project.pk}/risks").json()] == [
        "Staff turnover"
    ]
    assert as_member.patch(f"/projects/{project.pk}/risks/{10**9}", {}).status_code == 404


def test_measures_with_their_readings(project, member, as_member):
    today = timezone.localdate()
    made = as_member.post(
        f"/projects/{project.pk}/measures",
        {
            "name": "Days to a discharge plan",
            "unit": "days",
            "baseline": "12.5",
            "baseline_date": (today - timedelta(days=60)).isoformat(),
            "target": 4,
            "target_date": (today + timedelta(days=120)).isoformat(),
            "source": "Ward records",
            "weight": 3,
        },
    )
    assert made.status_code == 201, made.content
    mid = made.json()["id"]
    assert (made.json()["baseline"], made.json()["current"], made.json()["progress"]) == (
        "12.50",
        None,
        None,
    )
    path = f"/projects/{project.pk}/measures/{mid}/readings"
    for days, value in ((20, 10), (5, 8.25)):
        reading = as_member.post(
            path, {"value": value, "date": (today - timedelta(days=days)).isoformat()}
        )
        assert reading.status_code == 201, reading.content
    measure = reading.json()
    assert [r["value"] for r in measure["readings"]] == ["10.00", "8.25"]
    assert measure["current"] == "8.25" and measure["progress"] == 0.5
    future = as_member.post(path, {"value": 1, "date": (today + timedelta(days=1)).isoformat()})
    assert field_errors(future) == {"date": "The date is in the future."}
    renamed = as_member.patch(f"/projects/{project.pk}/measures/{mid}", {"name": "Days to a plan"})
    assert renamed.json()["name"] == "Days to a plan" and renamed.json()["unit"] == "days"
    listed = as_member.get(f"/projects/{project.pk}/measures").json()
    assert [len(m["readings"]) for m in listed] == [2]
    same = as_member.patch(f"/projects/{project.pk}/measures/{mid}", {"target": "12.5"})
    assert field_errors(same) == {"target": "The target must differ from the baseline."}


# --- projects: create, edit, status, restrict -----------------------------------------------


def test_starting_a_project_from_ideas_moves_them_into_it(make_idea, person, lead, other_org):
    idea = make_idea()
    response = api_for(lead).post(
        "/projects",
        {
            "title": "Shared stories",
            "purpose": "Whānau tell their story **once**.",
            "ideas": [idea.pk],
            "organisations": [other_org.slug, person.organisation.pk],
            "tags": ["whānau"],
            "start_date": "2026-01-01",
        },
        **{"Idempotency-Key": "start-1"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    idea.refresh_from_db()
    assert idea.stage == Idea.Stage.PROJECT
    assert body["ideas"] == [
        {"id": idea.pk, "title": idea.title, "url": f"http://testserver/ideas/{idea.pk}/"}
    ]
    assert body["lead"]["id"] == lead.pk and body["viewer"]["is_lead"]
    assert body["status"] == "forming" and body["tags"] == ["whānau"]
    assert {o["slug"] for o in body["organisations"]} >= {other_org.slug}
    assert "<strong>once</strong>" in body["purpose_html"]
    again = api_for(lead).post("/projects", {"title": "x", "purpose": "y"})
    assert again.status_code == 201 and Project.objects.count() == 2


def test_a_retry_with_the_same_key_creates_one_project(lead, vocabulary):
    as_lead = api_for(lead)
    data = {"title": "Shared stories", "purpose": "Once."}
    first = as_lead.post("/projects", data, **{"Idempotency-Key": "k1"})
    again = as_lead.post("/projects", data, **{"Idempotency-Key": "k1"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.content == again.content and Project.objects.count() == 1


def test_starting_a_project_names_what_is_missing(lead, vocabulary):
    as_lead = api_for(lead)
    response = as_lead.post(
        "/projects",
        {"title": "T", "purpose": "P", "ideas": [10**9], "organisations": ["nowhere"]},
    )
    assert set(field_errors(response)) in ({"ideas"}, {"organisations"})
    restricted = as_lead.post("/projects", {"title": "T", "purpose": "P", "restricted": True})
    assert field_errors(restricted) == {"restricted_reason": "Write why the project is restricted."}
    bad = as_lead.post("/projects", {"title": "", "purpose": "P", "colour": "red"})
    assert set(field_errors(bad)) == {"title", "colour"}
    assert not Project.objects.exists()


def test_leads_edit_change_the_status_with_a_closure_and_restrict(
    project, lead, member, as_lead, as_member
):
    assert as_member.patch(f"/projects/{project.pk}", {"title": "Mine"}).status_code == 403
    edited = as_lead.patch(f"/projects/{project.pk}", {"title": "One plan home", "tags": []})
    assert edited.status_code == 200 and edited.json()["title"] == "One plan home"
    assert edited.json()["purpose"] == project.purpose  # left out: kept
    assert as_lead.patch(f"/projects/{project.pk}", {"title": None}).status_code == 422
    today = timezone.localdate()
    measure = services.measure_save(
        actor=lead,
        project=project,
        name="Readmissions",
        unit="%",
        baseline=20,
        baseline_date=today,
        target=10,
        target_date=today,
        source="Ward",
    )
    active = as_lead.post(f"/projects/{project.pk}/status", {"status": "active", "reason": "Go"})
    assert active.status_code == 201
    assert (active.json()["kind"], active.json()["to_status"]) == ("status", "active")
    incomplete = as_lead.post(
        f"/projects/{project.pk}/status", {"status": "completed", "reason": "Done"}
    )
    assert set(field_errors(incomplete)) == {"achieved", "learned", f"result_{measure.pk}"}
    completed = as_lead.post(
        f"/projects/{project.pk}/status",
        {
            "status": "completed",
            "reason": "Done",
            "achieved": "Fewer readmissions",
            "learned": "Start with the ward",
            "results": [{"measure": measure.pk, "final": "12", "note": "Most of the way"}],
        },
    )
    assert completed.status_code == 201, completed.content
    closure = as_member.get(f"/projects/{project.pk}").json()["closure"]
    assert closure["achieved"] == "Fewer readmissions"
    assert closure["results"][0]["final"] == "12.00"
    restricted = as_lead.post(
        f"/projects/{project.pk}/restrict", {"restricted": True, "reason": "Case details"}
    )
    assert restricted.json()["restricted"] and restricted.json()["restricted_reason"] == (
        "Case details"
    )
    assert (
        as_member.post(f"/projects/{project.pk}/restrict", {"restricted": False}).status_code == 403
    )


# --- the portfolio ---------------------------------------------------------------------------


def test_the_portfolio_filters_and_pages(make_project, project, lead, member, outsider, make_idea):
    idea = make_idea()
    from_idea = make_project(title="From an idea", ideas=[idea])
    solo = make_project(title="Lead alone", tags=["older people"])
    services.project_set_status(actor=lead, project=solo, status="active", reason="Go")
    as_outsider = api_for(outsider)

    def titles(**params):
        response = as_outsider.get("/projects", params)
        assert response.status_code == 200, response.content
        return [p["title"] for p in response.json()["items"]]

    assert titles() == ["Lead alone", "From an idea", project.title]
    assert titles(sort="oldest") == [project.title, "From an idea", "Lead alone"]
    assert titles(status="active") == ["Lead alone"]
    assert titles(crosses=True) == [project.title]
    assert titles(frontline="true") == [project.title]
    assert titles(idea=idea.pk) == ["From an idea"]
    assert titles(tag="older people") == ["Lead alone"]
    assert titles(organisation=member.profile.organisation.slug) == [project.title]
    assert titles(q="idea") == ["From an idea"]
    assert titles(sort="members")[0] == project.title
    first = as_outsider.get("/projects", {"size": 2}).json()
    rest = as_outsider.get("/projects", {"size": 2, "cursor": first["next_cursor"]}).json()
    assert [p["id"] for p in first["items"] + rest["items"]] == [
        solo.pk,
        from_idea.pk,
        project.pk,
    ]
    assert rest["next_cursor"] is None
    item = first["items"][1]
    assert item["member_count"] == 1 and item["lead"]["name"] == "Mere Parata"
    assert set(item) == {
        "id", "title", "purpose", "purpose_html", "status", "status_label", "restricted",
        "restricted_reason", "lead", "organisations", "tags", "member_count", "crosses_agencies",
        "has_frontline", "start_date", "end_date", "url", "created", "updated",
    }  # fmt: skip
    assert field_errors(as_outsider.get("/projects", {"status": "nonsense"}))["status"]
    assert field_errors(as_outsider.get("/projects", {"cursor": "nope"}))["cursor"]


def test_the_portfolio_costs_the_same_whatever_its_length(
    make_project, lead, outsider, django_assert_num_queries
):
    as_outsider = api_for(outsider)
    make_project(tags=["whānau"])
    with django_assert_num_queries(4) as few:  # token, user, projects, organisations
        as_outsider.get("/projects")
    for n in range(6):
        make_project(title=f"Project {n}", tags=["whānau", "discharge"])
    with django_assert_num_queries(len(few.captured_queries)):
        response = as_outsider.get("/projects")
    assert len(response.json()["items"]) == 7


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/projects/{big}",
        "/projects/{p}/tasks/{big}",
        "/projects/{p}/members/{big}",
        "/projects/{p}/risks/{big}",
    ],
)
def test_ids_beyond_64_bits_are_a_422_and_unknown_ones_a_404(project, as_member, path):
    big = 2**70
    response = as_member.get(path.format(p=project.pk, big=big))
    assert response.status_code in (405, 422)
    if response.status_code == 422:
        assert response.json()["detail"][0]["loc"][0] == "path"
    assert as_member.get(f"/projects/{10**9}").status_code == 404
    assert as_member.get(f"/projects/{project.pk}/tasks/{10**9}").status_code == 404


def test_a_task_of_another_project_is_not_found_here(project, make_project, lead, as_lead):
    other = make_project(title="Other")
    task = services.task_create(actor=lead, project=other, title="Elsewhere")
    assert as_lead.get(f"/projects/{project.pk}/tasks/{task.pk}").status_code == 404
    column = other.columns.first()
    response = as_lead.post(f"/projects/{project.pk}/tasks", {"title": "Here", "column": column.pk})
    assert field_errors(response) == {"column": "That column is not on this project's board."}


def test_a_new_organisation_by_slug(lead, vocabulary):
    org = OrganisationFactory(name="Kāinga Ora")
    ProfileFactory(display_name="Someone", organisation=org)
    response = api_for(lead).post(
        "/projects", {"title": "T", "purpose": "P", "organisations": [org.slug]}
    )
    assert response.status_code == 201
    assert org.slug in {o["slug"] for o in response.json()["organisations"]}


def test_every_schema_has_a_name_of_its_own_in_the_openapi_document(client):
    """Two schemas or enums of one name share one entry (the last one wins): ideas' problem
    ``Status`` and its ``DecisionIn`` must stay theirs."""
    schemas = client.get(f"{API}/openapi.json").json()["components"]["schemas"]
    assert schemas["Status"]["enum"] == ["open", "in_progress", "solved", "closed"]
    assert set(schemas["DecisionIn"]["properties"]) == {"to_stage", "reason"}
    assert schemas["ProjectStatus"]["enum"] == [
        "forming", "active", "paused", "completed", "stopped"
    ]  # fmt: skip
    assert schemas["RiskStatus"]["enum"] == ["open", "mitigating", "closed"]
    assert set(schemas["ProjectDecisionIn"]["properties"]) == {"title", "options", "reason"}


def test_the_api_enums_offer_exactly_the_models_choices(client):
    """The API's enums are written out (so type checkers know them): they must not drift from
    the models' choices, in the document or in what a request may send."""
    schemas = client.get(f"{API}/openapi.json").json()["components"]["schemas"]
    for name, choices in [
        ("ProjectStatus", Project.Status),
        ("RiskStatus", Risk.Status),
        ("MemberRole", Membership.Role),
        ("InvitationKind", Invitation.Kind),
        ("InvitationState", Invitation.State),
    ]:
        assert schemas[name]["enum"] == list(choices.values), name


def test_the_openapi_document_lists_the_project_endpoints(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    project = f"{API}/projects/{{project_id}}"
    assert {p: set(ops) for p, ops in paths.items() if p.startswith(f"{API}/projects")} == {
        f"{API}/projects": {"get", "post"},
        project: {"get", "patch"},
        f"{project}/status": {"post"},
        f"{project}/restrict": {"post"},
        f"{project}/comments": {"get", "post"},
        f"{API}/projects/updates/{{project_update_id}}/comments": {"get", "post"},
        f"{project}/members": {"get"},
        f"{project}/members/{{user_id}}": {"patch", "delete"},
        f"{project}/invitations": {"get", "post"},
        f"{project}/invitations/{{invitation_id}}/answer": {"post"},
        f"{project}/join": {"post"},
        f"{project}/columns": {"get", "post"},
        f"{project}/columns/{{column_id}}": {"patch", "delete"},
        f"{project}/tasks": {"get", "post"},
        f"{project}/tasks/{{task_id}}": {"get", "patch", "delete"},
        f"{project}/tasks/{{task_id}}/move": {"post"},
        f"{project}/tasks/{{task_id}}/checklist": {"post"},
        f"{project}/tasks/{{task_id}}/checklist/{{item_id}}": {"patch"},
        f"{project}/milestones": {"get", "post"},
        f"{project}/milestones/{{milestone_id}}": {"patch"},
        f"{project}/updates": {"get", "post"},
        f"{project}/decisions": {"get", "post"},
        f"{project}/risks": {"get", "post"},
        f"{project}/risks/{{risk_id}}": {"patch"},
        f"{project}/measures": {"get", "post"},
        f"{project}/measures/{{measure_id}}": {"patch"},
        f"{project}/measures/{{measure_id}}/readings": {"post"},
    }
    move = paths[f"{project}/tasks/{{task_id}}/move"]["post"]
    assert "409" in move["responses"]
    creating = [(f"{API}/projects", "post"), (f"{project}/tasks", "post")]
    for path, method in creating:
        names = [p["name"] for p in paths[path][method]["parameters"] if p["in"] == "header"]
        assert names == ["Idempotency-Key"], path
