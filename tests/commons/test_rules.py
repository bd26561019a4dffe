# ruff: noqa: F811 - the governance fixtures imported below are used as arguments
"""Rules of use, decided in common: version 1 exists from the first need; a steward of any
organisation on the governing group proposes new rules with the reason; every organisation on
the group answers through its own stewards; the last "yes" makes the next version (with who
agreed written from the answers), any "no" declines it; every step is public, in the feed and
the audit chain; access keeps the version it was asked under; refusals change nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commons import access
from commons.models import AuditEntry, GoverningMember, RulesProposal, RulesVersion
from realtime.models import Activity, Notification
from tests.commons.governance import (  # noqa: F401 - fixtures, used as arguments
    ask,
    kaitiaki_org,
    kaitiaki_steward,
    lead,
    maori_dataset,
    other_org,
    project,
    version,
)
from tests.factories import OrganisationFactory, ProfileFactory

CHANGE = {
    "who_may_ask": "Leads of active projects working with whānau in the region.",
    "purposes": "Improving services for the people the data is about.",
    "never": "Identifying anyone; linking; sharing beyond the named team.",
    "max_days": 90,
    "reason": "Hui of 3 March: a shorter access keeps the purpose current.",
}


@pytest.fixture
def member_steward(db):
    """A steward of Hamilton Family Services, a member organisation of the governing group."""
    org = OrganisationFactory(name="Hamilton Family Services", slug="hamilton-family-services")
    return ProfileFactory(display_name="Sione Member", organisation=org, is_steward=True).user


@pytest.fixture
def group(maori_dataset, kaitiaki, member_steward):
    """The Māori dataset's governing group: steward organisation, kaitiaki group, member."""
    access.governing_member_add(
        actor=kaitiaki,
        dataset=maori_dataset,
        organisation=member_steward.profile.organisation,
        role=GoverningMember.Role.MEMBER,
    )
    return maori_dataset


def test_version_1_is_there_from_the_first_need(dataset):
    first = access.current_rules(dataset)
    assert first.number == 1 and first.max_days == 365
    assert access.current_rules(dataset).pk == first.pk  # made once


def test_a_group_of_one_adopts_at_once_and_access_keeps_its_version(
    dataset, kaitiaki, lead, project, version
):
    before = ask(lead, dataset, project, version)
    proposal = access.rules_propose(actor=kaitiaki, dataset=dataset, **CHANGE)
    assert proposal.status == RulesProposal.Status.ADOPTED
    rules = access.current_rules(dataset)
    assert rules.number == 2 and rules.proposal == proposal
    assert rules.agreed_by.startswith("Porirua Whānau Centre (Rangi Tipene, ")
    actions = list(AuditEntry.objects.order_by("sequence").values_list("action", flat=True))
    assert actions[-2:] == ["rules.proposed", "rules.changed"]
    assert AuditEntry.objects.get(action="rules.changed").details["reason"] == CHANGE["reason"]
    before.refresh_from_db()
    assert before.rules.number == 1  # asked under version 1, stays under it
    assert ask(lead, dataset, project, version, days=90).rules.number == 2
    with pytest.raises(ValidationError, match="at most 90 days"):
        ask(lead, dataset, project, version, days=91)


def test_the_rules_change_only_when_every_organisation_on_the_group_agrees(
    group, kaitiaki, kaitiaki_steward, member_steward
):
    # A member organisation proposes: it has agreed; the steward and kaitiaki are awaited.
    proposal = access.rules_propose(actor=member_steward, dataset=group, **CHANGE)
    assert proposal.status == RulesProposal.Status.OPEN
    assert [o.name for o in access.awaited(proposal)] == [
        "Porirua Whānau Centre",
        "Te Rōpū Kaitiaki",
    ]
    assert access.current_rules(group).number == 1  # nothing changes yet
    # The stewards of the awaited organisations are told; the feed says it publicly.
    told = set(Notification.objects.values_list("user_id", flat=True))
    assert told == {kaitiaki.pk, kaitiaki_steward.pk}
    assert Activity.objects.filter(verb="commons.rules_proposed", scope="public").exists()

    access.rules_answer(actor=kaitiaki, proposal=proposal, agree=True, note="")
    assert access.current_rules(group).number == 1
    access.rules_answer(
        actor=kaitiaki_steward, proposal=proposal, agree=True, note="Agreed at our hui."
    )
    proposal.refresh_from_db()
    rules = access.current_rules(group)
    assert proposal.status == RulesProposal.Status.ADOPTED and rules.number == 2
    assert rules.max_days == 90 and rules.reason == CHANGE["reason"]
    for name in ("Hamilton Family Services (Sione Member", "Porirua Whānau Centre (Rangi",
                 "Te Rōpū Kaitiaki (Whetu Kaitiaki"):  # fmt: skip
        assert name in rules.agreed_by
    assert Activity.objects.filter(verb="commons.rules_adopted").get().payload["version"] == 2


def test_one_no_declines_with_its_reason_and_nothing_changes(
    group, kaitiaki, kaitiaki_steward, member_steward
):
    proposal = access.rules_propose(actor=kaitiaki, dataset=group, **CHANGE)
    with pytest.raises(ValidationError) as caught:
        access.rules_answer(actor=kaitiaki_steward, proposal=proposal, agree=False, note=" ")
    assert "Say why" in caught.value.message_dict["note"][0]
    assert RulesProposal.objects.get().status == RulesProposal.Status.OPEN
    access.rules_answer(
        actor=kaitiaki_steward,
        proposal=proposal,
        agree=False,
        note="Ninety days is too short for our iwi partners to report back.",
    )
    proposal.refresh_from_db()
    assert proposal.status == RulesProposal.Status.DECLINED and proposal.closed_at
    assert access.current_rules(group).number == 1
    with pytest.raises(ValidationError, match="declined already"):
        access.rules_answer(actor=member_steward, proposal=proposal, agree=True, note="")
    declined = Activity.objects.get(verb="commons.rules_declined")
    assert declined.payload["organisation"] == "Te Rōpū Kaitiaki"
    # The group can take up a new proposal after a declined one.
    again = access.rules_propose(actor=kaitiaki, dataset=group, **{**CHANGE, "max_days": 180})
    assert again.status == RulesProposal.Status.OPEN


