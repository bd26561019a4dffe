"""Load the demo data: organisations and people, then problems, ideas, the projects grown from
them, and their history; then the commons' outcome data (``demo.commons``).

Idempotent (anything already there is left alone and nothing is added twice) and deterministic
(``random.Random(2026)``). Every write goes through the services, so the feed, counters and
decisions are exactly what people would have produced; afterwards the new rows are backdated
across about nine weeks of working days, in the order they were created.

The command lives in ``demo``, at the top of the house: it seeds people through
``demo.people.seed_people`` first, then problems and ideas through their services, then the
projects (``demo.projects``: each starts at the moment its idea is taken up, on the same
timeline), and no app below imports it.
"""

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TextIO

from django.core.management.base import BaseCommand
from django.db import models, transaction
from taggit.models import Tag

from core.ratelimit import rate_limit_disabled
from demo import ideas_data as demo
from demo import projects as demo_projects
from demo.commons import seed_commons
from demo.knowledge import seed_knowledge
from demo.people import WorkingClock, email_for, print_logins, seed_people
from demo.people_data import DEMO_EMAIL_DOMAIN, STEWARDS
from discussion import services as discussion
from discussion.models import Comment, CommentRevision, Follow, Reaction
from ideas import services
from ideas.models import Decision, Idea, IdeaRevision, Problem
from ideas.selectors import SUPPORT
from people.models import Profile, User
from realtime import notifications
from realtime.models import Activity

PEOPLE_HISTORY = (50.0, 45.0)  # working days ago: everyone joins in the first week
NOW_MARGIN = 0.05  # nothing is seeded in the last half hour of working time

# The stages, as stored (``Idea.Stage`` values).
NEW, DISCUSSION, SHORTLISTED, PROJECT = "new", "discussion", "shortlisted", "project"
IMPLEMENTED, NOT_PROGRESSED, MERGED = "implemented", "not_progressed", "merged"

# How many people support an idea (author excluded), by stage.
SUPPORTS = {
    NEW: (0, 6),
    DISCUSSION: (2, 14),
    SHORTLISTED: (8, 22),
    PROJECT: (10, 26),
    IMPLEMENTED: (12, 29),
    NOT_PROGRESSED: (1, 9),
    MERGED: (1, 5),
}
# How many general comments an idea gets besides its own, by stage (8 at most in all).
COMMENTS = {
    NEW: (0, 1),
    DISCUSSION: (1, 4),
    SHORTLISTED: (1, 3),
    PROJECT: (1, 3),
    IMPLEMENTED: (0, 2),
    NOT_PROGRESSED: (0, 2),
    MERGED: (0, 1),
}
MAX_COMMENTS = 8


def _paths(rng: random.Random, stage: str) -> list[str]:
    """The decisions that take a new idea to ``stage``."""
    options: dict[str, list[list[str]]] = {
        NEW: [[]],
        MERGED: [[], [DISCUSSION]],
        DISCUSSION: [[DISCUSSION]],
        SHORTLISTED: [[SHORTLISTED], [DISCUSSION, SHORTLISTED]],
        PROJECT: [
            [SHORTLISTED, PROJECT],
            [DISCUSSION, SHORTLISTED, PROJECT],
        ],
        IMPLEMENTED: [
            [DISCUSSION, IMPLEMENTED],  # a quick win, just done
            [SHORTLISTED, PROJECT, IMPLEMENTED],
        ],
        NOT_PROGRESSED: [[NOT_PROGRESSED], [DISCUSSION, NOT_PROGRESSED]],
    }
    return list(rng.choice(options[stage]))


