"""People from two organisations writing knowledge articles together."""

import pytest

from tests.factories import OrganisationFactory, ProfileFactory


@pytest.fixture
def other_org(db):
    return OrganisationFactory(name="Te Awa Health", short_name="TAH")


@pytest.fixture
def writer(db, organisation):
    """A social worker at Porirua Whānau Centre who starts articles."""
    return ProfileFactory(display_name="Aroha Ngata", organisation=organisation).user


@pytest.fixture
def nurse(db, other_org):
    """A nurse from another agency who co-authors them."""
    return ProfileFactory(display_name="Sam Lee", organisation=other_org).user


@pytest.fixture
def no_org(db):
    """Signed in, but with no organisation on their profile."""
    return ProfileFactory(display_name="Pat Nobody", organisation=None).user


PATHWAY_BODY = (
    "## Assessment\n\nAsk about falls.\n\n## Management\n\nReview medicines.\n\n"
    "## Referral\n\nRefer to the falls clinic.\n\n## Local services\n\nPorirua falls clinic."
)


@pytest.fixture
def make_article(writer, vocabulary):
    from knowledge import services

    def make(actor=None, **kwargs):
        fields = {
            "kind": "practice_note",
            "title": "Warm handovers between agencies",
            "summary": "Introduce the family to the next worker in person, not by referral form.",
            "body": "Meet together once.\n\nAgree who calls whom.",
            "tags": ["whānau"],
        }
        fields.update(kwargs)
        return services.article_create(actor=actor or writer, **fields)

    return make
