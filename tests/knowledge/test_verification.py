"""Review and verification, separate from editing (issue 12): who may sign off what, what
readers are shown, the review cycle and its reminders, reviews suggested by events, and the
dashboard's figures."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dashboard import selectors as dashboard
from knowledge import review_selectors, services, verification
from knowledge.models import Article, Revision, Verification
from realtime.models import Activity, Notification
from tests.factories import OrganisationFactory, ProfileFactory
from tests.knowledge.conftest import PATHWAY_BODY
from tests.knowledge.test_views import ARTICLE_PAGE_QUERIES


@pytest.fixture
def checker(db):
    """A third person, from a third organisation, who checks articles."""
    org = OrganisationFactory(name="Ora Community Health", short_name="OCH")
    return ProfileFactory(display_name="Mere Tane", organisation=org).user


@pytest.fixture
def nurse_colleague(db, nurse):
    """Someone else at the nurse's organisation."""
    return ProfileFactory(display_name="Jo Parata", organisation=nurse.profile.organisation).user


def _client(user=None):
    """Signed in as ``user``, or as a reader from no organisation (every page needs a
    signed-in person)."""
    client = Client()
    client.force_login(user or ProfileFactory(display_name="Rua Reader", organisation=None).user)
    return client


def _save(article, actor, body):
    article.refresh_from_db()
    current = article.current
    return services.revision_save(
        actor=actor, article=article, base_number=current.number, title=current.title,
        summary=current.summary, body=body,
    )  # fmt: skip


def _verify(article, actor, number=1, comment="Checked the steps with our team."):
    return verification.verify(
        actor=actor, article=article, revision_number=number, comment=comment
    )


def _nothing_verified(article):
    article.refresh_from_db()
    assert Verification.objects.filter(article=article).count() == 0
    assert article.verified_id is None and article.last_verified_at is None
    assert not Activity.objects.filter(verb="knowledge.verified").exists()


# --- Verifying: what is signed off, and every refusal --------------------------------------


def test_a_verification_by_someone_else_signs_off_the_revision_and_is_announced(
    make_article, nurse, django_capture_on_commit_callbacks
):
    article = make_article()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        made = _verify(article, nurse, comment="  Checked   with the falls clinic. ")
    article.refresh_from_db()
    assert made.revision == article.current and made.by == nurse
    assert made.organisation == nurse.profile.organisation
    assert made.comment == "Checked with the falls clinic."
    assert article.verified == article.current and article.last_verification == made
    assert article.last_verified_at == made.at
    activity = Activity.objects.get(verb="knowledge.verified")
    assert activity.target_id == str(article.pk) and activity.payload["revision"] == 1
    assert activity.payload["verified"] is True
    assert callbacks  # sent live after commit


def test_the_author_of_a_revision_cannot_verify_it(make_article, writer):
    article = make_article()
    with pytest.raises(PermissionDenied, match="You wrote revision 1, so someone else"):
        _verify(article, writer)
    _nothing_verified(article)


def test_a_revision_replaced_while_the_reader_read_is_refused(make_article, writer, nurse):
    article = make_article()
    _save(article, writer, "A newer text.")  # revision 2, saved while the nurse read 1
    with pytest.raises(ValidationError) as caught:
        _verify(article, nurse, number=1)
    assert caught.value.messages == [
        "A newer revision was saved while you read; read it and verify that one."
    ]
    _nothing_verified(article)
    with pytest.raises(ValidationError, match="has no revision 9"):
        _verify(article, nurse, number=9)


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_a_verification_needs_a_comment(make_article, nurse, comment):
    article = make_article()
    with pytest.raises(ValidationError) as caught:
        _verify(article, nurse, comment=comment)
    assert "Say what you checked" in caught.value.message_dict["comment"][0]
    _nothing_verified(article)


def test_signed_out_people_and_people_without_an_organisation_cannot_verify(make_article, no_org):
    article = make_article()
    with pytest.raises(PermissionDenied, match="Sign in to verify"):
        _verify(article, AnonymousUser())
    with pytest.raises(PermissionDenied, match="Add your organisation"):
        _verify(article, no_org)
    _nothing_verified(article)


def test_one_person_verifies_a_revision_once(make_article, nurse):
    article = make_article()
    first = _verify(article, nurse)
    with pytest.raises(ValidationError, match="already verified revision 1"):
        _verify(article, nurse, comment="Again")
    assert list(Verification.objects.all()) == [first]


