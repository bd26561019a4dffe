"""Rules that live in ideas.services: permissions, validation, counts, merges, events."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from core import ratelimit
from ideas import services
from ideas.models import Decision, Idea
from realtime.models import Activity
from tests.factories import ProfileFactory
from tests.rows import follows, supports


@pytest.fixture(autouse=True)
def _generous_rate(settings):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))


@pytest.mark.django_db
def test_posting_an_idea_records_one_public_event_after_commit(
    make_idea, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        idea = make_idea()
    assert len(callbacks) == 1
    activity = Activity.objects.get(verb="idea.posted")
    assert (activity.target_id, activity.scope) == (str(idea.pk), "public")
    assert idea.revisions.count() == 1
    assert follows(idea=idea, user=idea.author).exists()


@pytest.mark.django_db
def test_authors_who_turned_off_auto_follow_are_not_followed(person, make_idea):
    person.auto_follow = False
    person.save()
    idea = make_idea()
    assert not follows(idea=idea).exists()


@pytest.mark.django_db
def test_unknown_tags_are_refused_for_people_and_allowed_for_stewards(person, steward, vocabulary):
    fields = {
        "title": "T", "summary": "S", "body": "B", "benefit": "Benefit", "tags": ["brand new tag"]
    }  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.idea_create(author=person.user, **fields)
    assert "Unknown tag" in str(exc.value.message_dict["tags"])
    assert Idea.objects.count() == 0
    idea = services.idea_create(author=steward.user, **fields)
    assert [t.name for t in idea.tags.all()] == ["brand new tag"]
    with pytest.raises(ValidationError):
        services.idea_create(author=steward.user, **{**fields, "tags": ["<script>"]})


@pytest.mark.django_db
def test_edits_keep_every_version(person, colleague, make_idea):
    idea = make_idea()
    services.idea_update(actor=person.user, idea=idea, title="A better title", tags=["referrals"])
    assert [r.title for r in idea.revisions.order_by("id")] == [
        "One shared story for whānau across agencies",
        "A better title",
    ]
    with pytest.raises(PermissionDenied):
        services.idea_update(actor=colleague.user, idea=idea, title="Hijacked")
    idea.refresh_from_db()
    assert idea.title == "A better title"


@pytest.mark.django_db
def test_problem_owners_and_stewards_decide_nobody_else(person, colleague, steward, vocabulary):
    problem = services.problem_create(
        author=colleague.user, title="Discharge delays", description="D", affected="Kaumātua"
    )
    idea = services.idea_create(
        author=person.user, title="T", summary="S", body="B", benefit="X", problem=problem
    )
    other = ProfileFactory()
    with pytest.raises(PermissionDenied):
        services.idea_decide(actor=other.user, idea=idea, to_stage="shortlisted", reason="Yes")
    with pytest.raises(PermissionDenied):  # the author cannot decide on their own idea
        services.idea_decide(actor=person.user, idea=idea, to_stage="shortlisted", reason="Yes")
    services.idea_decide(
        actor=colleague.user, idea=idea, to_stage="discussion", reason="Let's talk"
    )
    services.idea_decide(actor=steward.user, idea=idea, to_stage="shortlisted", reason="Promising")
    assert list(Decision.objects.values_list("from_stage", "to_stage")) == [
        ("new", "discussion"),
        ("discussion", "shortlisted"),
    ]
    with pytest.raises(ValidationError) as exc:
        services.idea_decide(actor=steward.user, idea=idea, to_stage="implemented", reason=" ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.idea_decide(actor=steward.user, idea=idea, to_stage="merged", reason="No")


@pytest.mark.django_db
def test_merge_moves_supporters_and_followers_without_double_counting(
    person, colleague, steward, make_idea
):
    a = make_idea(title="Shared story A")
    b = make_idea(title="Shared story B", author=colleague)
    both, only_a = ProfileFactory(), ProfileFactory()
    for profile in (both, only_a):
        services.idea_support(user=profile.user, idea=a)
    services.idea_support(user=both.user, idea=b)

    services.idea_merge(actor=steward.user, source=a, target=b, reason="Same idea")

    a.refresh_from_db()
    b.refresh_from_db()
    assert a.stage == "merged" and a.merged_into == b and a.support_count == 0
    assert b.support_count == 2 == supports(idea=b).count()
    assert set(follows(idea=b).values_list("user_id", flat=True)) == {
        person.user_id, colleague.user_id, both.user_id, only_a.user_id,
    }  # fmt: skip
    assert Activity.objects.filter(verb="idea.merged", scope="public").count() == 1
    with pytest.raises(ValidationError):
        services.idea_support(user=ProfileFactory().user, idea=a)
    with pytest.raises(PermissionDenied):
        services.idea_merge(actor=person.user, source=b, target=a, reason="x")


@pytest.mark.django_db
def test_posting_is_rate_limited_per_person(person, colleague, make_idea, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (2, 60)}
    make_idea()
    make_idea()
    with pytest.raises(ratelimit.RateLimited, match="wait"):
        make_idea()
    make_idea(author=colleague)  # someone else is not limited
    assert Idea.objects.count() == 3


def _in_threads(n, work):
    errors = []
    barrier = threading.Barrier(n)

    def run(i):
        try:
            barrier.wait()
            work(i)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_fifty_people_supporting_at_once_count_fifty(make_idea):
    idea = make_idea()
    people = [ProfileFactory().user for _ in range(50)]
    errors = _in_threads(50, lambda i: services.idea_support(user=people[i], idea=idea))
    if connection.vendor == "sqlite":
        # SQLite serialises writers; a busy error is acceptable there, a wrong count is not.
        errors = [e for e in errors if "locked" not in str(e)]
    assert errors == []
    idea.refresh_from_db()
    assert idea.support_count == supports(idea=idea).count()
    if connection.vendor == "postgresql":
        assert idea.support_count == 50


@pytest.mark.django_db(transaction=True)
def test_one_person_supporting_twice_at_once_leaves_one_row(make_idea, colleague):
    idea = make_idea()
    errors = _in_threads(2, lambda i: services.idea_support(user=colleague.user, idea=idea))
    assert [e for e in errors if "locked" not in str(e)] == []
    idea.refresh_from_db()
    assert supports(idea=idea).count() == 1 == idea.support_count
