"""The board as people use it: who sees what, adding and moving cards (dragged, from the
keyboard through the script, or with the card page's "Move to" form), a move that lost a race,
a card's page and checklist, the leads' columns, and a fixed number of queries however many
cards there are."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from fractional_indexing import generate_n_keys_between

from projects import services
from projects.models import ChecklistItem, Column, Membership, Task
from realtime.notifications import fan_out_inline

JSON = {"HTTP_ACCEPT": "application/json"}
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _inline():
    with fan_out_inline():
        yield


def board_url(project):
    return reverse("project_board", kwargs={"pk": project.pk})


def move_url(task):
    return reverse("project_task_move", kwargs={"pk": task.project_id, "task": task.pk})


def columns(project):
    return list(project.columns.order_by("position", "id"))


def card(project, title, actor, **kwargs):
    return services.task_create(actor=actor, project=project, title=title, **kwargs)


def order(column):
    return list(column.tasks.order_by("rank", "id").values_list("title", flat=True))


def cards_in(html, column):
    """The card ids shown in a column's list, top to bottom."""
    block = re.search(
        rf'<ol class="cards"[^>]*data-column="{column.pk}"[^>]*>(.*?)</ol>', html, re.S
    )
    assert block, f"column {column} is not on the page"
    return [int(x) for x in re.findall(r'<li class="card[^"]*" id="task-(\d+)"', block.group(1))]


def fill(project, actor, n, column=None):
    column = column or columns(project)[0]
    Task.objects.bulk_create(
        Task(project=project, column=column, rank=rank, title=f"Card {i}", created_by=actor)
        for i, rank in enumerate(generate_n_keys_between(None, None, n))
    )


@pytest.fixture
def observer(db, other_org):
    from tests.factories import ProfileFactory

    return ProfileFactory(display_name="Oli Observer", organisation=other_org).user


@pytest.fixture
def with_observer(project, lead, observer):
    services.invite(actor=lead, project=project, user=observer, role=Membership.Role.OBSERVER)
    invitation = project.invitations.get(user=observer)
    services.invitation_answer(actor=observer, invitation=invitation, accept=True)
    return project


# --- who sees what ---------------------------------------------------------------------------


def test_a_member_sees_the_columns_cards_and_ways_to_add_and_move(client, project, member, lead):
    todo, doing, done = columns(project)
    task = card(project, "Call the GP", lead, assignee=member, labels="health, urgent")
    services.checklist_add(actor=lead, task=task, text="Find the number")
    client.force_login(member)
    response = client.get(board_url(project))
    html = response.content.decode()
    assert response.status_code == 200
    assert [p["column"].name for p in response.context["columns"]] == ["To do", "Doing", "Done"]
    for column in (todo, doing, done):
        assert '<section class="column' in html and f'id="column-{column.pk}"' in html
        assert f'aria-label="{column.name}"' in html
    assert cards_in(html, todo) == [task.pk]
    task.refresh_from_db()
    assert (
        f'id="task-{task.pk}" data-task="{task.pk}" data-version="{task.version}" '
        f'data-rank="{task.rank}" tabindex="0"' in html
    )
    assert "Sam Lee" in html and "Checklist 0 of 1 done" in html
    assert "<li>health</li>" in html and "<li>urgent</li>" in html
    assert 'id="board-announcer"' in html and 'aria-live="polite"' in html
    # The keys are on the page, in words.
    assert "Space or Enter to pick it up" in html and "Escape puts it back" in html
    # A member adds cards to each column; only leads change the columns.
    assert html.count('class="card-add"') == 3
    assert reverse("project_column_add", kwargs={"pk": project.pk}) not in html
    assert 'class="column-tools"' not in html


def test_an_overdue_card_says_so_in_words_and_a_done_one_does_not(client, project, lead):
    from datetime import timedelta

    from django.utils import timezone

    _todo, _doing, done = columns(project)
    yesterday = timezone.localdate() - timedelta(days=1)
    late = card(project, "Send the referral", lead, due=yesterday)
    finished = card(project, "Book the van", lead, due=yesterday, column=done)
    client.force_login(lead)
    html = client.get(board_url(project)).content.decode()
    late_html = html[html.index(f'id="task-{late.pk}"') :].split("</li>\n</ul>")[0]
    assert "Overdue:" in late_html
    finished_html = html[html.index(f'id="task-{finished.pk}"') :]
    assert "Overdue" not in finished_html.split("</ol>")[0]


