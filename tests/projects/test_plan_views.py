"""A project's plan pages, as its members, observers and outsiders see and use them: milestones
on a timeline, updates, the decision log, risks with their heat map, outcome measures with the
project's progress worked out in the open, and the closure report."""

import re
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import Decision, Measure, Milestone, Reading, Risk, Update
from projects.timeline import DONE, OVERDUE, UPCOMING, status_of, ticks, timeline, x_of
from realtime.notifications import fan_out_inline

TODAY = date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _inline():
    with fan_out_inline():
        yield


def at(name, project, **kwargs):
    return reverse(name, kwargs={"pk": project.pk, **kwargs})


def text_of(response):
    """The page's words, tags stripped and spaces collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def element(response, element_id):
    """The inner text of the element with this id (a row, a cell, a section)."""
    html = response.content.decode()
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    assert match, f"no element #{element_id}"
    tag, start = match.group(1), match.end()
    depth, pos = 1, start
    pattern = re.compile(rf"<(/?){tag}\b[^>]*>")
    while depth:
        found = pattern.search(html, pos)
        depth += -1 if found.group(1) else 1
        pos = found.end()
    inner = html[start : found.start()]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inner)).strip()


def today():
    return timezone.localdate()


@pytest.fixture
def observer(db, project, lead):
    from tests.factories import ProfileFactory

    user = ProfileFactory(display_name="Owen Observer").user
    services.invite(actor=lead, project=project, user=user, role="observer")
    services.invitation_answer(
        actor=user, invitation=project.invitations.get(user=user), accept=True
    )
    return user


# --- the timeline helper ---------------------------------------------------------------------


def ms(due, progress=0, completed=None, title="M"):
    return SimpleNamespace(due=due, progress=progress, completed=completed, title=title)


def test_timeline_places_dates_between_the_projects_start_and_end():
    start, end = date(2026, 1, 1), date(2026, 12, 31)  # 364 days; inner width 768
    assert x_of(start, start, end) == 16
    assert x_of(end, start, end) == 784
    assert x_of(date(2026, 7, 2), start, end) == 400  # 182 days: the middle
    assert x_of(date(2026, 4, 1), start, end) == round(16 + 768 * 90 / 364, 1)
    drawing = timeline(
        [ms(date(2026, 3, 1), 50), ms(date(2026, 11, 1), 100, completed=date(2026, 5, 1))],
        start=start,
        end=end,
        today=TODAY,
    )
    assert (drawing.start, drawing.end) == (start, end)
    first, second = drawing.marks
    assert first.x == x_of(date(2026, 3, 1), start, end)
    assert first.bar_fill == 32  # half of the 64-unit bar
    assert second.bar_fill == 64
    assert drawing.today_x == x_of(TODAY, start, end)
    assert first.y < second.y  # a lane each
    assert drawing.height == 36 + 34 * 2 + 12
    # The label goes right of a marker in the left half, left of one in the right half.
    assert (first.label_anchor, second.label_anchor) == ("start", "end")
    assert first.label_x > first.x and second.label_x < second.x


def test_timeline_without_project_dates_spans_the_milestones_and_widens_to_hold_them_all():
    a, b = ms(date(2026, 2, 1)), ms(date(2026, 4, 2))
    drawing = timeline([a, b], today=TODAY)
    assert (drawing.start, drawing.end) == (a.due, b.due)
    assert [m.x for m in drawing.marks] == [16, 784]
    assert drawing.today_x is None  # 1 June is after the last milestone: no "today" line
    # A milestone before the project's start (or after its end) still shows, at the edge.
    wider = timeline([a], start=date(2026, 3, 1), end=date(2026, 5, 1), today=TODAY)
    assert wider.start == a.due and wider.marks[0].x == 16
    # One date only: everything in the middle, not a division by zero.
    single = timeline([a], today=TODAY)
    assert single.marks[0].x == 400
    assert timeline([], today=TODAY) is None


def test_timeline_says_which_milestones_are_done_overdue_or_upcoming():
    assert status_of(ms(date(2026, 5, 1)), TODAY) == OVERDUE
    assert status_of(ms(date(2026, 5, 1), completed=date(2026, 5, 2)), TODAY) == DONE
    assert status_of(ms(TODAY), TODAY) == UPCOMING  # due today is not late yet
    drawing = timeline([ms(date(2026, 5, 1)), ms(date(2026, 7, 1))], today=TODAY)
    assert drawing.overdue == 1
    assert [m.status_word for m in drawing.marks] == ["Overdue", "Upcoming"]


def test_timeline_month_marks_stay_few_and_inside_the_span():
    start, end = date(2025, 1, 15), date(2027, 6, 30)
    marks = ticks(start, end)
    assert 1 <= len(marks) <= 6
    assert all(start < t.day <= end and t.day.day == 1 for t in marks)
    assert all(16 <= t.x <= 784 for t in marks)
    assert ticks(date(2026, 1, 2), date(2026, 1, 30)) == []


# --- milestones ------------------------------------------------------------------------------


def test_milestones_show_on_a_timeline_and_in_a_table_with_overdue_flagged(client, project, member):
    services.milestone_save(
        actor=member, project=project, title="Shared plan drafted", due=today() - timedelta(5)
    )
    services.milestone_save(
        actor=member,
        project=project,
        title="Pilot with two wards",
        due=today() + timedelta(30),
        progress=40,
        weight=3,
    )
    done = services.milestone_save(
        actor=member,
        project=project,
        title="Agencies agreed",
        due=today() - timedelta(20),
        progress=100,
    )
    client.force_login(member)
    response = client.get(at("project_milestones", project))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img" aria-labelledby="timeline-title timeline-desc"' in html
    assert '<title id="timeline-title">Timeline of 3 milestones' in html
    assert "Today" in html
    page = text_of(response)
    assert "1 milestone overdue" in page
    late = Milestone.objects.get(title="Shared plan drafted")
    assert element(response, f"milestone-{late.pk}").startswith("Shared plan drafted")
    assert "Overdue since" in element(response, f"milestone-{late.pk}")
    pilot = Milestone.objects.get(title="Pilot with two wards")
    row = element(response, f"milestone-{pilot.pk}")
    assert "40%" in row and " 3 " in f" {row} " and "Upcoming" in row
    assert (today() + timedelta(30)).strftime("%b %Y") in row
    assert "Done" in element(response, f"milestone-{done.pk}")
    assert 'id="milestone-form"' in html
    assert at("project_milestone_edit", project, milestone=pilot.pk) in html


def test_a_member_adds_and_edits_a_milestone(client, project, member):
    client.force_login(member)
    due = (today() + timedelta(10)).isoformat()
    response = client.post(
        at("project_milestone_add", project),
        {"title": "Discharge checklist live", "due": due, "progress": "20", "weight": "2"},
    )
    milestone = Milestone.objects.get(project=project)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#milestone-{milestone.pk}")
    assert (milestone.progress, milestone.weight) == (20, 2)
    edit = at("project_milestone_edit", project, milestone=milestone.pk)
    form = client.get(edit)
    assert form.status_code == 200 and 'value="Discharge checklist live"' in form.content.decode()
    response = client.post(
        edit, {"title": "Discharge checklist live", "due": due, "progress": "60", "weight": "2"}
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.progress == 60


def test_a_progress_of_150_is_refused_beside_the_field_and_nothing_is_saved(
    client, project, member
):
    client.force_login(member)
    response = client.post(
        at("project_milestone_add", project),
        {"title": "Too far", "due": today().isoformat(), "progress": "150", "weight": "1"},
    )
    assert response.status_code == 400
    assert "Progress is a whole number from 0 to 100." in text_of(response)
    assert 'value="Too far"' in response.content.decode()  # what was typed is kept
    assert not Milestone.objects.exists()
    response = client.post(
        at("project_milestone_add", project),
        {"title": "No date", "due": "31/02/2026", "progress": "0", "weight": "1"},
    )
    assert response.status_code == 400
    assert "Enter a valid date." in text_of(response)
    assert not Milestone.objects.exists()


# --- updates ---------------------------------------------------------------------------------


def test_updates_list_newest_first_with_author_organisation_and_comment_count(
    client, project, lead, member
):
    from discussion import services as discussion

    first = services.update_post(
        actor=lead, project=project, title="We started", body="The **first** meeting went well."
    )
    services.update_post(actor=member, project=project, title="Ward visit", body="Nurses keen.")
    discussion.comment_create(author=lead, target=first, body="Great start.")
    client.force_login(member)
    response = client.get(at("project_updates", project))
    assert response.status_code == 200
    page = text_of(response)
    assert page.index("Ward visit") < page.index("We started")
    entry = element(response, f"update-{first.pk}")
    assert "By Mere Parata (Porirua Whānau Centre)" in entry
    assert "1 comment" in entry
    assert "first meeting went well" in entry
    assert first.get_absolute_url() in response.content.decode()
    assert 'id="update-form"' in response.content.decode()


def test_posting_an_update_tells_the_page_and_keeps_text_that_looks_identifying(
    client, project, member
):
    client.force_login(member)
    body = "Spoke with the family: call Jane on 021 555 0199 about the plan."
    response = client.post(at("project_update_post", project), {"title": "Visit", "body": body})
    assert response.status_code == 400
    assert "a phone number" in text_of(response)
    assert body in response.content.decode()  # kept
    assert 'type="checkbox" name="confirm_not_identifying"' in response.content.decode()
    assert not Update.objects.exists()
    response = client.post(
        at("project_update_post", project),
        {"title": "Visit", "body": body, "confirm_not_identifying": "on"},
    )
    update = Update.objects.get()
    assert response.status_code == 302 and response["Location"] == update.get_absolute_url()


def test_an_empty_update_is_refused(client, project, member):
    client.force_login(member)
    response = client.post(at("project_update_post", project), {"title": "", "body": ""})
    assert response.status_code == 400
    assert "This field is required." in text_of(response)
    assert not Update.objects.exists()


def test_an_updates_page_shows_it_its_author_and_its_discussion(client, project, lead, member):
    update = services.update_post(
        actor=lead, project=project, title="Month one", body="We *agreed* the referral form."
    )
    client.force_login(member)
    response = client.get(update.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<em>agreed</em>" in html
    assert "By Mere Parata (Porirua Whānau Centre)" in text_of(response)
    assert 'id="comment-form"' in html and 'id="follow-button"' in html
    assert 'aria-current="page"' in html and ">Updates</a>" in html
    assert 'aria-pressed="false"' in html  # the member does not follow it yet
    client.force_login(lead)  # its author follows it from posting it
    assert "Following ✓" in client.get(update.get_absolute_url()).content.decode()


# --- decisions -------------------------------------------------------------------------------


def test_the_decision_log_shows_decisions_and_status_changes_with_who_and_why(
    client, project, lead, member
):
    services.project_set_status(
        actor=lead, project=project, status="active", reason="The team is in place."
    )
    client.force_login(member)
    response = client.post(
        at("project_decision_add", project),
        {
            "title": "Use one shared plan template",
            "options": "Each agency's own form\nOne shared template",
            "reason": "Whānau re-told their story less in the trial.",
        },
    )
    decision = Decision.objects.get(title="Use one shared plan template")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#decision-{decision.pk}")
    response = client.get(at("project_decisions", project))
    entry = element(response, f"decision-{decision.pk}")
    assert "Use one shared plan template" in entry
    assert "Options considered Each agency's own form" in entry.replace("&#x27;", "'")
    assert "Rationale Whānau re-told their story less in the trial." in entry
    assert "Decided by Sam Lee (Te Awa Health)" in entry
    status = Decision.objects.get(to_status="active")
    entry = element(response, f"decision-{status.pk}")
    assert "Status: Forming → Active" in entry
    assert "Reason The team is in place." in entry
    assert "Decided by Mere Parata (Porirua Whānau Centre)" in entry
    page = text_of(response)
    assert page.index("Use one shared plan template") < page.index("Status: Forming → Active")


def test_a_decision_without_its_rationale_is_refused(client, project, member):
    client.force_login(member)
    response = client.post(
        at("project_decision_add", project), {"title": "Meet weekly", "reason": "  "}
    )
    assert response.status_code == 400
    assert "This field is required." in text_of(response)
    assert 'value="Meet weekly"' in response.content.decode()
    assert not Decision.objects.filter(title="Meet weekly").exists()


# --- risks -----------------------------------------------------------------------------------


def test_the_heat_map_counts_open_risks_and_says_each_cells_level_in_words(client, project, member):
    for title, likelihood, consequence, status in [
        ("GP practices do not join", 4, 5, "open"),
        ("Shared plan not read", 4, 5, "mitigating"),
        ("Funding ends", 4, 5, "closed"),  # closed: not on the map
        ("Staff turnover", 2, 2, "open"),
    ]:
        services.risk_save(
            actor=member,
            project=project,
            title=title,
            likelihood=likelihood,
            consequence=consequence,
            status=status,
        )
    client.force_login(member)
    response = client.get(at("project_risks", project))
    assert response.status_code == 200
    assert element(response, "heat-4-5") == "2 open risks, rated 20: Extreme"
    assert element(response, "heat-2-2") == "1 open risk, rated 4: Low"
    assert element(response, "heat-3-4") == "0 open risks, rated 12: High"
    assert element(response, "heat-1-5") == "0 open risks, rated 5: Medium"
    html = response.content.decode()
    # Likelihood 5 is the top row, consequence 1 the first column.
    assert html.index('id="heat-5-1"') < html.index('id="heat-5-5"') < html.index('id="heat-1-1"')
    assert '<th scope="row">5 <span class="heat-word">almost certain</span></th>' in html
    assert '<th scope="col">1 <span class="heat-word">minor</span></th>' in html
    turnover = Risk.objects.get(title="Staff turnover")
    row = element(response, f"risk-{turnover.pk}")
    assert row.startswith("Staff turnover 4 Low 2 2")


def test_a_risk_past_its_review_date_is_flagged(client, project, member, lead):
    late = services.risk_save(
        actor=member,
        project=project,
        title="Consent forms differ",
        likelihood=3,
        consequence=3,
        owner=lead,
        mitigation="One consent form.",
        review_by=today() - timedelta(days=1),
    )
    fine = services.risk_save(
        actor=member,
        project=project,
        title="Data late",
        likelihood=2,
        consequence=3,
        review_by=today() + timedelta(days=7),
    )
    client.force_login(member)
    response = client.get(at("project_risks", project))
    row = element(response, f"risk-{late.pk}")
    assert "Review overdue" in row
    assert "9 Medium" in row and "Mere Parata" in row and "One consent form." in row
    assert "Review overdue" not in element(response, f"risk-{fine.pk}")
    assert "1 risk past its review date" in text_of(response)


def test_a_member_adds_a_risk_with_an_owner_and_edits_it(client, project, member, lead):
    client.force_login(member)
    response = client.post(
        at("project_risk_add", project),
        {
            "title": "Winter demand",
            "likelihood": "4",
            "consequence": "3",
            "owner": str(lead.pk),
            "status": "open",
            "review_by": (today() + timedelta(30)).isoformat(),
        },
    )
    risk = Risk.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#risk-{risk.pk}")
    assert (risk.rating, risk.owner) == (12, lead)
    edit = at("project_risk_edit", project, risk=risk.pk)
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {"title": "Winter demand", "likelihood": "2", "consequence": "3", "status": "mitigating"},
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.rating, risk.status, risk.owner) == (6, "mitigating", None)


def test_a_likelihood_of_7_is_refused_and_nothing_is_saved(client, project, member):
    client.force_login(member)
    response = client.post(
        at("project_risk_add", project),
        {"title": "Off the scale", "likelihood": "7", "consequence": "3", "status": "open"},
    )
    assert response.status_code == 400
    assert "Rate the likelihood from 1 to 5." in text_of(response)
    assert not Risk.objects.exists()


# --- outcomes --------------------------------------------------------------------------------


def make_measure(actor, project, name, weight, current=None, **kwargs):
    fields = {
        "name": name,
        "unit": "%",
        "baseline": "0",
        "baseline_date": today() - timedelta(days=100),
        "target": "10",
        "target_date": today() + timedelta(days=100),
        "source": "Ward discharge audit",
        "weight": weight,
    }
    fields.update(kwargs)
    measure = services.measure_save(actor=actor, project=project, **fields)
    if current is not None:
        services.reading_add(
            actor=actor, measure=measure, value=current, on=today() - timedelta(days=3)
        )
    return measure


def test_progress_is_worked_out_in_a_table_anyone_can_redo(client, project, member):
    half = make_measure(member, project, "Plans shared before discharge", 2, current="5")
    full = make_measure(member, project, "Readmissions within 28 days", 1, current="10")
    client.force_login(member)
    response = client.get(at("project_outcomes", project))
    assert response.status_code == 200
    table = element(response, "progress-table")
    assert "Plans shared before discharge 2 50% 1.00" in table
    assert "Readmissions within 28 days 1 100% 1.00" in table
    assert table.endswith("Total 3 2.00")
    assert element(response, "progress-sum") == "2.00 ÷ 3 = 66.7%: 67% of the way ."
    assert "from its outcome measures, weighted" in element(response, "progress-basis")
    measure = element(response, f"measure-{half.pk}")
    assert "Baseline 0 % on" in measure and "Target 10 % by" in measure
    assert "Now 5 %" in measure and "Source Ward discharge audit" in measure
    assert "Weight 2" in measure and "50% of the way" in measure
    assert "Sam Lee" in measure  # who recorded the reading
    assert "100% of the way" in element(response, f"measure-{full.pk}")


def test_progress_falls_back_to_milestones_while_no_measure_has_a_reading(client, project, member):
    make_measure(member, project, "Families with one plan", 1)
    services.milestone_save(
        actor=member, project=project, title="Forms agreed", due=today(), progress=80, weight=3
    )
    services.milestone_save(
        actor=member, project=project, title="Trial", due=today(), progress=0, weight=1
    )
    client.force_login(member)
    response = client.get(at("project_outcomes", project))
    basis = element(response, "progress-basis")
    assert "from its milestones, weighted, because no measure has a reading yet" in basis
    table = element(response, "progress-table")
    assert "Forms agreed 3 80% 2.40" in table and "Trial 1 0% 0.00" in table
    assert element(response, "progress-sum") == "2.40 ÷ 4 = 60%: 60% of the way ."
    measure = Measure.objects.get()
    assert "Now No reading yet" in element(response, f"measure-{measure.pk}")


def test_a_member_adds_a_measure_and_a_reading(client, project, member):
    client.force_login(member)
    response = client.post(
        at("project_measure_add", project),
        {
            "name": "Days from referral to first visit",
            "unit": "days",
            "baseline": "21",
            "baseline_date": "2026-01-01",
            "target": "7",
            "target_date": "2026-12-01",
            "source": "Referral log",
            "weight": "1",
        },
    )
    measure = Measure.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#measure-{measure.pk}")
    response = client.post(
        at("project_reading_add", project, measure=measure.pk),
        {"value": "14", "date": (today() - timedelta(days=1)).isoformat(), "note": "March audit"},
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.current == Decimal("14")
    page = client.get(at("project_outcomes", project))
    assert "March audit" in element(page, f"measure-{measure.pk}")
    assert "50% of the way" in element(page, f"measure-{measure.pk}")  # 21 → 14 of 21 → 7
    edit = at("project_measure_edit", project, measure=measure.pk)
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "name": "Days from referral to first visit",
            "unit": "days",
            "baseline": "21",
            "baseline_date": "2026-01-01",
            "target": "14",
            "target_date": "2026-12-01",
            "source": "Referral log",
            "weight": "4",
        },
    )
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.target, measure.weight) == (Decimal("14"), 4)


def test_a_measure_whose_target_is_its_baseline_is_refused(client, project, member):
    client.force_login(member)
    response = client.post(
        at("project_measure_add", project),
        {
            "name": "Nothing changes",
            "unit": "%",
            "baseline": "40",
            "baseline_date": "2026-01-01",
            "target": "40.00",
            "target_date": "2026-12-01",
            "source": "Audit",
            "weight": "1",
        },
    )
    assert response.status_code == 400
    assert "The target must differ from the baseline." in text_of(response)
    assert 'value="Nothing changes"' in response.content.decode()
    assert not Measure.objects.exists()


def test_a_reading_dated_in_the_future_is_refused_beside_its_measure(client, project, member):
    measure = make_measure(member, project, "Shared plans", 1)
    client.force_login(member)
    response = client.post(
        at("project_reading_add", project, measure=measure.pk),
        {"value": "3", "date": (today() + timedelta(days=2)).isoformat()},
    )
    assert response.status_code == 400
    assert "The date is in the future." in element(response, f"measure-{measure.pk}")
    assert not Reading.objects.exists()
    response = client.post(
        at("project_reading_add", project, measure=measure.pk), {"value": "lots", "date": ""}
    )
    assert response.status_code == 400
    assert "Enter a number." in element(response, f"measure-{measure.pk}")


def test_a_completed_project_shows_its_closure_report(client, project, lead, member):
    measure = make_measure(member, project, "Plans shared", 1, current="8")
    services.project_set_status(
        actor=lead,
        project=project,
        status="completed",
        reason="The pilot ended.",
        achieved="Every ward shares one plan.",
        learned="Start with the GP practices.",
        results={measure.pk: {"final": "9", "note": "Nearly there."}},
    )
    client.force_login(member)
    response = client.get(at("project_outcomes", project))
    report = element(response, "closure")
    assert "Plans shared 0.00 % 10.00 % 9.00 % Nearly there." in report
    assert "What the project achieved Every ward shares one plan." in report
    assert "What was learned Start with the GP practices." in report


def test_an_open_project_has_no_closure_report(client, project, member):
    client.force_login(member)
    assert 'id="closure"' not in client.get(at("project_outcomes", project)).content.decode()


# --- who sees and does what ------------------------------------------------------------------


def plan_of(project, actor):
    """One of everything on a project's plan."""
    milestone = services.milestone_save(
        actor=actor, project=project, title="First milestone", due=today()
    )
    risk = services.risk_save(
        actor=actor, project=project, title="First risk", likelihood=2, consequence=2
    )
    measure = make_measure(actor, project, "Measure one", 1, current="2")
    update = services.update_post(
        actor=actor, project=project, title="First update", body="Going well."
    )
    decision = services.decision_record(
        actor=actor, project=project, title="First decision", options="", rationale="Because."
    )
    return SimpleNamespace(
        milestone=milestone, risk=risk, measure=measure, update=update, decision=decision
    )


