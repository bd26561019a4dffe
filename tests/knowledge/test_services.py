"""Articles and revisions: who may write, what is refused, and that two people editing at once
never lose work."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core import ratelimit
from knowledge import services
from knowledge.models import Article, Revision
from realtime.models import Activity
from tests.knowledge.conftest import PATHWAY_BODY


def _save(article, actor, base, **changes):
    current = Revision.objects.get(article=article, number=base)
    fields = {
        "title": current.title,
        "summary": current.summary,
        "body": current.body,
        "edit_summary": "",
    }
    fields.update(changes)
    return services.revision_save(actor=actor, article=article, base_number=base, **fields)


def test_creating_an_article_makes_revision_one_owned_by_its_writer(
    writer, make_article, django_capture_on_commit_callbacks
):
    # When: a person with an organisation starts an article
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        article = make_article()
    # Then: it has one revision, theirs, for their organisation, and it is the current one
    revision = article.current
    assert revision.number == 1
    assert revision.author == writer
    assert revision.organisation == writer.profile.organisation
    assert article.owner == writer and article.organisation == writer.profile.organisation
    assert article.review_interval_days == 730
    assert list(article.tags.names()) == ["whānau"]
    # ...and one activity is published after commit, for the live feed
    activity = Activity.objects.get(target_id=str(article.pk))
    assert activity.verb == "knowledge.article_created"
    assert activity.scope == "public"
    assert len(callbacks) >= 1


def test_a_revision_from_the_current_base_is_saved(writer, nurse, make_article):
    article = make_article()
    revision = _save(article, nurse, 1, body="Meet together once.\n\nWrite it down.",
                     edit_summary="Say to write it down")  # fmt: skip
    article.refresh_from_db()
    assert revision.number == 2 and article.current == revision
    assert revision.organisation.name == "Te Awa Health"
    assert Activity.objects.filter(target_id=str(article.pk), verb="knowledge.revised").count() == 1


def test_saving_against_an_older_base_is_a_conflict_that_keeps_both_texts_and_saves_nothing(
    writer, nurse, make_article
):
    # Given: both open revision 1; the nurse saves first
    article = make_article()
    _save(article, nurse, 1, body="Theirs: meet together twice.")
    activities = Activity.objects.count()
    # When: the writer saves her edit, still made from revision 1
    with pytest.raises(services.Conflict) as caught:
        _save(article, writer, 1, body="Mine: meet together once, then call.", edit_summary="x")
    # Then: nothing is saved, and the refusal carries their revision and her text
    conflict = caught.value
    assert conflict.current.number == 2
    assert conflict.current.body == "Theirs: meet together twice."
    assert conflict.mine["body"] == "Mine: meet together once, then call."
    assert "revision 2" in str(conflict)
    assert Revision.objects.filter(article=article).count() == 2
    assert Activity.objects.count() == activities
    # ...and saving again against the new base works
    revision = _save(article, writer, 2, body=conflict.mine["body"])
    assert revision.number == 3


def test_an_unchanged_save_is_refused(writer, make_article):
    article = make_article()
    with pytest.raises(ValidationError, match="Nothing changed"):
        _save(article, writer, 1, edit_summary="only the summary of the edit")
    assert Revision.objects.filter(article=article).count() == 1


def test_restoring_makes_a_new_revision_with_the_old_text(writer, nurse, make_article):
    article = make_article()
    _save(article, nurse, 1, body="A worse text.")
    restored = services.revision_restore(actor=writer, article=article, number=1)
    article.refresh_from_db()
    assert restored.number == 3 and article.current == restored
    assert restored.body == "Meet together once.\n\nAgree who calls whom."
    assert restored.edit_summary == "Restored revision 1"
    assert restored.restored_from.number == 1
    assert Revision.objects.filter(article=article).count() == 3  # nothing deleted


def test_restoring_a_revision_that_does_not_exist_or_is_current_is_refused(writer, make_article):
    article = make_article()
    with pytest.raises(ValidationError, match="no revision 9"):
        services.revision_restore(actor=writer, article=article, number=9)
    with pytest.raises(ValidationError, match="same text"):
        services.revision_restore(actor=writer, article=article, number=1)
    assert Revision.objects.filter(article=article).count() == 1


def test_a_pathway_needs_its_three_headings_and_says_which_are_missing(writer, make_article):
    with pytest.raises(ValidationError) as caught:
        make_article(kind="pathway", body="## Assessment\n\nAsk.\n\n## Next steps\n\nDo.")
    message = " ".join(caught.value.message_dict["body"])
    assert "“## Management”, “## Referral”" in message
    assert "Missing: “## Assessment”" not in message
    assert not Article.objects.exists()
    # With them, it is saved; a revision that drops one is refused
    article = make_article(kind="pathway", body=PATHWAY_BODY)
    with pytest.raises(ValidationError, match="## Referral"):
        _save(article, writer, 1, body="## Assessment\n\nA\n\n## Management\n\nB")
    assert article.revisions.count() == 1


def test_the_new_pathway_template_passes_the_heading_check():
    assert services.missing_pathway_headings(services.PATHWAY_TEMPLATE) == []
    assert "## Local services" in services.PATHWAY_TEMPLATE


def test_only_people_with_an_organisation_write(no_org, writer, make_article, vocabulary):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied, match="organisation to your profile"):
        make_article(actor=no_org)
    with pytest.raises(PermissionDenied, match="Sign in"):
        make_article(actor=AnonymousUser())
    article = make_article()
    with pytest.raises(PermissionDenied, match="organisation"):
        _save(article, no_org, 1, body="changed")
    writer.is_active = False
    writer.save()
    with pytest.raises(PermissionDenied):
        _save(article, writer, 1, body="changed")
    assert Article.objects.count() == 1 and Revision.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"title": "  "}, "title", "blank"),
        ({"summary": ""}, "summary", "blank"),
        ({"kind": "gossip"}, "kind", "kind of article"),
        ({"tags": ["no-such-tag"]}, "tags", "Unknown tag"),
        ({"body": "x" * 100_001}, "body", "under 100,000"),
        ({"review_interval_days": 0}, "review_interval_days", "greater than or equal to 1"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(make_article, fields, field, words):
    with pytest.raises(ValidationError) as caught:
        make_article(**fields)
    assert words in " ".join(caught.value.message_dict[field])
    assert not Article.objects.exists() and not Revision.objects.exists()


def test_identifying_details_are_refused_unless_confirmed(writer, make_article):
    with pytest.raises(ValidationError) as caught:
        make_article(body="Call her on 021 555 0199 about it.")
    assert "body" in caught.value.message_dict
    assert not Article.objects.exists()
    article = make_article(body="Call her on 021 555 0199 about it.", confirm_not_identifying=True)
    assert article.current.body.startswith("Call her")


def test_posting_is_rate_limited(writer, make_article, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (1, 60)}
    make_article()
    with pytest.raises(ratelimit.RateLimited):
        make_article(title="Another one")
    assert Article.objects.count() == 1


def test_a_rolled_back_save_publishes_nothing_and_a_committed_one_publishes_once(
    writer, make_article, django_capture_on_commit_callbacks
):
    from django.db import transaction

    article = make_article()
    with (
        django_capture_on_commit_callbacks(execute=False) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _save(article, writer, 1, body="changed, then rolled back")
        raise RuntimeError
    assert callbacks == []
    assert article.revisions.count() == 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _save(article, writer, 1, body="changed")
    assert len(callbacks) >= 1
    assert Activity.objects.filter(verb="knowledge.revised").count() == 1
