"""Articles linked to ideas, problems, projects and indicators, both ways; feedback routed to
the owner and answered in public; a closed project's closure report written up as a lesson."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commons.models import Code, Dataset, Dimension, Indicator, MeasureSource, Series, Version
from ideas import services as idea_services
from knowledge import feedback as feedback_services
from knowledge import lessons, links
from knowledge.models import FEEDBACK_DAYS, Article, ArticleLink, Feedback
from projects import services as project_services
from projects.models import Measure
from realtime.models import Activity, Notification
from tests.factories import ProfileFactory

API = "/api/v1"
XSS = '<script>alert("x")</script>'


# --- people and things to link -------------------------------------------------------------


@pytest.fixture
def lead(db, organisation):
    return ProfileFactory(display_name="Mere Parata", organisation=organisation).user


@pytest.fixture
def member(db, other_org):
    return ProfileFactory(display_name="Tama Rewi", organisation=other_org).user


@pytest.fixture
def outsider(db, other_org):
    """Signed in, with an organisation, in no project."""
    return ProfileFactory(display_name="Olive Outsider", organisation=other_org).user


def _with_member(project, lead, member):
    project_services.invite(actor=lead, project=project, user=member)
    invitation = project.invitations.get(user=member)
    project_services.invitation_answer(actor=member, invitation=invitation, accept=True)
    project.refresh_from_db()
    return project


@pytest.fixture
def project(lead, member, vocabulary):
    p = project_services.project_create(
        actor=lead, title="One plan for discharge home", purpose="One plan every agency follows."
    )
    return _with_member(p, lead, member)


@pytest.fixture
def restricted(lead, member, vocabulary):
    p = project_services.project_create(
        actor=lead,
        title="Safety plans for whānau at risk",
        purpose="Plans for identifiable families.",
        restricted=True,
        restricted_reason="It discusses identifiable families.",
    )
    return _with_member(p, lead, member)


@pytest.fixture
def idea(make_idea):
    return make_idea(title="Shared discharge checklist")


@pytest.fixture
def problem(person, vocabulary):
    return idea_services.problem_create(
        author=person.user,
        title="Older people readmitted within a month",
        description="They go home without a plan.",
        affected="Older people and their whānau.",
    )


@pytest.fixture
def indicator(organisation, steward):
    """A published dataset's indicator (built directly: its values do not matter here)."""
    dataset = Dataset.objects.create(
        slug="ash", title="Ambulatory sensitive hospitalisations", created_by=steward.user
    )
    Version.objects.create(
        dataset=dataset,
        number=1,
        status=Version.Status.PUBLISHED,
        imported_by=steward.user,
        imported_at=timezone.now(),
        source_file="ash.csv",
        published_at=timezone.now(),
    )
    return Indicator.objects.create(dataset=dataset, code="ash", name="ASH rate", kind="rate",
                                    unit="per 100,000")  # fmt: skip


@pytest.fixture
def article(make_article):
    return make_article()


def _client(user):
    client = Client()
    client.force_login(user)
    return client


# --- linking: who may, what is refused -----------------------------------------------------


def test_anyone_with_an_organisation_links_an_article_to_an_idea_problem_project_and_indicator(
    article, outsider, idea, problem, project, indicator
):
    for target in (idea, problem, project, indicator):
        links.link(actor=outsider, article=article, target=target)
    assert sorted(link.kind for link in article.links.all()) == [
        "idea", "indicator", "problem", "project"
    ]  # fmt: skip
    activity = Activity.objects.filter(verb="knowledge.linked").first()
    assert activity is not None and activity.scope == "public"


def test_linking_twice_is_refused_with_a_message(article, outsider, idea):
    links.link(actor=outsider, article=article, target=idea)
    with pytest.raises(ValidationError, match="already linked"):
        links.link(actor=outsider, article=article, target=idea)
    assert ArticleLink.objects.count() == 1


def test_only_members_link_to_a_restricted_project(article, outsider, member, restricted):
    with pytest.raises(PermissionDenied, match="only its members"):
        links.link(actor=outsider, article=article, target=restricted)
    assert ArticleLink.objects.count() == 0
    links.link(actor=member, article=article, target=restricted)
    assert ArticleLink.objects.get().project == restricted
    # ...and what is said about the article is now said inside that project
    assert Activity.objects.get(verb="knowledge.linked").scope == f"project:{restricted.pk}"