def test_a_pathway_needs_people_from_two_organisations(
    make_article, nurse, nurse_colleague, checker
):
    article = make_article(kind="pathway", body=PATHWAY_BODY)
    assert "organisations needed" not in _client().get(article.get_absolute_url()).content.decode()
    # One organisation's sign-off is not enough: readers still see "not yet verified"
    _verify(article, nurse)
    article.refresh_from_db()
    assert article.verified_id is None
    page = _client().get(article.get_absolute_url()).content.decode()
    assert "verified by 1 of 2 organisations needed (Te Awa Health)" in page
    assert "Not yet verified" in page
    # A second person from the same organisation is refused, with the reason
    with pytest.raises(ValidationError, match="Te Awa Health has already signed off"):
        _verify(article, nurse_colleague)
    assert Verification.objects.count() == 1
    # A person from another organisation completes it
    _verify(article, checker)
    article.refresh_from_db()
    assert article.verified == article.current
    page = _client().get(article.get_absolute_url()).content.decode()
    assert "1 of 2" not in page
    assert "Last verified on" in page and "Mere Tane</a> (Ora Community Health)" in page


def test_re_verifying_a_verified_revision_is_the_review_and_moves_the_date(
    make_article, nurse, checker
):
    article = make_article()
    _verify(article, nurse)
    Article.objects.filter(pk=article.pk).update(
        last_verified_at=timezone.now() - timedelta(days=800)
    )
    article.refresh_from_db()
    assert verification.overdue_days(article) == 70
    later = _verify(article, checker, comment="Still holds.")
    article.refresh_from_db()
    assert article.last_verification == later and verification.overdue_days(article) == 0


# --- What readers see ----------------------------------------------------------------------


def test_readers_see_the_verified_revision_and_are_told_of_a_newer_one(make_article, writer, nurse):
    article = make_article(body="The verified text.")
    _verify(article, nurse)
    _save(article, writer, "The newer, unchecked text.")
    page = _client().get(article.get_absolute_url()).content.decode()
    assert "The verified text." in page and "unchecked" not in page
    assert "A newer revision (2" in page and "is not yet verified" in page
    assert "?revision=newest" in page
    assert f"/knowledge/{article.pk}/diff/?from=1&amp;to=2" in page
    assert "Last verified on" in page and "Sam Lee</a> (Te Awa Health) · revision 1" in page
    assert "Last edited on" in page and "revision 2" in page
    newest = _client().get(article.get_absolute_url() + "?revision=newest").content.decode()
    assert "The newer, unchecked text." in newest and "The verified text." not in newest
    assert "Read revision 1, the last one verified" in newest


def test_an_article_never_verified_shows_its_newest_revision_marked_not_yet_verified(
    make_article, writer
):
    article = make_article(body="First text.")
    _save(article, writer, "Second text.")
    page = _client().get(article.get_absolute_url()).content.decode()
    assert "Second text." in page and "Not yet verified" in page
    assert "Last verified on" not in page


@pytest.mark.parametrize("verifiers", [1, 4])
def test_the_article_page_costs_the_same_queries_however_many_verified_it(
    make_article, writer, django_assert_num_queries, verifiers
):
    article = make_article()
    for n in range(verifiers):
        org = OrganisationFactory()
        _verify(article, ProfileFactory(organisation=org).user, comment=f"Check {n}")
    _save(article, writer, "Newer text.")
    client = _client(writer)
    url = article.get_absolute_url()
    client.get(url)  # warm: content types are cached after the first page
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        page = client.get(url).content.decode()
    assert "A newer revision (2" in page
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        client.get(url + "?revision=newest")


def test_the_verify_form_posts_the_revision_shown_and_a_stale_one_shows_the_newer(
    make_article, writer, nurse
):
    article = make_article(body="First text.")
    client = _client(nurse)
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'name="revision" value="1"' in page and "Verify revision 1" in page
    _save(article, writer, "Second text, saved meanwhile.")
    url = reverse("article_verify", kwargs={"pk": article.pk})
    response = client.post(url, {"revision": 1, "comment": "Looks right."})
    assert response.status_code == 400
    text = response.content.decode()
    assert "A newer revision was saved while you read; read it and verify that one." in text
    assert "Second text, saved meanwhile." in text  # the newer one is what they now read
    assert 'name="revision" value="2"' in text and "Looks right." in text
    _nothing_verified(article)
    response = client.post(url, {"revision": 2, "comment": "Looks right."})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.verified.number == 2


