# ruff: noqa: F811 - the governance fixtures imported below are used as arguments
"""An approved restricted use is public news: an activity in the feed (never a value), landing
on the request; the register page follows it live. A pending or declined request is not news."""

from django.urls import reverse

from commons import access, notifying
from realtime.models import Activity
from tests.commons.governance import (  # noqa: F401 - fixtures, used as arguments
    ask,
    kaitiaki_org,
    kaitiaki_steward,
    lead,
    make_project,
    maori_dataset,
    other_org,
    project,
    version,
)


def test_the_last_approval_announces_the_use_and_nothing_before_it(
    lead, maori_dataset, project, version, kaitiaki, kaitiaki_steward, client
):
    request = ask(lead, maori_dataset, project, version, why="To see which weeks reached whānau.")
    access.decide(actor=kaitiaki, access=request, approve=True, reason="Within the rules.")
    assert not Activity.objects.filter(verb=notifying.ACCESS_GRANTED).exists()  # one of two
    access.decide(actor=kaitiaki_steward, access=request, approve=True, reason="Ae, tautoko.")
    activity = Activity.objects.get(verb=notifying.ACCESS_GRANTED)
    assert activity.scope == "public" and activity.target_title == maori_dataset.title
    assert activity.payload["project"] == project.title and activity.payload["ends"]
    client.force_login(lead)
    dataset_page = client.get(reverse("commons_dataset", kwargs={"slug": maori_dataset.slug}))
    assert "1 approved use so far" in dataset_page.content.decode()  # the part that goes live
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "restricted use</a> of unrounded values approved, 1 in force today" in dashboard
    assert "1 of Māori data" in dashboard
    # Opening it from the feed lands on the request: its purpose and who approved it.
    assert notifying.landing(activity) == reverse("commons_access", kwargs={"pk": request.pk})
    client.force_login(lead)
    feed = client.get(reverse("home")).content.decode()
    assert "approved a restricted use of" in feed


def test_a_declined_request_is_not_announced(lead, maori_dataset, project, version, kaitiaki):
    request = ask(lead, maori_dataset, project, version, why="A request that is refused.")
    access.decide(actor=kaitiaki, access=request, approve=False, reason="Not needed.")
    assert not Activity.objects.filter(verb=notifying.ACCESS_GRANTED).exists()


def test_the_register_page_follows_new_uses_live(client, lead):
    client.force_login(lead)
    page = client.get(reverse("commons_register")).content.decode()
    assert 'data-live-register="1"' in page and 'id="register-entries"' in page
    assert "js/commons-live" in page


def test_the_register_is_in_the_api_with_the_pages_filters(
    lead, maori_dataset, project, version, kaitiaki, kaitiaki_steward, client
):
    approved = ask(lead, maori_dataset, project, version, why="To see which weeks reached whānau.")
    access.decide(actor=kaitiaki, access=approved, approve=True, reason="Within the rules.")
    access.decide(actor=kaitiaki_steward, access=approved, approve=True, reason="Ae, tautoko.")
    ask(lead, maori_dataset, project, version, why="A pending request, not in the register.")
    assert client.get("/api/v1/register").status_code == 401
    client.force_login(lead)
    entries = client.get("/api/v1/register").json()
    assert [e["id"] for e in entries] == [approved.pk]
    entry = entries[0]
    assert entry["project"] == project.title and entry["dataset_slug"] == maori_dataset.slug
    assert entry["purpose"]["why"] == "To see which weeks reached whānau."
    assert {a["role"] for a in entry["approved_by"]} == {"steward", "kaitiaki"}
    assert entry["ends_on"] and entry["rules_version"] == 1
    assert client.get("/api/v1/register", {"community": "maori"}).json()[0]["id"] == approved.pk
    assert client.get("/api/v1/register", {"dataset": maori_dataset.slug}).json()
    assert client.get("/api/v1/register", {"dataset": "no-such-dataset"}).status_code == 404
    assert client.get("/api/v1/register", {"community": "everyone"}).status_code == 422
