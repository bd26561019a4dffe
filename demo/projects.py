"""Plan the demo projects (``demo.projects_data``) on the demo seeder's timeline.

A project starts at the moment its idea is taken up: the seeder leaves out the idea's own move
to "In a project" and ``projects.services.project_create`` makes it instead, through the public
decision that links the idea to the project. Everything in a project — members joining, cards,
milestones, updates and their comments, decisions, risks, measures and readings, status changes
and closure reports — goes through ``projects.services`` (and ``discussion.services`` for
comments) at a share of the project's life, and is backdated with the ideas' history.
"""

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from demo import ideas_data
from demo import projects_data as demo
from demo.people import NZ
from ideas.models import Decision as IdeaDecision
from ideas.models import Idea
from projects import services
from projects.models import ChecklistItem, Decision, Invitation, Membership, Project, Risk, Task
from realtime.models import Activity

if TYPE_CHECKING:
    from demo.management.commands.seed_demo import DemoSeeder

PROJECT, NOW_MARGIN = "project", 0.05
# Rows whose moment is not called ``created``.
TIME_FIELDS: dict[type[models.Model], str] = {Membership: "joined"}


def taken_up_titles() -> set[str]:
    """The titles of the ideas a demo project grows from."""
    return {title for project in demo.PROJECTS for title in project.ideas}