def test_a_hidden_idea_is_never_linked(article, outsider, idea, steward):
    from discussion import services as discussion

    discussion.hide(actor=steward.user, item=idea, reason="Names a family.")
    idea.refresh_from_db()
    with pytest.raises(ValidationError, match="hidden"):
        links.link(actor=outsider, article=article, target=idea)
    assert ArticleLink.objects.count() == 0


def test_someone_without_an_organisation_cannot_link(article, no_org, idea):
    with pytest.raises(PermissionDenied, match="organisation"):
        links.link(actor=no_org, article=article, target=idea)
    assert ArticleLink.objects.count() == 0


def test_an_address_finds_its_target_and_a_bad_one_says_what_to_paste(
    outsider, idea, project, indicator, restricted
):
    assert (
        links.target_from_address(
            user=outsider, address=f"https://commons.example.nz{idea.get_absolute_url()}?x=1"
        )
        == idea
    )
    assert links.target_from_address(user=outsider, address=project.get_absolute_url()) == project
    path = reverse("commons_indicator", args=[indicator.dataset.slug, indicator.pk])
    assert links.target_from_address(user=outsider, address=path) == indicator
    for bad in ("", "not an address", "/knowledge/", "/ideas/999999/"):
        with pytest.raises(ValidationError):
            links.target_from_address(user=outsider, address=bad)
    # A restricted project reads as one that does not exist to a non-member
    with pytest.raises(ValidationError, match="no such project"):
        links.target_from_address(user=outsider, address=restricted.get_absolute_url())


def test_only_who_added_it_the_owner_or_a_steward_remove_a_link(
    article, writer, outsider, nurse, idea
):
    link = links.link(actor=outsider, article=article, target=idea)
    with pytest.raises(PermissionDenied):
        links.unlink(actor=nurse, link=link)
    assert ArticleLink.objects.count() == 1
    links.unlink(actor=writer, link=link)  # the owner
    assert ArticleLink.objects.count() == 0


# --- both ways on the pages; restricted never shown or counted ------------------------------


def test_the_article_page_lists_its_links_and_the_targets_pages_list_the_article(
    article, outsider, idea, problem, project, indicator
):
    for target in (idea, problem, project, indicator):
        links.link(actor=outsider, article=article, target=target)
    client = _client(outsider)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Linked to" in page
    for title in (idea.title, problem.title, project.title, "ASH rate"):
        assert title in page
    assert "Used in 1 project, 1 idea, 1 problem and 1 outcome indicator." in page
    indicator_url = reverse("commons_indicator", args=[indicator.dataset.slug, indicator.pk])
    for url in (idea.get_absolute_url(), problem.get_absolute_url(), project.get_absolute_url()):
        other = client.get(url).content.decode()
        assert "Knowledge that uses it" in other and article.title in other and "1 article" in other
    # The indicator's section (its page, with values, is in the test below); the article page
    # links to the indicator's page
    from core import sections

    rendered = "".join(sections.render("indicator", None, indicator=indicator))
    assert article.title in rendered
    assert indicator_url in page


def test_a_link_to_a_restricted_project_is_neither_shown_nor_counted_to_a_non_member(
    article, member, outsider, restricted, project
):
    links.link(actor=member, article=article, target=restricted)
    links.link(actor=member, article=article, target=project)
    outsider_page = _client(outsider).get(article.get_absolute_url()).content.decode()
    assert restricted.title not in outsider_page
    assert "Used in 1 project." in outsider_page
    member_page = _client(member).get(article.get_absolute_url()).content.decode()
    assert restricted.title in member_page and "Used in 2 projects." in member_page
    # The restricted project's page: its members see the article, others nothing of it
    assert article.title in _client(member).get(restricted.get_absolute_url()).content.decode()
    outside = _client(outsider).get(restricted.get_absolute_url()).content.decode()
    assert "Knowledge that uses it" not in outside and article.title not in outside
    # ...and the API lists it to the member only
    api_items = _client(outsider).get(f"{API}/knowledge/articles/{article.pk}/links").json()
    assert [i["kind"] for i in api_items["items"]] == ["project"]
    assert {i["title"] for i in api_items["items"]} == {project.title}
    member_items = _client(member).get(f"{API}/knowledge/articles/{article.pk}/links").json()
    assert len(member_items["items"]) == 2


