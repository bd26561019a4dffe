"""The demo's knowledge: the articles of ``demo.knowledge_data`` — practice notes, pathways
(one localised by two regions), lessons learned and evidence summaries — written, revised,
verified, localised, linked and given feedback through the knowledge services, as the people
named there would have done, each on its day.

Every step is an event at a time in the past (``days_ago``); the events run oldest first, so
each service sees the world as it was (a verification signs the revision that was newest that
day, a local version starts from the base as it stood), and the rows each event wrote are then
given that event's time (the feed's lines: see ``Events.run``). Idempotent: an article already
there (by the title it was started with) is left as it is.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import timezone

from commons.models import Indicator
from demo import knowledge_data as data
from demo.people import email_for
from demo.people_data import PEOPLE
from ideas.models import Idea, Problem
from knowledge import feedback, links, localising, services
from knowledge import verification as review
from knowledge.models import Article, Feedback, Revision, Verification
from people.models import User
from projects.models import Project
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
        """Run the events oldest first. The rows each wrote take the event's time; the
        activities cannot (the feed is read in id order, and the platform's history is
        written already), so an event from before that history leaves no line in the feed,
        and a later one's line is written after the newest there, in the events' order."""
        existing = Activity.objects.order_by("created").values_list("created", flat=True)
        first, newest = existing.first(), existing.last()
        mark = Activity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for days_ago, seq, action in sorted(self.items, key=lambda e: (-e[0], e[1])):
            at = when(days_ago, seq)
            for row in action():
                _backdate(row, at)
            new = Activity.objects.filter(pk__gt=mark)
            if first is not None and at < first:
                new.delete()  # before the platform's history began
                continue
            rows = list(new.order_by("pk"))
            for row in rows:
                newest = at = max(at, (newest or at) + dt.timedelta(milliseconds=1))
                row.created = at
            Activity.objects.bulk_update(rows, ["created"])
            if rows:
                mark = rows[-1].pk


def _backdate(row: models.Model, at: dt.datetime) -> None:
    """``row`` made at ``at``: its ``created`` (and what is reckoned from it: feedback's due
    date; an article's "updated" follows its newest revision)."""
    if isinstance(row, Verification):
        Verification.objects.filter(pk=row.pk).update(at=at)
        Article.objects.filter(last_verification=row).update(last_verified_at=at)
        return
    made = getattr(row, "created", None)
    if made is None:
        return
    changes: dict[str, Any] = {"created": at}
    if isinstance(row, Feedback):
        changes["due"] = row.due + (at - made)
    type(row).objects.filter(pk=row.pk).update(**changes)
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
        self.events.add(first.days_ago, self._start(seed))
        # A local version starts as a copy of its base; its first revision is then saved as an
        # edit of that copy (so its revisions count one more than the seed's).
        for revision in later if not seed.base else seed.revisions:
            self.events.add(revision.days_ago, self._revise(seed, revision))
        shift = 1 if seed.base else 0
        for verification in seed.verifications:
            self.events.add(verification.days_ago, self._verify(seed, verification, shift))
        # Its owner links it to what it came from, the day it was started.
        self.events.add(first.days_ago, self._link(seed))
        for given in seed.feedback:
            self.events.add(given.days_ago, self._feedback(seed, given))

    def _start(self, seed: data.ArticleSeed) -> Action:
        first = seed.revisions[0]

        def start() -> list[models.Model]:
            if seed.base:
                version = localising.localise(
                    actor=self.person(first.author),
                    base=Article.objects.get(pk=self.articles[seed.base].pk),
                    label=seed.region,
                )
                article = version.local
                made: list[models.Model] = [article, version]
            else:
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
                made = [article]
            if article.owner != self.person(seed.owner):  # written for its owner by a colleague
                Article.objects.filter(pk=article.pk).update(owner=self.person(seed.owner))
                article.owner = self.person(seed.owner)
            self.articles[seed.key] = article
            return [*made, article.current]

        return start

    def _verify(
        self, seed: data.ArticleSeed, verification: data.VerificationSeed, shift: int
    ) -> Action:
        def verify() -> list[models.Model]:
            article = Article.objects.get(pk=self.articles[seed.key].pk)
            made = review.verify(
                actor=self.person(verification.by),
                article=article,
                revision_number=verification.revision + shift,
                comment=verification.comment,
            )
            return [made]

        return verify

    def _link(self, seed: data.ArticleSeed) -> Action:
        def link() -> list[models.Model]:
            article = self.articles[seed.key]
            owner = self.person(seed.owner)
            targets: list[links.Target] = []
            for title in seed.ideas:
                found = Idea.objects.filter(title=title).first()
                while found is not None and found.merged_into_id:  # the idea it became
                    found = found.merged_into
                targets.append(found or Problem.objects.get(title=title))
            targets += [Project.objects.get(title=title) for title in seed.projects]
            targets += [
                Indicator.objects.get(dataset__slug=slug, code=code)
                for slug, code in seed.indicators
            ]
            return [links.link(actor=owner, article=article, target=t) for t in targets]

        return link

    def _feedback(self, seed: data.ArticleSeed, given: data.FeedbackSeed) -> Action:
        def give() -> list[models.Model]:
            article = Article.objects.get(pk=self.articles[seed.key].pk)
            made = feedback.feedback_post(
                actor=self.person(given.by), article=article, text=given.text
            )
            if given.response:
                feedback.feedback_respond(
                    actor=self.person(seed.owner),
                    feedback=made,
                    response=given.response,
                    resolve=given.resolved,
                )
                answered = when(max(given.days_ago - 1, 0))
                Feedback.objects.filter(pk=made.pk).update(responded_at=answered)
            return [made]

        return give

    def _revise(self, seed: data.ArticleSeed, revision: data.RevisionSeed) -> Action:
        def revise() -> list[models.Model]:
            article = Article.objects.get(pk=self.articles[seed.key].pk)
            current = article.current
            assert current is not None
            made = services.revision_save(
                actor=self.person(revision.author),
                article=article,
                base_number=current.number,
                title=revision.title or (seed.title if seed.base else current.title),
                summary=seed.summary if seed.base else current.summary,
                body=revision.body,
                edit_summary=revision.edit_summary,
            )
            return [made]

        return revise


def seed_knowledge(*, stdout: TextIO | None = None) -> dict[str, Any]:
    """Write the demo articles that are missing. Returns how many there are and how many this
    run added."""
    before = Article.objects.count()
    # An article is known by a title it has had (a local version's first is made from its base).
    started = set(Revision.objects.values_list("title", flat=True))
    people = {
        name: User.objects.select_related("profile").get(email=email_for(name))
        for name, *_ in PEOPLE
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
