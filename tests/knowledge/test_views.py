"""The knowledge pages: they open, bad input gets a clear 4xx, a stale save shows the conflict
with both texts, and what people write never becomes markup."""

import pytest
from django.test import Client
from django.urls import reverse

from knowledge import services
from knowledge.models import Article, Revision
from tests.knowledge.conftest import PATHWAY_BODY

XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"


@pytest.fixture
def as_writer(writer):
    client = Client()
    client.force_login(writer)
    return client


@pytest.fixture
def as_nurse(nurse):
    client = Client()
    client.force_login(nurse)
    return client


def _edit(article, **changes):
    current = article.revisions.get(number=article.current.number)
    data = {
        "base": current.number,
        "title": current.title,
        "summary": current.summary,
        "body": current.body,
        "edit_summary": "",
    }
    data.update(changes)
    return data


def test_every_page_of_an_article_opens(as_writer, make_article, nurse):
    article = make_article()
    services.revision_save(
        actor=nurse, article=article, base_number=1, title=article.title,
        summary=article.summary, body="Meet together twice.", edit_summary="twice",
    )  # fmt: skip
    for url in [
        reverse("knowledge_list"),
        reverse("knowledge_list") + "?kind=practice_note",
        reverse("article_create"),
        reverse("article_create") + "?kind=lesson",
        reverse("article_detail", kwargs={"pk": article.pk}),
        reverse("article_edit", kwargs={"pk": article.pk}),
        reverse("article_history", kwargs={"pk": article.pk}),
        reverse("article_diff", kwargs={"pk": article.pk}) + "?from=1&to=2",
        reverse("article_discussion", kwargs={"pk": article.pk}),
        reverse("article_report", kwargs={"pk": article.pk}),
    ]:
        response = as_writer.get(url)
        assert response.status_code == 200, url


def test_the_article_page_shows_kind_summary_last_edit_and_coauthors(
    as_writer, make_article, nurse
):
    article = make_article(body="## Steps\n\nMeet **together**.")
    services.revision_save(
        actor=nurse, article=article, base_number=1, title=article.title,
        summary=article.summary, body="## Steps\n\nMeet **together**, twice.",
    )  # fmt: skip
    page = as_writer.get(article.get_absolute_url()).content.decode()
    assert "Practice note" in page
    assert article.summary in page
    assert "<strong>together</strong>" in page  # rendered Markdown
    assert "Last edited on" in page and "by <a" in page and "Sam Lee</a> (Te Awa Health)" in page
    coauthors = page.split('id="coauthors-heading"')[1].split("</ul>")[0]
    assert "Aroha Ngata" in coauthors and "Porirua Whānau Centre" in coauthors
    assert "Sam Lee" in coauthors and "Te Awa Health" in coauthors
    assert 'id="comments-heading"' in page  # the discussion, from the registration
    assert "Knowledge</a>" in page  # in the site navigation


def test_the_list_filters_by_kind_newest_first(as_writer, make_article):
    make_article(title="A practice note")
    make_article(kind="pathway", title="A falls pathway", body=PATHWAY_BODY)
    make_article(kind="lesson", title="A lesson learned")
    page = as_writer.get(reverse("knowledge_list")).content.decode()
    assert (
        page.index("A lesson learned")
        < page.index("A falls pathway")
        < page.index("A practice note")
    )
    pathways = as_writer.get(reverse("knowledge_list") + "?kind=pathway").content.decode()
    assert "A falls pathway" in pathways and "A practice note" not in pathways
    bad = as_writer.get(reverse("knowledge_list") + "?kind=gossip")
    assert bad.status_code == 200 and "not a kind of article" in bad.content.decode()


def test_the_list_is_paged(as_writer, make_article, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (100, 60)}
    for i in range(21):
        make_article(title=f"Article number {i}")
    first = as_writer.get(reverse("knowledge_list")).content.decode()
    assert "Article number 20" in first and "Article number 0<" not in first
    cursor = first.split("cursor=")[1].split('"')[0]
    second = as_writer.get(reverse("knowledge_list") + "?cursor=" + cursor).content.decode()
    assert "Article number 0<" in second
    forged = as_writer.get(reverse("knowledge_list") + "?cursor=nonsense")
    assert forged.status_code == 200