def test_the_verify_form_refuses_bad_input_with_a_message(make_article, nurse, writer):
    article = make_article()
    url = reverse("article_verify", kwargs={"pk": article.pk})
    response = _client(nurse).post(url, {"revision": 1, "comment": "  "})
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    response = _client(nurse).post(url, {"revision": "x", "comment": "ok"})
    assert response.status_code == 400
    response = _client(writer).post(url, {"revision": 1, "comment": "Mine is right."})
    assert response.status_code == 400
    assert "someone else must verify it" in response.content.decode()
    response = Client().post(url, {"revision": 1, "comment": "ok"})  # signed out
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = _client().post(url, {"revision": 1, "comment": "ok"})  # no organisation
    assert response.status_code == 400 and "Add your organisation" in response.content.decode()
    _nothing_verified(article)


def test_the_author_is_told_why_there_is_no_verify_form(make_article):
    article = make_article()
    page = _client(article.owner).get(article.get_absolute_url()).content.decode()
    assert "You wrote revision 1, so someone else verifies it." in page
    assert "Verify revision 1" not in page


def test_the_panel_alone_is_served_for_the_live_refresh(make_article, nurse):
    article = make_article()
    url = reverse("article_verification", kwargs={"pk": article.pk})
    assert "Not yet verified" in _client().get(url).content.decode()
    _verify(article, nurse)
    panel = _client().get(url).content.decode()
    assert panel.lstrip().startswith("<section") and 'id="verification"' in panel
    assert "Last verified on" in panel and "Sam Lee" in panel


def test_the_article_page_loads_the_live_script():
    from pathlib import Path

    template = Path("knowledge/templates/knowledge/article_detail.html").read_text()
    script = Path("static/js/knowledge-live.js").read_text()
    assert "js/knowledge-live.js" in template
    assert '"knowledge.verified"' in script and "panelUrl" in script


# --- The review cycle ----------------------------------------------------------------------


def _age(article, days, *, verified_days_ago=None):
    now = timezone.now()
    Article.objects.filter(pk=article.pk).update(
        created=now - timedelta(days=days),
        last_verified_at=None
        if verified_days_ago is None
        else now - timedelta(days=verified_days_ago),
    )
    article.refresh_from_db()
    return article


def test_review_due_overdue_and_long_overdue_maths(make_article):
    article = _age(make_article(), 100)
    assert verification.overdue_days(article) == 0
    assert not verification.long_overdue(article)
    article = _age(article, 800)  # due at 730 days: 70 days overdue, within one interval
    assert verification.overdue_days(article) == 70
    assert not verification.long_overdue(article)
    article = _age(article, 1500)  # past due + a whole interval (1460)
    assert verification.long_overdue(article)
    article = _age(article, 1500, verified_days_ago=10)  # a verification restarts the clock
    assert verification.overdue_days(article) == 0


def test_the_reviews_page_lists_overdue_oldest_first_and_those_due_soon(make_article):
    older = _age(make_article(title="Long forgotten"), 1500)
    late = _age(make_article(title="A little late"), 740)
    soon = _age(make_article(title="Due in a fortnight"), 716)
    _age(make_article(title="Fresh"), 10)
    found = review_selectors.reviews()
    assert [a.pk for a in found.overdue] == [older.pk, late.pk]
    assert [a.pk for a in found.soon] == [soon.pk]
    page = _client().get(reverse("knowledge_reviews")).content.decode()
    assert page.index("Long forgotten") < page.index("A little late") < page.index("Due in a")
    assert "Fresh" not in page
    assert page.count("Review long overdue") == 1  # the one overdue by more than its interval


def test_an_article_long_overdue_is_flagged_on_its_page_and_in_the_list(make_article):
    article = _age(make_article(), 1500)
    page = _client().get(article.get_absolute_url()).content.decode()
    assert "Review long overdue:" in page and "may no longer hold" in page
    listing = _client().get(reverse("knowledge_list")).content.decode()
    assert "Review long overdue" in listing
    recent = _age(article, 10)
    assert "Review long overdue" not in _client().get(recent.get_absolute_url()).content.decode()


