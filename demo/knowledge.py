"""The demo's knowledge: the articles of ``demo.knowledge_data`` — practice notes, pathways
(one localised by two regions), lessons learned and evidence summaries — written, revised,
verified, localised, linked and given feedback through the knowledge services, as the people
named there would have done, each on its day.

Every step is an event at a time in the past (``days_ago``); the events run oldest first, so
each service sees the world as it was (a verification signs the revision that was newest that
day, a local version starts from the base as it stood), and the rows and the activities each
event wrote are then given that event's time. Idempotent: an article already there (by the
title it was started with) is left as it is.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone

from demo import knowledge_data as data
from demo.people import email_for
from knowledge import services
from knowledge.models import Article, Revision
from people.models import User
from realtime.models import Activity

NZ = ZoneInfo("Pacific/Auckland")


def when(days_ago: float, seq: int = 0) -> dt.datetime:
    """A working-hours time ``days_ago`` calendar days back, New Zealand time (a weekend day
    moves to the Friday before); ``seq`` spreads one day's events over the morning."""
    day = timezone.localdate(timezone.now(), NZ) - dt.timedelta(days=int(days_ago))
    while day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    at = dt.datetime.combine(day, dt.time(9, 0), NZ) + dt.timedelta(minutes=17 * (seq % 20))
    return min(at, timezone.now() - dt.timedelta(minutes=30))


Action = Callable[[], Iterable[models.Model]]


@dataclass
class Events:
    """Actions at times in the past, run oldest first; what each wrote is then backdated."""

    items: list[tuple[float, int, Action]] = field(default_factory=list)

    def add(self, days_ago: float, action: Action) -> None:
        self.items.append((days_ago, len(self.items), action))

    def run(self) -> None:
        mark = Activity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for days_ago, seq, action in sorted(self.items, key=lambda e: (-e[0], e[1])):
            at = when(days_ago, seq)
            for row in action():
                _backdate(row, at)
            new = list(Activity.objects.filter(pk__gt=mark).order_by("pk"))
            for n, activity in enumerate(new):
                activity.created = at + dt.timedelta(milliseconds=n)
            Activity.objects.bulk_update(new, ["created"])
            if new:
                mark = new[-1].pk


TIME_FIELDS = ("created", "updated", "at")


def _backdate(row: models.Model, at: dt.datetime) -> None:
    names = [f.name for f in row._meta.concrete_fields if f.name in TIME_FIELDS]
    if isinstance(row, Article):
        names = ["created"]  # its "updated" follows its newest revision (below)
    if names:
        type(row).objects.filter(pk=row.pk).update(**dict.fromkeys(names, at))
    if isinstance(row, Revision):
        Article.objects.filter(pk=row.article_id).update(updated=at)


@dataclass
class KnowledgeSeeder:
    people: dict[str, User]
    articles: dict[str, Article] = field(default_factory=dict)
    events: Events = field(default_factory=Events)

    def person(self, name: str) -> User:
        return self.people[name]

    def plan(self, seed: data.ArticleSeed) -> None:
        first, *later = seed.revisions

        def start() -> list[models.Model]:
            article = services.article_create(
                actor=self.person(first.author),
                kind=seed.kind,
                title=seed.title,
                summary=seed.summary,
                body=first.body,
                edit_summary=first.edit_summary,
                tags=seed.tags,
                review_interval_days=seed.review_interval_days,
            )
            if article.owner != self.person(seed.owner):  # written for its owner by a colleague
                Article.objects.filter(pk=article.pk).update(owner=self.person(seed.owner))
                article.owner = self.person(seed.owner)
            self.articles[seed.key] = article
            return [article, article.current]

        self.events.add(first.days_ago, start)
        for revision in later:
            self.events.add(revision.days_ago, self._revise(seed, revision))

    def _revise(self, seed: data.ArticleSeed, revision: data.RevisionSeed) -> Action:
        def revise() -> list[models.Model]:
            article = Article.objects.get(pk=self.articles[seed.key].pk)
            current = article.current
            assert current is not None
            made = services.revision_save(
                actor=self.person(revision.author),
                article=article,
                base_number=current.number,
                title=revision.title or current.title,
                summary=current.summary,
                body=revision.body,
                edit_summary=revision.edit_summary,
            )
            return [made]

        return revise


def seed_knowledge(*, stdout: TextIO | None = None) -> dict[str, Any]:
    """Write the demo articles that are missing. Returns how many there are and how many this
    run added."""
    before = Article.objects.count()
    started = set(
        Revision.objects.filter(number=1).values_list("title", flat=True)
    )  # an article is known by the title it was started with
    names = {
        name for seed in data.ARTICLES for name in (seed.owner, *(r.author for r in seed.revisions))
    }
    people = {
        name: User.objects.select_related("profile").get(email=email_for(name)) for name in names
    }
    seeder = KnowledgeSeeder(people=people)
    for seed in data.ARTICLES:
        if seed.title not in started:
            seeder.plan(seed)
    seeder.events.run()
    after = Article.objects.count()
    if stdout is not None and after != before:
        stdout.write(f"Knowledge: {after - before} articles written ({after} in all).\n")
    return {"articles": after, "added": after - before}