class ProjectPlanner:
    def __init__(self, seeder: "DemoSeeder") -> None:
        self.seeder = seeder
        self.clock = seeder.timeline.clock
        self.today = timezone.localdate()
        self.key_of = {data.title: data.key for data in ideas_data.IDEAS}

    # --- time ---------------------------------------------------------------------------------

    def ago_of(self, when: datetime) -> float:
        """The working days ago of ``when`` (the clock's inverse; a night counts as its eve)."""
        low, high = 0.0, 1000.0
        for _ in range(48):
            mid = (low + high) / 2
            if self.clock.at(mid) > when:
                low = mid
            else:
                high = mid
        return high

    def day(self, value: int | date) -> date:
        return value if isinstance(value, date) else self.today + timedelta(days=value)

    def local_date(self, ago: float) -> date:
        return self.clock.at(ago).astimezone(NZ).date()

    # --- planning -----------------------------------------------------------------------------

    def plan(self) -> None:
        existing = set(
            Project.objects.filter(title__in=[p.title for p in demo.PROJECTS]).values_list(
                "title", flat=True
            )
        )
        for data in demo.PROJECTS:
            if data.title not in existing:
                self.plan_project(data)

    def _life(self, data: demo.DemoProject) -> tuple[float, float, list[str]]:
        """When the project starts and when its life so far ends (working days ago), and the
        keys of the ideas it takes up."""
        starts: list[float] = []
        ends: list[float] = [NOW_MARGIN]
        keys: list[str] = []
        for title in data.ideas:
            key = self.key_of[title]
            if key in self.seeder.taken_up:  # planned in this run: the project takes it up
                when = self.seeder.taken_up[key]
                later = [w for stage, w in self.seeder.decided.get(key, []) if w < when]
                if later:  # e.g. implemented afterwards: the project closes before that
                    ends.append(max(later) + min(0.3, (when - max(later)) / 4))
                starts.append(when)
                keys.append(key)
                continue
            idea = Idea.objects.filter(title=title).first()
            if idea is None:
                continue
            if idea.stage == PROJECT:  # seeded before projects were: it joins as it is
                starts.append(self.ago_of(idea.stage_changed))
                keys.append(key)
        start = max(starts) if starts else 10.0
        return start, max(ends), keys

    def plan_project(self, data: demo.DemoProject) -> None:
        s = self.seeder
        t0, end, keys = self._life(data)

        def at(share: float) -> float:
            return t0 - share * (t0 - end)

        starter, lead = s.user(data.started_by), s.user(data.lead)
        box: dict[str, Any] = {}  # the project, once made; its rows by name

        def start() -> list[models.Model]:
            ideas = [Idea.objects.select_related("problem").get(pk=s.ideas[k].pk) for k in keys]
            for idea in ideas:
                authors = {idea.author_id, *idea.coauthors.values_list("pk", flat=True)}
                if starter.pk in authors:  # nobody decides on their own idea
                    raise ValueError(
                        f"{data.started_by} wrote “{idea.title}”: not theirs to take up"
                    )
            project = services.project_create(
                actor=starter, lead=lead, title=data.title, purpose=data.purpose,
                ideas=ideas, problems=[i.problem for i in ideas if i.problem],
                tags=list(data.tags), restricted=bool(data.restricted_reason),
                restricted_reason=data.restricted_reason,
                start_date=self.day(data.start_date) if data.start_date is not None else None,
                end_date=self.day(data.end_date) if data.end_date is not None else None,
            )  # fmt: skip
            box["project"] = project
            box["columns"] = {c.name: c for c in project.columns.all()}
            made = IdeaDecision.objects.filter(
                idea__in=ideas, to_stage=PROJECT, link_url=project.get_absolute_url()
            )
            for idea in ideas:
                s.ideas[self.key_of[idea.title]] = idea
            return [project, *made, *project.memberships.all()]

        s.timeline.add(t0, start)
        for status in data.statuses:
            self._status(box, data, status, at(status.at))
        for member in data.members:
            self._member(box, lead, member, t0, at(member.at))
        for measure in data.measures:
            self._measure(box, measure, at(measure.at), end)
        for milestone in data.milestones:
            self._milestone(box, milestone, at)
        for risk in data.risks:
            self._risk(box, risk, at(risk.at))
        for task in data.tasks:
            self._task(box, task, at(task.at), end)
        for decision in data.decisions:
            self._decision(box, decision, at(decision.at))
        for n, update in enumerate(data.updates):
            later = [u.at for u in data.updates[n + 1 :]] + [1.0]
            self._update(box, update, at(update.at), at(later[0]))

    def _status(
        self, box: dict[str, Any], data: demo.DemoProject, status: demo.DemoStatus, when: float
    ) -> None:
        s = self.seeder
        closure = data.closure

        def change() -> list[models.Model]:
            project = box["project"]
            extra: dict[str, Any] = {}
            if status.status in Project.ENDS and closure is not None:
                results = {
                    m.pk: {"final": closure.results[m.name][0], "note": closure.results[m.name][1]}
                    for m in project.measures.all()
                }
                extra = {"achieved": closure.achieved, "learned": closure.learned,
                         "results": results}  # fmt: skip
            decision = services.project_set_status(
                actor=s.user(data.lead), project=project, status=status.status,
                reason=status.reason, **extra,
            )  # fmt: skip
            closed = [project.closure] if status.status in Project.ENDS else []
            return [decision, *closed]

        s.timeline.add(when, change)

    def _member(
        self, box: dict[str, Any], lead: Any, member: demo.DemoMember, t0: float, when: float
    ) -> None:
        s = self.seeder
        user = s.user(member.name)
        expires = self.day(member.expires) if member.expires is not None else None
        asked_at = when + min(0.4, (t0 - when) / 2)

        def ask() -> list[models.Model]:
            project = box["project"]
            if member.asked:
                invitation = services.request_to_join(
                    user=user, project=project, message="I'd like to help with this."
                )
            else:
                invitation = services.invite(
                    actor=lead, project=project, user=user, role=member.role, expires=expires
                )
            box[f"invitation:{user.pk}"] = invitation
            return [invitation]

        def answer() -> list[models.Model]:
            invitation = box[f"invitation:{user.pk}"]
            actor = lead if member.asked else user
            services.invitation_answer(actor=actor, invitation=invitation, accept=True)
            return [Membership.objects.get(project=box["project"], user=user)]

        s.timeline.add(asked_at, ask)
        s.timeline.add(when, answer)

    def _measure(
        self, box: dict[str, Any], measure: demo.DemoMeasure, when: float, end: float
    ) -> None:
        s = self.seeder
        actor = s.user(measure.by)

        def save() -> list[models.Model]:
            box[f"measure:{measure.name}"] = services.measure_save(
                actor=actor, project=box["project"], name=measure.name, unit=measure.unit,
                baseline=measure.baseline, baseline_date=self.day(measure.baseline_date),
                target=measure.target, target_date=self.day(measure.target_date),
                source=measure.source, weight=measure.weight,
            )  # fmt: skip
            return [box[f"measure:{measure.name}"]]

        s.timeline.add(when, save)
        for n, (on, value, note) in enumerate(measure.readings):
            on = self.day(on)
            noon = datetime.combine(on, time(16, 0), tzinfo=NZ)
            # Not before the measure was set up (older figures are typed in then), nor before
            # its own date, nor after the project closed.
            entered = max(min(when - 0.01 * (n + 1), self.ago_of(noon)), end + 0.002)
            on = min(on, self.local_date(entered))

            def read(on: date = on, value: str = value, note: str = note) -> list[models.Model]:
                measured = box[f"measure:{measure.name}"]
                reading = services.reading_add(
                    actor=actor, measure=measured, value=value, on=on, note=note
                )
                return [reading]

            s.timeline.add(entered, read)

    def _milestone(
        self, box: dict[str, Any], milestone: demo.DemoMilestone, at: Callable[[float], float]
    ) -> None:
        s = self.seeder
        actor = s.user(milestone.by)
        fields = {
            "title": milestone.title,
            "due": self.day(milestone.due),
            "description": milestone.description,
            "weight": milestone.weight,
        }

        def add() -> list[models.Model]:
            progress = 0 if milestone.done_at is not None else milestone.progress
            box[f"milestone:{milestone.title}"] = services.milestone_save(
                actor=actor, project=box["project"], progress=progress, **fields
            )
            return [box[f"milestone:{milestone.title}"]]

        s.timeline.add(at(milestone.at), add)
        if milestone.done_at is not None:
            done = at(milestone.done_at)

            def complete() -> list[models.Model]:
                services.milestone_save(
                    actor=actor, project=box["project"], progress=100,
                    completed=self.local_date(done), milestone=box[f"milestone:{milestone.title}"],
                    **fields,
                )  # fmt: skip
                return []

            s.timeline.add(done, complete)

    def _risk(self, box: dict[str, Any], risk: demo.DemoRisk, when: float) -> None:
        s = self.seeder

        def add() -> list[models.Model]:
            saved = services.risk_save(
                actor=s.user(risk.by), project=box["project"], title=risk.title,
                likelihood=risk.likelihood, consequence=risk.consequence,
                description=risk.description, owner=s.user(risk.owner),
                mitigation=risk.mitigation, status=risk.status,
                review_by=self.day(risk.review) if risk.review is not None else None,
            )  # fmt: skip
            return [saved]

        s.timeline.add(when, add)

    def _task(self, box: dict[str, Any], task: demo.DemoTask, when: float, end: float) -> None:
        s = self.seeder
        actor = s.user(task.by)

        def add() -> list[models.Model]:
            made = services.task_create(
                actor=actor, project=box["project"], title=task.title,
                column=box["columns"][task.column], description=task.description,
                assignee=s.user(task.assignee) if task.assignee else None,
                due=self.day(task.due) if task.due is not None else None, labels=task.labels,
                checklist=[text for text, _ in task.checklist],
            )  # fmt: skip
            box[f"task:{task.title}"] = made
            return [made]

        s.timeline.add(when, add)
        ticked = [text for text, done in task.checklist if done]
        if ticked:
            later = when - min(0.5, (when - end) / 2)

            def tick() -> list[models.Model]:
                made = box[f"task:{task.title}"]
                for item in ChecklistItem.objects.filter(task=made, text__in=ticked):
                    item.task = made
                    services.checklist_toggle(actor=actor, item=item, done=True)
                return []

            s.timeline.add(later, tick)

    def _decision(self, box: dict[str, Any], decision: demo.DemoDecision, when: float) -> None:
        s = self.seeder

        def add() -> list[models.Model]:
            logged = services.decision_record(
                actor=s.user(decision.by), project=box["project"], title=decision.title,
                options=decision.options, rationale=decision.rationale,
            )  # fmt: skip
            return [logged]

        s.timeline.add(when, add)

    def _update(
        self, box: dict[str, Any], update: demo.DemoUpdate, when: float, until: float
    ) -> None:
        s = self.seeder
        author = s.user(update.author)
        name = f"update:{update.title}"

        def post() -> list[models.Model]:
            box[name] = services.update_post(
                actor=author, project=box["project"], title=update.title, body=update.body
            )
            return [box[name]]

        s.timeline.add(when, post)
        if update.comments:
            s.plan_comments(
                target=lambda: box[name], author=author, specific=update.comments, general=0,
                pool=[], start=when, end=max(until, NOW_MARGIN), replies=True,
            )  # fmt: skip


