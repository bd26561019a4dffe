"""Two organisations' people, and projects between them, for every projects test."""

import pytest

from tests.factories import OrganisationFactory, ProfileFactory


@pytest.fixture
def other_org(db):
    return OrganisationFactory(name="Te Awa Health", short_name="TAH")


@pytest.fixture
def lead(db, organisation):
    """A team leader at Porirua Whānau Centre who leads the project."""
    return ProfileFactory(
        display_name="Mere Parata", organisation=organisation, level="team_leader"
    ).user


@pytest.fixture
def member(db, other_org):
    """A frontline nurse from another agency, a member of the project."""
    return ProfileFactory(display_name="Sam Lee", organisation=other_org, level="frontline").user


@pytest.fixture
def outsider(db, other_org):
    """Signed in, not in the project."""
    return ProfileFactory(display_name="Olive Outsider", organisation=other_org).user


@pytest.fixture
def make_project(lead, vocabulary):
    from projects import services

    def make(actor=None, **kwargs):
        fields = {
            "title": "One plan for discharge home",
            "purpose": "Older people leave hospital with one plan every agency follows.",
        }
        fields.update(kwargs)
        return services.project_create(actor=actor or lead, **fields)

    return make


@pytest.fixture
def project(make_project, member, lead):
    """An open project: ``lead`` leads it, ``member`` (another agency) is a member."""
    from projects import services

    p = make_project()
    services.invite(actor=lead, project=p, user=member)
    invitation = p.invitations.get(user=member)
    services.invitation_answer(actor=member, invitation=invitation, accept=True)
    p.refresh_from_db()
    return p


@pytest.fixture
def restricted(make_project, member, lead):
    """A restricted project with the same two members."""
    from projects import services

    p = make_project(
        title="Safety plans for whānau at risk",
        restricted=True,
        restricted_reason="It discusses identifiable families.",
    )
    services.invite(actor=lead, project=p, user=member)
    services.invitation_answer(actor=member, invitation=p.invitations.get(user=member), accept=True)
    p.refresh_from_db()
    return p
