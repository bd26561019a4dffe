# ruff: noqa: F811 - the governance fixtures imported below are used as arguments
"""Rules of use, decided in common: version 1 exists from the first need; a steward records
the governing group's decision as a new version with its reason and who agreed, in the audit
chain; access keeps the version it was asked under; the history is public; refusals change
nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from commons import access
from commons.models import AuditEntry, GoverningMember, RulesVersion
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

CHANGE = {
    "who_may_ask": "Leads of active projects working with whānau in the region.",
    "purposes": "Improving services for the people the data is about.",
    "never": "Identifying anyone; linking; sharing beyond the named team.",
    "max_days": 90,
    "reason": "Hui of 3 March: a shorter access keeps the purpose current.",
    "agreed_by": "Rangi Tipene (Porirua Whānau Centre); Whetu Kaitiaki (Te Rōpū Kaitiaki)",
}


def test_version_1_is_there_from_the_first_need(dataset):
    first = access.current_rules(dataset)
    assert first.number == 1 and first.max_days == 365
    assert access.current_rules(dataset).pk == first.pk  # made once


def test_a_steward_records_a_decision_as_a_new_version_in_the_audit_chain(
    dataset, kaitiaki, lead, project, version
):
    before = ask(lead, dataset, project, version)
    rules = access.rules_change(actor=kaitiaki, dataset=dataset, **CHANGE)
    assert rules.number == 2 and access.current_rules(dataset) == rules
    entry = AuditEntry.objects.get(action="rules.changed")
    assert entry.details["reason"] == CHANGE["reason"] and entry.details["number"] == 2
    before.refresh_from_db()
    assert before.rules.number == 1  # asked under version 1, stays under it
    after = ask(lead, dataset, project, version, days=90)
    assert after.rules.number == 2
    with pytest.raises(ValidationError, match="at most 90 days"):
        ask(lead, dataset, project, version, days=91)


def test_only_a_steward_records_rules_and_every_part_is_required(
    dataset, kaitiaki, not_a_steward, kaitiaki_steward
):
    for someone in (not_a_steward, kaitiaki_steward):
        with pytest.raises(PermissionDenied, match="Only a steward"):
            access.rules_change(actor=someone, dataset=dataset, **CHANGE)
    with pytest.raises(ValidationError) as caught:
        access.rules_change(
            actor=kaitiaki, dataset=dataset, **{**CHANGE, "reason": " ", "max_days": 0}
        )
    assert caught.value.message_dict["reason"] == ["The reason for the change: this is required."]
    assert "from 1 to 3650" in caught.value.message_dict["max_days"][0]
    first = access.current_rules(dataset)
    unchanged = {k: getattr(first, k) for k in ("who_may_ask", "purposes", "never", "max_days")}
    with pytest.raises(ValidationError, match="in force already"):
        access.rules_change(
            actor=kaitiaki, dataset=dataset, reason="Same.", agreed_by="Us.", **unchanged
        )
    assert RulesVersion.objects.filter(dataset=dataset).count() == 1
    assert not AuditEntry.objects.filter(action="rules.changed").exists()


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


def test_the_rules_page_is_public_with_history_and_the_form_only_for_stewards(
    client, dataset, kaitiaki, colleague
):
    access.rules_change(actor=kaitiaki, dataset=dataset, **CHANGE)
    url = reverse("commons_rules", kwargs={"slug": dataset.slug})
    client.force_login(colleague.user)
    page = client.get(url).content.decode()
    for text in ("In force: version 2", "Version 1", CHANGE["reason"], "90 days",
                 "Whetu Kaitiaki (Te Rōpū Kaitiaki)"):  # fmt: skip
        assert text in page, text
    assert "Record a decision" not in page
    refused = client.post(reverse("commons_rules_change", kwargs={"slug": dataset.slug}), CHANGE)
    assert refused.status_code == 403
    client.force_login(kaitiaki)
    assert "Record a decision" in client.get(url).content.decode()
    bad = client.post(
        reverse("commons_rules_change", kwargs={"slug": dataset.slug}), {**CHANGE, "reason": ""}
    )
    assert bad.status_code == 400 and "There is a problem" in bad.content.decode()
    assert RulesVersion.objects.filter(dataset=dataset).count() == 2
    good = client.post(
        reverse("commons_rules_change", kwargs={"slug": dataset.slug}), {**CHANGE, "max_days": 60}
    )
    assert good.status_code == 302 and access.current_rules(dataset).number == 3
