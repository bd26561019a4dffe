"""Load the demo organisations and people, and their activity history. Safe to run again."""

import random
import unicodedata
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from people import demo, services
from people.models import Organisation, Profile, User
from realtime.models import Activity


def email_for(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    parts = [p for p in plain.lower().replace("'", "").replace("-", " ").split() if p != "dr"]
    return f"{parts[0]}.{parts[-1]}@{demo.DEMO_EMAIL_DOMAIN}"


class Command(BaseCommand):
    help = "Load demo organisations and people (idempotent). Prints the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not list logins.")

    @transaction.atomic
    def handle(self, *args, **options):
        rng = random.Random(2026)  # the same demo history every time
        self.password_hash = make_password(demo.DEMO_PASSWORD)  # hashed once for everyone
        orgs_before, people_before = Organisation.objects.count(), Profile.objects.count()

        # The first person to join adds the other organisations, so the feed shows who added what.
        first_org = self._organisation(demo.ORGANISATIONS[0], actor=None)
        founder = self._person(demo.PEOPLE[0], {first_org.short_name: first_org})
        for row in demo.ORGANISATIONS[1:]:
            self._organisation(row, actor=founder.user if founder else None)
        orgs = {o.short_name: o for o in Organisation.objects.all()}
        joined = [p for p in (self._person(row, orgs) for row in demo.PEOPLE[1:]) if p]

        # A few people have since filled in their profiles.
        for profile in rng.sample(joined, k=min(6, len(joined))):
            if not profile.bio:
                services.profile_update(
                    actor=profile.user,
                    profile=profile,
                    bio=f"{profile.role_title} at {profile.organisation}. "
                    "Keen to hear from anyone working on the same problems.",
                )
        added_people = Profile.objects.count() - people_before
        if added_people:
            self._spread_history(rng)
        self.stdout.write(
            f"Demo data: {Organisation.objects.count() - orgs_before} organisations and "
            f"{added_people} people added ({Organisation.objects.count()} organisations, "
            f"{Profile.objects.count()} people in all)."
        )
        if not options["quiet_logins"]:
            self.print_logins()

    def _organisation(self, row, *, actor) -> Organisation:
        name, short, kind, region, website = row
        existing = Organisation.objects.filter(name=name).first()
        if existing:
            return existing
        return services.organisation_create(
            actor=actor, name=name, short_name=short, kind=kind, region=region, website=website
        )

    def _person(self, row, orgs) -> Profile | None:
        name, org_short, role, level = row
        if User.objects.filter(email__iexact=email_for(name)).exists():
            return None
        return services.person_register(
            email=email_for(name),
            password_hash=self.password_hash,
            display_name=name,
            organisation=orgs[org_short],
            role_title=role,
            level=level,
            bio=demo.BIOS.get(name, ""),
        )

    @staticmethod
    def _spread_history(rng: random.Random) -> None:
        """Demo history reads as if it happened over the last three weeks, oldest first."""
        now = timezone.now()
        ids = list(Activity.objects.order_by("id").values_list("id", flat=True))
        start = now - timedelta(days=21)
        step = (now - timedelta(minutes=5) - start) / max(len(ids), 1)
        for n, activity_id in enumerate(ids):
            jitter = timedelta(minutes=rng.randint(0, 30))
            Activity.objects.filter(id=activity_id).update(created=start + step * n + jitter)

    def print_logins(self) -> None:
        self.stdout.write(f"\nDemo logins (the password for every one: {demo.DEMO_PASSWORD}):")
        for name, org_short, role, _level in demo.PEOPLE[:6]:
            self.stdout.write(f"  {email_for(name):42} {name} — {role}, {org_short}")
        self.stdout.write(f"  … and {len(demo.PEOPLE) - 6} more: any address in People works.")
