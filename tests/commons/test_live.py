"""A version published is news for everyone: an activity with the public scope (published data
is public), in the feed and live on any open page, never carrying a value; a refused version is
not announced."""

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client
from django.urls import reverse

from commons import publishing
from commons.models import Dataset
from config.asgi import application
from realtime.models import Activity
from realtime.notifications import fan_out_inline
from realtime.registry import PUBLIC
from tests.commons.conftest import csv_bytes

HEADER = "Week,DHB,Ethnic group,Age,First,Uptake"
ROWS = (
    "2021-06-06,Waikato,Maori,25-29,1001,NA",
    "2021-06-06,Waikato,Pacific Peoples,25-29,400,NA",
    "2021-06-06,Capital and Coast,Maori,25-29,310,NA",
    "2021-06-06,Capital and Coast,Pacific Peoples,25-29,170,NA",
)
VERB = "commons.version_published"


@pytest.mark.django_db
def test_publishing_records_a_public_activity_the_feed_shows(
    dataset, do_import, kaitiaki, client, colleague
):
    version = do_import(dataset, csv_bytes(HEADER, *ROWS))
    publishing.publish_version(version=version, by=kaitiaki)
    activity = Activity.objects.get(verb=VERB)
    assert activity.scope == PUBLIC
    assert (activity.target_type, activity.target_id) == ("commons.dataset", str(dataset.pk))
    assert activity.target_url == reverse("commons_dataset", kwargs={"slug": dataset.slug})
    assert activity.payload == {"version": 1, "slug": dataset.slug, "rows": 4}
    client.force_login(colleague.user)  # someone of another organisation
    feed = client.get(reverse("home")).content.decode()
    assert "published a new version of" in feed and dataset.title in feed
    assert ": version 1 (4 rows)" in feed
    assert "1001" not in feed and "1,001" not in feed


@pytest.mark.django_db
def test_a_refused_version_is_not_announced(make_dataset, do_import, kaitiaki):
    dataset = make_dataset(slug="mislabelled", method=Dataset.Method.RR3)
    version = do_import(dataset, csv_bytes(HEADER, *ROWS))  # 1001 is no multiple of 3
    assert publishing.publish_version(version=version, by=kaitiaki).status == "refused"
    assert not Activity.objects.filter(verb=VERB).exists()


@pytest.fixture
async def _close_worker_thread_connections():
    yield
    await sync_to_async(connections.close_all)()


def _cookie(user) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


@pytest.mark.django_db(transaction=True)
async def test_a_published_version_reaches_an_open_page_of_another_organisation_live(
    dataset, do_import, kaitiaki, colleague, _close_worker_thread_connections
):
    version = await sync_to_async(do_import)(dataset, csv_bytes(HEADER, *ROWS))
    headers = [(b"origin", b"http://testserver"), await sync_to_async(_cookie)(colleague.user)]
    socket = WebsocketCommunicator(application, "/ws/activity/", headers=headers)
    connected, _ = await socket.connect()
    assert connected
    assert json.loads((await socket.receive_output(timeout=3))["text"])["type"] == "hello"
    with fan_out_inline():
        await sync_to_async(publishing.publish_version)(version=version, by=kaitiaki)
    frame = await socket.receive_json_from(timeout=3)
    assert frame["type"] == "activity" and frame["verb"] == VERB
    assert frame["target"] == {
        "type": "commons.dataset",
        "id": str(dataset.pk),
        "title": dataset.title,
        "url": reverse("commons_dataset", kwargs={"slug": dataset.slug}),
    }
    assert "published a new version of" in frame["html"] and "version 1" in frame["html"]
    assert "1001" not in json.dumps(frame)
    await socket.disconnect()
