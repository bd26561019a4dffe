"""A steward's idea page: the idea comes first; the decision and merge forms wait, collapsed,
under "Decide on this idea" (open again when a form comes back with a message)."""

import re

import pytest
from django.urls import reverse

DETAILS = re.compile(
    r'<details class="card decide" id="decide"(?P<open>[^>]*)>(?P<inside>.*?)</details>', re.S
)


@pytest.mark.django_db
def test_the_decision_and_merge_forms_are_collapsed_after_the_idea(client, steward, make_idea):
    idea = make_idea(body="The **whole idea**, in Markdown.")
    client.force_login(steward.user)
    page = client.get(idea.get_absolute_url()).content.decode()
    found = DETAILS.search(page)
    assert found, "the forms are in a <details>"
    assert "open" not in found["open"]
    assert "<summary>Decide on this idea</summary>" in found["inside"]
    assert 'id="decision-form"' in found["inside"]
    assert f'action="{reverse("idea_merge", args=[idea.pk])}"' in found["inside"]
    # the idea itself, its decisions and then the forms; the discussion after them
    assert page.index("<strong>whole idea</strong>") < page.index('id="decisions"') < found.start()
    assert found.end() < page.index('id="comment-form"')


@pytest.mark.django_db
def test_a_decision_without_a_reason_comes_back_open(client, steward, make_idea):
    idea = make_idea()
    client.force_login(steward.user)
    response = client.post(
        reverse("idea_decide", args=[idea.pk]), {"to_stage": "shortlisted", "reason": ""}
    )
    assert response.status_code == 400
    found = DETAILS.search(response.content.decode())
    assert found and "open" in found["open"]


@pytest.mark.django_db
def test_people_who_do_not_decide_see_no_decision_forms(client, colleague, make_idea):
    idea = make_idea()
    client.force_login(colleague.user)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert not DETAILS.search(page) and "Decide on this idea" not in page
