"""@mentions: people offered by name while typing, the handle that is inserted, how notifications
find the person again, and mentions in rendered text as links to them — hostile names included."""

import json
import re

import pytest
from django.urls import reverse

from core.markdown import MENTION_RE, render_markdown
from discussion import services as discussion
from people import selectors
from realtime.models import Notification
from tests.factories import ProfileFactory
from tests.ideas.test_markdown import XSS_CORPUS, executable_bits

HOSTILE_NAMES = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "Robert'); DROP TABLE people;--",
    "javascript:alert(1)",
    "Ann\u202eevil",
]


def offered(client, typed: str) -> list[dict]:
    response = client.get(reverse("people_mention_suggestions"), {"q": typed})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()["people"]


@pytest.mark.django_db
def test_typing_the_start_of_a_name_offers_people_with_a_handle(client, person, colleague):
    ProfileFactory(display_name="Tama Hēmi")
    gone = ProfileFactory(display_name="Hana Left")
    gone.user.is_active = False
    gone.user.save()
    client.force_login(person.user)

    people = offered(client, "Han")

    assert [p["name"] for p in people] == ["Hannah McKenzie"]  # not someone who has left
    [hannah] = people
    assert hannah["handle"] == "HannahMcKenzie"
    assert hannah["organisation"] == "PWC" and hannah["role"] == "Social worker"
    # a later word of the name, and the handle typed so far, find her too
    assert [p["name"] for p in offered(client, "McK")] == ["Hannah McKenzie"]
    assert [p["name"] for p in offered(client, "HannahMc")] == ["Hannah McKenzie"]
    assert offered(client, "") == [] and offered(client, "@@") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["Hannah McKenzie", "Daniel O'Connor", "Mere Tūhoe-Parata", "Ōtara Kura", "Sam A. Lee"]
)
def test_the_inserted_handle_is_how_notifications_find_the_person(name):
    profile = ProfileFactory(display_name=name)
    handle = selectors.mention_handle(name)
    assert handle and " " not in handle
    assert selectors.mentioned_users(f"Thanks @{handle}, see below") == [profile.user]
    assert profile in selectors.people_to_mention(prefix=handle[:3])


@pytest.mark.django_db
def test_posting_a_mention_notifies_and_links_to_the_person(client, person, colleague, make_idea):
    idea = make_idea()
    discussion.comment_create(
        author=person.user, target=idea, body="What do you think, @HannahMcKenzie?"
    )
    assert Notification.objects.get(user=colleague.user).reason == "mention"
    client.force_login(colleague.user)
    page = client.get(f"/ideas/{idea.pk}/").content.decode()
    link = reverse("people_mention") + "?handle=HannahMcKenzie"
    assert (
        f'<a href="{link}" class="mention" rel="nofollow noopener noreferrer">@HannahMcKenzie</a>'
        in page
    )
    # the link lands on her profile
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == reverse("profile_detail", args=[colleague.user_id])


@pytest.mark.django_db
def test_a_mention_link_for_a_shared_or_unknown_name_says_so(client, person):
    ProfileFactory(display_name="Sam Lee")
    ProfileFactory(display_name="Sam Lee")
    client.force_login(person.user)
    shared = client.get(reverse("people_mention"), {"handle": "SamLee"})
    assert shared.status_code == 200 and shared.content.decode().count("Sam Lee</a>") == 2
    nobody = client.get(reverse("people_mention"), {"handle": "NoSuchPerson"})
    assert nobody.status_code == 404 and b"No one here goes by that name" in nobody.content
    assert client.get(reverse("people_mention")).status_code == 404


def test_mentions_become_links_only_in_running_text():
    html = str(render_markdown("Ask @HannahMcKenzie. Not `@InCode`, [nor @InLink](https://x.org)"))
    base = reverse("people_mention")
    assert f'<a href="{base}?handle=HannahMcKenzie" class="mention"' in html
    assert ">@HannahMcKenzie</a>." in html  # the full stop is not part of the name
    assert "<code>@InCode</code>" in html
    assert 'href="https://x.org" rel="nofollow noopener noreferrer">nor @InLink</a>' in html
    assert html.count('class="mention"') == 1
    assert 'class="mention"' not in str(render_markdown("mail aroha@example.org"))


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_mentions_next_to_hostile_markdown_leave_nothing_executable(payload):
    html = str(render_markdown(f"@HannahMcKenzie{payload} @{payload} {payload}@Hannah"))
    assert executable_bits(html) == []


def test_a_written_class_or_link_cannot_pass_for_a_mention():
    written = '<a class="mention" href="javascript:alert(1)">@x</a> [@y](javascript:alert(1))'
    html = str(render_markdown(written))
    assert re.search(r'<a [^>]*class="mention"', html) is None
    assert executable_bits(html) == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_are_data_in_suggestions_and_text_on_pages(client, person, make_idea, name):
    # Given: someone whose display name is hostile, mentioned in a comment
    hostile = ProfileFactory(display_name=name)
    handle = selectors.mention_handle(name)
    client.force_login(person.user)

    # Then: the suggestions carry the name as JSON data (the script sets it as text) ...
    response = client.get(reverse("people_mention_suggestions"), {"q": name[:4]})
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"  # never sniffed as a page
    for offered_person in json.loads(response.content)["people"]:
        assert offered_person["name"] == hostile.display_name
        assert MENTION_RE.fullmatch("@" + offered_person["handle"])

    # ... and a comment mentioning them renders nothing executable, and links only a handle
    if name.startswith(("<", '"')):
        assert handle == ""  # a name that starts with punctuation cannot be @mentioned
    else:
        idea = make_idea()
        discussion.comment_create(author=person.user, target=idea, body=f"Hi @{handle} {name}")
        page = client.get(f"/ideas/{idea.pk}/").content.decode()
        comment = page.split('class="prose"', 2)[-1].split("</div>", 1)[0]
        assert executable_bits(comment) == []
        assert hostile.user in selectors.mentioned_users(f"@{handle}")
