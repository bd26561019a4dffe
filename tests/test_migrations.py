"""Data migrations, run forwards on rows made with the models as they were before them.

Each test migrates the test database back to just before a migration, writes rows with the
historical models, migrates forwards and checks the rows that came out — then leaves the
database migrated to the end, as every other test expects it."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(*targets: tuple[str, str]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets))
    return executor.loader.project_state(list(targets)).apps


@pytest.fixture
def back_to_the_end():
    yield
    call_command("migrate", verbosity=0)


def _people(apps, n):
    User = apps.get_model("people", "User")
    return [User.objects.create(username=f"p{i}", email=f"p{i}@example.nz") for i in range(n)]


def test_supports_given_by_authors_before_the_rule_are_removed(back_to_the_end):
    apps = _migrate(("ideas", "0012_idea_stage_changed"))
    Idea, Support = apps.get_model("ideas", "Idea"), apps.get_model("ideas", "Support")
    author, coauthor, other = _people(apps, 3)
    own = Idea.objects.create(title="Own", summary="s", body="b", benefit="b", author=author)
    own.coauthors.add(coauthor)
    theirs = Idea.objects.create(title="Theirs", summary="s", body="b", benefit="b", author=other)
    for user in (author, coauthor):  # as the old code allowed
        Support.objects.create(idea=own, user=user)
    Support.objects.create(idea=theirs, user=author)
    Idea.objects.filter(pk=own.pk).update(support_count=2)
    Idea.objects.filter(pk=theirs.pk).update(support_count=1)

    apps = _migrate(("ideas", "0013_no_supports_by_authors"))
    Idea, Support = apps.get_model("ideas", "Idea"), apps.get_model("ideas", "Support")
    assert Idea.objects.get(pk=own.pk).support_count == 0
    assert not Support.objects.filter(idea_id=own.pk).exists()
    assert Idea.objects.get(pk=theirs.pk).support_count == 1
    assert Support.objects.filter(idea_id=theirs.pk).count() == 1


def test_discussion_rows_move_out_of_ideas_keeping_their_ids(back_to_the_end):
    # Given the tables as they were, with ids that are not 1, 2, 3 (rows were deleted before)
    apps = _migrate(("ideas", "0014_search_folded"), ("discussion", "0001_initial"))
    get = apps.get_model
    Idea, Problem = get("ideas", "Idea"), get("ideas", "Problem")
    Comment, Revision = get("ideas", "Comment"), get("ideas", "CommentRevision")
    Follow, Support, Report = (
        get("ideas", "Follow"),
        get("ideas", "Support"),
        get("ideas", "Report"),
    )
    author, reader, steward = _people(apps, 3)
    problem = Problem.objects.create(
        title="Problem", description="d", affected="a", author=author, comment_count=1
    )
    idea = Idea.objects.create(
        title="Idea", summary="s", body="b", benefit="b", author=author, problem=problem,
        support_count=1, comment_count=2, follower_count=1,
    )  # fmt: skip
    top = Comment.objects.create(id=41, idea=idea, author=reader, body="Top")
    Comment.objects.create(id=57, idea=idea, author=author, body="Reply", parent=top)
    hidden = Comment.objects.create(
        id=60, problem=problem, author=reader, body="Names a client", hidden_at=timezone.now(),
        hidden_by=steward, hidden_reason="Names a client", hidden_by_name="Steward",
    )  # fmt: skip
    Revision.objects.create(id=90, comment=top, body="Top (first)")
    Follow.objects.create(id=7, user=reader, idea=idea)
    Follow.objects.create(id=8, user=reader, problem=problem)
    Support.objects.create(id=300, user=reader, idea=idea)
    Report.objects.create(id=5, reporter=reader, idea=idea, reason="Spam")
    Report.objects.create(id=6, reporter=author, comment=hidden, reason="Names a client")

    # When the migrations run
    apps = _migrate(
        ("ideas", "0015_rows_moved_to_discussion"), ("discussion", "0002_rows_from_ideas")
    )

    # Then every row is there with its id, on what it was on
    get = apps.get_model
    ContentType = get("contenttypes", "ContentType")
    models = (("ideas", "idea"), ("ideas", "problem"), ("discussion", "comment"))
    types = {m: ContentType.objects.get(app_label=a, model=m).pk for a, m in models}
    comments = {c.pk: c for c in get("discussion", "Comment").objects.all()}
    assert set(comments) == {41, 57, 60}
    assert (comments[41].content_type_id, comments[41].object_id) == (types["idea"], idea.pk)
    assert comments[57].parent_id == 41 and comments[57].body == "Reply"
    assert (comments[60].content_type_id, comments[60].object_id) == (types["problem"], problem.pk)
    assert comments[60].hidden_by_name == "Steward" and comments[60].hidden_reason
    assert {c.scope for c in comments.values()} == {"public"}
    assert get("discussion", "CommentRevision").objects.get(pk=90).comment_id == 41
    follows = get("discussion", "Follow").objects.order_by("pk")
    assert [(f.pk, f.content_type_id, f.object_id) for f in follows] == [
        (7, types["idea"], idea.pk), (8, types["problem"], problem.pk)
    ]  # fmt: skip
    support = get("discussion", "Reaction").objects.get()
    assert (support.pk, support.kind, support.object_id, support.user_id) == (
        300, "support", idea.pk, reader.pk
    )  # fmt: skip
    reports = {r.pk: r for r in get("discussion", "Report").objects.all()}
    assert (reports[5].content_type_id, reports[5].object_id) == (types["idea"], idea.pk)
    assert (reports[6].content_type_id, reports[6].object_id) == (types["comment"], 60)

    # …and new rows get new ids after the moved ones (PostgreSQL's sequences moved on)
    Comment = get("discussion", "Comment")
    new = Comment.objects.create(
        content_type_id=types["idea"], object_id=idea.pk, author_id=reader.pk, body="New"
    )
    assert new.pk > 60
    assert (
        get("discussion", "Reaction")
        .objects.create(
            content_type_id=types["idea"], object_id=idea.pk, user_id=author.pk, kind="support"
        )
        .pk
        > 300
    )
