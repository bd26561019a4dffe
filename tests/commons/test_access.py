# ruff: noqa: F811 - the governance fixtures imported below are used as arguments
"""Restricted access: a project lead asks with a purpose statement under the rules in force;
the steward (and for Māori data the kaitiaki group) decides with a reason; access starts when
every approval is given and ends; the stored values are shown only to the person granted them,
while it lasts, and every step is in the audit chain. Every refusal says why and changes
nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from commons import access, audit
from commons.models import AccessDecision, AccessRequest, AuditEntry, Indicator
from projects.models import Membership, Project
from tests.commons.governance import (  # noqa: F401 - fixtures, used as arguments
    PURPOSE,
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
from tests.factories import ProfileFactory


def _actions():
    return list(AuditEntry.objects.values_list("action", flat=True))


def test_a_lead_asks_under_the_rules_in_force_and_it_is_logged(lead, dataset, project, version):
    made = ask(lead, dataset, project, version)
    assert made.status == AccessRequest.Status.PENDING
    assert made.rules.number == 1 and made.rules.max_days == 365
    assert made.organisation.name == "Waikato Health Trust"
    assert list(made.versions.all()) == [version]
    assert _actions() == ["access.requested"]


@pytest.mark.parametrize(
    ("status", "role", "message"),
    [
        (Project.Status.ACTIVE, Membership.Role.MEMBER, "Only a lead of the project"),
        (Project.Status.FORMING, Membership.Role.LEAD, "The project is forming"),
        (Project.Status.COMPLETED, Membership.Role.LEAD, "The project is completed"),
    ],
)
def test_only_a_lead_of_an_active_project_may_ask(lead, dataset, version, status, role, message):
    project = make_project(lead, status=status, role=role)
    with pytest.raises(PermissionDenied, match=message):
        ask(lead, dataset, project, version)
    assert AccessRequest.objects.count() == 0 and _actions() == []


def test_every_part_of_the_purpose_is_required_and_days_within_the_rules(
    lead, dataset, project, version
):
    with pytest.raises(ValidationError) as caught:
        ask(lead, dataset, project, version, why="  ", not_done="no", days=400)
    errors = caught.value.message_dict
    assert errors["why"] == ["Why it is needed: this is required."]
    assert "a person whose data it is could understand it" in errors["not_done"][0]
    assert "at most 365 days" in errors["days"][0]
    assert AccessRequest.objects.count() == 0 and _actions() == []


def test_the_steward_approves_and_access_runs_for_the_days_asked(
    lead, dataset, project, version, kaitiaki
):
    made = ask(lead, dataset, project, version, days=30)
    done = access.decide(actor=kaitiaki, access=made, approve=True, reason="Fits the rules.")
    today = timezone.localdate()
    assert done.status == AccessRequest.Status.APPROVED
    assert (done.starts_on, done.ends_on) == (today, today + dt.timedelta(days=29))
    assert access.is_current(done)
    assert _actions() == ["access.requested", "access.approved"]
    assert audit.verify().ok


def test_maori_data_needs_the_kaitiaki_group_too(
    lead, maori_dataset, project, version, kaitiaki, kaitiaki_steward
):
    made = ask(lead, maori_dataset, project, version)
    after_steward = access.decide(actor=kaitiaki, access=made, approve=True, reason="Yes.")
    assert after_steward.status == AccessRequest.Status.PENDING
    with pytest.raises(PermissionDenied):
        access.require_current(lead, after_steward)
    done = access.decide(actor=kaitiaki_steward, access=made, approve=True, reason="Ae.")
    assert done.status == AccessRequest.Status.APPROVED
    roles = [d.role for d in done.decisions.all()]
    assert roles == ["steward", "kaitiaki"]


def test_a_decline_ends_the_request_with_its_reason(lead, dataset, project, version, kaitiaki):
    made = ask(lead, dataset, project, version)
    done = access.decide(
        actor=kaitiaki, access=made, approve=False, reason="Rounded values are enough."
    )
    assert done.status == AccessRequest.Status.DECLINED and done.starts_on is None
    assert _actions()[-1] == "access.declined"
    with pytest.raises(ValidationError, match="declined already"):
        access.decide(actor=kaitiaki, access=made, approve=True, reason="Changed my mind.")


def test_refusals_say_why_and_change_nothing(
    lead, dataset, project, version, kaitiaki, not_a_steward, organisation
):
    made = ask(lead, dataset, project, version)
    before = _actions()
    with pytest.raises(PermissionDenied, match="Only a steward"):
        access.decide(actor=not_a_steward, access=made, approve=True, reason="Why not.")
    with pytest.raises(PermissionDenied, match="Only a steward"):
        access.decide(actor=lead, access=made, approve=True, reason="Mine.")
    with pytest.raises(ValidationError, match="Give the reason"):
        access.decide(actor=kaitiaki, access=made, approve=True, reason="  ")
    made.refresh_from_db()
    assert made.status == AccessRequest.Status.PENDING
    assert AccessDecision.objects.count() == 0 and _actions() == before


def test_a_steward_cannot_approve_their_own_request(dataset, version, kaitiaki):
    project = make_project(kaitiaki)
    made = ask(kaitiaki, dataset, project, version)
    with pytest.raises(PermissionDenied, match="someone else must decide"):
        access.decide(actor=kaitiaki, access=made, approve=True, reason="Mine.")
    assert AccessDecision.objects.count() == 0


def test_no_one_approves_twice(lead, maori_dataset, project, version, kaitiaki, organisation):
    made = ask(lead, maori_dataset, project, version)
    access.decide(actor=kaitiaki, access=made, approve=True, reason="Yes.")
    with pytest.raises(ValidationError, match="decided on this request already"):
        access.decide(actor=kaitiaki, access=made, approve=True, reason="Yes again.")
    second_steward = ProfileFactory(organisation=organisation, is_steward=True).user
    with pytest.raises(ValidationError, match="steward approval is given already"):
        access.decide(actor=second_steward, access=made, approve=True, reason="Me too.")
    assert AccessDecision.objects.count() == 1


def test_a_request_nobody_decided_in_time_lapses(lead, dataset, project, version, kaitiaki):
    made = ask(lead, dataset, project, version)
    old = timezone.now() - dt.timedelta(days=access.LAPSES_AFTER_DAYS + 1)
    AccessRequest.objects.filter(pk=made.pk).update(created=old)
    made.refresh_from_db()
    with pytest.raises(ValidationError, match="lapsed"):
        access.decide(actor=kaitiaki, access=made, approve=True, reason="Late.")
    made.refresh_from_db()
    assert made.status == AccessRequest.Status.PENDING


def test_maori_data_without_a_kaitiaki_organisation_cannot_be_fully_approved(
    lead, dataset, project, version, kaitiaki
):
    dataset.maori_data, dataset.kaitiaki_group = True, "Te Rōpū Kaitiaki"
    dataset.save()
    made = ask(lead, dataset, project, version)
    done = access.decide(actor=kaitiaki, access=made, approve=True, reason="Yes.")
    assert done.status == AccessRequest.Status.PENDING  # waits for a kaitiaki approval


# --- pages ----------------------------------------------------------------------------------


@pytest.fixture
def approved(lead, dataset, project, version, kaitiaki):
    made = ask(lead, dataset, project, version)
    return access.decide(actor=kaitiaki, access=made, approve=True, reason="Fits the rules.")


def test_the_request_form_makes_a_request_and_shows_clear_errors(
    client, lead, dataset, project, version
):
    client.force_login(lead)
    url = reverse("commons_access_new", kwargs={"slug": dataset.slug})
    page = client.get(url, {"project": project.pk})
    assert page.status_code == 200 and "Ask for restricted access" in page.content.decode()
    bad = client.post(url, {"project": project.pk, "versions": [version.pk], "days": 30})
    assert bad.status_code == 400
    assert "What data: this is required." in bad.content.decode()
    assert AccessRequest.objects.count() == 0
    good = client.post(
        url, {"project": project.pk, "versions": [version.pk], "days": 30, **PURPOSE}
    )
    made = AccessRequest.objects.get()
    assert good.status_code == 302 and good.url == reverse("commons_access", kwargs={"pk": made.pk})


def test_the_request_form_is_refused_to_someone_who_leads_no_active_project(
    client, not_a_steward, dataset, version
):
    client.force_login(not_a_steward)
    page = client.get(reverse("commons_access_new", kwargs={"slug": dataset.slug}))
    assert page.status_code == 403 and "you lead none" in page.content.decode()


def test_the_steward_decides_on_the_request_page(client, lead, dataset, project, version, kaitiaki):
    made = ask(lead, dataset, project, version)
    client.force_login(kaitiaki)
    url = reverse("commons_access", kwargs={"pk": made.pk})
    page = client.get(url).content.decode()
    assert "Your decision, as steward" in page and PURPOSE["who_sees"] in page
    decide = reverse("commons_access_decide", kwargs={"pk": made.pk})
    bad = client.post(decide, {"decision": "approve", "reason": ""})
    assert bad.status_code == 400 and "Reason: this is required." in bad.content.decode()
    client.post(decide, {"decision": "approve", "reason": "Fits the rules."})
    made.refresh_from_db()
    assert made.status == AccessRequest.Status.APPROVED
    again = client.post(decide, {"decision": "approve", "reason": "Again."})
    assert again.status_code == 400 and "approved already" in again.content.decode()


def test_a_pending_request_is_hidden_from_others(
    client, lead, dataset, project, version, colleague
):
    made = ask(lead, dataset, project, version)
    client.force_login(colleague.user)
    assert client.get(reverse("commons_access", kwargs={"pk": made.pk})).status_code == 404
    decide = reverse("commons_access_decide", kwargs={"pk": made.pk})
    assert client.post(decide, {"decision": "approve", "reason": "x"}).status_code == 404
    made.refresh_from_db()
    assert made.status == AccessRequest.Status.PENDING


def test_the_restricted_values_show_stored_values_to_the_holder_and_log_each_view(
    client, lead, dataset, approved, version
):
    first = Indicator.objects.get(dataset=dataset, code="first")
    client.force_login(lead)
    url = reverse("commons_access_values", kwargs={"pk": approved.pk})
    page = client.get(url, {"indicator": first.pk}).content.decode()
    assert "1,001" in page and "310" in page  # the stored counts, unrounded
    client.get(url, {"indicator": first.pk})
    used = AuditEntry.objects.filter(action="access.used")
    assert used.count() == 2
    assert used.first().details["rows"] >= 4
    assert audit.verify().ok


def test_no_one_else_sees_the_restricted_values(client, dataset, approved, kaitiaki, colleague):
    url = reverse("commons_access_values", kwargs={"pk": approved.pk})
    for user in (kaitiaki, colleague.user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 404 and b"1,001" not in response.content
    assert not AuditEntry.objects.filter(action="access.used").exists()


def test_expired_access_shows_nothing(client, lead, approved):
    past = timezone.localdate() - dt.timedelta(days=1)
    AccessRequest.objects.filter(pk=approved.pk).update(
        starts_on=past - dt.timedelta(days=30), ends_on=past
    )
    client.force_login(lead)
    response = client.get(reverse("commons_access_values", kwargs={"pk": approved.pk}))
    assert response.status_code == 403 and b"This access ended on" in response.content
    assert b"1,001" not in response.content
    assert not AuditEntry.objects.filter(action="access.used").exists()


def test_access_limited_to_an_area_shows_only_that_area(
    client, lead, dataset, project, version, kaitiaki
):
    waikato = access.area_codes(dataset)
    waikato = next(a for a in waikato if a.label == "Waikato")
    made = ask(lead, dataset, project, version, areas=[waikato])
    access.decide(actor=kaitiaki, access=made, approve=True, reason="Yes.")
    first = Indicator.objects.get(dataset=dataset, code="first")
    client.force_login(lead)
    page = client.get(
        reverse("commons_access_values", kwargs={"pk": made.pk}), {"indicator": first.pk}
    ).content.decode()
    assert "1,001" in page and "310" not in page
