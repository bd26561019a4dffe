"""An edit that changes nothing records nothing: no revision, no activity, no "edited" time —
through the service, the edit form and the API alike."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from discussion import services as discussion
from discussion.models import Comment
from ideas import services
from ideas.models import IdeaRevision
from people.services import api_token_create
from realtime.models import Activity
from tests.factories import OrganisationFactory


def snapshot(idea) -> tuple:
    idea.refresh_from_db()
    return (
        idea.title, idea.summary, idea.body, idea.benefit, idea.tag_text, idea.problem_id,
        idea.edited, idea.updated, sorted(o.pk for o in idea.organisations.all()),
        sorted(u.pk for u in idea.coauthors.all()),
        IdeaRevision.objects.filter(idea=idea).count(), Activity.objects.count(),
    )  # fmt: skip


@pytest.fixture
def idea(make_idea, colleague):
    idea = make_idea(organisations=[OrganisationFactory()], coauthors=[colleague.user])
    return idea


@pytest.mark.django_db
def test_the_service_records_nothing_for_the_same_values(person, idea):
    before = snapshot(idea)
    services.idea_update(
        actor=person.user,
        idea=idea,
        title=f"  {idea.title} ",  # the same once trimmed
        summary=idea.summary,
        tags=["whānau"],
        problem=None,
        organisations=list(idea.organisations.all()),
        coauthors=[*idea.coauthors.all(), person.user],  # the author is never a co-author
    )
    services.idea_update(actor=person.user, idea=idea)
    assert snapshot(idea) == before


@pytest.mark.django_db
def test_a_real_change_still_records_one_revision_and_one_activity(person, idea):
    revisions, activities = IdeaRevision.objects.count(), Activity.objects.count()
    services.idea_update(actor=person.user, idea=idea, organisations=[])
    assert (IdeaRevision.objects.count(), Activity.objects.count()) == (
        revisions + 1, activities + 1,
    )  # fmt: skip
    idea.refresh_from_db()
    assert idea.edited is not None and not idea.organisations.exists()


@pytest.mark.django_db
def test_saving_the_edit_form_unchanged_records_nothing(client, person, idea):
    client.force_login(person.user)
    before = snapshot(idea)
    form = client.get(reverse("idea_edit", args=[idea.pk])).context["form"]
    # What the browser sends back: the form as it was rendered.
    data = {name: form[name].value() for name in form.fields}
    data["tags"] = form.fields["tags"].prepare_value(data["tags"])
    data["problem"] = data["problem"] or ""
    data["organisations"] = [getattr(o, "pk", o) for o in data["organisations"]]
    response = client.post(reverse("idea_edit", args=[idea.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    assert snapshot(idea) == before


@pytest.mark.django_db
def test_an_empty_or_unchanged_api_patch_records_nothing(person, idea):
    _, raw = api_token_create(user=person.user, name="t")
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    before = snapshot(idea)
    for body in ({}, {"title": idea.title, "tags": ["whānau"], "problem": None}):
        response = api.patch(
            f"/api/v1/ideas/{idea.pk}", json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 200 and response.json()["title"] == idea.title
    assert snapshot(idea) == before


@pytest.mark.django_db
def test_an_unchanged_comment_edit_records_nothing(person, idea):
    comment = discussion.comment_create(author=person.user, body="First thoughts", target=idea)
    activities = Activity.objects.count()
    discussion.comment_edit(actor=person.user, comment=comment, body=" First thoughts ")
    comment = Comment.objects.get(pk=comment.pk)
    assert comment.edited is None and comment.revisions.count() <= 1
    assert Activity.objects.count() == activities
