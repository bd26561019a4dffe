"""Where people write, a reminder not to post identifiable client details; what looks like one
(an NHI or phone number, a date of birth, an e-mail address) comes back as a warning naming it
and the field, with the text kept and a box to tick to post it anyway — in forms, services and
the API."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from core.identifying import CONFIRM_LABEL
from discussion import services as discussion
from discussion.models import Comment
from ideas import services
from ideas.models import Idea, Problem
from people.services import api_token_create
from realtime.models import Activity

PHONE = "021 555 0123"
REMINDER = "No client details."


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.mark.django_db
def test_every_writing_form_reminds_people_not_to_post_client_details(client, person, make_idea):
    idea = make_idea()
    comment = discussion.comment_create(author=person.user, body="A first thought.", target=idea)
    problem = services.problem_create(
        author=person.user, title="Referrals lost", description="They vanish.", affected="Whānau"
    )
    client.force_login(person.user)
    for url in (
        reverse("idea_create"),
        reverse("idea_edit", args=[idea.pk]),
        reverse("problem_create"),
        idea.get_absolute_url(),  # the comment form
        problem.get_absolute_url(),
        reverse("comment_edit", args=[comment.pk]),
    ):
        page = client.get(url).content.decode()
        assert REMINDER in page, url
        # the box to tick is not offered before anything was found
        assert CONFIRM_LABEL not in page, url


@pytest.mark.django_db
def test_a_comment_with_a_phone_number_comes_back_with_a_warning_then_posts_when_confirmed(
    client, person, colleague, make_idea
):
    # Given an idea, and a colleague writing a comment with a client's phone number in it
    idea = make_idea()
    client.force_login(colleague.user)
    body = f"Her mum rang from {PHONE} about the referral."

    # When she posts it
    data = {"body": body, "submission_key": "form-1"}
    response = client.post(reverse("idea_comment", args=[idea.pk]), data)

    # Then nothing is posted; the form comes back saying what looked identifying and where
    assert response.status_code == 400
    assert Comment.objects.count() == 0 and not Activity.objects.filter(verb="comment.posted")
    form = response.context["comment_form"]
    assert f"a phone number ({PHONE})" in " ".join(form.errors["body"])
    text = _text(response)
    assert "looks like it could identify someone" in text
    # ... with her text kept, and the box to tick to post it anyway
    page = response.content.decode()
    assert re.search(rf"<textarea[^>]*>\s*{re.escape(body)}</textarea>", page)
    assert re.search(r'<input type="checkbox" name="confirm_not_identifying"[^>]*>', page)
    assert CONFIRM_LABEL in page

    # When she ticks "I have checked" and posts again (the same form, the same key)
    assert form["submission_key"].value() == "form-1"
    data["confirm_not_identifying"] = "on"
    response = client.post(reverse("idea_comment", args=[idea.pk]), data)

    # Then it is posted, once
    assert response.status_code == 302
    assert Comment.objects.get().body == body


@pytest.mark.django_db
def test_an_idea_names_each_field_with_what_was_found_in_it(client, person, vocabulary):
    client.force_login(person.user)
    data = {
        "title": "A shared plan for one family",
        "summary": "Everyone works from one plan.",
        "body": "For example the boy with NHI ZAC5361, DOB 3/4/2015.",
        "benefit": "Call me on aroha.ngata@example.org to discuss.",
        "tags": "whānau",
        "coauthors": "",
    }
    response = client.post(reverse("idea_create"), data)
    assert response.status_code in (200, 400) and Idea.objects.count() == 0
    errors = response.context["form"].errors
    assert set(errors) >= {"body", "benefit"} and "title" not in errors
    assert "an NHI number (ZAC5361)" in errors["body"][0]
    assert "a date of birth (3/4/2015)" in errors["body"][0]
    assert "an e-mail address (aroha.ngata@example.org)" in errors["benefit"][0]

    data["confirm_not_identifying"] = "on"
    assert client.post(reverse("idea_create"), data).status_code == 302
    assert Idea.objects.get().body == data["body"]


@pytest.mark.django_db
def test_a_problem_is_checked_too(client, person):
    client.force_login(person.user)
    data = {
        "title": "No one answers 09 555 0123",
        "description": "The after-hours line.",
        "affected": "Families at night",
    }
    response = client.post(reverse("problem_create"), data)
    assert response.status_code in (200, 400) and Problem.objects.count() == 0
    assert "a phone number (09 555 0123)" in response.context["form"].errors["title"][0]
    assert (
        client.post(
            reverse("problem_create"), {**data, "confirm_not_identifying": "on"}
        ).status_code
        == 302
    )


@pytest.mark.django_db
def test_an_edit_is_only_asked_about_what_it_adds(client, person, make_idea):
    # Given a comment posted with a phone number, confirmed at the time
    idea = make_idea()
    comment = discussion.comment_create(
        author=person.user, body=f"Ring {PHONE}.", target=idea, confirm_not_identifying=True
    )
    client.force_login(person.user)
    # When she edits other words of it, the number she confirmed is not asked about again
    response = client.post(reverse("comment_edit", args=[comment.pk]), {"body": f"Ring {PHONE}!"})
    assert response.status_code == 302
    # But an e-mail address she adds is
    response = client.post(
        reverse("comment_edit", args=[comment.pk]), {"body": f"Ring {PHONE} or jo@example.org"}
    )
    assert response.status_code == 200
    assert "jo@example.org" in response.context["form"].errors["body"][0]
    assert PHONE not in response.context["form"].errors["body"][0]
    comment.refresh_from_db()
    assert comment.body == f"Ring {PHONE}!"


@pytest.mark.django_db
def test_services_refuse_identifying_text_unless_confirmed(person, make_idea):
    idea = make_idea()
    with pytest.raises(ValidationError) as refused:
        discussion.comment_create(author=person.user, body=f"Ring {PHONE}", target=idea)
    assert refused.value.error_dict["body"][0].code == "identifying"
    with pytest.raises(ValidationError):
        services.idea_update(actor=person.user, idea=idea, summary="DOB 3/4/1987")
    idea.refresh_from_db()
    assert "DOB" not in idea.summary
    services.idea_update(
        actor=person.user, idea=idea, summary="DOB 3/4/1987", confirm_not_identifying=True
    )


@pytest.mark.django_db
def test_the_api_answers_422_naming_the_field_unless_confirmed(person, make_idea):
    idea = make_idea()
    _, raw = api_token_create(user=person.user, name="script")
    api = Client(headers={"Authorization": f"Bearer {raw}"})

    def post(path, body):
        return api.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")

    response = post(f"/ideas/{idea.pk}/comments", {"body": f"Ring {PHONE}"})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert (error["field"], error["type"]) == ("body", "identifying")
    assert PHONE in error["message"]
    assert Comment.objects.count() == 0

    confirmed = {"body": f"Ring {PHONE}", "confirm_not_identifying": True}
    assert post(f"/ideas/{idea.pk}/comments", confirmed).status_code == 201

    problem = {"title": "T", "description": "NHI ZAC5361", "affected": "A"}
    response = post("/problems", problem)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "description"
    assert post("/problems", {**problem, "confirm_not_identifying": True}).status_code == 201

    response = api.patch(
        f"/api/v1/ideas/{idea.pk}",
        json.dumps({"benefit": "jo@example.org"}),
        content_type="application/json",
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "benefit"