def test_a_new_pathway_form_is_prefilled_with_its_headings(as_writer):
    page = as_writer.get(reverse("article_create") + "?kind=pathway").content.decode()
    for heading in ("## Assessment", "## Management", "## Referral", "## Local services"):
        assert heading in page
    chooser = as_writer.get(reverse("article_create")).content.decode()
    assert "?kind=pathway" in chooser and "?kind=evidence" in chooser


def test_posting_a_new_article(as_writer, writer, vocabulary):
    response = as_writer.post(
        reverse("article_create"),
        {
            "kind": "evidence",
            "title": "What works for falls",
            "summary": "Exercise programmes halve falls.",
            "body": "Strength and balance.",
            "tags": "whānau",
            "review_interval_days": "365",
        },
    )
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert article.kind == "evidence" and article.review_interval_days == 365
    assert article.current.author == writer


def test_a_pathway_without_its_headings_comes_back_with_the_message_and_the_text(as_writer):
    response = as_writer.post(
        reverse("article_create"),
        {"kind": "pathway", "title": "Falls", "summary": "s", "body": "## Assessment\n\nAsk.",
         "review_interval_days": "730"},
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 400
    assert "Missing: “## Management”, “## Referral”" in page.replace("&quot;", '"')
    assert "## Assessment" in page and not Article.objects.exists()


def test_a_new_article_of_no_known_kind_is_a_400_that_offers_the_kinds(as_writer):
    response = as_writer.post(
        reverse("article_create"), {"kind": "gossip", "title": "t", "summary": "s", "body": "b"}
    )
    assert response.status_code == 400
    assert "Choose one of these kinds" in response.content.decode()
    assert not Article.objects.exists()


def test_the_feed_tells_of_a_new_article_and_a_revision(as_writer, make_article, nurse):
    article = make_article()
    services.revision_save(
        actor=nurse, article=article, base_number=1, title=article.title,
        summary=article.summary, body="Meet twice.",
    )  # fmt: skip
    feed = as_writer.get(reverse("home")).content.decode()
    assert "started the article" in feed and "revised" in feed and "(revision 2)" in feed
    assert article.get_absolute_url() in feed


def test_the_history_is_paged_newest_first(as_writer, make_article, writer, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "edit": (100, 60)}
    article = make_article()
    for number in range(1, 23):
        services.revision_save(
            actor=writer, article=article, base_number=number, title=article.title,
            summary=article.summary, body=f"Version {number + 1}",
        )  # fmt: skip
    url = reverse("article_history", kwargs={"pk": article.pk})
    first = as_writer.get(url).content.decode()
    assert 'id="to-23"' in first and 'id="to-4"' in first and 'id="to-3"' not in first
    cursor = first.split("?cursor=")[1].split('"')[0]
    second = as_writer.get(url + "?cursor=" + cursor).content.decode()
    assert 'id="to-3"' in second and 'id="to-1"' in second and 'id="to-4"' not in second


def test_a_person_without_an_organisation_is_told_why_they_cannot_write(no_org):
    client = Client()
    client.force_login(no_org)
    response = client.post(
        reverse("article_create"),
        {"kind": "lesson", "title": "t", "summary": "s", "body": "b",
         "review_interval_days": "730"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Add your organisation to your profile" in response.content.decode()
    assert not Article.objects.exists()


def test_an_edit_saves_a_revision(as_nurse, make_article):
    article = make_article()
    response = as_nurse.post(
        reverse("article_edit", kwargs={"pk": article.pk}),
        _edit(article, body="Meet twice.", edit_summary="Twice"),
    )
    assert response.status_code == 302
    assert article.revisions.count() == 2
    assert Revision.objects.get(article=article, number=2).edit_summary == "Twice"


def test_a_stale_save_shows_the_conflict_with_both_texts_and_saves_nothing(
    as_writer, make_article, nurse
):
    # Given: the writer opened revision 1; meanwhile the nurse saved revision 2
    article = make_article()
    stale = _edit(article, body="Mine: meet once, then phone.", edit_summary="phone")
    services.revision_save(
        actor=nurse, article=article, base_number=1, title=article.title,
        summary=article.summary, body="Theirs: meet twice.",
    )  # fmt: skip
    # When: the writer saves against revision 1
    response = as_writer.post(reverse("article_edit", kwargs={"pk": article.pk}), stale)
    # Then: a 409 page with their text, hers in the editable box, and the difference
    page = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved a revision" in page
    assert "Sam Lee saved revision 2" in page
    textarea = page.split('name="body"')[1].split("</textarea>")[0]
    assert "Mine: meet once, then phone." in textarea
    assert "<del>Theirs</del>" in page or "<del>Theirs: meet twice.</del>" in page
    assert 'name="base" value="2"' in page  # the next save is against theirs
    assert article.revisions.count() == 2
    # ...and saving again keeps her text as revision 3
    again = as_writer.post(
        reverse("article_edit", kwargs={"pk": article.pk}), {**stale, "base": "2"}
    )
    assert again.status_code == 302
    assert article.revisions.get(number=3).body == "Mine: meet once, then phone."


def test_an_unchanged_save_is_refused_with_a_message(as_writer, make_article):
    article = make_article()
    response = as_writer.post(reverse("article_edit", kwargs={"pk": article.pk}), _edit(article))
    assert response.status_code == 400
    assert "Nothing changed" in response.content.decode()
    assert article.revisions.count() == 1


@pytest.mark.parametrize("base", ["", "abc", "0", "-1", str(2**70)])
def test_a_bad_base_is_a_400_with_nothing_saved(as_writer, make_article, base):
    article = make_article()
    response = as_writer.post(
        reverse("article_edit", kwargs={"pk": article.pk}), _edit(article, base=base, body="new")
    )
    assert response.status_code == 400
    assert article.revisions.count() == 1


def test_anonymous_people_are_sent_to_sign_in(make_article):
    article = make_article()
    for name in ("article_edit", "article_detail", "article_history"):
        response = Client().get(reverse(name, kwargs={"pk": article.pk}))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = Client().post(reverse("article_restore", kwargs={"pk": article.pk, "number": 1}))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert article.revisions.count() == 1


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 400),
        ("?from=1", 400),
        ("?from=a&to=2", 400),
        ("?from=1&to=" + "9" * 30, 400),
        ("?from=1&to=99", 404),
        ("?from=1&to=2", 200),
        ("?from=2&to=1", 200),
    ],
)
def test_the_diff_page_answers_bad_numbers_clearly(as_writer, make_article, writer, query, status):
    article = make_article()
    services.revision_save(
        actor=writer, article=article, base_number=1, title=article.title,
        summary=article.summary, body="Meet together twice.",
    )  # fmt: skip
    response = as_writer.get(reverse("article_diff", kwargs={"pk": article.pk}) + query)
    assert response.status_code == status
    if status == 400:
        assert "Choose two revisions to compare" in response.content.decode()


