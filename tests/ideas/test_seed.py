"""The demo seeder: enough realistic content at every stage, consistent counters and history,
and nothing added by a second run."""

import pytest
from django.core.management import call_command
from django.db.models import Count
from taggit.models import Tag

from core import ratelimit
from discussion.models import Comment, Follow, Reaction
from ideas.models import Decision, Idea, IdeaRevision, Problem
from people.models import Profile
from realtime.models import Activity, Notification
from tests.tasks import queued_tasks

MODELS = (Problem, Idea, IdeaRevision, Comment, Reaction, Decision, Follow, Tag, Activity, Profile)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


@pytest.mark.django_db
def test_seed_demo_creates_consistent_ideas_and_a_second_run_adds_nothing():
    call_command("seed_demo", "--quiet-logins")
    first = _counts()
    # Its notifications are written as it seeds: nothing is left for the worker to catch up on
    # (people's bells would fill up live, minutes after the site started).
    assert queued_tasks() == []
    assert Notification.objects.exists()

    # Enough content, at every stage, from every level.
    assert first["Problem"] >= 12
    assert first["Idea"] >= 60
    assert set(Idea.objects.values_list("stage", flat=True)) == set(Idea.Stage.values)
    assert set(Idea.objects.values_list("author_level", flat=True)) == set(Profile.Level.values)
    assert Idea.objects.filter(author_level=Profile.Level.FRONTLINE).count() > first["Idea"] / 2
    assert Profile.objects.filter(is_steward=True).count() >= 3
    assert first["Reaction"] and first["Decision"]
    assert Comment.objects.filter(ideas_idea__isnull=False).exists()
    assert Comment.objects.filter(ideas_problem__isnull=False).exists()
    assert Comment.objects.filter(parent__isnull=False).exists()
    assert Idea.objects.filter(merged_into__isnull=False, stage=Idea.Stage.MERGED).exists()

    # Every decided idea got there through public decisions with written reasons.
    for idea in Idea.objects.exclude(stage=Idea.Stage.NEW).prefetch_related("decisions"):
        decisions = list(idea.decisions.all())
        assert decisions, idea
        assert decisions[-1].to_stage == idea.stage, idea
        assert all(d.reason.strip() for d in decisions), idea
        assert idea.first_decision_at == min(d.created for d in decisions), idea
        assert all(d.created > idea.created for d in decisions), idea
    assert not Decision.objects.filter(idea__stage=Idea.Stage.NEW).exists()
    assert Idea.objects.filter(stage=Idea.Stage.NEW, first_decision_at__isnull=True).exists()

    # Nobody decides on, merges or supports an idea they wrote or co-wrote (issue 8.3).
    for idea in Idea.objects.prefetch_related("coauthors", "decisions", "reactions"):
        authors = {idea.author_id, *(u.pk for u in idea.coauthors.all())}
        assert not authors & {d.decided_by_id for d in idea.decisions.all()}, idea
        assert not authors & {s.user_id for s in idea.reactions.all()}, idea

    # Counters match the rows; supports stay in range.
    for idea in Idea.objects.annotate(n=Count("reactions", distinct=True)):
        assert idea.support_count == idea.n, idea
        assert 0 <= idea.support_count <= 30, idea
    for idea in Idea.objects.annotate(n=Count("comments", distinct=True)):
        assert idea.comment_count == idea.n <= 8, idea

    # The history reads in order: comments after what they answer, activity ids chronological.
    for comment in Comment.objects.select_related("parent").prefetch_related("target"):
        assert comment.created > comment.target.created
        assert comment.parent is None or comment.created > comment.parent.created
    times = list(Activity.objects.order_by("id").values_list("created", flat=True))
    assert times == sorted(times)

    # A second run adds nothing.
    call_command("seed_demo", "--quiet-logins")
    assert _counts() == first


def test_rate_limit_can_be_switched_off_for_the_seeder(settings, django_user_model, db):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (2, 60)}
    user = django_user_model.objects.create(username="poster", email="poster@example.nz")
    with ratelimit.rate_limit_disabled():
        for _ in range(5):
            ratelimit.check(user=user, action="post")
    ratelimit.check(user=user, action="post")
    ratelimit.check(user=user, action="post")
    with pytest.raises(ratelimit.RateLimited):
        ratelimit.check(user=user, action="post")
