"""Nothing inside a restricted project reaches anyone but its current members, through any
channel: every page (each of the project's own addresses, filled with real ids, and the pages
that show projects: portfolio, search, feed, notifications, dashboard, idea, problem, profile
and organisation pages), and every API operation that can be read — for a signed-in outsider,
a member who was removed, a guest whose membership ended, and a deactivated account.

The shapes other boards leaked through are here too: a restricted project linked from an open
idea (its public face only), a guest's request to join (nothing before a lead approves), and
answers about people (never their e-mail addresses). The live channel is
``test_live_access.py``."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from discussion import services as discussion
from people.services import api_token_create
from projects import services
from realtime.notifications import fan_out_inline
from tests.factories import ProfileFactory

SECRETS = {
    "task": "Kowhai family safety visit",
    "task_description": "knock twice at the back door",
    "checklist": "Bring the interpreter Ms Taufa",
    "update": "Court date moved for the Henare children",
    "update_body": "the protection order was granted",
    "comment": "Ring the aunty in Cannons Creek first",
    "decision": "Place Tama with his grandmother",
    "options": "Foster care in Tawa",
    "rationale": "his grandmother's house is two streets from kura",
    "risk": "Father learns the new address",
    "mitigation": "Silent unlisted tenancy record",
    "milestone": "Safety plan signed by all six agencies",
    "measure": "Nights in emergency housing for the Kowhai whanau",
    "reading": "after the tenancy started in Naenae",
    "member": "Zebedee Quietmember",
}
PUBLIC_FACE = ("Safety plans for whānau at risk", "It discusses identifiable families.")


@pytest.fixture
def inside(restricted, lead, member, make_idea):
    """A restricted project full of things only its members may see."""
    with fan_out_inline():
        quiet = ProfileFactory(display_name=SECRETS["member"]).user
        services.invite(actor=lead, project=restricted, user=quiet)
        services.invitation_answer(
            actor=quiet, invitation=restricted.invitations.get(user=quiet), accept=True
        )
        task = services.task_create(
            actor=lead, project=restricted, title=SECRETS["task"],
            description=SECRETS["task_description"], checklist=[SECRETS["checklist"]],
            assignee=member, due=timezone.localdate() + timedelta(days=1), labels="urgent",
        )  # fmt: skip
        update = services.update_post(
            actor=lead, project=restricted, title=SECRETS["update"], body=SECRETS["update_body"]
        )
        discussion.comment_create(author=member, target=update, body=SECRETS["comment"])
        discussion.comment_create(author=member, target=restricted, body=SECRETS["comment"])
        services.decision_record(
            actor=lead, project=restricted, title=SECRETS["decision"], options=SECRETS["options"],
            rationale=SECRETS["rationale"],
        )  # fmt: skip
        risk = services.risk_save(
            actor=lead, project=restricted, title=SECRETS["risk"], likelihood=3, consequence=5,
            mitigation=SECRETS["mitigation"], review_by=timezone.localdate() - timedelta(days=3),
        )  # fmt: skip
        milestone = services.milestone_save(
            actor=lead, project=restricted, title=SECRETS["milestone"],
            due=timezone.localdate() - timedelta(days=2),
        )  # fmt: skip
        measure = services.measure_save(
            actor=lead, project=restricted, name=SECRETS["measure"], unit="nights",
            baseline="40", baseline_date=timezone.localdate() - timedelta(days=90), target="5",
            target_date=timezone.localdate() + timedelta(days=90), source="MSD",
        )  # fmt: skip
        services.reading_add(
            actor=lead, measure=measure, value="22", on=timezone.localdate(),
            note=SECRETS["reading"],
        )  # fmt: skip
        services.project_set_status(
            actor=lead, project=restricted, status="active", reason="Team complete"
        )
        services.remind_due_soon()
    return {
        "project": restricted, "task": task, "update": update, "risk": risk,
        "milestone": milestone, "measure": measure, "column": task.column,
        "membership": restricted.memberships.get(user=member),
        "invitation": restricted.invitations.first(), "idea": make_idea(), "quiet": quiet,
    }  # fmt: skip


def _patterns(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in ("admin", "api"):
                continue
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield entry


def _kwargs(pattern, world) -> dict | None:
    """Fill a project address with the restricted project's real ids."""
    names = set(pattern.pattern.converters)
    ids = {
        "task": world["task"].pk, "member": world["membership"].pk,
        "invitation": world["invitation"].pk if world["invitation"] else 1,
        "milestone": world["milestone"].pk, "risk": world["risk"].pk,
        "measure": world["measure"].pk, "column": world["column"].pk,
    }  # fmt: skip
    kwargs = {}
    for name in names:
        if name == "pk":
            update = pattern.name.startswith("project_update")
            kwargs["pk"] = world["update"].pk if update else world["project"].pk
        elif name in ids:
            kwargs[name] = ids[name]
        else:
            return None
    return kwargs


