"""The idea pages as a person uses them: post, find, support, comment, decide."""

import re

import pytest
from django.urls import reverse

from discussion import services as discussion
from ideas.models import Decision, Idea
from realtime.models import Activity
from tests.rows import supports


def idea_data(**overrides):
    data = {
        "title": "Discharge coordinator for older people on the medical wards",
        "summary": "One person who owns getting each older patient home.",
        "body": "Start with *Ward 7*.",
        "benefit": "Fewer days in hospital for people who are medically ready.",
        "tags": "older people, discharge",
        "coauthors": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_post_an_idea_and_see_it_listed_and_in_the_feed(client, person, vocabulary):
    client.force_login(person.user)
    response = client.post(reverse("idea_create"), idea_data())
    idea = Idea.objects.get()
    assert response["Location"] == idea.get_absolute_url()
    assert sorted(t.name for t in idea.tags.all()) == ["discharge", "older people"]
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "<em>Ward 7</em>" in page and "waiting 0 days" in page
    listing = client.get(reverse("idea_list")).content.decode()
    assert idea.title in listing
    assert Activity.objects.filter(verb="idea.posted", target_id=str(idea.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "required"),
        ({"title": "t" * 201}, "title", "at most 200"),
        ({"summary": "s" * 301}, "summary", "at most 300"),
        ({"tags": "made-up-tag"}, "tags", "Unknown tag"),
        ({"problem": "99999"}, "problem", "does not exist"),
        ({"coauthors": "nobody@nowhere.example"}, "coauthors", "No one here"),
    ],
)
def test_bad_idea_input_is_explained_beside_the_field_and_saves_nothing(
    client, person, vocabulary, overrides, field, message
):
    client.force_login(person.user)
    response = client.post(reverse("idea_create"), idea_data(**overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message.lower() in " ".join(errors[field]).lower()
    assert Idea.objects.count() == 0 and Activity.objects.count() == 0
    # what they wrote is still in the form
    assert (overrides.get("summary") or "One person who owns") in response.content.decode()


@pytest.mark.django_db
def test_a_double_submitted_form_creates_one_idea(client, person, vocabulary):
    client.force_login(person.user)
    form = client.get(reverse("idea_create")).content.decode()
    key = re.search(r'name="submission_key" value="(\w+)"', form).group(1)
    first = client.post(reverse("idea_create"), idea_data(submission_key=key))
    second = client.post(reverse("idea_create"), idea_data(submission_key=key))
    assert Idea.objects.count() == 1
    assert first["Location"] == second["Location"] == Idea.objects.get().get_absolute_url()
    assert Activity.objects.filter(verb="idea.posted").count() == 1
    # a new form (a new key) is a new idea
    client.post(reverse("idea_create"), idea_data(submission_key="another"))
    assert Idea.objects.count() == 2


@pytest.mark.django_db
def test_posting_too_fast_is_refused_with_a_clear_message(client, person, vocabulary, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "post": (1, 60)}
    client.force_login(person.user)
    client.post(reverse("idea_create"), idea_data(submission_key="a"))
    second = client.post(reverse("idea_create"), idea_data(submission_key="b"))
    assert Idea.objects.count() == 1
    assert "Please wait a moment" in second.content.decode()
    assert "One person who owns" in second.content.decode()  # what they wrote is kept


@pytest.mark.django_db
def test_support_and_withdraw(client, colleague, make_idea):
    idea = make_idea()
    client.force_login(colleague.user)
    client.post(reverse("idea_support", args=[idea.pk]), {"action": "support"})
    client.post(reverse("idea_support", args=[idea.pk]), {"action": "support"})
    idea.refresh_from_db()
    assert idea.support_count == 1 == supports(idea=idea).count()
    response = client.post(
        reverse("idea_support", args=[idea.pk]),
        {"action": "withdraw"},
        headers={"HX-Request": "true"},
    )
    assert b"Support this idea" in response.content
    idea.refresh_from_db()
    assert idea.support_count == 0


@pytest.mark.django_db
def test_only_deciders_can_change_a_stage(client, person, colleague, steward, make_idea):
    idea = make_idea()
    client.force_login(colleague.user)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Record decision" not in page
    response = client.post(
        reverse("idea_decide", args=[idea.pk]), {"to_stage": "shortlisted", "reason": "Because"}
    )
    assert response.status_code == 403
    idea.refresh_from_db()
    assert idea.stage == "new" and Decision.objects.count() == 0

    client.force_login(steward.user)
    assert "Record decision" in client.get(idea.get_absolute_url()).content.decode()
    no_reason = client.post(
        reverse("idea_decide", args=[idea.pk]), {"to_stage": "shortlisted", "reason": ""}
    )
    assert no_reason.status_code == 400 and Decision.objects.count() == 0
    client.post(
        reverse("idea_decide", args=[idea.pk]),
        {"to_stage": "shortlisted", "reason": "Strong support from Ward 7 staff."},
    )
    idea.refresh_from_db()
    assert idea.stage == "shortlisted" and idea.first_decision_at is not None
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Strong support from Ward 7 staff." in page and "Rangi Tipene" in page


@pytest.mark.django_db
def test_similar_ideas_suggested_while_typing(client, person, make_idea):
    make_idea()
    make_idea(
        title="Hospital discharge planning for kaumātua",
        summary="Plan the trip home from the first day on the ward.",
        body="Start planning at admission.",
        tags=[],
    )
    client.force_login(person.user)
    response = client.get(reverse("idea_similar"), {"title": "shared story for families"})
    assert b"One shared story" in response.content
    assert b"kaum" not in response.content
    assert client.get(reverse("idea_similar"), {"title": "the and of"}).content.strip() == b""


@pytest.mark.django_db
def test_waiting_longest_page(client, person, make_idea):
    make_idea()
    client.force_login(person.user)
    assert b"One shared story" in client.get(reverse("idea_waiting")).content


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 30])
def test_idea_list_query_count_is_fixed(
    client, person, make_idea, django_assert_num_queries, size, settings
):
    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))
    for i in range(size):
        make_idea(title=f"Idea number {i} about whānau")
    client.force_login(person.user)
    # session, user, header profile, unread notifications, ideas, viewer's supports
    with django_assert_num_queries(6):
        response = client.get(reverse("idea_list"))
    assert len(response.context["page"].items) == min(size, 20)


