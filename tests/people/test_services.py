import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from people import services
from people.models import Organisation
from realtime.models import Activity
from tests.factories import ProfileFactory, UserFactory


@pytest.mark.django_db
def test_profile_update_records_one_public_activity_published_on_commit(
    person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        services.profile_update(actor=person.user, profile=person, role_title="Team leader")
    activity = Activity.objects.get()
    assert (activity.verb, activity.scope, activity.payload) == (
        "profile.updated",
        "public",
        {"fields": ["role_title"]},
    )
    assert len(callbacks) == 1


@pytest.mark.django_db(transaction=True)
def test_rolled_back_update_publishes_nothing(person, monkeypatch):
    sent = []
    monkeypatch.setattr("realtime.publish._send", lambda group, message: sent.append(message))
    with pytest.raises(RuntimeError), transaction.atomic():
        services.profile_update(actor=person.user, profile=person, role_title="Team leader")
        raise RuntimeError("something later in the same transaction failed")
    assert sent == []
    assert Activity.objects.count() == 0
    person.refresh_from_db()
    assert person.role_title == "Social worker"
    services.profile_update(actor=person.user, profile=person, role_title="Team leader")
    assert len(sent) == 1


@pytest.mark.django_db
def test_nobody_edits_someone_elses_profile(person, colleague):
    with pytest.raises(PermissionDenied):
        services.profile_update(actor=colleague.user, profile=person, role_title="Chief executive")
    person.refresh_from_db()
    assert person.role_title == "Social worker"
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_unchanged_profile_records_nothing(person):
    services.profile_update(actor=person.user, profile=person, role_title=person.role_title)
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_moving_organisation_announces_joining_the_new_one(person):
    other = Organisation.objects.create(
        name="Ōtara School", slug="otara-school", kind="school", region="auckland"
    )
    services.profile_update(actor=person.user, profile=person, organisation=other)
    assert list(Activity.objects.order_by("id").values_list("verb", "target_title")) == [
        ("profile.updated", "their profile"),
        ("person.joined", "Ōtara School"),
    ]


@pytest.mark.django_db
def test_organisation_create_validates_and_records(person):
    org = services.organisation_create(
        actor=person.user, name="Kāpiti Foodbank", kind="community", region="wellington"
    )
    assert org.slug == "kapiti-foodbank"
    assert Activity.objects.get().verb == "organisation.added"
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(
            actor=person.user, name="Kāpiti Foodbank", kind="community", region="wellington"
        )
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.organisation_create(actor=person.user, name="X", kind="bank", region="mars")
    assert {"kind", "region"} <= set(exc.value.message_dict)
    assert Organisation.objects.filter(name="X").count() == 0


@pytest.mark.django_db
def test_only_staff_deactivate(person, colleague):
    with pytest.raises(PermissionDenied):
        services.person_deactivate(actor=colleague.user, user=person.user)
    staff = UserFactory(is_staff=True)
    services.person_deactivate(actor=staff, user=person.user)
    person.user.refresh_from_db()
    assert person.user.is_active is False


@pytest.mark.django_db
def test_person_register_rejects_duplicate_email(organisation):
    ProfileFactory(user__email="sam@example.org")
    with pytest.raises(ValidationError):
        services.person_register(
            email="SAM@example.org",
            password_hash="!",
            display_name="Sam",
            organisation=organisation,
            role_title="Nurse",
            level="frontline",
        )