def project_pages(world) -> list[str]:
    urls = []
    for pattern in _patterns():
        if not pattern.name.startswith("project") or pattern.name in ("project_list",):
            continue
        kwargs = _kwargs(pattern, world)
        if kwargs is None:
            continue
        extra = pattern.default_args or {}
        if "kind" in extra:  # discussion's addresses: reversed by name with the kind's id
            pass
        urls.append(reverse(pattern.name, kwargs=kwargs))
    return urls


def shared_pages(world) -> list[str]:
    p = world["project"]
    member = world["membership"].user
    return [
        reverse("project_list"),
        reverse("project_list") + "?q=Kowhai",
        reverse("project_list") + "?q=grandmother",
        reverse("search") + "?q=Kowhai",
        reverse("search") + "?q=grandmother&kind=project",
        reverse("project_list") + f"?organisation={p.organisations.first().slug}",
        reverse("home"),
        reverse("notifications"),
        reverse("dashboard"),
        reverse("idea_detail", kwargs={"pk": world["idea"].pk}),
        reverse("profile_detail", kwargs={"pk": member.pk}),
        reverse("organisation_detail", kwargs={"slug": member.profile.organisation.slug}),
        reverse("project_mine"),
    ]


def api_paths(world) -> list[str]:
    from config.api import api

    schema = api.get_openapi_schema()
    p = world["project"]
    fill = {
        "id": p.pk, "project_id": p.pk, "pk": p.pk, "task_id": world["task"].pk,
        "tid": world["task"].pk, "cid": world["column"].pk, "column_id": world["column"].pk,
        "mid": world["milestone"].pk, "milestone_id": world["milestone"].pk,
        "rid": world["risk"].pk, "risk_id": world["risk"].pk,
        "measure_id": world["measure"].pk, "update_id": world["update"].pk,
        "user_id": world["membership"].user_id,
    }  # fmt: skip
    paths = []
    for path, operations in schema["paths"].items():
        if "get" not in operations or "project" not in path:
            continue
        filled = path
        for name, value in fill.items():
            filled = filled.replace("{" + name + "}", str(value))
        if "{" not in filled:
            paths.append(filled)
    return [*paths, "/api/v1/search?q=Kowhai", "/api/v1/search?q=grandmother&kind=project"]


def assert_no_secret(where: str, text: str) -> None:
    leaked = [k for k, s in SECRETS.items() if s.lower() in text.lower()]
    assert not leaked, f"{where} shows {leaked}"


def _read_everything(client: Client, world, *, headers=None) -> dict[str, int]:
    statuses = {}
    for url in project_pages(world) + shared_pages(world):
        response = client.get(url, headers=headers or {})
        assert response.status_code < 500, url
        assert_no_secret(url, response.content.decode())
        statuses[url] = response.status_code
    return statuses


