"""Nobody decides on, merges or supports an idea they wrote or co-wrote (issue 8.3): not as
the owner of the problem it answers, not as a steward. The services refuse with the reason,
and the idea page says why instead of offering the button or the form."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ideas import permissions, services
from ideas.models import Decision, Idea
from tests.factories import ProfileFactory
from tests.rows import supports


def _problem(owner):
    return services.problem_create(
        author=owner.user, title="Discharge delays", description="D", affected="Kaumātua"
    )


@pytest.mark.django_db
def test_the_owner_of_a_problem_does_not_decide_on_their_own_idea_for_it(
    client, person, colleague, make_idea
):
    # Given: Aroha posted a problem (so she owns it) and an idea that answers it
    idea = make_idea(problem=_problem(person))
    # Then: she may not decide on it, and the service says why
    assert not permissions.can_decide(person.user, idea)
    with pytest.raises(PermissionDenied, match="You wrote this idea"):
        services.idea_decide(actor=person.user, idea=idea, to_stage="implemented", reason="Done")
    client.force_login(person.user)
    response = client.post(
        reverse("idea_decide", args=[idea.pk]), {"to_stage": "implemented", "reason": "Done"}
    )
    assert response.status_code == 403 and "You wrote this idea" in response.content.decode()
    # ... her idea page offers no decision form, and says why and who decides
    page = client.get(idea.get_absolute_url()).content.decode()
    assert 'id="decision-form"' not in page and "Record decision" not in page
    assert "You wrote this idea, so you don’t decide on it" in page
    assert "Stewards and the owners of" in page and "who did not write it decide" in page
    idea.refresh_from_db()
    assert idea.stage == "new" and not Decision.objects.exists()
    # ... while a co-owner of the problem who did not write it decides
    services.problem_owner_add(actor=person.user, problem=idea.problem, user=colleague.user)
    services.idea_decide(actor=colleague.user, idea=idea, to_stage="discussion", reason="Talk")


@pytest.mark.django_db
def test_a_steward_who_co_wrote_an_idea_neither_decides_nor_merges_it(
    client, person, steward, make_idea
):
    idea = make_idea(coauthors=[steward.user])
    duplicate = make_idea(title="The same again")
    other = make_idea(title="Another idea", author=ProfileFactory())
    assert not permissions.can_decide(steward.user, idea)
    with pytest.raises(PermissionDenied, match="You wrote this idea"):
        services.idea_decide(actor=steward.user, idea=idea, to_stage="shortlisted", reason="Yes")
    # Merging her idea away, or another into hers, is deciding on her own idea too.
    with pytest.raises(PermissionDenied, match="You wrote one of these ideas"):
        services.idea_merge(actor=steward.user, source=idea, target=other, reason="Same")
    with pytest.raises(PermissionDenied, match="You wrote one of these ideas"):
        services.idea_merge(actor=steward.user, source=other, target=idea, reason="Same")
    client.force_login(steward.user)
    page = client.get(idea.get_absolute_url()).content.decode()
    assert 'id="decision-form"' not in page and 'id="merge-form"' not in page
    assert "even as a steward" in page
    # ... and on someone else's idea she still decides and merges
    assert 'id="decision-form"' in client.get(other.get_absolute_url()).content.decode()
    services.idea_merge(actor=steward.user, source=duplicate, target=other, reason="Same")
    assert Idea.objects.filter(stage="merged").count() == 1


@pytest.mark.django_db
def test_authors_and_co_authors_do_not_support_their_own_idea(client, person, colleague, make_idea):
    idea = make_idea(coauthors=[colleague.user])
    for author in (person, colleague):
        assert not permissions.can_support(author.user, idea)
        with pytest.raises(PermissionDenied, match="You wrote this idea"):
            services.idea_support(user=author.user, idea=idea)
    client.force_login(colleague.user)
    # The page explains instead of offering the button ...
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Support this idea" not in page
    assert "You wrote this idea, so you don’t support it yourself" in page
    # ... and a support posted anyway (an old page, htmx or not) counts nothing
    url = reverse("idea_support", args=[idea.pk])
    part = client.post(url, {"action": "support"}, HTTP_HX_REQUEST="true").content.decode()
    assert "you cannot support it" in part and 'role="alert"' in part
    response = client.post(url, {"action": "support"}, follow=True)
    assert "you cannot support it" in response.content.decode()
    idea.refresh_from_db()
    assert idea.support_count == 0 and not supports().exists()


@pytest.mark.django_db
def test_a_supporter_made_co_author_no_longer_counts(person, colleague, make_idea):
    idea = make_idea()
    services.idea_support(user=colleague.user, idea=idea)
    services.idea_update(actor=person.user, idea=idea, coauthors=[colleague.user])
    idea.refresh_from_db()
    assert idea.support_count == 0 and not supports().exists()


@pytest.mark.django_db
def test_a_merge_does_not_make_the_targets_author_its_supporter(
    person, colleague, steward, make_idea
):
    target = make_idea(title="The idea")
    source = make_idea(title="The duplicate", author=colleague)
    services.idea_support(user=person.user, idea=source)  # the target's author liked the copy
    services.idea_merge(actor=steward.user, source=source, target=target, reason="Same")
    target.refresh_from_db()
    assert target.support_count == 0 and not supports().exists()