@dataclass
class Timeline:
    """Actions scheduled in working days ago, run oldest first, then backdated."""

    clock: WorkingClock
    events: list[tuple[float, int, Callable[[], Iterable[models.Model]]]] = field(
        default_factory=list
    )

    def add(self, ago: float, action: Callable[[], Iterable[models.Model]]) -> float:
        ago = max(ago, NOW_MARGIN)
        self.events.append((ago, len(self.events), action))
        return ago

    def run(self) -> dict[type[models.Model], dict[int, datetime]]:
        """Run every action in time order. Returns, per model, the time of each row made: the
        rows each action returns, and the activities and follows written meanwhile."""
        times: dict[type[models.Model], dict[int, datetime]] = {}
        marks = {
            model: model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            for model in (Activity, Follow)
        }
        for ago, _seq, action in sorted(self.events, key=lambda e: (-e[0], e[1])):
            when = self.clock.at(ago)
            for obj in action():
                times.setdefault(type(obj), {})[obj.pk] = when
            for model, mark in marks.items():
                new = list(
                    model.objects.filter(pk__gt=mark).order_by("pk").values_list("pk", flat=True)
                )
                for n, pk in enumerate(new):  # several in one action keep their order
                    times.setdefault(model, {})[pk] = when + timedelta(milliseconds=n)
                if new:
                    marks[model] = new[-1]
        return times