def _read_api(client: Client, world, headers) -> dict[str, int]:
    statuses = {}
    for path in api_paths(world):
        response = client.get(path, headers=headers)
        assert response.status_code < 500, path
        assert_no_secret(path, response.content.decode())
        statuses[path] = response.status_code
    return statuses


def test_a_member_does_see_it(inside, member):
    """The check below is not vacuous: the same pages show a member what they hide."""
    client = Client()
    client.force_login(member)
    seen = " ".join(client.get(u).content.decode() for u in project_pages(inside))
    for key in ("task", "update", "decision", "risk", "milestone", "measure", "member"):
        assert SECRETS[key] in seen, key
    token = api_token_create(user=member, name="t")[1]
    api = " ".join(
        Client().get(p, headers={"Authorization": f"Bearer {token}"}).content.decode()
        for p in api_paths(inside)
    )
    assert SECRETS["task"] in api and SECRETS["risk"] in api


def test_an_outsider_sees_only_its_public_face_everywhere(inside, outsider):
    client = Client()
    client.force_login(outsider)
    statuses = _read_everything(client, inside)
    detail = client.get(reverse("project_detail", kwargs={"pk": inside["project"].pk}))
    assert detail.status_code == 200
    assert all(text in detail.content.decode() for text in PUBLIC_FACE)
    board = reverse("project_board", kwargs={"pk": inside["project"].pk})
    assert statuses[board] == 404
    token = api_token_create(user=outsider, name="t")[1]
    _read_api(Client(), inside, {"Authorization": f"Bearer {token}"})


def test_a_removed_member_sees_nothing_from_inside_any_more(inside, lead, member):
    token = api_token_create(user=member, name="t")[1]
    client = Client()
    client.force_login(member)
    with fan_out_inline():
        services.member_remove(actor=lead, membership=inside["membership"])
    inside["membership"] = inside["project"].memberships.get(user=lead)
    _read_everything(client, inside)
    _read_api(Client(), inside, {"Authorization": f"Bearer {token}"})


def test_a_guest_whose_membership_ended_sees_nothing_from_inside(inside, lead, member):
    with fan_out_inline():
        services.member_set(
            actor=lead, membership=inside["membership"], role="member",
            expires=timezone.localdate() - timedelta(days=1),
        )  # fmt: skip
    client = Client()
    client.force_login(member)
    _read_everything(client, inside)


def test_asking_to_join_shows_nothing_before_a_lead_approves(inside, outsider):
    services.request_to_join(user=outsider, project=inside["project"], message="Can I help?")
    client = Client()
    client.force_login(outsider)
    _read_everything(client, inside)


def test_a_deactivated_account_reads_nothing(inside, lead, member):
    from people.services import person_deactivate

    token = api_token_create(user=member, name="t")[1]
    client = Client()
    client.force_login(member)
    staff = ProfileFactory(display_name="Staff Person").user
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    person_deactivate(actor=staff, user=member)
    for url in project_pages(inside):
        response = client.get(url)
        assert response.status_code in (302, 404), url
        assert_no_secret(url, response.content.decode())
    statuses = _read_api(Client(), inside, {"Authorization": f"Bearer {token}"})
    assert set(statuses.values()) <= {401, 404}


def test_an_open_idea_that_a_restricted_project_took_up_shows_its_public_face_only(
    restricted, lead, outsider, make_idea
):
    idea = make_idea()
    with fan_out_inline():
        taken = services.project_create(
            actor=lead, title="Restricted from an idea", purpose="Public purpose",
            ideas=[idea], restricted=True, restricted_reason="Identifiable cases",
        )  # fmt: skip
        services.task_create(actor=lead, project=taken, title=SECRETS["task"])
    client = Client()
    client.force_login(outsider)
    page = client.get(reverse("idea_detail", kwargs={"pk": idea.pk})).content.decode()
    assert "Restricted from an idea" in page and taken.get_absolute_url() in page
    assert_no_secret("idea page", page)
