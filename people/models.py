from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse


class User(AbstractUser):
    """Accounts sign in with their e-mail address; the username is generated and never shown."""

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_ci",
                condition=~models.Q(email=""),
            )
        ]


class Organisation(models.Model):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", "Government agency"
        HEALTH = "health", "Health provider"
        NGO = "ngo", "NGO"
        IWI = "iwi", "Iwi / Māori provider"
        SCHOOL = "school", "School"
        COUNCIL = "council", "Local council"
        COMMUNITY = "community", "Community group"

    class Region(models.TextChoices):
        NORTHLAND = "northland", "Northland / Te Tai Tokerau"
        AUCKLAND = "auckland", "Auckland / Tāmaki Makaurau"
        WAIKATO = "waikato", "Waikato"
        BAY_OF_PLENTY = "bay-of-plenty", "Bay of Plenty / Te Moana-a-Toi"
        GISBORNE = "gisborne", "Gisborne / Te Tairāwhiti"
        HAWKES_BAY = "hawkes-bay", "Hawke's Bay / Te Matau-a-Māui"
        TARANAKI = "taranaki", "Taranaki"
        MANAWATU = "manawatu-whanganui", "Manawatū-Whanganui"
        WELLINGTON = "wellington", "Wellington / Te Whanganui-a-Tara"
        TASMAN = "tasman", "Tasman / Te Tai o Aorere"
        NELSON = "nelson", "Nelson / Whakatū"
        MARLBOROUGH = "marlborough", "Marlborough / Te Tauihu"
        WEST_COAST = "west-coast", "West Coast / Te Tai Poutini"
        CANTERBURY = "canterbury", "Canterbury / Waitaha"
        OTAGO = "otago", "Otago / Ōtākou"
        SOUTHLAND = "southland", "Southland / Murihiku"
        NATIONAL = "national", "National"

    name = models.CharField(max_length=150, unique=True)
    short_name = models.CharField(max_length=40, blank=True)
    slug = models.SlugField(max_length=160, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    region = models.CharField(max_length=30, choices=Region.choices)
    website = models.URLField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation_detail", kwargs={"slug": self.slug})

    @property
    def label(self) -> str:
        return self.short_name or self.name


class Profile(models.Model):
    class Level(models.TextChoices):
        FRONTLINE = "frontline", "Frontline"
        TEAM_LEADER = "team_leader", "Team leader"
        MANAGER = "manager", "Manager"
        SENIOR_LEADER = "senior_leader", "Senior leader"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(max_length=80)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="members", null=True, blank=True
    )
    role_title = models.CharField(max_length=80)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.FRONTLINE)
    bio = models.TextField(max_length=600, blank=True)
    # A role an organisation gives some of its people: stewards may decide on ideas, merge
    # duplicates and hide content (always publicly, with a reason).
    is_steward = models.BooleanField(
        default=False, help_text="Stewards decide on ideas, merge duplicates and moderate."
    )
    auto_follow = models.BooleanField(
        default=True,
        help_text="Follow ideas and problems you post, support or comment on.",
    )
    # When they last posted, commented or supported: "people active" on the dashboard.
    last_active = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["display_name"]
        indexes = [
            models.Index(Lower("display_name"), name="profile_name_ci"),
            models.Index(fields=["last_active"], include=["organisation"], name="profile_active"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("profile_detail", kwargs={"pk": self.user_id})


class ApiToken(models.Model):
    """A personal access token for scripts. Only its SHA-256 hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise it.")
    token_hash = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyKey(models.Model):
    """An API request made with an ``Idempotency-Key`` header and the response it got, replayed
    when the same person repeats it within a day (``core/idempotency.py``; kept here, beside the
    tokens, because core has no models)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of method, path and body.")
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created = models.DateTimeField()

    class Meta:
        constraints = [
            # Two requests with one key at once: the second waits for the first, then replays it.
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