def test_the_diff_page_shows_the_change_inline_and_side_by_side(as_writer, make_article, writer):
    article = make_article(body="Refer to the falls clinic.")
    services.revision_save(
        actor=writer, article=article, base_number=1, title=article.title,
        summary=article.summary, body="Refer to the memory clinic.",
    )  # fmt: skip
    page = as_writer.get(
        reverse("article_diff", kwargs={"pk": article.pk}) + "?from=1&to=2"
    ).content.decode()
    inline = page.split('id="diff-inline"')[1].split("</div>")[0]
    assert "<del>falls</del><ins>memory</ins>" in inline
    assert "<del>falls</del>" in page.split('id="diff-old"')[1].split("</div>")[0]
    assert "<ins>memory</ins>" in page.split('id="diff-new"')[1].split("</div>")[0]
    assert "1 word added, 1 removed" in page


def test_restoring_from_the_history(as_writer, make_article, writer):
    article = make_article()
    services.revision_save(
        actor=writer, article=article, base_number=1, title=article.title,
        summary=article.summary, body="Worse.",
    )  # fmt: skip
    history = as_writer.get(reverse("article_history", kwargs={"pk": article.pk})).content
    assert b"Restore revision 1" in history and b"Restore revision 2" not in history
    response = as_writer.post(reverse("article_restore", kwargs={"pk": article.pk, "number": 1}))
    assert response.status_code == 302
    assert article.revisions.get(number=3).edit_summary == "Restored revision 1"
    # A revision that does not exist: a message, nothing made
    response = as_writer.post(
        reverse("article_restore", kwargs={"pk": article.pk, "number": 99}), follow=True
    )
    assert "has no revision 99" in response.content.decode()
    assert article.revisions.count() == 3
    assert (
        as_writer.get(
            reverse("article_restore", kwargs={"pk": article.pk, "number": 1})
        ).status_code
        == 405
    )