class DemoSeeder:
    def __init__(self, *, rng: random.Random, clock: WorkingClock) -> None:
        self.rng, self.timeline = rng, Timeline(clock)
        profiles = Profile.objects.select_related("user", "organisation").filter(
            user__email__endswith=f"@{DEMO_EMAIL_DOMAIN}"
        )
        self.by_email = {p.user.email: p for p in profiles}
        self.everyone = sorted(self.by_email.values(), key=lambda p: p.user_id)
        self.stewards = [
            self.profile(name) for name in STEWARDS if email_for(name) in self.by_email
        ]
        self.problem_data = {p.key: p for p in demo.PROBLEMS}
        self.problems: dict[str, Problem] = {}  # by key: created now or before
        self.ideas: dict[str, Idea] = {}
        self.new_problems: dict[str, float] = {}  # key -> posted (working days ago)
        self.decided: dict[str, list[tuple[str, float]]] = {}  # idea key -> (stage, when)
        # Ideas a demo project takes up: the project's start is their move to "In a project".
        self.project_ideas = demo_projects.taken_up_titles()
        self.taken_up: dict[str, float] = {}  # idea key -> when its project starts
        self.texts_used: dict[str, int] = {}

    # --- helpers ------------------------------------------------------------------------------

    def profile(self, name: str) -> Profile:
        return self.by_email[email_for(name)]

    def user(self, name: str) -> User:
        return self.profile(name).user

    def others(self, *exclude: User) -> list[Profile]:
        ids = {u.pk for u in exclude}
        return [p for p in self.everyone if p.user_id not in ids]

    def between(self, start: float, end: float, *, early: bool = False) -> float:
        """A time between two moments (working days ago); ``early`` leans towards ``start``."""
        f = self.rng.random() ** (2 if early else 1)
        return start - f * (start - end)

    def general_text(self, pool: list[str], used_here: set[str]) -> str:
        """The least used text of ``pool`` not yet on this item, so repeats are spread thin."""
        left = [t for t in pool if t not in used_here]
        fewest = min(self.texts_used.get(t, 0) for t in left)
        text = self.rng.choice([t for t in left if self.texts_used.get(t, 0) == fewest])
        self.texts_used[text] = fewest + 1
        used_here.add(text)
        return text

    def authors(self, idea: demo.DemoIdea) -> list[User]:
        """The idea's author and co-authors: nobody of them supports it or decides on it."""
        return [self.user(name) for name in (idea.author, *idea.coauthors)]

    def steward_for(self, idea: demo.DemoIdea, *, exclude: Iterable[User]) -> User:
        orgs = {self.profile(idea.author).organisation.short_name, *idea.partners}
        if idea.problem:
            orgs |= set(self.problem_data[idea.problem].organisations)
        excluded = {u.pk for u in exclude}
        candidates = [s for s in self.stewards if s.user_id not in excluded]
        near = [s for s in candidates if s.organisation.short_name in orgs]
        return self.rng.choice(near or candidates).user

    # --- seeding ------------------------------------------------------------------------------

    def seed(self) -> None:
        for name in demo.TAGS:  # the shared vocabulary first: non-stewards may only use it
            Tag.objects.get_or_create(name=name)
        existing_problems = {p.title: p for p in Problem.objects.filter(
            title__in=[p.title for p in demo.PROBLEMS])}  # fmt: skip
        for problem in demo.PROBLEMS:
            if problem.title in existing_problems:
                self.problems[problem.key] = existing_problems[problem.title]
            else:
                self.plan_problem(problem)
        existing_ideas = {i.title: i for i in Idea.objects.filter(
            title__in=[i.title for i in demo.IDEAS])}  # fmt: skip
        posted = self.idea_times()
        for idea in demo.IDEAS:
            if idea.title in existing_ideas:
                self.ideas[idea.key] = existing_ideas[idea.title]
            else:
                self.plan_idea(idea, posted[idea.key])
        for problem in demo.PROBLEMS:
            if problem.key in self.new_problems:
                self.plan_problem_status(problem)
        demo_projects.ProjectPlanner(self).plan()
        self.backdate(self.timeline.run())
        # The dashboard's daily participation counts follow the backdated history.
        services.participation_rebuild()

    def idea_times(self) -> dict[str, float]:
        """When each idea is posted (working days ago): after its problem, and a duplicate
        after the idea it repeats."""
        posted: dict[str, float] = {}
        for data in demo.IDEAS:
            if data.merge_into:
                continue
            if data.problem:
                start = self.problem_data[data.problem].posted
                posted[data.key] = start - self.rng.uniform(0.3, min(start * 0.5, 12.0))
            else:
                posted[data.key] = self.rng.uniform(6.0, 40.0)
        for data in demo.IDEAS:
            if data.merge_into:
                posted[data.key] = posted[data.merge_into] - self.rng.uniform(1.0, 4.0)
        return posted

    def plan_problem(self, data: demo.DemoProblem) -> None:
        author = self.user(data.author)
        organisations = self._organisations(data.organisations)

        def post() -> list[models.Model]:
            problem = services.problem_create(
                author=author, title=data.title, description=data.description,
                affected=data.affected, tags=data.tags, organisations=organisations,
            )  # fmt: skip
            self.problems[data.key] = problem
            return [problem]

        ago = self.timeline.add(data.posted, post)
        self.new_problems[data.key] = ago
        for owner in data.owners:

            def add_owner(owner: str = owner) -> list[models.Model]:
                services.problem_owner_add(
                    actor=author, problem=self.problems[data.key], user=self.user(owner)
                )
                return []

            # Before any idea for it is posted (the first comes 0.3 working days later).
            self.timeline.add(ago - self.rng.uniform(0.02, 0.25), add_owner)
        self.plan_comments(
            target=lambda: self.problems[data.key],
            author=author,
            specific=data.comments,
            general=self.rng.randint(0, 2),
            pool=demo.PROBLEM_COMMENTS,
            start=ago,
            end=NOW_MARGIN,
            replies=False,
        )
        for person in self.rng.sample(self.others(author), k=self.rng.randint(2, 6)):

            def follow(user: User = person.user) -> list[models.Model]:
                return self._follow(user, self.problems[data.key])

            self.timeline.add(self.between(ago, NOW_MARGIN, early=True), follow)

    def _organisations(self, short_names: Iterable[str]) -> list[Any]:
        by_short = {p.organisation.short_name: p.organisation for p in self.everyone}
        return [by_short[s] for s in short_names]

    @staticmethod
    def _follow(user: User, target: Idea | Problem) -> list[models.Model]:
        discussion.follow(user=user, target=target)
        return []  # the Follow row is picked up by the timeline

    def plan_idea(self, data: demo.DemoIdea, posted: float) -> None:
        rng, key = self.rng, data.key
        author = self.user(data.author)
        organisations = self._organisations(
            dict.fromkeys([self.profile(data.author).organisation.short_name, *data.partners])
        )
        coauthors = [self.user(name) for name in data.coauthors]

        def post() -> list[models.Model]:
            idea = services.idea_create(
                author=author, title=data.title, summary=data.summary, body=data.body,
                benefit=data.benefit, tags=data.tags,
                problem=self.problems.get(data.problem) if data.problem else None,
                organisations=organisations, coauthors=coauthors,
            )  # fmt: skip
            self.ideas[key] = idea
            return [idea, *IdeaRevision.objects.filter(idea=idea)]

        ago = self.timeline.add(posted, post)
        # Until when things happen to it: a duplicate is merged a few days after it appears.
        end = NOW_MARGIN
        if data.stage == MERGED:
            end = max(ago - rng.uniform(1.5, 5.0), NOW_MARGIN + 0.2)
        steps = _paths(rng, data.stage)
        times = sorted((ago - rng.uniform(0.1, 0.9) * (ago - end) for _ in steps), reverse=True)
        self.decided[key] = list(zip(steps, times, strict=True))
        for n, (to_stage, when) in enumerate(zip(steps, times, strict=True)):
            final = n == len(steps) - 1 and data.stage != MERGED
            decide = self._decide(data, to_stage, first=n == 0, final=final)
            if to_stage == PROJECT and data.title in self.project_ideas:
                self.taken_up[key] = when  # the project's start makes this decision
                continue
            self.timeline.add(when, decide)
        if data.stage == MERGED:
            self.timeline.add(end, self._merge(data))

        # Supporters, most of them soon after the idea appears.
        low, high = SUPPORTS[data.stage]
        if any(d.merge_into == key for d in demo.IDEAS):
            high = min(high, 30 - SUPPORTS[MERGED][1])
        for person in rng.sample(self.others(*self.authors(data)), k=rng.randint(low, high)):

            def support(user: User = person.user) -> list[models.Model]:
                return self._support(user, key)

            self.timeline.add(self.between(ago, end, early=True), support)
        # Comments: the idea's own, then a few general ones and the author's replies.
        low, high = COMMENTS[data.stage]
        general = min(rng.randint(low, high), MAX_COMMENTS - len(data.comments))
        last = self.plan_comments(
            target=lambda: self.ideas[key],
            author=author,
            specific=data.comments,
            general=general,
            pool=demo.IDEA_COMMENTS,
            start=ago,
            end=end,
            replies=True,
        )
        if data.edit:
            self.timeline.add(self.between(last, NOW_MARGIN), self._edit(data))
        for person in rng.sample(self.others(author), k=rng.randint(0, 3)):

            def follow(user: User = person.user) -> list[models.Model]:
                return self._follow(user, self.ideas[key])

            self.timeline.add(self.between(ago, end), follow)

    def plan_comments(
        self,
        *,
        target: Callable[[], Any],
        author: User,
        specific: tuple[demo.DemoComment, ...],
        general: int,
        pool: list[str],
        start: float,
        end: float,
        replies: bool,
    ) -> float:
        """Schedule the specific comments in their order, with general ones mixed in, each
        after the one before. Returns when the last specific comment is posted."""
        rng = self.rng
        # (author, body, index of the parent in this list, whether it is a specific comment)
        items: list[tuple[User, str, int | None, bool]] = []
        used: set[str] = set()
        specific_left = list(enumerate(specific))
        index_of: dict[int, int] = {}
        general_left = general
        while specific_left or general_left > 0:
            take_general = general_left > 0 and (not specific_left or rng.random() < 0.4)
            if not take_general:
                n, comment = specific_left.pop(0)
                who = author if comment.author == demo.AUTHOR else self.user(comment.author)
                parent = index_of[comment.reply_to] if comment.reply_to is not None else None
                index_of[n] = len(items)
                items.append((who, comment.body, parent, True))
                continue
            general_left -= 1
            person = rng.choice(self.others(author))
            text = self.general_text(pool, used).format(org=person.organisation.label)
            items.append((person.user, text, None, False))
            if replies and general_left > 0 and rng.random() < 0.35:
                first = person.display_name.removeprefix("Dr ").split()[0]
                reply = self.general_text(demo.AUTHOR_REPLIES, used).format(first=first)
                items.append((author, reply, len(items) - 1, False))
                general_left -= 1
        moments = sorted((self.between(start, end) for _ in items), reverse=True)
        made: list[Comment] = []
        last_specific = start
        for (who, body, parent, own), when in zip(items, moments, strict=True):

            def post(who=who, body=body, parent=parent) -> list[models.Model]:
                comment = discussion.comment_create(
                    author=who, body=body, parent=made[parent] if parent is not None else None,
                    target=target(),
                )  # fmt: skip
                made.append(comment)
                return [comment, *CommentRevision.objects.filter(comment=comment)]

            self.timeline.add(when, post)
            if own:
                last_specific = when
        return last_specific

    def _support(self, user: User, key: str) -> list[models.Model]:
        services.idea_support(user=user, idea=self.ideas[key])
        return list(
            Reaction.objects.filter(
                kind=SUPPORT, user=user, object_id=self.ideas[key].pk,
                content_type__app_label="ideas", content_type__model="idea",
            )
        )  # fmt: skip

    def _decide(
        self, data: demo.DemoIdea, to_stage: str, *, first: bool, final: bool
    ) -> Callable[[], list[models.Model]]:
        authors = self.authors(data)
        problem = self.problem_data.get(data.problem) if data.problem else None
        if final and data.decider:
            decider = self.user(data.decider)
        elif first and problem and problem.author not in (data.author, *data.coauthors):
            decider = self.user(problem.author)  # the problem's owner triages ideas for it
        else:
            decider = self.steward_for(data, exclude=authors)
        if final and data.reason:
            reason = data.reason
        else:
            reason = self.general_text(demo.REASONS[to_stage], set()).format(
                first=data.author.removeprefix("Dr ").split()[0],
                org=self.profile(data.author).organisation.label,
            )

        def decide() -> list[models.Model]:
            idea = Idea.objects.select_related("problem").get(pk=self.ideas[data.key].pk)
            decision = services.idea_decide(
                actor=decider, idea=idea, to_stage=to_stage, reason=reason
            )
            self.ideas[data.key] = idea
            return [decision]

        return decide

    def _merge(self, data: demo.DemoIdea) -> Callable[[], list[models.Model]]:
        into = next(d for d in demo.IDEAS if d.key == data.merge_into)
        steward = self.steward_for(data, exclude=[*self.authors(data), *self.authors(into)])

        def merge() -> list[models.Model]:
            source = Idea.objects.get(pk=self.ideas[data.key].pk)
            target = Idea.objects.get(pk=self.ideas[data.merge_into].pk)
            services.idea_merge(actor=steward, source=source, target=target, reason=data.reason)
            self.ideas[data.key] = Idea.objects.get(pk=source.pk)
            return [Decision.objects.filter(idea=source).latest("id")]

        return merge

    def _edit(self, data: demo.DemoIdea) -> Callable[[], list[models.Model]]:
        def edit() -> list[models.Model]:
            idea = Idea.objects.get(pk=self.ideas[data.key].pk)
            services.idea_update(
                actor=self.user(data.author), idea=idea, body=f"{idea.body}\n\n{data.edit}"
            )
            self.ideas[data.key] = idea
            return [IdeaRevision.objects.filter(idea=idea).latest("id")]

        return edit

    def plan_problem_status(self, data: demo.DemoProblem) -> None:
        """Owners mark a problem as being worked on once one of its ideas becomes a project."""
        if not data.status:
            return
        status, reason = data.status
        times = [
            when
            for idea in demo.IDEAS
            if idea.problem == data.key
            for stage, when in self.decided.get(idea.key, [])
            if stage in (PROJECT, IMPLEMENTED)
        ]
        # The first of them to become a project (working days ago: larger is earlier).
        after = max(times) if times else self.new_problems[data.key] / 2

        def set_status() -> list[models.Model]:
            services.problem_set_status(
                actor=self.user(data.author), problem=self.problems[data.key], status=status,
                reason=reason,
            )  # fmt: skip
            return []

        self.timeline.add(self.between(after, NOW_MARGIN), set_status)

    # --- backdating ---------------------------------------------------------------------------

    def backdate(self, times: dict[type[models.Model], dict[int, datetime]]) -> None:
        """Give every row made the time of the action that made it; ideas and problems also
        get their first decision and last change."""
        for model, by_pk in times.items():
            rows = list(model.objects.filter(pk__in=by_pk))
            moment = demo_projects.TIME_FIELDS.get(model, "created")
            for row in rows:
                setattr(row, moment, by_pk[row.pk])
            if model is Idea:
                self._idea_times(rows, times)
            if model is Problem:
                self._problem_times(rows, times)
            fields = [moment]
            if model is Idea:
                fields += ["first_decision_at", "stage_changed", "updated"]
            if model is Problem:
                fields += ["updated"]
            model.objects.bulk_update(rows, fields, batch_size=500)
        demo_projects.backdate(times)

    @staticmethod
    def _idea_times(ideas: list[Idea], times: dict[type[models.Model], dict[int, datetime]]):
        decision_times: dict[int, list[datetime]] = {}
        for decision in Decision.objects.filter(pk__in=times.get(Decision, {})):
            decision_times.setdefault(decision.idea_id, []).append(times[Decision][decision.pk])
        edits: dict[int, list[datetime]] = {}
        for revision in IdeaRevision.objects.filter(pk__in=times.get(IdeaRevision, {})):
            edits.setdefault(revision.idea_id, []).append(times[IdeaRevision][revision.pk])
        for idea in ideas:
            decided = decision_times.get(idea.pk, [])
            idea.first_decision_at = min(decided) if decided else None
            idea.stage_changed = max(decided) if decided else idea.created
            idea.updated = max([idea.created, *decided, *edits.get(idea.pk, [])])

    @staticmethod
    def _problem_times(
        problems: list[Problem], times: dict[type[models.Model], dict[int, datetime]]
    ):
        changed: dict[int, datetime] = {}
        for activity in Activity.objects.filter(
            pk__in=times.get(Activity, {}), verb="problem.status_changed"
        ):
            changed[int(activity.target_id)] = times[Activity][activity.pk]
        for problem in problems:
            problem.updated = changed.get(problem.pk, problem.created)