PAGES = [
    "project_milestones",
    "project_updates",
    "project_decisions",
    "project_risks",
    "project_outcomes",
]
FORMS = ["milestone-form", "update-form", "decision-form", "risk-form", "measure-form"]


@pytest.mark.parametrize("viewer", ["outsider", "observer"])
def test_on_an_open_project_outsiders_and_observers_read_every_page_without_forms(
    client, project, member, viewer, request
):
    plan = plan_of(project, member)
    client.force_login(request.getfixturevalue(viewer))
    for name in PAGES:
        response = client.get(at(name, project))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert not any(f'id="{form}"' in html for form in FORMS), name
        assert 'method="post"' not in html.split('class="tabs"')[1], name
        assert "/edit" not in html and "Edit<" not in html
    assert "First milestone" in text_of(client.get(at("project_milestones", project)))
    assert "First risk" in text_of(client.get(at("project_risks", project)))
    outcomes = client.get(at("project_outcomes", project))
    assert "Measure one" in text_of(outcomes) and "Add a reading" not in text_of(outcomes)
    assert client.get(plan.update.get_absolute_url()).status_code == 200


def test_an_observers_change_is_refused_and_nothing_is_saved(client, project, observer, member):
    plan = plan_of(project, member)
    client.force_login(observer)
    response = client.post(
        at("project_milestone_add", project),
        {"title": "Mine", "due": today().isoformat(), "progress": "0", "weight": "1"},
    )
    assert response.status_code == 403
    assert "Observers follow the work but do not change it" in text_of(response)
    response = client.post(
        at("project_risk_edit", project, risk=plan.risk.pk),
        {"title": "Renamed", "likelihood": "5", "consequence": "5", "status": "open"},
    )
    assert response.status_code == 403
    response = client.get(at("project_risk_edit", project, risk=plan.risk.pk))
    assert response.status_code == 302
    assert Milestone.objects.count() == 1
    plan.risk.refresh_from_db()
    assert plan.risk.title == "First risk"


