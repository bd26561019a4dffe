"""Shared set-up for the governance tests: a published dataset, a project lead from another
organisation with an active project, a kaitiaki organisation with a steward, and a purpose
statement that passes."""

import pytest

from commons import access, publishing
from commons.models import GoverningMember
from projects.models import Membership, Project
from tests.commons.conftest import csv_bytes
from tests.factories import OrganisationFactory, ProfileFactory

HEADER = "Week,DHB,Ethnic group,Age,First,Uptake"

PURPOSE = {
    "what": "First doses by week for Māori aged 25-29 in Waikato, unrounded.",
    "why": "Rounded counts hide the small weekly changes our outreach needs to see.",
    "how": "We compare weeks before and after each clinic visit, in a spreadsheet.",
    "who_sees": "The two analysts on the project team, and nobody else.",
    "how_long": "Until the end of the project; then every copy is deleted.",
    "not_done": "No person is identified, nothing is linked to other data, nothing is shared.",
}


def publish(dataset, do_import, kaitiaki):
    version = do_import(
        dataset,
        csv_bytes(
            HEADER,
            "2021-06-06,Waikato,Maori,25-29,1001,NA",
            "2021-06-06,Waikato,Pacific,25-29,4,NA",
            "2021-06-06,Capital and Coast,Maori,25-29,310,NA",
            "2021-06-06,Capital and Coast,Pacific,25-29,170,NA",
        ),
    )
    return publishing.publish_version(version=version, by=kaitiaki)


@pytest.fixture
def version(dataset, do_import, kaitiaki):
    return publish(dataset, do_import, kaitiaki)


@pytest.fixture
def other_org(db):
    return OrganisationFactory(name="Waikato Health Trust", slug="waikato-health-trust")


@pytest.fixture
def lead(other_org):
    return ProfileFactory(display_name="Mere Lead", organisation=other_org).user


def make_project(lead, status=Project.Status.ACTIVE, role=Membership.Role.LEAD):
    project = Project.objects.create(
        title="Vaccination outreach", purpose="Reach more whānau.", lead=lead,
        created_by=lead, status=status,
    )  # fmt: skip
    Membership.objects.create(project=project, user=lead, role=role)
    return project


@pytest.fixture
def project(lead):
    return make_project(lead)


@pytest.fixture
def kaitiaki_org(db):
    return OrganisationFactory(name="Te Rōpū Kaitiaki", slug="te-ropu-kaitiaki")


@pytest.fixture
def kaitiaki_steward(kaitiaki_org):
    return ProfileFactory(
        display_name="Whetu Kaitiaki", organisation=kaitiaki_org, is_steward=True
    ).user


@pytest.fixture
def maori_dataset(dataset, kaitiaki, kaitiaki_org):
    dataset.maori_data = True
    dataset.kaitiaki_group = "Te Rōpū Kaitiaki"
    dataset.save()
    access.governing_member_add(
        actor=kaitiaki, dataset=dataset, organisation=kaitiaki_org,
        role=GoverningMember.Role.KAITIAKI,
    )  # fmt: skip
    return dataset


def ask(lead, dataset, project, version, **overrides):
    values = {**PURPOSE, "days": 30, **overrides}
    return access.request_create(
        actor=lead, dataset=dataset, project=project, versions=[version], **values
    )
