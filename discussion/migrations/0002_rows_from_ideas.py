"""Comments, their revisions, follows, supports and reports move from ``ideas`` to
``discussion``, each row keeping its primary key, so every link (``#comment-12``), Activity
payload (``comment_id``) and API id that exists still resolves. One ``INSERT … SELECT`` per
table (a million supports move in seconds, not an hour of ORM saves); PostgreSQL's id sequences
are then moved past the copied ids. ``ideas`` 0015 drops the old tables after this."""

from django.core.management.color import no_style
from django.db import migrations


def _type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0].pk


FORWARDS = [
    """INSERT INTO discussion_comment (id, content_type_id, object_id, scope, parent_id,
           author_id, body, created, edited, deleted, submission_key, hidden_at, hidden_by_id,
           hidden_reason, hidden_by_name)
       SELECT id, CASE WHEN idea_id IS NOT NULL THEN %(idea)s ELSE %(problem)s END,
           COALESCE(idea_id, problem_id), 'public', parent_id, author_id, body, created, edited,
           deleted, submission_key, hidden_at, hidden_by_id, hidden_reason, hidden_by_name
         FROM ideas_comment ORDER BY id""",
    """INSERT INTO discussion_commentrevision (id, comment_id, body, created)
       SELECT id, comment_id, body, created FROM ideas_commentrevision""",
    """INSERT INTO discussion_follow (id, content_type_id, object_id, scope, user_id, created)
       SELECT id, CASE WHEN idea_id IS NOT NULL THEN %(idea)s ELSE %(problem)s END,
           COALESCE(idea_id, problem_id), 'public', user_id, created
         FROM ideas_follow""",
    """INSERT INTO discussion_reaction (id, content_type_id, object_id, scope, user_id, kind,
           created)
       SELECT id, %(idea)s, idea_id, 'public', user_id, 'support', created FROM ideas_support""",
    """INSERT INTO discussion_report (id, content_type_id, object_id, scope, reporter_id, reason,
           created, resolved)
       SELECT id, CASE WHEN idea_id IS NOT NULL THEN %(idea)s ELSE %(comment)s END,
           COALESCE(idea_id, comment_id), 'public', reporter_id, reason, created, resolved
         FROM ideas_report""",
]

BACKWARDS = [
    """INSERT INTO ideas_comment (id, idea_id, problem_id, parent_id, author_id, body, created,
           edited, deleted, submission_key, hidden_at, hidden_by_id, hidden_reason,
           hidden_by_name)
       SELECT id, CASE WHEN content_type_id = %(idea)s THEN object_id END,
           CASE WHEN content_type_id = %(problem)s THEN object_id END, parent_id, author_id, body,
           created, edited, deleted, submission_key, hidden_at, hidden_by_id, hidden_reason,
           hidden_by_name
         FROM discussion_comment WHERE content_type_id IN (%(idea)s, %(problem)s) ORDER BY id""",
    """INSERT INTO ideas_commentrevision (id, comment_id, body, created)
       SELECT r.id, r.comment_id, r.body, r.created FROM discussion_commentrevision r
         JOIN ideas_comment c ON c.id = r.comment_id""",
    """INSERT INTO ideas_follow (id, idea_id, problem_id, user_id, created)
       SELECT id, CASE WHEN content_type_id = %(idea)s THEN object_id END,
           CASE WHEN content_type_id = %(problem)s THEN object_id END, user_id, created
         FROM discussion_follow WHERE content_type_id IN (%(idea)s, %(problem)s)""",
    """INSERT INTO ideas_support (id, idea_id, user_id, created)
       SELECT id, object_id, user_id, created FROM discussion_reaction
        WHERE content_type_id = %(idea)s AND kind = 'support'""",
    """INSERT INTO ideas_report (id, idea_id, comment_id, reporter_id, reason, created, resolved)
       SELECT id, CASE WHEN content_type_id = %(idea)s THEN object_id END,
           CASE WHEN content_type_id = %(comment)s THEN object_id END, reporter_id, reason,
           created, resolved
         FROM discussion_report WHERE content_type_id IN (%(idea)s, %(comment)s)""",
    "DELETE FROM discussion_report",
    "DELETE FROM discussion_reaction",
    "DELETE FROM discussion_follow",
    "DELETE FROM discussion_commentrevision",
    "UPDATE discussion_comment SET parent_id = NULL",
    "DELETE FROM discussion_comment",
]


def _run(apps, schema_editor, statements, models):
    types = {
        "idea": _type(apps, "ideas", "idea"),
        "problem": _type(apps, "ideas", "problem"),
        "comment": _type(apps, "discussion", "comment"),
    }
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql, types)
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [apps.get_model(*m.split(".")) for m in models]
        ):
            cursor.execute(statement)


def forwards(apps, schema_editor):
    _run(apps, schema_editor, FORWARDS, [
        "discussion.Comment", "discussion.CommentRevision", "discussion.Follow",
        "discussion.Reaction", "discussion.Report",
    ])


def backwards(apps, schema_editor):
    _run(apps, schema_editor, BACKWARDS, [
        "ideas.Comment", "ideas.CommentRevision", "ideas.Follow", "ideas.Support", "ideas.Report",
    ])


class Migration(migrations.Migration):
    dependencies = [
        ("discussion", "0001_initial"),
        ("ideas", "0014_search_folded"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