@pytest.mark.django_db
def test_idea_page_query_count_does_not_grow_with_comments(
    client, person, colleague, make_idea, django_assert_max_num_queries, settings
):

    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))
    idea = make_idea()
    discussion.comment_create(author=colleague.user, target=idea, body="The first")
    client.force_login(person.user)
    with django_assert_max_num_queries(30) as few:
        client.get(idea.get_absolute_url())
    for i in range(80):
        top = discussion.comment_create(author=colleague.user, target=idea, body=f"Comment {i}")
        discussion.comment_create(author=person.user, target=idea, body=f"Reply {i}", parent=top)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(idea.get_absolute_url())


@pytest.mark.django_db
def test_problem_post_status_and_ideas_answering_it(client, person, colleague, vocabulary):
    from ideas.models import Problem

    client.force_login(person.user)
    bad = client.post(reverse("problem_create"), {"title": "", "description": "", "affected": ""})
    assert bad.status_code == 200 and Problem.objects.count() == 0
    assert set(bad.context["form"].errors) == {"title", "description", "affected"}
    client.post(
        reverse("problem_create"),
        {
            "title": "Families tell their story to every agency",
            "description": "Again and again.",
            "affected": "Whānau in crisis",
            "tags": "whānau",
        },
    )
    problem = Problem.objects.get()
    assert list(problem.owners.all()) == [person.user]
    client.post(reverse("idea_create"), idea_data(problem=problem.pk))
    page = client.get(problem.get_absolute_url()).content.decode()
    assert "Discharge coordinator" in page

    # closing needs a reason; only owners may change the status
    no_reason = client.post(reverse("problem_status", args=[problem.pk]), {"status": "closed"})
    assert no_reason.status_code == 400
    client.post(
        reverse("problem_status", args=[problem.pk]),
        {"status": "closed", "reason": "Solved by the shared record pilot"},
    )
    problem.refresh_from_db()
    assert (problem.status, problem.status_reason) == (
        "closed",
        "Solved by the shared record pilot",
    )
    client.force_login(colleague.user)
    assert (
        client.post(
            reverse("problem_status", args=[problem.pk]), {"status": "open", "reason": "x"}
        ).status_code
        == 403
    )
    problem.refresh_from_db()
    assert problem.status == "closed"


@pytest.mark.django_db
def test_owners_add_owners_who_then_may_decide(client, person, colleague, vocabulary):
    from ideas import services
    from ideas.models import Problem

    problem = services.problem_create(
        author=person.user, title="Discharge delays", description="D", affected="Kaumātua"
    )
    idea = services.idea_create(
        author=person.user, title="T", summary="S", body="B", benefit="X", problem=problem
    )
    client.force_login(colleague.user)
    url = reverse("problem_owner_add", args=[problem.pk])
    assert client.post(url, {"email": colleague.user.email}).status_code == 403
    client.force_login(person.user)
    bad = client.post(url, {"email": "nobody@example.org"})
    assert bad.status_code == 400 and "No one here" in bad.content.decode()
    client.post(url, {"email": colleague.user.email})
    assert set(Problem.objects.get().owners.all()) == {person.user, colleague.user}
    client.force_login(colleague.user)
    client.post(
        reverse("idea_decide", args=[idea.pk]), {"to_stage": "discussion", "reason": "Let's talk"}
    )
    idea.refresh_from_db()
    assert idea.stage == "discussion"


@pytest.mark.django_db
def test_authors_edit_through_the_form_and_the_old_version_is_kept(
    client, person, colleague, make_idea
):
    idea = make_idea()
    client.force_login(colleague.user)
    assert client.get(reverse("idea_edit", args=[idea.pk])).status_code == 404
    client.force_login(person.user)
    form = client.get(reverse("idea_edit", args=[idea.pk]))
    assert form.context["form"].initial["tags"] == ["whānau"]
    response = client.post(
        reverse("idea_edit", args=[idea.pk]), idea_data(title="A clearer title", tags="whānau")
    )
    assert response["Location"] == idea.get_absolute_url()
    idea.refresh_from_db()
    assert idea.title == "A clearer title" and idea.edited is not None
    assert idea.revisions.count() == 2