def backdate(times: dict[type[models.Model], dict[int, datetime]]) -> None:
    """After the rows have their times: each new project's first idea, status change and last
    change, and the other times that follow from when things were made."""
    made = times.get(Project, {})
    if not made:
        return
    projects = list(Project.objects.filter(pk__in=made).prefetch_related("ideas"))
    changed: dict[int, datetime] = {}
    for decision in Decision.objects.filter(project__in=projects).exclude(to_status=""):
        changed[decision.project_id] = max(
            decision.created, changed.get(decision.project_id, decision.created)
        )
    last: dict[int, datetime] = {}
    for target_id, when in Activity.objects.filter(
        target_type="projects.project", target_id__in=[str(p.pk) for p in projects]
    ).values_list("target_id", "created"):
        last[int(target_id)] = max(when, last.get(int(target_id), when))
    for project in projects:
        firsts = [i.created for i in project.ideas.all()]
        project.first_idea_at = min(firsts) if firsts else None
        project.status_changed = changed.get(project.pk, project.created)
        project.updated = last.get(project.pk, project.created)
    Project.objects.bulk_update(projects, ["first_idea_at", "status_changed", "updated"])
    for model in (Task, Risk):
        rows = list(model.objects.filter(pk__in=times.get(model, {})))
        for row in rows:
            row.updated = row.created
        model.objects.bulk_update(rows, ["updated"], batch_size=500)
    joined = {
        (m.project_id, m.user_id): m.joined
        for m in Membership.objects.filter(pk__in=times.get(Membership, {}))
    }
    answered = list(Invitation.objects.filter(pk__in=times.get(Invitation, {}), state="accepted"))
    for invitation in answered:
        invitation.decided = joined.get((invitation.project_id, invitation.user_id))
    Invitation.objects.bulk_update(answered, ["decided"])


def counts() -> dict[str, int]:
    return {"projects": Project.objects.count()}