def test_who_may_propose_and_answer_and_the_refusals_change_nothing(
    group, dataset, kaitiaki, not_a_steward, lead, member_steward
):
    for someone in (not_a_steward, lead):  # not a steward; a steward of no governing org
        with pytest.raises(PermissionDenied, match="governing group"):
            access.rules_propose(actor=someone, dataset=group, **CHANGE)
    outsider = ProfileFactory(organisation=OrganisationFactory(), is_steward=True).user
    with pytest.raises(PermissionDenied, match="governing group"):
        access.rules_propose(actor=outsider, dataset=group, **CHANGE)
    with pytest.raises(ValidationError) as caught:
        access.rules_propose(
            actor=kaitiaki, dataset=group, **{**CHANGE, "reason": " ", "max_days": 0}
        )
    assert caught.value.message_dict["reason"] == ["The reason for the change: this is required."]
    assert "from 1 to 3650" in caught.value.message_dict["max_days"][0]
    first = access.current_rules(group)
    unchanged = {k: getattr(first, k) for k in ("who_may_ask", "purposes", "never", "max_days")}
    with pytest.raises(ValidationError, match="in force already"):
        access.rules_propose(actor=kaitiaki, dataset=group, reason="Same.", **unchanged)
    assert not RulesProposal.objects.exists()

    proposal = access.rules_propose(actor=kaitiaki, dataset=group, **CHANGE)
    with pytest.raises(ValidationError, match="already before the governing group"):
        access.rules_propose(actor=member_steward, dataset=group, **{**CHANGE, "max_days": 30})
    with pytest.raises(ValidationError, match="has answered this proposal already"):
        access.rules_answer(actor=kaitiaki, proposal=proposal, agree=True, note="")
    with pytest.raises(PermissionDenied, match="governing group"):
        access.rules_answer(actor=outsider, proposal=proposal, agree=False, note="No.")
    assert RulesProposal.objects.count() == 1 and proposal.answers.count() == 1
    assert RulesVersion.objects.filter(dataset=group).count() == 1


def test_the_governing_group_and_its_refusals(dataset, kaitiaki, kaitiaki_org, organisation):
    with pytest.raises(ValidationError, match="Only a Māori dataset"):
        access.governing_member_add(
            actor=kaitiaki, dataset=dataset, organisation=kaitiaki_org, role="kaitiaki"
        )
    with pytest.raises(ValidationError, match="steward organisation is on the governing"):
        access.governing_member_add(
            actor=kaitiaki, dataset=dataset, organisation=organisation, role="member"
        )
    member = access.governing_member_add(
        actor=kaitiaki, dataset=dataset, organisation=kaitiaki_org, role="member"
    )
    assert member.role == GoverningMember.Role.MEMBER
    assert AuditEntry.objects.get().action == "governance.changed"


def test_the_rules_page_shows_the_proposal_who_agreed_and_who_is_awaited(
    client, group, kaitiaki, kaitiaki_steward, member_steward, colleague
):
    url = reverse("commons_rules", kwargs={"slug": group.slug})
    propose = reverse("commons_rules_propose", kwargs={"slug": group.slug})
    client.force_login(colleague.user)  # signed in, on no governing organisation's behalf
    page = client.get(url).content.decode()
    assert "In force: version 1" in page and "Propose new rules" not in page
    assert client.post(propose, CHANGE).status_code == 403
    assert not RulesProposal.objects.exists()

    client.force_login(member_steward)
    assert "Propose new rules" in client.get(url).content.decode()
    bad = client.post(propose, {**CHANGE, "reason": ""})
    assert bad.status_code == 400 and "There is a problem" in bad.content.decode()
    assert not RulesProposal.objects.exists()
    assert client.post(propose, CHANGE).status_code == 302
    proposal = RulesProposal.objects.get()

    client.force_login(colleague.user)
    page = client.get(url).content.decode()
    for text in ("Before the governing group", CHANGE["reason"], "(now 365)",
                 "Hamilton Family Services: <strong>agreed</strong>",
                 "Porirua Whānau Centre: <em>awaited</em>",
                 "Te Rōpū Kaitiaki: <em>awaited</em>"):  # fmt: skip
        assert text in page, text
    assert "Give the answer" not in page
    answer = reverse("commons_rules_answer", kwargs={"slug": group.slug, "pk": proposal.pk})
    assert client.post(answer, {"answer": "yes"}).status_code == 403

    client.force_login(kaitiaki_steward)
    assert "Answer for Te Rōpū Kaitiaki" in client.get(url).content.decode()
    refused = client.post(answer, {"answer": "no", "note": ""})
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    assert client.post(answer, {"answer": "maybe"}).status_code == 400
    assert proposal.answers.count() == 1
    assert client.post(answer, {"answer": "yes", "note": "Kia ora."}).status_code == 302

    client.force_login(kaitiaki)
    assert client.post(answer, {"answer": "yes"}).status_code == 302
    page = client.get(url).content.decode()
    assert "In force: version 2" in page and "90 days" in page
    assert "No proposal is open" in page
