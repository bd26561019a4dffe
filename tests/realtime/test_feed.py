import json
import re

import pytest
from django.urls import reverse

from core.ratelimit import rate_limit_disabled
from people import services
from realtime import publish
from realtime.models import Activity
from tests.factories import ProfileFactory


def make_activities(profile, n):
    with rate_limit_disabled():  # set-up in bulk, faster than a person may save a profile
        for i in range(n):
            services.profile_update(actor=profile.user, profile=profile, bio=f"Version {i}")


@pytest.mark.django_db
def test_signed_out_home_explains_the_product_and_shows_no_activity(client, person):
    make_activities(person, 1)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Join Social Commons" in html
    assert "updated their profile" not in html


@pytest.mark.django_db
def test_feed_shows_newest_first_and_pages_older_on_demand(client, person, settings):
    settings.FEED_PAGE_SIZE = 5
    make_activities(person, 12)
    client.force_login(person.user)

    first = client.get(reverse("home"))
    ids = [a.id for a in first.context["activities"]]
    assert ids == sorted(ids, reverse=True) and len(ids) == 5
    assert first.context["resume_after"] == ids[0]
    assert f'href="?before={ids[-1]}"' in first.content.decode()

    # The "Older activity" link works without JavaScript (full page) ...
    second = client.get(reverse("home"), {"before": ids[-1]})
    older = [a.id for a in second.context["activities"]]
    assert older == sorted(older, reverse=True) and max(older) < min(ids)
    # ... and with htmx it returns just the next items to swap in.
    partial = client.get(reverse("home"), {"before": ids[-1]}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content
    assert partial.content.count(b'class="activity"') == 5


@pytest.mark.django_db
def test_feed_hides_other_peoples_private_activity(client, person, colleague):
    publish.record(
        actor=colleague.user,
        verb="profile.updated",
        target=colleague,
        title="only for Hannah",
        scope=f"user:{colleague.user_id}",
    )
    client.force_login(person.user)
    assert "only for Hannah" not in client.get(reverse("home")).content.decode()
    client.force_login(colleague.user)
    assert "only for Hannah" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 40])
def test_feed_query_count_is_fixed(client, person, django_assert_num_queries, count):
    make_activities(person, count)
    client.force_login(person.user)
    # session, user, the scopes they may see (their projects), activities, the header's profile
    # and unread notifications
    with django_assert_num_queries(6):
        response = client.get(reverse("home"))
    assert len(response.context["activities"]) == min(count, 25)


@pytest.mark.django_db
def test_feed_escapes_what_people_wrote(client, organisation):
    evil = ProfileFactory(display_name='<script>alert("x")</script>', organisation=organisation)
    make_activities(evil, 1)
    client.force_login(evil.user)
    html = client.get(reverse("home")).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html
    assert Activity.objects.count() == 1


# --- what a feed line says (issue 8.7) -----------------------------------------------------


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.mark.django_db
def test_feed_lines_say_who_from_where_and_what_happened(
    client, person, colleague, steward, make_idea, settings
):
    from discussion import services as comments
    from ideas import services as ideas

    settings.RATE_LIMITS = dict.fromkeys(settings.RATE_LIMITS, (1000, 60))
    # Given: a comment and a decision on Aroha's idea
    idea = make_idea(title="Shared discharge plans")
    comments.comment_create(author=colleague.user, target=idea, body="Ward 7 would **love** this")
    ideas.idea_decide(
        actor=steward.user, idea=idea, to_stage="shortlisted", reason="Three wards asked for it"
    )
    client.force_login(person.user)

    html = client.get(reverse("home")).content.decode()

    # Then: each line names the organisation (short name, full name as its title) ...
    assert '<abbr title="Porirua Whānau Centre">PWC</abbr>' in html
    text = _text(html)
    # ... the comment's excerpt, and the decision with its stage and reason
    assert (
        "Hannah McKenzie commented on Shared discharge plans: “Ward 7 would **love** this”" in text
    )
    assert (
        "Rangi Tipene moved Shared discharge plans to Shortlisted: “Three wards asked for it”"
        in text
    )


@pytest.mark.django_db
def test_the_live_frame_is_the_feed_line_for_everyone(client, person, colleague, make_idea):
    from discussion import services as comments

    idea = make_idea()
    comments.comment_create(author=colleague.user, target=idea, body="Kia ora")
    activity = Activity.objects.get(verb="comment.posted")
    assert (activity.actor_org, activity.actor_org_short) == ("Porirua Whānau Centre", "PWC")
    frame = json.loads(publish.encode_activity(activity))
    assert frame["actor"]["org"] == "Porirua Whānau Centre"
    # The same bytes as the line a reload shows, whoever reads it
    pages = []
    for profile in (person, colleague):
        client.force_login(profile.user)
        pages.append(client.get(reverse("home")).content.decode())
    assert all(frame["html"].strip() in page for page in pages)


@pytest.mark.django_db
def test_an_organisation_renamed_later_keeps_what_was_recorded(client, person, organisation):
    make_activities(person, 1)
    organisation.name, organisation.short_name = "Porirua Families Centre", "PFC"
    organisation.save()
    client.force_login(person.user)
    html = client.get(reverse("home")).content.decode()
    assert '<abbr title="Porirua Whānau Centre">PWC</abbr>' in html


@pytest.mark.django_db
def test_feed_lines_without_a_short_name_or_organisation(client, person, organisation):
    organisation.short_name = ""
    organisation.save()
    make_activities(person, 1)
    lonely = ProfileFactory(display_name="Tama Hēmi", organisation=None)
    make_activities(lonely, 1)
    client.force_login(person.user)
    html = client.get(reverse("home")).content.decode()
    assert '<span class="actor-org">Porirua Whānau Centre</span>' in html
    assert html.count('class="actor-org"') == 1  # Tama's line names no organisation


@pytest.mark.django_db
def test_feed_escapes_organisation_names(client):
    from tests.factories import OrganisationFactory

    evil_org = OrganisationFactory(name='"><img src=x onerror=alert(1)>', short_name="<i>x</i>")
    evil = ProfileFactory(display_name="Hannah", organisation=evil_org)
    make_activities(evil, 1)
    client.force_login(evil.user)
    html = client.get(reverse("home")).content.decode()
    assert "<img src=x" not in html and "<i>x</i>" not in html
    assert 'title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' in html