def test_the_owner_changes_the_review_interval(make_article, writer):
    article = make_article()
    url = reverse("article_review_interval", kwargs={"pk": article.pk})
    page = _client(writer).get(article.get_absolute_url()).content.decode()
    assert "How often to review" in page
    response = _client(writer).post(url, {"review_interval_days": "365"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.review_interval_days == 365


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Choose between 1 and 3650 days"),
        ("3651", "Choose between 1 and 3650 days"),
        ("soon", "Give the number of days between reviews"),
        ("", "Give the number of days between reviews"),
    ],
)
def test_a_bad_review_interval_is_refused_with_a_message(make_article, writer, value, message):
    article = make_article()
    url = reverse("article_review_interval", kwargs={"pk": article.pk})
    response = _client(writer).post(url, {"review_interval_days": value})
    assert response.status_code == 400 and message in response.content.decode()
    article.refresh_from_db()
    assert article.review_interval_days == 730


def test_only_the_owner_changes_the_review_interval(make_article, nurse):
    article = make_article()
    assert (
        "How often to review" not in _client(nurse).get(article.get_absolute_url()).content.decode()
    )
    url = reverse("article_review_interval", kwargs={"pk": article.pk})
    response = _client(nurse).post(url, {"review_interval_days": "30"})
    assert response.status_code == 400
    assert "Only the article&#x27;s owner can change" in response.content.decode()
    with pytest.raises(PermissionDenied):
        verification.set_review_interval(actor=nurse, article=article, days=30)
    article.refresh_from_db()
    assert article.review_interval_days == 730


# --- Reminders -----------------------------------------------------------------------------


def test_the_owner_is_reminded_once_a_week_before_the_review_is_due(make_article, writer, nurse):
    article = make_article()
    _save(article, nurse, "The nurse co-wrote this.")  # a co-author: not told
    _age(article, 725)  # due in 5 days
    _age(make_article(title="Not due for a while"), 600)
    out = StringIO()
    call_command("knowledge_reminders", stdout=out)
    assert "Sent 1 review reminder(s)" in out.getvalue()
    reminders = Notification.objects.filter(activity__verb="knowledge.review_due")
    assert [(n.user_id, n.reason) for n in reminders] == [(writer.pk, "article_review_due")]
    activity = reminders.get().activity
    assert activity.target_id == str(article.pk)
    # Never twice for the same article and due date, however often it runs
    assert verification.remind_reviews() == 0
    call_command("knowledge_reminders", stdout=out)
    assert "Sent 0 review reminder(s)" in out.getvalue()
    assert reminders.count() == 1


def test_a_new_due_date_gets_its_own_reminder(make_article, writer, nurse):
    article = _age(make_article(), 725)
    assert verification.remind_reviews() == 1
    # Verified long ago, so a new due date in 3 days: reminded again, once
    Article.objects.filter(pk=article.pk).update(
        last_verified_at=timezone.now() - timedelta(days=727)
    )
    assert verification.remind_reviews() == 1
    assert verification.remind_reviews() == 0


# --- Reviews suggested by events -----------------------------------------------------------


def test_a_suggested_review_shows_its_reason_and_link_until_a_verification(
    make_article, nurse, django_capture_on_commit_callbacks
):
    article = make_article()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        verification.version_published(
            [article], dataset_title="Falls per 1,000", version_number=3, url="/commons/x/"
        )
    assert callbacks
    activity = Activity.objects.get(verb="knowledge.review_suggested")
    assert "Falls per 1,000" in activity.payload["reason"]
    page = _client().get(article.get_absolute_url()).content.decode()
    assert "Review suggested" in page and "published version 3" in page
    assert 'href="/commons/x/"' in page
    listed = _client().get(reverse("knowledge_reviews")).content.decode()
    assert "published version 3" in listed
    _verify(article, nurse)
    page = _client().get(article.get_absolute_url()).content.decode()
    assert "Review suggested" not in page


def test_suggesting_reviews_leaves_hidden_articles_and_needs_a_reason(make_article):
    shown, hidden = make_article(title="Shown"), make_article(title="Hidden")
    Article.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    hidden.refresh_from_db()
    marked = verification.project_outcome_changed(
        [shown, hidden], what="“Safe at home” was completed", url="/projects/1/"
    )
    assert marked == 1
    shown.refresh_from_db()
    hidden.refresh_from_db()
    assert "Safe at home" in shown.review_suggested and hidden.review_suggested == ""
    with pytest.raises(ValidationError, match="Say why"):
        verification.suggest_review(article=shown, reason="  ", url="")