def test_an_outsider_reads_an_open_projects_board_without_ways_to_change_it(
    client, project, lead, outsider
):
    task = card(project, "Call the GP", lead)
    client.force_login(outsider)
    response = client.get(board_url(project))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Call the GP" in html and f'id="task-{task.pk}"' in html
    assert "You can read this board" in html
    assert 'class="card-add"' not in html and "tabindex=" not in html.split('id="board"')[1]
    assert "Sortable" not in html and "column-tools" not in html
    assert reverse("project_task_new", kwargs={"pk": project.pk}) not in html
    # The card's own page has no move, edit or delete for them.
    page = client.get(task.get_absolute_url()).content.decode()
    assert "Call the GP" in page
    assert move_url(task) not in page and "Edit this card" not in page
    assert reverse("project_task_delete", kwargs={"pk": project.pk, "task": task.pk}) not in page


def test_a_restricted_projects_board_and_cards_do_not_exist_for_outsiders(
    client, restricted, lead, outsider
):
    task = card(restricted, "Safety plan for the Smith whānau", lead)
    column = columns(restricted)[0]
    client.force_login(outsider)
    kw = {"pk": restricted.pk, "task": task.pk}
    for url in (
        board_url(restricted),
        reverse("project_task", kwargs=kw),
        reverse("project_task_card", kwargs=kw),
        reverse("project_task_edit", kwargs=kw),
        reverse("project_column_more", kwargs={"pk": restricted.pk, "column": column.pk}),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Smith" not in response.content.decode()
    response = client.post(
        move_url(task), {"version": task.version, "column": columns(restricted)[1].pk}, **JSON
    )
    assert response.status_code == 404
    assert b"Smith" not in response.content
    for name in ("project_task_delete", "project_checklist_add"):
        assert client.post(reverse(name, kwargs=kw), {"version": 1, "text": "x"}).status_code == 404
    task.refresh_from_db()
    assert task.column == column and task.checklist.count() == 0


# --- query counts ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["lead", "outsider"])
def test_the_board_costs_the_same_queries_with_50_or_500_cards(
    client, make_project, lead, outsider, who, django_assert_num_queries
):
    small, large = make_project(title="Small"), make_project(title="Large", submission_key="l")
    for project, n in ((small, 50), (large, 500)):
        fill(project, lead, n)
        fill(project, lead, n // 10, column=columns(project)[1])
    client.force_login(lead if who == "lead" else outsider)
    client.get(board_url(small))  # warm the caches a first page fills
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(board_url(small)).status_code == 200
    with django_assert_num_queries(len(small_queries)):
        response = client.get(board_url(large))
    html = response.content.decode()
    todo = columns(large)[0]
    assert len(cards_in(html, todo)) == 50
    assert "Show more cards (450 more" in html


def test_a_card_page_and_its_fragment_cost_a_fixed_number_of_queries(
    client, project, lead, member, django_assert_num_queries
):
    small = card(project, "Small", lead, checklist=["one"])
    large = card(
        project, "Large", lead, checklist=[f"item {i}" for i in range(30)], assignee=member
    )
    client.force_login(lead)
    for name in ("project_task", "project_task_card"):
        client.get(reverse(name, kwargs={"pk": project.pk, "task": small.pk}))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse(name, kwargs={"pk": project.pk, "task": small.pk}))
        with django_assert_num_queries(len(few)):
            client.get(reverse(name, kwargs={"pk": project.pk, "task": large.pk}))


# --- "show more cards" -----------------------------------------------------------------------


def test_more_cards_come_in_order_after_the_last_one_shown(client, project, lead):
    fill(project, lead, 120)
    todo = columns(project)[0]
    client.force_login(lead)
    html = client.get(board_url(project)).content.decode()
    shown = cards_in(html, todo)
    everything = list(todo.tasks.order_by("rank", "id").values_list("pk", flat=True))
    assert shown == everything[:50]
    link = re.search(r'class="more-cards" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "(70 more" in html
    # The script asks for the cards alone ...
    part = client.get(link, **HTMX).content.decode()
    assert "<html" not in part
    assert [int(x) for x in re.findall(r'id="task-(\d+)"', part)] == everything[50:100]
    assert "Show more cards (20 more" in part
    nxt = re.search(r'class="more-cards" href="([^"]+)"', part).group(1).replace("&amp;", "&")
    last = client.get(nxt, **HTMX).content.decode()
    assert [int(x) for x in re.findall(r'id="task-(\d+)"', last)] == everything[100:]
    assert "more-cards" not in last
    # ... and without JavaScript the same link is a page of them.
    page = client.get(link)
    assert page.status_code == 200 and "<html" in page.content.decode()
    assert "Back to the board" in page.content.decode()
    assert [int(x) for x in re.findall(r'id="task-(\d+)"', page.content.decode())] == everything[
        50:100
    ]


def test_more_cards_with_nonsense_parameters_starts_from_the_top(client, project, lead):
    fill(project, lead, 3)
    todo = columns(project)[0]
    client.force_login(lead)
    url = reverse("project_column_more", kwargs={"pk": project.pk, "column": todo.pk})
    for after in ("abc", "²", "9" * 30, "-1"):
        response = client.get(url, {"after": after, "left": after}, **HTMX)
        assert response.status_code == 200
        assert len(re.findall(r'id="task-(\d+)"', response.content.decode())) == 3


# --- moving cards ----------------------------------------------------------------------------


def test_a_dragged_card_moves_and_the_answer_says_where_it_is(client, project, member, lead):
    todo, doing, _ = columns(project)
    a, _b, c = (card(project, t, lead) for t in "ABC")
    x = card(project, "X", lead, column=doing)
    client.force_login(member)
    response = client.post(
        move_url(c), {"version": c.version, "column": doing.pk, "after": "", "before": x.pk}, **JSON
    )
    assert response.status_code == 200
    c.refresh_from_db()
    assert response.json() == {
        "ok": True,
        "task_id": c.pk,
        "column_id": doing.pk,
        "rank": c.rank,
        "version": c.version,
    }
    assert order(doing) == ["C", "X"] and order(todo) == ["A", "B"]
    # Within a column, between two cards (htmx asks the same way).
    response = client.post(
        move_url(a),
        {"version": a.version, "column": doing.pk, "after": c.pk, "before": x.pk},
        **HTMX,
    )
    assert response.status_code == 200 and response.json()["ok"] is True
    assert order(doing) == ["C", "A", "X"]


def test_a_move_from_an_old_version_is_a_409_saying_where_the_card_really_is(
    client, project, member, lead
):
    _todo, doing, done = columns(project)
    task = card(project, "Call the GP", lead)
    seen = task.version
    services.task_move(actor=lead, task=task, version=seen, column=done)
    task.refresh_from_db()
    client.force_login(member)
    response = client.post(move_url(task), {"version": seen, "column": doing.pk}, **JSON)
    assert response.status_code == 409
    answer = response.json()
    assert answer["ok"] is False and "Someone changed this card" in answer["message"]
    assert answer["column_id"] == done.pk and answer["version"] == task.version
    assert answer["rank"] == task.rank and answer["task_id"] == task.pk
    task.refresh_from_db()
    assert task.column == done


def test_a_non_member_or_an_observer_cannot_move_a_card(
    client, with_observer, observer, outsider, lead
):
    project = with_observer
    todo, doing, _ = columns(project)
    task = card(project, "Call the GP", lead)
    for who in (outsider, observer):
        client.force_login(who)
        response = client.post(
            move_url(task), {"version": task.version, "column": doing.pk}, **JSON
        )
        assert response.status_code == 403
        assert response.json()["ok"] is False and response.json()["column_id"] == todo.pk
        assert response.json()["message"]
    client.force_login(observer)
    html = client.get(board_url(project)).content.decode()
    assert "You are an observer here" in html and 'class="card-add"' not in html
    task.refresh_from_db()
    assert task.column == todo and task.version == 1


@pytest.mark.parametrize(
    "data, words",
    [
        ({"version": "abc", "column": "COLUMN"}, "version"),
        ({"column": "COLUMN"}, "version"),
        ({"version": "1", "column": "nine"}, "column"),
        ({"version": "1", "column": "9" * 30}, "column"),
        ({"version": "1", "column": "COLUMN", "after": "x"}, "after"),
        ({"version": "1", "column": "OTHER"}, "not on this project's board"),
        ({"version": "1", "column": "COLUMN", "after": "999999"}, "cards around that place"),
        ({"version": "1", "column": "COLUMN", "before": "OTHERCARD"}, "cards around that place"),
    ],
)
def test_a_move_that_makes_no_sense_is_a_400_with_a_message(
    client, project, make_project, member, lead, data, words
):
    other = make_project(title="Another board", submission_key="other")
    other_card = card(other, "Not here", lead)
    task = card(project, "Call the GP", lead)
    doing = columns(project)[1]
    swap = {
        "COLUMN": str(doing.pk),
        "OTHER": str(columns(other)[1].pk),
        "OTHERCARD": str(other_card.pk),
    }
    data = {k: swap.get(v, v) for k, v in data.items()}
    client.force_login(member)
    response = client.post(move_url(task), data, **JSON)
    assert response.status_code == 400
    assert response.json()["ok"] is False and words in response.json()["message"]
    # Without JavaScript: the card's page again, with the reason.
    response = client.post(move_url(task), data)
    assert response.status_code == 400 and escape(words) in response.content.decode()
    task.refresh_from_db()
    assert task.version == 1 and task.column == columns(project)[0]


def test_without_javascript_the_card_page_moves_a_card_to_the_top_or_bottom(
    client, project, member, lead
):
    todo, doing, _ = columns(project)
    for t in ("D1", "D2"):
        card(project, t, lead, column=doing)
    task = card(project, "Call the GP", lead)
    client.force_login(member)
    page = client.get(task.get_absolute_url()).content.decode()
    assert (
        f'action="{move_url(task)}"' in page and '<label for="move-column">Move to</label>' in page
    )
    response = client.post(
        move_url(task), {"version": task.version, "column": doing.pk, "position": "top"}
    )
    assert response.status_code == 302
    assert response["Location"] == board_url(project) + f"#task-{task.pk}"
    assert order(doing) == ["Call the GP", "D1", "D2"]
    follow = client.get(response["Location"]).content.decode()
    assert "Moved “Call the GP” to Doing." in follow
    task.refresh_from_db()
    client.post(move_url(task), {"version": task.version, "column": doing.pk, "position": "bottom"})
    assert order(doing) == ["D1", "D2", "Call the GP"]
    # A stale post without JavaScript: the page again, with the card where it really is.
    response = client.post(move_url(task), {"version": 1, "column": todo.pk})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone changed this card" in html
    task.refresh_from_db()
    assert f'name="version" value="{task.version}"' in html
    assert "Doing (where it is now)" in html


def test_only_moves_are_posted(client, project, lead):
    task = card(project, "Call the GP", lead)
    client.force_login(lead)
    assert client.get(move_url(task)).status_code == 405


# --- adding, editing, deleting cards ---------------------------------------------------------


def test_a_member_adds_a_card_to_a_column_from_the_board(client, project, member):
    doing = columns(project)[1]
    client.force_login(member)
    response = client.post(
        reverse("project_task_new", kwargs={"pk": project.pk}),
        {"title": "Ring the pharmacy", "column": doing.pk, "submission_key": "k1"},
    )
    task = Task.objects.get(title="Ring the pharmacy")
    assert response.status_code == 302
    assert response["Location"] == board_url(project) + f"#task-{task.pk}"
    assert task.column == doing and task.created_by == member


def test_a_card_with_every_detail_and_a_checklist(client, project, member, lead):
    client.force_login(member)
    url = reverse("project_task_new", kwargs={"pk": project.pk})
    form = client.get(url, {"column": columns(project)[2].pk}).content.decode()
    assert "Mere Parata" in form and "Sam Lee" in form  # who a card can be given to
    assert f'<option value="{columns(project)[2].pk}" selected>' in form
    client.post(
        url,
        {
            "column": columns(project)[0].pk,
            "title": "Discharge meeting",
            "description": "With the whole team",
            "assignee": lead.pk,
            "due": "2030-01-15",
            "labels": "meeting, hospital",
            "checklist": "Book a room\nInvite the GP\n",
        },
    )
    task = Task.objects.get(title="Discharge meeting")
    assert task.assignee == lead and str(task.due) == "2030-01-15"
    assert list(task.checklist.values_list("text", flat=True)) == ["Book a room", "Invite the GP"]


def test_giving_a_card_to_someone_outside_the_project_is_refused_clearly(
    client, project, member, outsider, lead
):
    task = card(project, "Call the GP", lead)
    client.force_login(member)
    new = client.post(
        reverse("project_task_new", kwargs={"pk": project.pk}),
        {"title": "Sneaky", "assignee": outsider.pk, "column": columns(project)[0].pk},
    )
    assert new.status_code == 400
    assert "Cards can be given only to members of the project" in new.content.decode()
    assert not Task.objects.filter(title="Sneaky").exists()
    edit = client.post(
        reverse("project_task_edit", kwargs={"pk": project.pk, "task": task.pk}),
        {"title": "Call the GP", "assignee": outsider.pk, "version": task.version},
    )
    assert edit.status_code == 400
    assert "Cards can be given only to members of the project" in edit.content.decode()
    task.refresh_from_db()
    assert task.assignee is None and task.version == 1


def test_an_edit_from_an_old_version_keeps_what_was_typed_and_says_why(
    client, project, member, lead
):
    task = card(project, "Call the GP", lead)
    url = reverse("project_task_edit", kwargs={"pk": project.pk, "task": task.pk})
    client.force_login(member)
    form = client.get(url).content.decode()
    assert 'name="version" value="1"' in form and 'value="Call the GP"' in form
    services.task_edit(actor=lead, task=task, version=1, title="Call the GP today")
    response = client.post(url, {"title": "Call Dr Lee", "labels": "health", "version": 1})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone changed this card while you were editing it" in html
    assert 'value="Call Dr Lee"' in html and 'value="health"' in html  # what was typed
    assert "The card as it is now" in html and "Call the GP today" in html
    assert 'name="version" value="2"' in html  # saving again replaces theirs
    task.refresh_from_db()
    assert task.title == "Call the GP today"
    response = client.post(url, {"title": "Call Dr Lee", "labels": "health", "version": 2})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.title == "Call Dr Lee" and task.labels == "health"


def test_deleting_a_card_needs_the_version_seen(client, project, member, lead):
    task = card(project, "Call the GP", lead)
    url = reverse("project_task_delete", kwargs={"pk": project.pk, "task": task.pk})
    services.task_edit(actor=lead, task=task, version=1, title="Call the GP today")
    client.force_login(member)
    response = client.post(url, {"version": 1})
    assert response.status_code == 409 and "Delete it again" in response.content.decode()
    assert client.post(url, {}).status_code == 400
    assert Task.objects.filter(pk=task.pk).exists()
    response = client.post(url, {"version": 2})
    assert response.status_code == 302 and not Task.objects.filter(pk=task.pk).exists()


def test_an_observer_cannot_add_edit_or_delete(client, with_observer, observer, lead):
    project = with_observer
    task = card(project, "Call the GP", lead)
    client.force_login(observer)
    new = client.post(
        reverse("project_task_new", kwargs={"pk": project.pk}),
        {"title": "Mine", "column": columns(project)[0].pk},
    )
    assert new.status_code == 403 and "Observers" in new.content.decode()
    kw = {"pk": project.pk, "task": task.pk}
    edit = client.post(reverse("project_task_edit", kwargs=kw), {"title": "Changed", "version": 1})
    assert edit.status_code == 403
    assert client.post(reverse("project_task_delete", kwargs=kw), {"version": 1}).status_code == 403
    assert [t.title for t in Task.objects.filter(project=project)] == ["Call the GP"]


# --- the checklist ---------------------------------------------------------------------------


def test_the_checklist_is_ticked_and_added_to_from_the_card_page(client, project, member, lead):
    task = card(project, "Call the GP", lead, checklist=["Find the number"])
    item = task.checklist.get()
    kw = {"pk": project.pk, "task": task.pk}
    client.force_login(member)
    page = client.get(reverse("project_task", kwargs=kw)).content.decode()
    assert 'aria-pressed="false"' in page and "Find the number" in page
    toggle = reverse("project_checklist_toggle", kwargs={**kw, "checklist": item.pk})
    # htmx: the page's body comes back, its forms carrying the card's new version.
    part = client.post(toggle, {"done": "true"}, **HTMX)
    assert part.status_code == 200
    body = part.content.decode()
    assert "<html" not in body and 'aria-pressed="true"' in body and "1 of 1 done" in body
    task.refresh_from_db()
    assert f'name="version" value="{task.version}"' in body
    item.refresh_from_db()
    assert item.done
    # Without JavaScript: back to the card page.
    response = client.post(toggle, {"done": "false"})
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{item.pk}")
    item.refresh_from_db()
    assert not item.done
    add = reverse("project_checklist_add", kwargs=kw)
    assert client.post(add, {"text": "Write it down"}).status_code == 302
    assert client.post(add, {"text": ""}).status_code == 400
    assert list(task.checklist.values_list("text", flat=True)) == [
        "Find the number",
        "Write it down",
    ]


def test_an_outsider_cannot_tick_a_checklist(client, project, outsider, lead):
    task = card(project, "Call the GP", lead, checklist=["Find the number"])
    item = task.checklist.get()
    client.force_login(outsider)
    url = reverse(
        "project_checklist_toggle", kwargs={"pk": project.pk, "task": task.pk, "checklist": item.pk}
    )
    response = client.post(url, {"done": "true"})
    assert response.status_code == 403 and "Only members" in response.content.decode()
    assert not ChecklistItem.objects.get(pk=item.pk).done
    other = reverse(
        "project_checklist_toggle",
        kwargs={"pk": project.pk, "task": task.pk, "checklist": item.pk + 99},
    )
    assert client.post(other, {"done": "true"}).status_code == 404


# --- the fragment a live board fetches -------------------------------------------------------


def test_the_card_fragment_is_one_card_as_the_board_shows_it(client, project, member, lead):
    task = card(project, "Call the GP", lead, assignee=member)
    client.force_login(member)
    response = client.get(
        reverse("project_task_card", kwargs={"pk": project.pk, "task": task.pk}), **HTMX
    )
    html = response.content.decode().strip()
    assert response.status_code == 200 and html.startswith('<li class="card"')
    assert html.endswith("</li>") and "Sam Lee" in html and 'tabindex="0"' in html
    assert (
        client.get(
            reverse("project_task_card", kwargs={"pk": project.pk, "task": task.pk + 99})
        ).status_code
        == 404
    )


# --- columns (leads) -------------------------------------------------------------------------


def test_a_lead_adds_renames_moves_and_removes_columns(client, project, lead):
    client.force_login(lead)
    html = client.get(board_url(project)).content.decode()
    assert 'class="column-tools"' in html and "Add a column" in html
    response = client.post(
        reverse("project_column_add", kwargs={"pk": project.pk}), {"name": "Waiting"}
    )
    waiting = Column.objects.get(project=project, name="Waiting")
    assert response.status_code == 302 and response["Location"].endswith(f"#column-{waiting.pk}")
    kw = {"pk": project.pk, "column": waiting.pk}
    assert client.get(reverse("project_column_edit", kwargs=kw)).status_code == 200
    response = client.post(reverse("project_column_edit", kwargs=kw), {"name": "Waiting on others"})
    assert response.status_code == 302
    response = client.post(reverse("project_column_move", kwargs=kw), {"position": "1"})
    assert response.status_code == 302
    assert [c.name for c in columns(project)] == ["Waiting on others", "To do", "Doing", "Done"]
    # A column with cards stays until they are moved out.
    todo = columns(project)[1]
    card(project, "Call the GP", lead, column=todo)
    response = client.post(
        reverse("project_column_delete", kwargs={"pk": project.pk, "column": todo.pk})
    )
    assert response.status_code == 400 and "Move the cards out" in response.content.decode()
    response = client.post(reverse("project_column_delete", kwargs=kw))
    assert response.status_code == 302
    assert [c.name for c in columns(project)] == ["To do", "Doing", "Done"]


def test_a_member_cannot_change_the_columns(client, project, member):
    todo = columns(project)[0]
    kw = {"pk": project.pk, "column": todo.pk}
    client.force_login(member)
    add = client.post(reverse("project_column_add", kwargs={"pk": project.pk}), {"name": "Mine"})
    assert add.status_code == 403 and escape("Only the project's leads") in add.content.decode()
    assert client.get(reverse("project_column_edit", kwargs=kw)).status_code == 403
    assert (
        client.post(reverse("project_column_edit", kwargs=kw), {"name": "Renamed"}).status_code
        == 403
    )
    assert (
        client.post(reverse("project_column_move", kwargs=kw), {"position": "3"}).status_code == 403
    )
    assert client.post(reverse("project_column_delete", kwargs=kw)).status_code == 403
    assert [c.name for c in columns(project)] == ["To do", "Doing", "Done"]


def test_column_changes_with_nonsense_are_400s(client, project, make_project, lead):
    other = make_project(title="Another board", submission_key="other")
    client.force_login(lead)
    todo = columns(project)[0]
    kw = {"pk": project.pk, "column": todo.pk}
    for position in ("", "abc", "0", "99"):
        response = client.post(reverse("project_column_move", kwargs=kw), {"position": position})
        assert response.status_code == 400, position
    assert (
        client.post(
            reverse("project_column_add", kwargs={"pk": project.pk}), {"name": ""}
        ).status_code
        == 400
    )
    foreign = {"pk": project.pk, "column": columns(other)[0].pk}
    assert client.post(reverse("project_column_delete", kwargs=foreign)).status_code == 404
    assert [c.name for c in columns(project)] == ["To do", "Doing", "Done"]
    assert [c.name for c in columns(other)] == ["To do", "Doing", "Done"]
