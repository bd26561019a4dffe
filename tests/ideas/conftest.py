import pytest
from taggit.models import Tag

from tests.factories import ProfileFactory


@pytest.fixture
def vocabulary(db):
    for name in ("whānau", "older people", "discharge", "referrals", "mental health"):
        Tag.objects.get_or_create(name=name, defaults={"slug": name.replace(" ", "-")})


@pytest.fixture
def steward(db, organisation):
    return ProfileFactory(display_name="Rangi Tipene", organisation=organisation, is_steward=True)


@pytest.fixture
def make_idea(person, vocabulary):
    from ideas import services

    def make(author=None, **kwargs):
        fields = {
            "title": "One shared story for whānau across agencies",
            "summary": "Whānau tell their story once; agencies share it with consent.",
            "body": "A **consented** summary travels with the family.",
            "benefit": "Less re-telling of trauma; faster help.",
            "tags": ["whānau"],
        }
        fields.update(kwargs)
        return services.idea_create(author=(author or person).user, **fields)

    return make