# --- Dashboard -----------------------------------------------------------------------------


def test_the_dashboard_counts_verified_articles_and_overdue_reviews(make_article, nurse):
    _verify(make_article(title="Checked"), nurse)
    old = _age(make_article(title="Old"), 800)
    _age(make_article(title="Ancient"), 2000)
    Article.objects.filter(pk=old.pk).update(hidden_at=timezone.now())  # hidden: not counted
    figures = dashboard.build().knowledge
    assert figures == {"verified_last_year": 1, "overdue": 1}
    page = _client().get(reverse("dashboard")).content.decode()
    assert "1</strong> article verified in the last year" in page
    assert f'href="{reverse("knowledge_reviews")}"><strong>1</strong> article overdue' in page


def test_revisions_stay_unchanged_by_verification(make_article, nurse):
    article = make_article()
    before = list(Revision.objects.values_list("pk", "number", "body"))
    _verify(article, nurse)
    assert list(Revision.objects.values_list("pk", "number", "body")) == before


def test_a_hidden_article_cannot_be_verified(make_article, nurse):
    article = make_article()
    Article.objects.filter(pk=article.pk).update(hidden_at=timezone.now())
    article.refresh_from_db()
    with pytest.raises(PermissionDenied, match="hidden"):
        _verify(article, nurse)
    _nothing_verified(article)


def test_the_feed_says_who_verified_and_how_far_a_pathway_is(make_article, nurse, checker):
    from realtime.registry import verb_detail

    article = make_article(kind="pathway", body=PATHWAY_BODY)
    _verify(article, nurse)
    _verify(article, checker)
    first, second = Activity.objects.filter(verb="knowledge.verified").order_by("id")
    assert verb_detail(first.verb, first.payload) == " (revision 1: 1 of 2 organisations)"
    assert verb_detail(second.verb, second.payload) == " (revision 1)"


def test_the_admin_shows_verifications_read_only(make_article, nurse, writer):
    article = make_article()
    _verify(article, nurse, comment="Checked with the clinic.")
    writer.is_staff = writer.is_superuser = True
    writer.save()
    client = _client(writer)
    page = client.get(reverse("admin:knowledge_verification_changelist"))
    assert page.status_code == 200 and "Warm handovers" in page.content.decode()
    change = client.get(reverse("admin:knowledge_article_change", args=[article.pk]))
    assert change.status_code == 200


def test_the_worker_can_send_the_reminders(make_article, writer):
    from tests.tasks import queued_tasks, run_queued_tasks

    _age(make_article(), 725)  # due in 5 days
    out = StringIO()
    call_command("knowledge_reminders", "--enqueue", stdout=out)
    assert "Queued" in out.getvalue()
    assert "knowledge.tasks.review_reminders" in queued_tasks()
    reminders = Notification.objects.filter(user=writer, reason="article_review_due")
    assert not reminders.exists()
    run_queued_tasks()
    assert reminders.count() == 1


# --- API -----------------------------------------------------------------------------------


def test_the_api_lists_who_verified_what(make_article, nurse, checker, writer):
    article = make_article()
    _verify(article, nurse, comment="Checked the steps.")
    _save(article, writer, "Newer text.")
    _verify(article, checker, number=2, comment="Checked again.")
    url = f"/api/v1/knowledge/articles/{article.pk}/verifications"
    body = _client().get(url, {"size": 1}).json()
    assert [(v["revision"], v["by"]["name"], v["comment"]) for v in body["items"]] == [
        (2, "Mere Tane", "Checked again.")
    ]
    assert body["items"][0]["by"]["organisation"]["name"] == "Ora Community Health"
    rest = _client().get(url, {"size": 1, "cursor": body["next_cursor"]}).json()
    assert [v["revision"] for v in rest["items"]] == [1] and rest["next_cursor"] is None
    assert _client().get(url, {"cursor": "not-ours"}).status_code == 422  # as every list
    Article.objects.filter(pk=article.pk).update(hidden_at=timezone.now())
    assert _client().get(url).status_code == 404
