"""Load the demo organisations and people, and their activity history. Safe to run again."""

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from people import demo, services
from people.models import Organisation, Profile, User
from realtime.models import Activity


class Command(BaseCommand):
    help = "Load demo organisations and people (idempotent). Prints the demo logins."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--quiet-logins", action="store_true", help="Do not list logins.")

    @transaction.atomic
    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        rng = random.Random(2026)  # the same demo history every time
        created_orgs, created_people = self._organisations(), 0
        password_hash = make_password(demo.DEMO_PASSWORD)
        orgs = {o.short_name: o for o in Organisation.objects.all()}
        new_profiles: list[Profile] = []
        for name, org_short, role, level in demo.PEOPLE:
            email = self.email_for(name)
            if User.objects.filter(email__iexact=email).exists():
                continue
            profile = services.person_register(
                email=email,
                password_hash=password_hash,
                display_name=name,
                organisation=orgs[org_short],
                role_title=role,
                level=level,
                bio=demo.BIOS.get(name, ""),
            )
            new_profiles.append(profile)
            created_people += 1
        # A few people have since filled in their profiles.
        for profile in rng.sample(new_profiles, k=min(6, len(new_profiles))):
            if not profile.bio:
                services.profile_update(
                    actor=profile.user,
                    profile=profile,
                    bio=f"{profile.role_title} at {profile.organisation}. "
                    "Keen to hear from anyone working on the same problems.",
                )
        if created_people:
            self._spread_history(rng)
        self.stdout.write(
            f"Demo data: {created_orgs} organisations and {created_people} people added "
            f"({Organisation.objects.count()} organisations, {Profile.objects.count()} people in all)."
        )
        if not options["quiet_logins"]:
            self.print_logins()

    @staticmethod
    def email_for(name: str) -> str:
        import unicodedata

        plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        parts = [p for p in plain.lower().replace("'", "").replace("-", " ").split() if p != "dr"]
        return f"{parts[0]}.{parts[-1]}@{demo.DEMO_EMAIL_DOMAIN}"

    def _organisations(self) -> int:
        created = 0
        founder = None
        for name, short, kind, region, website in demo.ORGANISATIONS:
            if Organisation.objects.filter(name=name).exists():
                continue
            services.organisation_create(
                actor=founder, name=name, short_name=short, kind=kind, region=region, website=website
            )
            created += 1
            if founder is None:
                # The first person to join adds the rest, so the feed shows who added what.
                first = demo.PEOPLE[0]
                org = Organisation.objects.get(short_name=first[1])
                if org.name == name and not User.objects.filter(
                    email__iexact=self.email_for(first[0])
                ).exists():
                    founder = services.person_register(
                        email=self.email_for(first[0]),
                        password_hash=make_password(demo.DEMO_PASSWORD),
                        display_name=first[0],
                        organisation=org,
                        role_title=first[2],
                        level=first[3],
                        bio=demo.BIOS.get(first[0], ""),
                    ).user
        return created

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
        self.stdout.write("\nDemo logins (password for all: %s):" % demo.DEMO_PASSWORD)
        for name, org_short, role, level in demo.PEOPLE[:6]:
            self.stdout.write(f"  {self.email_for(name):45} {name} — {role}, {org_short}")
        self.stdout.write(f"  … and {len(demo.PEOPLE) - 6} more in the People directory.")