def test_on_a_restricted_project_every_plan_address_is_a_404_to_outsiders(
    client, restricted, member, outsider
):
    plan = plan_of(restricted, member)
    before = {
        model: list(model.objects.values())
        for model in (Milestone, Risk, Measure, Reading, Update, Decision)
    }
    client.force_login(outsider)
    gets = [at(name, restricted) for name in PAGES] + [
        at("project_milestone_edit", restricted, milestone=plan.milestone.pk),
        at("project_risk_edit", restricted, risk=plan.risk.pk),
        at("project_measure_edit", restricted, measure=plan.measure.pk),
        plan.update.get_absolute_url(),
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 404, url
        assert not any(
            secret in response.content.decode()
            for secret in ("First milestone", "First risk", "First update", "Measure one")
        )
    anything = {
        "title": "Changed",
        "name": "Changed",
        "unit": "%",
        "due": today().isoformat(),
        "progress": "50",
        "weight": "1",
        "body": "Changed",
        "reason": "Changed",
        "likelihood": "5",
        "consequence": "5",
        "status": "open",
        "baseline": "1",
        "baseline_date": "2026-01-01",
        "target": "2",
        "target_date": "2026-12-01",
        "source": "x",
        "value": "1",
        "date": today().isoformat(),
    }
    posts = [
        at("project_milestone_add", restricted),
        at("project_milestone_edit", restricted, milestone=plan.milestone.pk),
        at("project_update_post", restricted),
        at("project_decision_add", restricted),
        at("project_risk_add", restricted),
        at("project_risk_edit", restricted, risk=plan.risk.pk),
        at("project_measure_add", restricted),
        at("project_measure_edit", restricted, measure=plan.measure.pk),
        at("project_reading_add", restricted, measure=plan.measure.pk),
    ]
    for url in posts:
        assert client.post(url, anything).status_code == 404, url
    after = {
        model: list(model.objects.values())
        for model in (Milestone, Risk, Measure, Reading, Update, Decision)
    }
    assert after == before


def test_a_restricted_projects_members_use_every_page(client, restricted, member):
    plan_of(restricted, member)
    client.force_login(member)
    for name in PAGES:
        response = client.get(at(name, restricted))
        assert response.status_code == 200, name


def test_an_item_of_another_project_is_a_404(client, project, make_project, member, lead):
    other = make_project(title="Another project")
    milestone = services.milestone_save(actor=lead, project=other, title="Theirs", due=today())
    client.force_login(member)
    url = at("project_milestone_edit", project, milestone=milestone.pk)
    assert client.get(url).status_code == 404
    post = {"title": "Mine now", "due": today().isoformat(), "progress": "0", "weight": "1"}
    assert client.post(url, post).status_code == 404
    milestone.refresh_from_db()
    assert milestone.title == "Theirs"


def test_adding_answers_only_a_post(client, project, member):
    client.force_login(member)
    assert client.get(at("project_milestone_add", project)).status_code == 405


# --- a fixed number of queries whatever the number of rows -----------------------------------


def fill(project, actor, n):
    Milestone.objects.bulk_create(
        Milestone(project=project, title=f"M{i}", due=today() + timedelta(days=i), progress=i % 100)
        for i in range(n)
    )
    Risk.objects.bulk_create(
        Risk(
            project=project,
            title=f"R{i}",
            likelihood=i % 5 + 1,
            consequence=(i * 2) % 5 + 1,
            owner=actor,
            review_by=today() - timedelta(days=1),
        )
        for i in range(n)
    )
    Update.objects.bulk_create(
        Update(project=project, author=actor, title=f"U{i}", body="Text") for i in range(n)
    )
    Decision.objects.bulk_create(
        Decision(project=project, decided_by=actor, title=f"D{i}", reason="Why") for i in range(n)
    )
    measures = Measure.objects.bulk_create(
        Measure(
            project=project,
            name=f"Measure {i}",
            unit="%",
            baseline=0,
            baseline_date=today(),
            target=10,
            target_date=today(),
            source="Audit",
            current=5,
            current_date=today(),
        )
        for i in range(n)
    )
    Reading.objects.bulk_create(
        Reading(measure=m, value=5, date=today(), recorded_by=actor) for m in measures
    )


@pytest.mark.parametrize("name", PAGES)
def test_each_page_costs_the_same_queries_for_3_or_30_rows(
    client, make_project, lead, member, name, django_assert_num_queries
):
    small, large = make_project(title="Small"), make_project(title="Large")
    fill(small, lead, 3)
    fill(large, lead, 30)
    client.force_login(lead)
    client.get(at(name, small))  # warm the caches a first page fills
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(at(name, small)).status_code == 200
    with django_assert_num_queries(len(small_queries)):
        response = client.get(at(name, large))
    assert response.status_code == 200


def test_timeline_copes_with_the_ends_of_the_calendar():
    drawing = timeline(
        [ms(date(1, 1, 1)), ms(date(9999, 12, 31), 100)], today=TODAY, start=date(1, 1, 1)
    )
    assert [m.x for m in drawing.marks] == [16, 784]
    assert 1 <= len(drawing.ticks) <= 6
    assert drawing.ticks[-1].day <= date(9999, 12, 31)
    assert ticks(date(9999, 11, 15), date(9999, 12, 31))[0].day == date(9999, 12, 1)
