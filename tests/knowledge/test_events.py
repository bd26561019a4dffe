"""Reviews suggested by events elsewhere (issue 12): a linked dataset publishing a new version,
a linked project completing or changing an outcome measure, marks the article "review
suggested" with the reason and a link to what changed — through the commons' and projects' own
services, which announce the event by a signal that knowledge listens to."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from commons import publishing
from commons import services as commons_services
from knowledge import links, verification
from projects import services as project_services
from realtime.models import Activity
from tests.commons.conftest import HEADER_LINE, PROVENANCE, SMALL_COUNTS_ROWS, WIDE, csv_bytes
from tests.factories import ProfileFactory


@pytest.fixture
def lead(db, organisation):
    return ProfileFactory(display_name="Mere Parata", organisation=organisation).user


@pytest.fixture
def member(db, other_org):
    return ProfileFactory(display_name="Tama Rewi", organisation=other_org).user


def _client(user=None):
    client = Client()
    client.force_login(user or ProfileFactory(display_name="Rua Reader", organisation=None).user)
    return client


def _with_member(project, lead, member):
    project_services.invite(actor=lead, project=project, user=member)
    invitation = project.invitations.get(user=member)
    project_services.invitation_answer(actor=member, invitation=invitation, accept=True)
    project.refresh_from_db()
    return project


@pytest.fixture
def project(lead, member, vocabulary):
    made = project_services.project_create(
        actor=lead, title="One plan for discharge home", purpose="One plan every agency follows."
    )
    return _with_member(made, lead, member)


@pytest.fixture
def restricted(lead, member, vocabulary):
    made = project_services.project_create(
        actor=lead,
        title="Safety plans for whānau at risk",
        purpose="Plans for identifiable families.",
        restricted=True,
        restricted_reason="It discusses identifiable families.",
    )
    return _with_member(made, lead, member)


def _measure(project, lead, name="Readmissions within 28 days", measure=None):
    return project_services.measure_save(
        actor=lead, project=project, name=name, unit="%", baseline="30",
        baseline_date=date(2023, 1, 1), target="20", target_date=date(2026, 1, 1),
        source="Hospital discharge data", measure=measure,
    )  # fmt: skip


def _complete(project, lead, results=None):
    project_services.project_set_status(
        actor=lead,
        project=project,
        status="completed",
        reason="Done: every ward uses the plan.",
        achieved="Readmissions fell by a third.",
        learned="Start with the ward clerks: they hold the lists.",
        results=results or {},
    )
    project.refresh_from_db()


def _marked(article):
    article.refresh_from_db()
    return article.review_suggested


# --- a dataset publishes a new version --------------------------------------------------------


def _dataset(steward, organisation):
    return commons_services.dataset_create(
        actor=steward.user, steward=organisation, slug="whakamaua", mapping=WIDE,
        title="Whakamaua immunisation by week", suppression_tokens=["<5"], **PROVENANCE,
    )  # fmt: skip


def _import(steward, dataset):
    return commons_services.import_version(
        actor=steward.user, dataset=dataset, source=csv_bytes(HEADER_LINE, *SMALL_COUNTS_ROWS),
        file_name="upload.csv",
    )  # fmt: skip


def test_publishing_a_version_marks_the_articles_citing_its_indicators_and_no_other(
    make_article, member, steward, organisation, django_capture_on_commit_callbacks
):
    # Given an article linked to two indicators of a published dataset, and one linked to none
    dataset = _dataset(steward, organisation)
    publishing.publish_version(version=_import(steward, dataset), by=steward.user)
    citing = make_article(title="Reading the immunisation figures")
    unlinked = make_article(title="Warm handovers")
    for indicator in dataset.indicators.all()[:2]:
        links.link(actor=member, article=citing, target=indicator)
    assert dataset.indicators.count() >= 2
    # When the steward publishes version 2
    second = _import(steward, dataset)
    with django_capture_on_commit_callbacks(execute=True):
        publishing.publish_version(version=second, by=steward.user)
    # Then the citing article (once) carries the reason and the version page; the other nothing
    reason = _marked(citing)
    assert "“Whakamaua immunisation by week” published version 2" in reason
    url = reverse("commons_version", args=["whakamaua", 2])
    assert citing.review_suggested_url == url
    assert _marked(unlinked) == ""
    assert Activity.objects.filter(verb="knowledge.review_suggested").count() == 1
    # And the article page shows the notice with a link to the version
    page = _client().get(citing.get_absolute_url()).content.decode()
    assert "Review suggested" in page and "published version 2" in page
    assert f'href="{url}"' in page


def test_a_publication_rolled_back_marks_nothing(make_article, member, steward, organisation):
    """The signal is sent inside the publication's transaction: if that is undone, so is the
    mark — no article says a version was published that never was."""
    dataset = _dataset(steward, organisation)
    publishing.publish_version(version=_import(steward, dataset), by=steward.user)
    article = make_article()
    links.link(actor=member, article=article, target=dataset.indicators.first())
    version = _import(steward, dataset)
    with pytest.raises(RuntimeError), transaction.atomic():
        publishing.publish_version(version=version, by=steward.user)
        raise RuntimeError("the request failed after publishing")
    assert _marked(article) == ""
    assert not Activity.objects.filter(verb="knowledge.review_suggested").exists()


# --- a project completes or changes an outcome measure ----------------------------------------


def test_completing_a_linked_project_marks_its_articles_with_a_link_to_the_project(
    make_article, project, lead, member
):
    article = make_article(title="Discharge planning together")
    other = make_article(title="Warm handovers")
    links.link(actor=member, article=article, target=project)
    _complete(project, lead)
    assert _marked(article) == (
        "“One plan for discharge home” was completed: check what this article says about it."
    )
    article.refresh_from_db()
    assert article.review_suggested_url == reverse("project_detail", args=[project.pk])
    assert _marked(other) == ""


def test_pausing_a_project_is_not_a_reason_for_a_review(make_article, project, lead, member):
    article = make_article()
    links.link(actor=member, article=article, target=project)
    project_services.project_set_status(
        actor=lead, project=project, status="paused", reason="Waiting for funding."
    )
    assert _marked(article) == ""


def test_adding_changing_and_reading_a_measure_each_mark_the_linked_articles(
    make_article, project, lead, member
):
    article = make_article()
    links.link(actor=member, article=article, target=project)
    outcomes = reverse("project_outcomes", args=[project.pk])

    measure = _measure(project, lead)
    assert "“One plan for discharge home” added the outcome measure “Readmissions" in _marked(
        article
    )
    article.refresh_from_db()
    assert article.review_suggested_url == outcomes

    _measure(project, lead, name="Readmissions within 30 days", measure=measure)
    assert (
        "“One plan for discharge home”'s outcome measure “Readmissions within 30 days” changed"
        in _marked(article)
    )

    project_services.reading_add(actor=lead, measure=measure, value="24", on=date(2025, 6, 1))
    assert "outcome measure “Readmissions within 30 days” has a new reading" in _marked(article)
    assert Activity.objects.filter(verb="knowledge.review_suggested").count() == 3


def test_a_refused_measure_change_marks_nothing(make_article, project, lead, member):
    article = make_article()
    links.link(actor=member, article=article, target=project)
    with pytest.raises(ValidationError):
        project_services.measure_save(
            actor=lead, project=project, name="Readmissions", unit="%", baseline="30",
            baseline_date=date(2023, 1, 1), target="30", target_date=date(2026, 1, 1),
            source="Hospital data",
        )  # fmt: skip
    assert _marked(article) == ""
    assert not Activity.objects.filter(verb="knowledge.review_suggested").exists()


def test_a_verification_clears_a_review_suggested_by_a_project(
    make_article, project, lead, member, nurse
):
    article = make_article()
    links.link(actor=member, article=article, target=project)
    _complete(project, lead)
    assert _marked(article)
    verification.verify(
        actor=nurse, article=article, revision_number=1, comment="Checked against the closure."
    )
    assert _marked(article) == ""
    page = _client().get(article.get_absolute_url()).content.decode()
    assert "Review suggested" not in page


# --- a restricted project's name stays with its members ---------------------------------------


def test_a_restricted_projects_event_does_not_name_it_or_its_measure(
    make_article, restricted, lead, member, django_capture_on_commit_callbacks
):
    article = make_article(title="Safety planning with families")
    links.link(actor=member, article=article, target=restricted)
    measure = _measure(restricted, lead, name="Plans reviewed at Te Whare Marae")
    assert _marked(article) == (
        "A linked project changed its outcome measures: check what this article says about it."
    )
    _complete(restricted, lead, results={measure.pk: {"final": "22", "note": "Close."}})
    reason = _marked(article)
    assert reason.startswith("A linked project was completed")
    for secret in ("Safety plans for whānau", "Te Whare Marae"):
        assert secret not in reason
        for activity in Activity.objects.filter(verb="knowledge.review_suggested"):
            assert secret not in str(activity.payload)
    # The article's readers outside the project see the notice without the project's name
    page = _client().get(article.get_absolute_url()).content.decode()
    assert "A linked project was completed" in page
    assert "Safety plans for whānau" not in page
