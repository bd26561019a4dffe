"""Load the demo organisations and people through the services. Safe to run again.

A plain function, so the ``seed_demo`` command (in ``ideas``, which may import ``people`` but not
the other way round) can seed people first and then the apps built on them, in one transaction.
"""

import bisect
import random
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from demo import people_data as demo
from people import services
from people.models import Organisation, Profile, User
from realtime.models import Activity

NZ = ZoneInfo("Pacific/Auckland")


def email_for(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    parts = [p for p in plain.lower().replace("'", "").replace("-", " ").split() if p != "dr"]
    return f"{parts[0]}.{parts[-1]}@{demo.DEMO_EMAIL_DOMAIN}"


class WorkingClock:
    """Turns "working days ago" into a time people in Aotearoa are at work.

    Weekdays 7:30–18:30 New Zealand time and Saturday mornings count; nights and Sundays do not.
    Monotonic: more working days ago is always earlier, so demo history seeded in order keeps
    its order (and Activity ids stay chronological) after backdating.
    """

    WEEKDAY, SATURDAY = (7.5, 18.5), (9.0, 12.0)
    HOURS = {0: WEEKDAY, 1: WEEKDAY, 2: WEEKDAY, 3: WEEKDAY, 4: WEEKDAY, 5: SATURDAY}
    DAY = timedelta(hours=11)  # one working day

    def __init__(self, now: datetime | None = None, days: int = 200) -> None:
        self.now = now or timezone.now()
        local_now = self.now.astimezone(NZ)
        self.windows: list[tuple[datetime, datetime]] = []  # newest first
        self.before: list[float] = []  # working seconds in the newer windows
        total, day = 0.0, local_now.date()
        for _ in range(days):
            hours = self.HOURS.get(day.weekday())
            if hours:
                midnight = datetime(day.year, day.month, day.day, tzinfo=NZ)
                start = midnight + timedelta(hours=hours[0])
                end = min(midnight + timedelta(hours=hours[1]), local_now)
                if start < end:
                    self.windows.append((start, end))
                    self.before.append(total)
                    total += (end - start).total_seconds()
            day -= timedelta(days=1)
        self.total = total

    def at(self, working_days_ago: float) -> datetime:
        seconds = max(working_days_ago, 0.0) * self.DAY.total_seconds()
        if seconds >= self.total:  # older than the calendar covers: count straight back
            return (self.windows[-1][0] - timedelta(seconds=seconds - self.total)).astimezone(UTC)
        i = bisect.bisect_right(self.before, seconds) - 1
        return (self.windows[i][1] - timedelta(seconds=seconds - self.before[i])).astimezone(UTC)


def seed_people(
    *,
    rng: random.Random | None = None,
    clock: WorkingClock | None = None,
    history: tuple[float, float] = (15.0, 0.1),
    stdout: TextIO | None = None,
) -> dict[str, int]:
    """Add the demo organisations, people and stewards that are missing.

    New activity is backdated across ``history`` (working days ago, oldest first) on ``clock``.
    Returns what was added and the totals; writes a one-line summary to ``stdout`` if given.
    """
    rng = rng or random.Random(2026)
    clock = clock or WorkingClock()
    password_hash = make_password(demo.DEMO_PASSWORD)  # hashed once for everyone
    orgs_before, people_before = Organisation.objects.count(), Profile.objects.count()
    last_activity = Activity.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def organisation(row, *, actor) -> Organisation:
        name, short, kind, region, website = row
        existing = Organisation.objects.filter(name=name).first()
        if existing:
            return existing
        return services.organisation_create(
            actor=actor, name=name, short_name=short, kind=kind, region=region, website=website
        )

    def person(row, orgs) -> Profile | None:
        name, org_short, role, level = row
        if User.objects.filter(email__iexact=email_for(name)).exists():
            return None
        return services.person_register(
            email=email_for(name),
            password_hash=password_hash,
            display_name=name,
            organisation=orgs[org_short],
            role_title=role,
            level=level,
            bio=demo.BIOS.get(name, ""),
        )

    # The first person to join adds the other organisations, so the feed shows who added what.
    first_org = organisation(demo.ORGANISATIONS[0], actor=None)
    founder = person(demo.PEOPLE[0], {first_org.short_name: first_org})
    for row in demo.ORGANISATIONS[1:]:
        organisation(row, actor=founder.user if founder else None)
    orgs = {o.short_name: o for o in Organisation.objects.all()}
    joined = [p for p in (person(row, orgs) for row in demo.PEOPLE[1:]) if p]

    # A few people have since filled in their profiles.
    for profile in rng.sample(joined, k=min(6, len(joined))):
        if not profile.bio:
            services.profile_update(
                actor=profile.user,
                profile=profile,
                bio=f"{profile.role_title} at {profile.organisation}. "
                "Keen to hear from anyone working on the same problems.",
            )

    # Demo setup, not a user action: there is no steward-granting service (nor activity) yet.
    stewards = Profile.objects.filter(
        user__email__in=[email_for(name) for name in demo.STEWARDS], is_steward=False
    ).update(is_steward=True)

    added = {
        "organisations_added": Organisation.objects.count() - orgs_before,
        "people_added": Profile.objects.count() - people_before,
        "stewards_added": stewards,
    }
    if added["organisations_added"] or added["people_added"]:
        _backdate(rng, clock.at, history, after_id=last_activity, first_org=first_org)
    totals = {
        "organisations": Organisation.objects.count(),
        "people": Profile.objects.count(),
        "stewards": Profile.objects.filter(is_steward=True).count(),
    }
    if stdout is not None:
        stdout.write(
            f"Demo data: {added['organisations_added']} organisations and "
            f"{added['people_added']} people added ({totals['organisations']} organisations, "
            f"{totals['people']} people, {totals['stewards']} stewards in all)."
        )
    return {**added, **totals}


def _backdate(
    rng: random.Random,
    at: Callable[[float], datetime],
    history: tuple[float, float],
    *,
    after_id: int,
    first_org: Organisation,
) -> None:
    """The new activity reads as if it happened across ``history``, oldest first, in id order;
    who joined and which organisation was added when follow their activity."""
    activities = list(Activity.objects.filter(id__gt=after_id).order_by("id"))
    oldest, newest = history
    step = (oldest - newest) / max(len(activities), 1)
    joined: dict[int, datetime] = {}
    added: dict[int, datetime] = {}
    for n, activity in enumerate(activities):
        # Jitter within the step, so times still increase with the id.
        activity.created = at(oldest - step * (n + rng.uniform(0.0, 0.8)))
        if activity.verb == "person.joined" and activity.actor_id:
            joined.setdefault(activity.actor_id, activity.created)
        elif activity.verb == "organisation.added":
            added.setdefault(int(activity.target_id), activity.created)
    Activity.objects.bulk_update(activities, ["created"], batch_size=500)
    if first_org.pk not in added and activities:
        added[first_org.pk] = activities[0].created - timedelta(minutes=5)
    profiles = list(Profile.objects.filter(user_id__in=joined))
    for profile in profiles:
        profile.created = joined[profile.user_id]
    Profile.objects.bulk_update(profiles, ["created"], batch_size=500)
    organisations = list(Organisation.objects.filter(pk__in=added))
    for org in organisations:
        org.created = added[org.pk]
    Organisation.objects.bulk_update(organisations, ["created"], batch_size=500)


def print_logins(stdout: TextIO) -> None:
    stdout.write(f"\nDemo logins (the password for every one: {demo.DEMO_PASSWORD}):")
    for name, org_short, role, _level in demo.PEOPLE[:6]:
        stdout.write(f"  {email_for(name):42} {name} — {role}, {org_short}")
    stdout.write(f"  … and {len(demo.PEOPLE) - 6} more: any address in People works.")
    rows = {row[0]: row for row in demo.PEOPLE}
    stdout.write("Stewards (they decide on ideas and merge duplicates):")
    for name in demo.STEWARDS:
        stdout.write(f"  {email_for(name):42} {name} — {rows[name][2]}, {rows[name][1]}")
