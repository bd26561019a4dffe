"""Forms that help (issue 8.4): an error summary at the top of every form, linked to the fields;
a decision form that offers only the legal stages and starts at the next; unknown tags named
with the vocabulary shown and the rest kept; tag suggestions for every tag; people and ideas
picked by name; similar problems while typing; no stray labels for hidden inputs."""

import re

import pytest
from django.urls import reverse
from taggit.models import Tag

from discussion import services as discussion
from ideas import services
from ideas.models import Idea, Problem
from people.models import Organisation
from tests.factories import ProfileFactory


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


def summary_links(html: str) -> list[str]:
    """The fields the error summary links to, in order."""
    match = re.search(r'<div class="error-summary"(.*?)</div>', html, re.S)
    assert match, "no error summary"
    box = match.group(0)
    assert 'role="alert"' in box and 'tabindex="-1"' in box and "There is a problem" in box
    return re.findall(r'href="#([\w-]+)"', box)


# --- the error summary, on every form ------------------------------------------------------


@pytest.mark.django_db
def test_an_empty_comment_comes_back_with_a_summary_where_the_form_is(client, person, make_idea):
    idea = make_idea()
    client.force_login(person.user)
    page = client.get(idea.get_absolute_url()).content.decode()
    # The comment form posts to an address ending in #comment-errors: the page that comes back
    # opens at the form's error summary, not 1,700 px above it.
    action = reverse("idea_comment", args=[idea.pk]) + "#comment-errors"
    assert f'action="{action}"' in page
    response = client.post(reverse("idea_comment", args=[idea.pk]), {"body": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert summary_links(html) == ["id_body"]
    # The summary is inside the comment form, before its fields, with the id the address names
    form = html[html.index('id="comment-form"') :]
    assert form.index('class="error-summary"') < form.index('id="id_body"')
    assert re.search(r'<div class="error-summary"[^>]*id="comment-errors"', form)
    # The field says it is invalid and is described by its message
    field = re.search(r"<textarea[^>]*id=\"id_body\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in field
    assert re.search(r'aria-describedby="[^"]*\bid_body_error\b', field)
    assert 'id="id_body_error"' in html


def _page_forms(client, person, colleague, steward, make_idea):
    """Every form, posted so that it comes back with an error: (who, url, data, field)."""
    idea = make_idea()
    problem = services.problem_create(
        author=person.user, title="Discharge delays", description="D", affected="Kaumātua"
    )
    comment = discussion.comment_create(author=person.user, target=idea, body="First")
    organisation = Organisation.objects.first()
    return [
        (person, reverse("idea_create"), idea_data(title=""), "id_title"),
        (person, reverse("idea_edit", args=[idea.pk]), idea_data(summary=""), "id_summary"),
        (
            person,
            reverse("problem_create"),
            {"title": "", "description": "D", "affected": "A"},
            "id_title",
        ),
        (person, reverse("comment_edit", args=[comment.pk]), {"body": ""}, "id_body"),
        (person, reverse("problem_comment", args=[problem.pk]), {"body": ""}, "id_body"),
        (colleague, reverse("idea_report", args=[idea.pk]), {"reason": ""}, "id_reason"),
        (steward, reverse("idea_hide", args=[idea.pk]), {"reason": ""}, "id_reason"),
        (
            steward,
            reverse("idea_decide", args=[idea.pk]),
            {"to_stage": "discussion", "reason": ""},
            "decision_reason",
        ),
        (
            steward,
            reverse("idea_merge", args=[idea.pk]),
            {"target": "", "reason": "Same"},
            "merge_target",
        ),
        (
            person,
            reverse("problem_status", args=[problem.pk]),
            {"status": "nope", "reason": ""},
            "id_status",
        ),
        (person, reverse("problem_owner_add", args=[problem.pk]), {"email": ""}, "id_email"),
        (
            person,
            reverse("profile_edit"),
            {"display_name": "", "organisation": organisation.pk, "level": "frontline"},
            "id_display_name",
        ),
        (person, reverse("organisation_add"), {"name": ""}, "id_name"),
        (None, reverse("account_signup"), {"email": "not-an-address"}, "id_email"),
        (None, reverse("account_login"), {"login": "", "password": ""}, "id_login"),
    ]


@pytest.mark.django_db
def test_every_form_comes_back_with_a_summary_linking_to_its_fields(
    client, person, colleague, steward, make_idea
):
    for who, url, data, field in _page_forms(client, person, colleague, steward, make_idea):
        client.logout()
        if who is not None:
            client.force_login(who.user)
        html = client.post(url, data).content.decode()
        links = summary_links(html)
        assert field in links, (url, links)
        for target in links:  # every link leads to a field on the page
            assert f'id="{target}"' in html, (url, target)
        assert html.count('class="error-summary"') == 1, url


@pytest.mark.django_db
def test_a_form_without_errors_has_no_summary(client, person, make_idea):
    idea = make_idea()
    client.force_login(person.user)
    for url in (reverse("idea_create"), idea.get_absolute_url(), reverse("profile_edit")):
        assert "There is a problem" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_hidden_inputs_have_no_labels(client, person, make_idea):
    idea = make_idea()
    client.force_login(person.user)
    for url in (reverse("idea_create"), reverse("problem_create"), idea.get_absolute_url()):
        html = client.get(url).content.decode()
        assert 'name="submission_key"' in html
        assert "Submission key" not in html and "Parent:" not in html, url


# --- the decision form ---------------------------------------------------------------------


def _stage_select(html: str) -> tuple[list[str], str | None]:
    found = re.search(r'<select name="to_stage".*?</select>', html, re.S)
    assert found, "no stage to choose"
    select = found.group(0)
    options = re.findall(r'<option value="([^"]*)"', select)
    selected = re.search(r'<option value="([^"]*)" selected', select)
    return options, selected.group(1) if selected else None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stage", "offered", "chosen"),
    [
        ("new", "discussion shortlisted project implemented not_progressed", "discussion"),
        ("discussion", "shortlisted project implemented not_progressed", "shortlisted"),
        ("shortlisted", "discussion project implemented not_progressed", "project"),
        ("project", "discussion shortlisted implemented not_progressed", "implemented"),
        # At an end of the usual path nothing is chosen for the steward.
        ("implemented", " discussion shortlisted project not_progressed", ""),
        ("not_progressed", " discussion shortlisted project implemented", ""),
    ],
)
def test_the_decision_form_offers_the_legal_stages_and_starts_at_the_next(
    client, steward, make_idea, stage, offered, chosen
):
    idea = make_idea()
    Idea.objects.filter(pk=idea.pk).update(stage=stage)
    client.force_login(steward.user)
    html = client.get(idea.get_absolute_url()).content.decode()
    assert _stage_select(html) == (offered.split(" "), chosen)
    label = dict(Idea.Stage.choices)[stage]
    assert f"It is “{label}” now." in html


@pytest.mark.django_db
def test_a_decision_never_takes_an_idea_back_to_new(client, steward, make_idea):
    idea = make_idea()
    services.idea_decide(actor=steward.user, idea=idea, to_stage="discussion", reason="Talk")
    client.force_login(steward.user)
    response = client.post(
        reverse("idea_decide", args=[idea.pk]), {"to_stage": "new", "reason": "Undo"}
    )
    assert response.status_code == 400
    assert "to_stage" in response.context["decision_form"].errors
    idea.refresh_from_db()
    assert idea.stage == "discussion"


# --- tags ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_tag_is_named_the_known_ones_kept_and_the_vocabulary_shown(
    client, person, vocabulary
):
    client.force_login(person.user)
    response = client.post(
        reverse("idea_create"), idea_data(tags="older people, made-up, discharge, also new")
    )
    html = response.content.decode()
    assert response.status_code == 200 and not Idea.objects.exists()
    [message] = response.context["form"].errors["tags"]
    assert "“made-up”, “also new” are not one of the tags here" in message
    assert "your other tags kept" in message
    # The field now holds the known tags; everything else is as it was typed.
    assert re.search(r'name="tags" value="older people, discharge"', html)
    assert "One person who owns getting each older patient home." in html
    # The vocabulary is listed, open, right there.
    assert re.search(r'<details class="tag-vocabulary" id="tag-vocabulary" open>', html)
    vocabulary_list = html[html.index('id="tag-vocabulary"') :]
    for tag in ("whānau", "mental health", "referrals"):
        assert f"<li>{tag}</li>" in vocabulary_list
    assert not Tag.objects.filter(name__in=["made-up", "also new"]).exists()
    # Sent again as it came back, the idea is posted with the known tags.
    client.post(reverse("idea_create"), idea_data(tags="older people, discharge"))
    assert Idea.objects.get().tag_text == "older people, discharge"


@pytest.mark.django_db
def test_a_steward_still_adds_a_new_tag(client, steward, vocabulary):
    client.force_login(steward.user)
    client.post(reverse("idea_create"), idea_data(tags="older people, brand new"))
    assert Idea.objects.get().tag_text == "older people, brand new"


@pytest.mark.django_db
def test_tags_are_suggested_for_the_one_being_typed_after_a_comma(client, person, vocabulary):
    client.force_login(person.user)
    url = reverse("tag_suggestions")
    assert client.get(url, {"q": "ref"}).json()["tags"] == ["referrals"]
    assert client.get(url, {"q": "whānau, ref"}).json()["tags"] == ["referrals"]
    assert client.get(url, {"q": "whānau,  older people,Dis"}).json()["tags"] == ["discharge"]
    # The tags already in the field are not suggested again
    after = client.get(url, {"q": "whānau, discharge, "}).json()
    assert "whānau" not in after["tags"] and "discharge" not in after["tags"]
    assert after["suggestions"][0] == {
        "value": "mental health",
        "label": "mental health",
        "detail": "",
    }


# --- people and ideas picked by name -------------------------------------------------------


@pytest.mark.django_db
def test_co_authors_are_picked_by_name(client, person, colleague, vocabulary):
    client.force_login(person.user)
    # The suggestions: by name, role or organisation; not the one typing, not those chosen
    url = reverse("people_suggest")
    found = client.get(url, {"q": "hann"}).json()["suggestions"]
    assert found == [
        {
            "value": f"Hannah McKenzie (#{colleague.user_id})",
            "label": "Hannah McKenzie",
            "detail": "Social worker, Porirua Whānau Centre",
        }
    ]
    assert client.get(url, {"q": "aroha"}).json()["suggestions"] == []
    chosen = f"Hannah McKenzie (#{colleague.user_id}), porirua"
    assert client.get(url, {"q": chosen}).json()["suggestions"] == []
    # A suggestion's value, or a name typed by hand, or an e-mail address
    other = ProfileFactory(display_name="Tama Hēmi")
    third = ProfileFactory(display_name="Sina Aumua")
    client.post(
        reverse("idea_create"),
        idea_data(
            coauthors=f"Hannah McKenzie (#{colleague.user_id}), tama  hēmi, {third.user.email}"
        ),
    )
    idea = Idea.objects.get()
    assert set(idea.coauthors.all()) == {colleague.user, other.user, third.user}
    # The edit form shows them as the suggestions put them
    edit = client.get(reverse("idea_edit", args=[idea.pk])).content.decode()
    value = re.search(r'name="coauthors" value="([^"]*)"', edit).group(1)
    assert f"Hannah McKenzie (#{colleague.user_id})" in value
    assert f"Tama Hēmi (#{other.user_id})" in value


@pytest.mark.django_db
def test_a_name_that_is_shared_or_unknown_is_explained(client, person, vocabulary):
    ProfileFactory(display_name="Sam Lee")
    ProfileFactory(display_name="Sam Lee")
    client.force_login(person.user)
    response = client.post(reverse("idea_create"), idea_data(coauthors="Sam Lee, Nobody Here"))
    errors = " ".join(response.context["form"].errors["coauthors"])
    assert "More than one person is called “Sam Lee”" in errors
    assert "No one here is called “Nobody Here”" in errors
    assert not Idea.objects.exists()
    # What was typed is still there to correct
    assert 'value="Sam Lee, Nobody Here"' in response.content.decode()


@pytest.mark.django_db
def test_an_owner_is_added_by_name(client, person, colleague):
    problem = services.problem_create(
        author=person.user, title="Discharge delays", description="D", affected="Kaumātua"
    )
    client.force_login(person.user)
    client.post(reverse("problem_owner_add", args=[problem.pk]), {"email": "hannah mckenzie"})
    assert set(Problem.objects.get().owners.all()) == {person.user, colleague.user}


@pytest.mark.django_db
def test_a_merge_target_is_picked_by_title_or_number(client, steward, make_idea):
    source = make_idea(title="Shared story for whānau")
    target = make_idea(title="One shared story across agencies")
    client.force_login(steward.user)
    # Suggestions: by number, and by the words of the title; never the idea itself
    url = reverse("idea_suggest")
    by_number = client.get(url, {"q": f"#{target.pk}"}).json()["suggestions"]
    assert by_number[0]["value"] == f"#{target.pk} One shared story across agencies"
    by_words = client.get(url, {"q": "shared story", "exclude": source.pk}).json()
    assert [s["value"] for s in by_words["suggestions"]] == [f"#{target.pk} {target.title}"]
    assert by_words["suggestions"][0]["detail"] == "New, 0 supporters"
    # A title typed in full (case aside) works without the suggestions
    response = client.post(
        reverse("idea_merge", args=[source.pk]),
        {"target": "one shared story ACROSS agencies", "reason": "Same idea"},
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.merged_into == target


@pytest.mark.django_db
def test_a_merge_target_that_is_ambiguous_or_unknown_is_explained(client, steward, make_idea):
    source = make_idea(title="The duplicate")
    twins = [make_idea(title="Twin idea"), make_idea(title="Twin idea")]
    client.force_login(steward.user)
    url = reverse("idea_merge", args=[source.pk])
    response = client.post(url, {"target": "Twin idea", "reason": "Same"})
    [error] = response.context["merge_form"].errors["target"]
    assert response.status_code == 400
    assert f"Several ideas are called “Twin idea” (#{twins[0].pk}, #{twins[1].pk})" in error
    response = client.post(url, {"target": "No such idea", "reason": "Same"})
    assert "No idea is called “No such idea”" in response.context["merge_form"].errors["target"][0]
    # The suggestion's value and a bare number both name the idea
    response = client.post(url, {"target": f"#{twins[1].pk} Twin idea", "reason": "Same"})
    source.refresh_from_db()
    assert source.merged_into_id == twins[1].pk


# --- similar problems, and what the title input keeps ----------------------------------------


@pytest.mark.django_db
def test_similar_problems_are_suggested_while_typing(client, person):
    services.problem_create(
        author=person.user, title="Discharge delays for kaumātua", description="D", affected="A"
    )
    services.problem_create(
        author=person.user, title="Referral forms bounce", description="D", affected="A"
    )
    client.force_login(person.user)
    form = client.get(reverse("problem_create")).content.decode()
    title = re.search(r'<input type="text" name="title"[^>]*>', form).group(0)
    assert f'hx-get="{reverse("problem_similar")}"' in title
    assert 'hx-target="#similar-problems"' in title and 'id="similar-problems"' in form
    response = client.get(reverse("problem_similar"), {"title": "long discharge delays"})
    html = response.content.decode()
    assert "Similar problems" in html and "Discharge delays for kaumātua" in html
    assert "Referral forms" not in html


@pytest.mark.django_db
def test_the_idea_form_keeps_what_was_typed_when_the_person_comes_back(client, person):
    client.force_login(person.user)
    response = client.get(reverse("idea_create"))
    html = response.content.decode()
    title = re.search(r'<input type="text" name="title"[^>]*>', html).group(0)
    # The browser may put the title back on Back (no autocomplete="off"), the page may be
    # kept (no no-store) and forms.js keeps a draft (data-draft)
    assert "autocomplete" not in title
    assert "no-store" not in response.get("Cache-Control", "")
    assert re.search(r"<form [^>]*data-draft", html)


@pytest.mark.django_db
def test_similar_problems_forgive_missing_macrons_and_a_slip(client, person):
    services.problem_create(
        author=person.user, title="Discharge delays for kaumātua", description="D", affected="A"
    )
    client.force_login(person.user)
    html = client.get(reverse("problem_similar"), {"title": "kaumatua dischrage"}).content
    assert "Discharge delays for kaumātua" in html.decode()
    assert (
        "Discharge"
        not in client.get(
            reverse("problem_similar"), {"title": "library opening hours"}
        ).content.decode()
    )