def test_the_link_form_links_a_pasted_address_and_refuses_a_bad_one_with_a_message(
    article, outsider, idea
):
    client = _client(outsider)
    url = reverse("article_link", kwargs={"pk": article.pk})
    bad = client.post(url, {"address": "/nowhere/at/all/"})
    assert bad.status_code == 400
    assert "Paste the address of an idea" in bad.content.decode()
    assert ArticleLink.objects.count() == 0
    empty = client.post(url, {})
    assert empty.status_code == 400 and "Choose one of your projects" in empty.content.decode()
    ok = client.post(url, {"address": idea.get_absolute_url()})
    assert ok.status_code == 302
    assert ArticleLink.objects.get().idea == idea


def test_the_link_form_offers_the_persons_projects(article, member, project):
    client = _client(member)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<option value="{project.pk}">{project.title}</option>' in page
    client.post(reverse("article_link", kwargs={"pk": article.pk}), {"project": project.pk})
    assert ArticleLink.objects.get().project == project


def test_a_project_one_is_not_in_cannot_be_chosen(article, outsider, project):
    response = _client(outsider).post(
        reverse("article_link", kwargs={"pk": article.pk}), {"project": project.pk}
    )
    assert response.status_code == 400
    assert ArticleLink.objects.count() == 0


# --- feedback ------------------------------------------------------------------------------


def test_feedback_is_due_in_14_days_and_the_owner_is_notified(article, writer, nurse):
    item = feedback_services.feedback_post(
        actor=nurse, article=article, text="The referral line changed in March."
    )
    assert item.status == Feedback.Status.OPEN
    assert item.revision == article.current
    assert item.organisation == nurse.profile.organisation
    assert item.due - item.created == timedelta(days=FEEDBACK_DAYS)
    note = Notification.objects.get(user=writer)
    assert note.reason == "knowledge_your_article"
    assert note.activity.verb == "knowledge.feedback"


def test_empty_feedback_is_refused_and_nothing_is_written(article, nurse):
    with pytest.raises(ValidationError, match="Write your feedback"):
        feedback_services.feedback_post(actor=nurse, article=article, text="   ")
    assert Feedback.objects.count() == 0


def test_feedback_on_an_article_linked_to_a_restricted_project_needs_membership(
    article, member, outsider, restricted
):
    links.link(actor=member, article=article, target=restricted)
    with pytest.raises(PermissionDenied, match="restricted project"):
        feedback_services.feedback_post(actor=outsider, article=article, text="Looks wrong.")
    assert Feedback.objects.count() == 0
    # ...and through the page: refused with the message, nothing written
    response = _client(outsider).post(
        reverse("article_feedback", kwargs={"pk": article.pk}), {"text": "Looks wrong."}
    )
    assert response.status_code == 400
    assert Feedback.objects.count() == 0
    # ...and through the API
    api = _client(outsider).post(
        f"{API}/knowledge/articles/{article.pk}/feedback",
        {"text": "Looks wrong."},
        content_type="application/json",
    )
    assert api.status_code == 403 and Feedback.objects.count() == 0
    # A member may
    feedback_services.feedback_post(actor=member, article=article, text="Add the new form.")
    assert Feedback.objects.count() == 1


