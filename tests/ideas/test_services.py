"""Rules that live in ideas.services: permissions, validation, counts, merges, events."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction

from core import ratelimit
from discussion import services as discussion
from discussion.models import Comment
from ideas import services
from ideas.models import Decision, Idea
from realtime.models import Activity
from tests.factories import ProfileFactory
from tests.rows import comments, follows, supports


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
def test_comment_edit_and_delete_keep_history_and_replies(person, colleague, make_idea):
    idea = make_idea()
    top = discussion.comment_create(author=person.user, target=idea, body="First")
    reply = discussion.comment_create(author=colleague.user, target=idea, body="Reply", parent=top)
    nested = discussion.comment_create(author=person.user, target=idea, body="Deeper", parent=reply)
    assert nested.parent_id == top.pk  # one level of replies
    discussion.comment_edit(actor=person.user, comment=top, body="First, edited")
    assert top.edited is not None
    assert list(top.revisions.values_list("body", flat=True)) == ["First", "First, edited"]
    discussion.comment_delete(actor=person.user, comment=top)
    top.refresh_from_db()
    assert top.deleted is not None and top.replies.count() == 2
    with pytest.raises(PermissionDenied):
        discussion.comment_edit(actor=colleague.user, comment=top, body="x")


@pytest.mark.django_db
def test_hiding_is_public_with_a_reason(person, steward, make_idea):
    idea = make_idea()
    comment = discussion.comment_create(author=person.user, target=idea, body="Rude words")
    discussion.report(reporter=person.user, item=comment, reason="Rude")
    with pytest.raises(PermissionDenied):
        discussion.hide(actor=person.user, item=comment, reason="No")
    with pytest.raises(ValidationError):
        discussion.hide(actor=steward.user, item=comment, reason="")
    discussion.hide(actor=steward.user, item=comment, reason="Personal attack")
    comment.refresh_from_db()
    assert comment.hidden_by == steward.user and comment.hidden_reason == "Personal attack"
    assert comment.reports.get().resolved is not None
    assert Activity.objects.filter(verb="content.hidden").exists()


@pytest.mark.django_db
def test_posting_is_rate_limited_per_person(person, colleague, make_idea, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (2, 60)}
    make_idea()
    make_idea()
    with pytest.raises(ratelimit.RateLimited, match="wait"):
        make_idea()
    make_idea(author=colleague)  # someone else is not limited
    assert Idea.objects.count() == 3


@pytest.mark.django_db
def test_rolled_back_comment_publishes_nothing(person, make_idea, monkeypatch):
    idea = make_idea()
    sent = []
    monkeypatch.setattr("realtime.publish._send", lambda g, m: sent.append(m))
    with pytest.raises(RuntimeError), transaction.atomic():
        discussion.comment_create(author=person.user, target=idea, body="Oops")
        raise RuntimeError
    assert sent == [] and Comment.objects.count() == 0


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


@pytest.mark.django_db(transaction=True)
def test_the_same_form_submitted_twice_at_once_creates_one_comment(make_idea, colleague):
    idea = make_idea()
    errors = _in_threads(
        2,
        lambda i: discussion.comment_create(
            author=colleague.user, target=idea, body="Same", submission_key="k1"
        ),
    )
    assert [e for e in errors if "locked" not in str(e)] == []
    assert comments(idea=idea).count() == 1
    idea.refresh_from_db()
    assert idea.comment_count == 1
