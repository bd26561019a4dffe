"""Every state change is decided from the stored state, once: no "Shortlisted → Shortlisted".

The review saw six concurrent identical decisions by two stewards make one real decision and five
public no-op decisions: the check read the caller's (stale) copy. Each test below fails that way.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from ideas import services
from ideas.models import Decision, Idea, Problem
from realtime.models import Activity
from tests.factories import ProfileFactory
from tests.ideas.test_services import _in_threads


@pytest.fixture(autouse=True)
def _generous_rate(settings):
    settings.POSTING_RATE_LIMIT = (1000, 60)
    if hasattr(settings, "RATE_LIMITS"):
        settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))


@pytest.mark.django_db
def test_a_decision_made_from_a_stale_copy_is_refused_and_records_nothing(make_idea, steward):
    # Given two stewards have the same idea open at "New"
    idea = make_idea()
    first_view, second_view = Idea.objects.get(pk=idea.pk), Idea.objects.get(pk=idea.pk)
    # When both shortlist it
    services.idea_decide(
        actor=steward.user, idea=first_view, to_stage="shortlisted", reason="Strong support"
    )
    with pytest.raises(ValidationError) as refused:
        services.idea_decide(
            actor=steward.user, idea=second_view, to_stage="shortlisted", reason="Same"
        )
    # Then one decision is public, and the second steward is told why theirs was not made
    assert "already" in str(refused.value) or "moment ago" in str(refused.value)
    assert [(d.from_stage, d.to_stage) for d in Decision.objects.filter(idea=idea)] == [
        ("new", "shortlisted")
    ]
    assert Activity.objects.filter(verb="idea.decided").count() == 1


@pytest.mark.django_db(transaction=True)
def test_six_identical_decisions_at_once_make_one(make_idea, steward):
    idea = make_idea()
    other = ProfileFactory(is_steward=True).user
    deciders = [steward.user, other] * 3
    views = [Idea.objects.get(pk=idea.pk) for _ in deciders]
    errors = _in_threads(
        6,
        lambda i: services.idea_decide(
            actor=deciders[i], idea=views[i], to_stage="shortlisted", reason=f"Reason {i}"
        ),
    )
    refused = [e for e in errors if isinstance(e, ValidationError)]
    if connection.vendor == "sqlite":  # SQLite serialises writers: "locked" is a refusal too
        refused += [e for e in errors if "locked" in str(e)]
    assert len(refused) == len(errors) == 5
    assert [(d.from_stage, d.to_stage) for d in Decision.objects.filter(idea=idea)] == [
        ("new", "shortlisted")
    ]
    assert Activity.objects.filter(verb="idea.decided").count() == 1


@pytest.mark.django_db
def test_a_problem_status_changed_from_a_stale_copy_is_refused(person):
    problem = services.problem_create(
        author=person.user, title="Discharge letters arrive late", description="Weeks late.",
        affected="Older people leaving hospital",
    )  # fmt: skip
    first_view, second_view = Problem.objects.get(pk=problem.pk), Problem.objects.get(pk=problem.pk)
    services.problem_set_status(
        actor=person.user, problem=first_view, status="solved", reason="Fixed"
    )
    with pytest.raises(ValidationError):
        services.problem_set_status(
            actor=person.user, problem=second_view, status="solved", reason="Fixed too"
        )
    assert Activity.objects.filter(verb="problem.status_changed").count() == 1


@pytest.mark.django_db
def test_an_idea_merged_twice_at_once_is_merged_once(make_idea, steward):
    source, target = make_idea(), make_idea(title="A shared story, told once")
    stale_source = Idea.objects.get(pk=source.pk)
    services.idea_merge(actor=steward.user, source=source, target=target, reason="Same idea")
    with pytest.raises(ValidationError):
        services.idea_merge(actor=steward.user, source=stale_source, target=target, reason="Dup")
    assert Decision.objects.filter(idea=source, to_stage="merged").count() == 1