def _counts() -> dict[str, int]:
    return {
        "problems": Problem.objects.count(),
        "ideas": Idea.objects.count(),
        "comments": Comment.objects.count(),
        "supports": Reaction.objects.filter(kind=SUPPORT).count(),
        "decisions": Decision.objects.count(),
        **demo_projects.counts(),
    }


def seed_ideas(
    *, rng: random.Random, clock: WorkingClock, stdout: TextIO | None = None
) -> dict[str, int]:
    """Add the demo tags, problems and ideas that are missing, with their history."""
    before = _counts()
    DemoSeeder(rng=rng, clock=clock).seed()
    after = _counts()
    added = {f"{name}_added": after[name] - before[name] for name in after}
    if stdout is not None:
        stdout.write(
            "Demo ideas: "
            + ", ".join(f"{added[f'{name}_added']} {name}" for name in after)
            + " added ("
            + ", ".join(f"{after[name]} {name}" for name in after)
            + " in all)."
        )
    return {**added, **after}


class Command(BaseCommand):
    help = (
        "Load demo organisations, people, problems, ideas and projects (idempotent). Prints the "
        "demo logins."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not list logins.")

    def handle(self, *args, **options):
        rng = random.Random(2026)  # the same demo history every time
        clock = WorkingClock()
        # Seeding posts far faster than any person could: the posting limit is for people. Its
        # notifications are written as it goes, not left to the worker as a backlog.
        with transaction.atomic(), rate_limit_disabled(), notifications.fan_out_inline():
            seed_people(rng=rng, clock=clock, history=PEOPLE_HISTORY, stdout=self.stdout)
            seed_ideas(rng=rng, clock=clock, stdout=self.stdout)
            # The outcome data last: its publications are today's news in the feed.
            seed_commons(stdout=self.stdout)
            # What the sector wrote down, linked to the ideas, projects and indicators above.
            seed_knowledge(stdout=self.stdout)
        if not options["quiet_logins"]:
            print_logins(self.stdout)