def test_what_people_write_never_becomes_markup(as_writer, writer, make_article):
    article = make_article(title=f"T {XSS}", summary=f"S {XSS}", body=f"B {XSS}")
    services.revision_save(
        actor=writer, article=article, base_number=1, title=f"T2 {XSS}", summary=f"S2 {XSS}",
        body=f"B2 {XSS}", edit_summary=f"E {XSS}",
    )  # fmt: skip
    pages = [
        reverse("knowledge_list"),
        reverse("article_detail", kwargs={"pk": article.pk}),
        reverse("article_edit", kwargs={"pk": article.pk}),
        reverse("article_history", kwargs={"pk": article.pk}),
        reverse("article_diff", kwargs={"pk": article.pk}) + "?from=1&to=2",
    ]
    for url in pages:
        page = as_writer.get(url).content.decode()
        assert "<script>alert" not in page, url
        assert "<img src=x" not in page, url
        assert "onerror=alert(1)>" not in page.replace("onerror=alert(1)&gt;", ""), url
    history = as_writer.get(reverse("article_history", kwargs={"pk": article.pk})).content
    assert b"E &lt;script&gt;" in history


# The article page's queries, whatever the number of revisions: session, user, the article
# with its current revision, owner and organisations (one join), co-authors (one grouped
# query), the viewer's profile (may they edit?), the first comment threads, and the unread
# notifications count (base.html); then the viewer's projects, the article's links with their
# targets, and its feedback (knowledge.views_links); and whether it is a base or a local
# version (one query, knowledge_local's panel); and the newest revision's verifications (who
# signed it off: knowledge.review_selectors.status). Never the revisions themselves.
ARTICLE_PAGE_QUERIES = 12


@pytest.mark.parametrize("total", [5, 50])
def test_the_article_page_costs_the_same_queries_at_5_and_50_revisions(
    as_writer, make_article, writer, django_assert_num_queries, settings, total
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "edit": (1000, 60)}
    article = make_article()
    for number in range(1, total):
        services.revision_save(
            actor=writer, article=article, base_number=number, title=article.title,
            summary=article.summary, body=f"Version {number + 1}",
        )  # fmt: skip
    url = reverse("article_detail", kwargs={"pk": article.pk})
    as_writer.get(url)  # warm: content types are cached after the first page
    with django_assert_num_queries(ARTICLE_PAGE_QUERIES):
        page = as_writer.get(url).content.decode()
    assert f"revision {total}" in page


def test_a_hidden_article_shows_who_hid_it_and_why_and_none_of_its_text(
    as_nurse, make_article, steward
):
    # Given: an article a steward hides from its page, with a public reason
    article = make_article(title="Names a client", summary="Secret summary", body="Secret body")
    steward_client = Client()
    steward_client.force_login(steward.user)
    page = steward_client.get(article.get_absolute_url()).content.decode()
    assert reverse("article_hide", kwargs={"pk": article.pk}) in page
    response = steward_client.post(
        reverse("article_hide", kwargs={"pk": article.pk}), {"reason": "Names a client"}
    )
    assert response.status_code == 302
    # Then: its page says so; its text is on no page, and it cannot be edited or compared
    page = as_nurse.get(article.get_absolute_url()).content.decode()
    assert "Hidden by Rangi Tipene" in page
    assert reverse("article_hide", kwargs={"pk": article.pk}) not in page  # stewards only
    for url in (
        article.get_absolute_url(),
        reverse("knowledge_list"),
        reverse("article_history", kwargs={"pk": article.pk}),
        reverse("home"),
    ):
        text = as_nurse.get(url).content.decode()
        assert "Secret summary" not in text and "Secret body" not in text, url
    assert as_nurse.get(reverse("article_edit", kwargs={"pk": article.pk})).status_code == 404
    diff_url = reverse("article_diff", kwargs={"pk": article.pk}) + "?from=1&to=1"
    assert as_nurse.get(diff_url).status_code == 404


def test_the_admin_lists_articles_and_shows_their_revisions_read_only(make_article, writer):
    article = make_article()
    writer.is_staff = writer.is_superuser = True
    writer.save()
    client = Client()
    client.force_login(writer)
    assert client.get(reverse("admin:knowledge_article_changelist")).status_code == 200
    page = client.get(reverse("admin:knowledge_article_change", args=[article.pk]))
    assert page.status_code == 200
    assert "First version" in page.content.decode()  # the first revision's edit summary