def test_only_the_owner_or_a_steward_answers_and_the_answer_is_public(
    article, writer, nurse, outsider, steward
):
    item = feedback_services.feedback_post(actor=nurse, article=article, text="Out of date.")
    with pytest.raises(PermissionDenied, match="owner or a steward"):
        feedback_services.feedback_respond(actor=outsider, feedback=item, response="No.")
    item.refresh_from_db()
    assert item.status == "open" and item.response == ""
    answered = feedback_services.feedback_respond(
        actor=writer, feedback=item, response="Fixed in revision 2."
    )
    assert answered.status == "answered" and answered.responded_by == writer
    assert Notification.objects.filter(user=nurse, activity__verb="knowledge.feedback_answered")
    resolved = feedback_services.feedback_respond(
        actor=steward.user, feedback=item, response="Checked: resolved.", resolve=True
    )
    assert resolved.status == "resolved"
    with pytest.raises(ValidationError, match="resolved already"):
        feedback_services.feedback_respond(actor=writer, feedback=item, response="Again")
    page = _client(outsider).get(article.get_absolute_url()).content.decode()
    assert "Out of date." in page and "Checked: resolved." in page


def test_the_answer_page_is_the_owners_and_refuses_an_empty_answer(article, writer, nurse):
    item = feedback_services.feedback_post(actor=nurse, article=article, text="Out of date.")
    url = reverse("feedback_respond", kwargs={"pk": article.pk, "feedback_pk": item.pk})
    assert _client(nurse).get(url).status_code == 403
    owner = _client(writer)
    refused = owner.post(url, {"response": "  "})
    assert refused.status_code == 400
    item.refresh_from_db()
    assert item.status == "open"
    assert owner.post(url, {"response": "Done.", "resolve": "on"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "resolved" and item.response == "Done."


def test_feedback_and_answers_are_escaped(article, writer, nurse):
    item = feedback_services.feedback_post(actor=nurse, article=article, text=XSS)
    feedback_services.feedback_respond(actor=writer, feedback=item, response=XSS + " answer")
    for url in (article.get_absolute_url(), reverse("knowledge_feedback")):
        page = _client(nurse).get(url).content.decode()
        assert XSS not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_the_feedback_list_puts_open_first_and_flags_overdue(article, writer, nurse, make_article):
    old = feedback_services.feedback_post(actor=nurse, article=article, text="Old and unanswered")
    Feedback.objects.filter(pk=old.pk).update(
        created=timezone.now() - timedelta(days=20), due=timezone.now() - timedelta(days=6)
    )
    done = feedback_services.feedback_post(actor=nurse, article=article, text="Answered one")
    feedback_services.feedback_respond(actor=writer, feedback=done, response="Thanks, fixed.")
    page = _client(nurse).get(reverse("knowledge_feedback")).content.decode()
    assert page.index("Old and unanswered") < page.index("Answered one")
    assert "Answer overdue" in page and "Thanks, fixed." in page


def test_feedback_on_an_article_of_a_restricted_project_is_not_listed_to_outsiders(
    article, member, outsider, restricted
):
    links.link(actor=member, article=article, target=restricted)
    feedback_services.feedback_post(actor=member, article=article, text="Inside remark")
    listed = reverse("knowledge_feedback")
    assert "Inside remark" not in _client(outsider).get(listed).content.decode()
    assert "Inside remark" in _client(member).get(listed).content.decode()
    assert "Inside remark" not in _client(outsider).get(article.get_absolute_url()).content.decode()
    api = _client(outsider).get(f"{API}/knowledge/articles/{article.pk}/feedback")
    assert api.status_code == 404


def test_the_api_creates_and_lists_feedback(article, nurse):
    client = _client(nurse)
    made = client.post(
        f"{API}/knowledge/articles/{article.pk}/feedback",
        {"text": "Missing the after-hours number."},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["status"] == "open" and made.json()["revision"] == 1
    empty = client.post(
        f"{API}/knowledge/articles/{article.pk}/feedback",
        {"text": ""},
        content_type="application/json",
    )
    assert empty.status_code == 422
    items = client.get(f"{API}/knowledge/articles/{article.pk}/feedback").json()["items"]
    assert [i["text"] for i in items] == ["Missing the after-hours number."]


# --- a closed project's lesson learned -----------------------------------------------------


def _close(project, lead, **extra):
    project_services.project_set_status(
        actor=lead,
        project=project,
        status="completed",
        reason="Done: every ward uses the plan.",
        achieved="Readmissions fell by a third.",
        learned="Start with the ward clerks: they hold the lists.",
        **extra,
    )
    project.refresh_from_db()


@pytest.fixture
def measured(project, lead, indicator, idea, problem):
    """The project grew from ``idea``, answers ``problem``, and measures itself by
    ``indicator``."""
    project.ideas.add(idea)
    project.problems.add(problem)
    dataset = indicator.dataset
    area_dim = Dimension.objects.create(dataset=dataset, code="area", name="Area", role="area")
    period_dim = Dimension.objects.create(dataset=dataset, code="year", name="Year",
                                          role="period")  # fmt: skip
    area = Code.objects.create(dimension=area_dim, code="porirua", label="Porirua")
    y1 = Code.objects.create(dimension=period_dim, code="2023", label="2023", position=1,
                             starts_on=date(2023, 1, 1))  # fmt: skip
    y2 = Code.objects.create(dimension=period_dim, code="2024", label="2024", position=2,
                             starts_on=date(2024, 1, 1))  # fmt: skip
    series = Series.objects.create(dataset=dataset, key="all", label="Everyone")
    measure = Measure.objects.create(
        project=project, name="Readmissions", unit="%", baseline=30, baseline_date=date(2023, 1, 1),
        target=20, target_date=date(2025, 1, 1), source="ASH",
    )  # fmt: skip
    MeasureSource.objects.create(
        measure=measure, indicator=indicator, area=area, series=series, baseline_period=y1,
        current_period=y2, version_number=1, linked_by=lead,
    )  # fmt: skip
    return project


def test_a_closed_projects_member_writes_up_its_lesson_with_links(measured, lead, member):
    project = measured
    _close(project, lead, results={project.measures.get().pk: {"final": "21", "note": "Close."}})
    page = _client(member).get(project.get_absolute_url()).content.decode()
    assert "Write it up as a lesson learned" in page
    response = _client(member).post(reverse("lesson_from_closure", args=[project.pk]))
    article = Article.objects.get(kind="lesson")
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert project.title in article.title
    body = article.current.body
    assert "Draft from the project's closure report" in body
    assert "Start with the ward clerks" in body and "Readmissions fell by a third." in body
    assert "**Readmissions**" in body
    assert {link.kind for link in article.links.all()} == {"project", "idea", "problem",
                                                           "indicator"}  # fmt: skip
    assert article.links.get(project=project).from_closure
    # The project page now links to the lesson, and offers no second one
    page = _client(member).get(project.get_absolute_url()).content.decode()
    assert "Lesson learned from this project" in page and article.title in page
    assert "Write it up as a lesson learned" not in page
    with pytest.raises(ValidationError, match="written up already"):
        lessons.lesson_from_closure(actor=lead, project=project)
    assert Article.objects.filter(kind="lesson").count() == 1


def test_only_members_of_a_closed_project_write_up_its_lesson(project, lead, outsider):
    _close(project, lead)
    assert "Write it up" not in _client(outsider).get(project.get_absolute_url()).content.decode()
    with pytest.raises(PermissionDenied, match="members"):
        lessons.lesson_from_closure(actor=outsider, project=project)
    response = _client(outsider).post(reverse("lesson_from_closure", args=[project.pk]))
    assert response.status_code == 302
    assert Article.objects.count() == 0


def test_an_open_project_has_no_lesson_to_write_up(project, member):
    with pytest.raises(ValidationError, match="no closure report"):
        lessons.lesson_from_closure(actor=member, project=project)
    assert Article.objects.count() == 0


def test_a_restricted_projects_lesson_needs_the_public_check(restricted, lead, member):
    _close(restricted, lead)
    with pytest.raises(ValidationError):
        lessons.lesson_from_closure(actor=member, project=restricted)
    assert Article.objects.count() == 0
    article = lessons.lesson_from_closure(actor=member, project=restricted, confirm_public=True)
    assert article.links.get().project == restricted


def test_addresses_that_are_not_addresses_are_refused_with_the_same_message(outsider):
    for bad in ("http://[::1", "/ideas/\x00/", "/ideas/99999999999999999999999/", "/data/x/"):
        with pytest.raises(ValidationError, match="Paste the address"):
            links.target_from_address(user=outsider, address=bad)


def test_signed_out_nobody_links_or_gives_feedback(article, idea):
    client = Client()
    for name, form in (("article_link", {"address": idea.get_absolute_url()}),
                       ("article_feedback", {"text": "Hello"})):  # fmt: skip
        response = client.post(reverse(name, kwargs={"pk": article.pk}), form)
        assert response.status_code in (302, 400, 403)
    assert ArticleLink.objects.count() == 0 and Feedback.objects.count() == 0


def test_a_hidden_article_takes_no_links_or_feedback(article, outsider, idea, steward):
    from discussion import services as discussion

    discussion.hide(actor=steward.user, item=article, reason="Names a client.")
    article.refresh_from_db()
    with pytest.raises(PermissionDenied, match="hidden"):
        links.link(actor=outsider, article=article, target=idea)
    with pytest.raises(PermissionDenied, match="hidden"):
        feedback_services.feedback_post(actor=outsider, article=article, text="Hi")
    assert ArticleLink.objects.count() == 0 and Feedback.objects.count() == 0


def test_feedback_on_an_article_of_a_restricted_project_is_announced_inside_it(
    article, member, restricted
):
    links.link(actor=member, article=article, target=restricted)
    item = feedback_services.feedback_post(actor=member, article=article, text="Inside")
    activity = Activity.objects.get(verb="knowledge.feedback")
    assert activity.scope == f"project:{restricted.pk}"
    assert "Inside" not in str(activity.payload)  # the text stays on the article page
    assert activity.payload["feedback_id"] == item.pk


def test_a_lessons_link_to_its_project_stays(project, lead, member):
    _close(project, lead)
    article = lessons.lesson_from_closure(actor=member, project=project)
    link = article.links.get(project=project)
    with pytest.raises(ValidationError, match="the link stays"):
        links.unlink(actor=member, link=link)
    assert article.links.filter(project=project).exists()


def test_a_published_indicators_page_lists_the_articles_linked_to_it(
    article, outsider, steward, organisation
):
    """Through the commons' own import and publishing, so the real indicator page is shown."""
    from commons import publishing
    from commons import services as commons_services
    from tests.commons.conftest import (
        HEADER_LINE,
        PROVENANCE,
        SMALL_COUNTS_ROWS,
        WIDE,
        csv_bytes,
    )

    dataset = commons_services.dataset_create(
        actor=steward.user, steward=organisation, slug="vaccinations", mapping=WIDE,
        title="Vaccinations by week", suppression_tokens=["<5"], **PROVENANCE,
    )  # fmt: skip
    version = commons_services.import_version(
        actor=steward.user, dataset=dataset, source=csv_bytes(HEADER_LINE, *SMALL_COUNTS_ROWS),
        file_name="upload.csv",
    )  # fmt: skip
    publishing.publish_version(version=version, by=steward.user)
    indicator = dataset.indicators.get(code="first")
    url = reverse("commons_indicator", args=[dataset.slug, indicator.pk])
    client = _client(outsider)
    before = client.get(url).content.decode()
    assert "Knowledge that uses it" in before and article.title not in before
    # Linked by pasting the indicator page's address
    target = links.target_from_address(user=outsider, address=f"https://x.example{url}")
    links.link(actor=outsider, article=article, target=target)
    after = client.get(url).content.decode()
    assert article.title in after and "1 article" in after
    assert url in client.get(article.get_absolute_url()).content.decode()


@pytest.mark.parametrize("total", [2, 12])
def test_the_feedback_list_costs_the_same_queries_however_long(
    article, writer, nurse, settings, django_assert_num_queries, total
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (1000, 60)}
    for n in range(total):
        item = feedback_services.feedback_post(actor=nurse, article=article, text=f"Point {n}")
        if n % 2:
            feedback_services.feedback_respond(actor=writer, feedback=item, response="Done")
    client = _client(nurse)
    client.get(reverse("knowledge_feedback"))  # warm
    # session, user, header profile, unread notifications, and for each of the two lists (open;
    # answered and resolved) the viewer's projects and one page of feedback
    with django_assert_num_queries(8):
        page = client.get(reverse("knowledge_feedback")).content.decode()
    assert page.count("Point ") == total
