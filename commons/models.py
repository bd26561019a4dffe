"""The commons outcome data, in the SDMX manner: a **dataset** (who keeps it, where it came from,
under which licence, how its source was confidentialised) has a **structure** — dimensions with
their code lists and indicators (its measures) — and **versions**, one per import, each holding
its **observations**: one stored value per indicator × area × cohort (``Series``) × period.

Stored values are what the publisher gave us (raw or already rounded); they never leave the
server to a person without restricted access. What may be shown is written beside them when a
version is published (``shown_value`` and ``status``), by the one confidentialisation door.

Nothing a person wrote or imported is lost by a delete: a dataset's steward organisation and a
version's importer are protected, a dataset with versions cannot be deleted, and a code,
indicator or cohort that observations use cannot be removed from under them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from people.models import Organisation

USER = settings.AUTH_USER_MODEL

# Wide enough for a rate with its decimals and a national count in the millions.
VALUE = {"max_digits": 20, "decimal_places": 6, "null": True, "blank": True}


class Dataset(models.Model):
    class Method(models.TextChoices):
        RAW = "raw", "Exact counts (we confidentialise them)"
        RR3 = "rr3", "Already randomly rounded to base 3 (not rounded again)"

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    steward = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="datasets",
        null=True,
        blank=True,
        help_text="The kaitiaki organisation that looks after the dataset and approves its use.",
    )
    # Provenance: where it came from, how and why it was collected, and by whom.
    source_name = models.CharField("source", max_length=500, blank=True)
    source_url = models.URLField("source address", max_length=500, blank=True)
    collection = models.TextField("how and why it was collected", max_length=5000, blank=True)
    parties = models.CharField(
        max_length=500, blank=True, help_text="Who collected it and who holds it."
    )
    retrieved_on = models.DateField(null=True, blank=True)
    licence_name = models.CharField("licence", max_length=120, blank=True)
    licence_url = models.URLField("licence address", max_length=500, blank=True)
    attribution = models.TextField(max_length=2000, blank=True)
    method = models.CharField(
        "confidentiality method of the source", max_length=10, choices=Method.choices, blank=True
    )
    suppression_tokens = models.JSONField(
        default=list,
        blank=True,
        help_text='What the publisher writes for a value it suppressed, e.g. ["<5"] or ["s"].',
    )
    maori_data = models.BooleanField(
        "Māori data",
        default=False,
        help_text="Disaggregated by Māori ethnicity or iwi: restricted use needs the kaitiaki "
        "group's approval too.",
    )
    kaitiaki_group = models.CharField(max_length=200, blank=True)
    # The column mapping new versions are imported with (importing.Mapping as a dict); each
    # version keeps a copy of the one it was imported with.
    mapping = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(maori_data=False) | ~Q(kaitiaki_group=""),
                name="dataset_maori_data_has_kaitiaki",
                violation_error_message="Name the kaitiaki group that approves use of Māori data.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def missing_for_publication(self) -> list[str]:
        """What must be filled before any version may be published (DESIGN.md section 8,
        rule 5), in words a steward can act on; empty when nothing is missing."""
        missing = []
        # The retrieval date is recorded when known; a re-published file may not tell it.
        if not (self.source_name and self.collection and self.parties):
            missing.append("provenance (source, how and why it was collected, parties)")
        if not (self.licence_name and self.attribution):
            missing.append("licence and attribution")
        if self.steward_id is None:
            missing.append("steward organisation")
        if not self.method:
            missing.append("confidentiality method")
        if self.maori_data and not self.kaitiaki_group:
            missing.append("kaitiaki group")
        return missing


class Dimension(models.Model):
    class Role(models.TextChoices):
        AREA = "area", "Area"
        PERIOD = "period", "Period"
        ETHNICITY = "ethnicity", "Ethnicity"
        AGE = "age", "Age"
        SEX = "sex", "Sex"
        OTHER = "other", "Other"

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="dimensions")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=20, choices=Role.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dataset", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "code"], name="dimension_code_once"),
            # An observation has exactly one area and one period: one such dimension each.
            models.UniqueConstraint(
                fields=["dataset", "role"],
                condition=Q(role__in=["area", "period"]),
                name="dimension_one_area_one_period",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Code(models.Model):
    """One value of a dimension, as the publisher wrote it (``code``) and as we show it."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=255)
    label = models.CharField(max_length=255)
    # Periods are kept in time order (renumbered after each import); others in the order met.
    position = models.PositiveIntegerField(default=0)
    # The publisher's "Total" / "All" / "Various": a margin, not a category of its own.
    is_total = models.BooleanField(default=False)
    # A period's first day (a week's end date, 1 January, or 1 July of a financial year).
    starts_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["dimension", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="code_once"),
        ]

    def __str__(self) -> str:
        return self.label


class Indicator(models.Model):
    class Kind(models.TextChoices):
        COUNT = "count", "Count"
        SUM = "sum", "Sum"
        MEAN = "mean", "Mean"
        RATE = "rate", "Rate or proportion"

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(max_length=255)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    unit = models.CharField(max_length=60, help_text='e.g. "people", "per 1,000", "%".')
    description = models.TextField(max_length=2000, blank=True)
    # The count under a sum, mean or rate (same area, cohort and period): the rules suppress a
    # rate whose count is under 20.
    base = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="derived"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["dataset", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "code"], name="indicator_code_once"),
            models.CheckConstraint(
                condition=~Q(kind="count") | Q(base__isnull=True),
                name="indicator_count_has_no_base",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Series(models.Model):
    """A cohort: one combination of the dataset's dimensions other than area and period, stored
    once per dataset. ``key`` is stable across versions ("ethnicity=Maori|age=12-17")."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="series")
    key = models.CharField(max_length=1000)
    label = models.CharField(max_length=1000)
    codes = models.ManyToManyField(Code, related_name="series", blank=True)

    class Meta:
        ordering = ["dataset", "label", "id"]
        verbose_name_plural = "series"
        constraints = [
            models.UniqueConstraint(fields=["dataset", "key"], name="series_key_once"),
        ]

    def __str__(self) -> str:
        return self.label


class Version(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        REFUSED = "refused", "Refused by the checker"

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    imported_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField()
    source_file = models.CharField("source file name", max_length=255)
    mapping = models.JSONField(default=dict)
    row_count = models.PositiveIntegerField(default=0)
    cell_count = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    # What the checker found (on publication or refusal): the steward sees why.
    findings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["dataset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="version_number_once"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="version_published_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} v{self.number}"


class Observation(models.Model):
    """One cell. ``value`` is the stored (raw or publisher-rounded) value; ``shown_value`` and
    ``status`` are the published output, filled at publication and null before."""

    class Status(models.TextChoices):
        FREE = "free", "Shown as published"
        ROUNDED = "rounded", "Randomly rounded to base 3"
        SUPPRESSED_PRIMARY = "suppressed-primary", "Suppressed: too few people"
        SUPPRESSED_SECONDARY = "suppressed-secondary", "Suppressed: would reveal another cell"
        SUPPRESSED_PUBLISHER = "suppressed-publisher", "Suppressed by the publisher"
        NOT_PUBLISHED = "not-published", "Not published"

    # The unique constraint's index (version, indicator, area, series, period) serves every
    # read of a version; the foreign keys get no index of their own, which keeps a large
    # import from maintaining five more indexes nobody reads.
    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="observations", db_index=False
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    area = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="+", db_index=False)
    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="+", db_index=False)
    period = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="+", db_index=False)
    value = models.DecimalField(**VALUE)
    lower = models.DecimalField(**VALUE)
    upper = models.DecimalField(**VALUE)
    publisher_suppressed = models.BooleanField(default=False)
    not_applicable = models.BooleanField(default=False)
    flags = models.CharField(max_length=20, blank=True)
    shown_value = models.DecimalField(**VALUE)
    status = models.CharField(max_length=24, choices=Status.choices, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "indicator", "area", "series", "period"],
                name="observation_cell_once",
            ),
            # A suppressed or not-applicable cell has no value: it is never guessed.
            models.CheckConstraint(
                condition=Q(publisher_suppressed=False, not_applicable=False)
                | Q(value__isnull=True),
                name="observation_no_value_when_missing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}/{self.area_id}/{self.series_id}/{self.period_id}"


# --- what uses the data: projects' measures, and evidence cited on problems and ideas --------


class MeasureSource(models.Model):
    """A project's outcome measure that takes its baseline and current values from an indicator
    (one area and cohort, a baseline period and a current period), as published."""

    measure = models.OneToOneField(
        "projects.Measure", on_delete=models.CASCADE, related_name="commons_source"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="measures")
    area = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="+")
    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="+")
    baseline_period = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="+")
    current_period = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="+")
    version_number = models.PositiveIntegerField()
    linked_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.measure_id} ← {self.indicator_id}"


class Citation(models.Model):
    """An indicator cited as evidence on a problem or an idea, by someone, with why."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="citations")
    area = models.ForeignKey(Code, on_delete=models.PROTECT, related_name="+")
    problem = models.ForeignKey(
        "ideas.Problem", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    idea = models.ForeignKey(
        "ideas.Idea", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500)
    cited_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(problem__isnull=True, idea__isnull=False)
                | Q(problem__isnull=False, idea__isnull=True),
                name="citation_one_target",
            ),
            models.UniqueConstraint(
                fields=["indicator", "area", "problem"],
                condition=Q(problem__isnull=False),
                name="citation_once_per_problem",
            ),
            models.UniqueConstraint(
                fields=["indicator", "area", "idea"],
                condition=Q(idea__isnull=False),
                name="citation_once_per_idea",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} cited"


# --- governance: who decides, the rules of use, restricted access, the audit log -------------


class GoverningMember(models.Model):
    """An organisation on a dataset's governing group besides its steward organisation (which
    always belongs): the kaitiaki organisation of a Māori dataset, whose stewards approve
    restricted use, or a member organisation that takes part in deciding the rules.

    Approvers are the organisation's own stewards (``permissions.is_steward_of``), so each
    organisation decides who speaks for it — the dataset's steward cannot name individuals."""

    class Role(models.TextChoices):
        KAITIAKI = "kaitiaki", "Kaitiaki group (approves restricted use of Māori data)"
        MEMBER = "member", "Member organisation"

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="governing")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices)
    added_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dataset", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "organisation"], name="governing_member_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} on {self.dataset_id} ({self.role})"


class RulesVersion(models.Model):
    """A dataset's rules of use as decided, publicly and with a reason, by its governing group.
    A new decision is a new version; an earlier one is never changed (an access keeps the
    version it was asked and approved under)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="rules")
    number = models.PositiveIntegerField()
    who_may_ask = models.TextField(max_length=3000)
    purposes = models.TextField("for which purposes", max_length=3000)
    never = models.TextField("what may never be done", max_length=3000)
    max_days = models.PositiveIntegerField("longest access, in days")
    reason = models.TextField(max_length=3000)
    agreed_by = models.TextField(
        "who agreed",
        max_length=2000,
        help_text="The organisations of the governing group that agreed and who spoke for each, "
        "written from the proposal's answers when it was adopted.",
    )
    proposal = models.OneToOneField(
        "RulesProposal",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adopted",
        help_text="The proposal the governing group adopted (none for version 1).",
    )
    decided_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["dataset", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "number"], name="rules_number_once"),
            models.CheckConstraint(
                condition=Q(max_days__gte=1), name="rules_access_lasts_a_day_or_more"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} rules v{self.number}"


class RulesProposal(models.Model):
    """New rules of use put to a dataset's governing group. A steward of any organisation on
    the group proposes (and so that organisation agrees); it is adopted — a new
    ``RulesVersion`` — when every organisation on the group has agreed, and declined by any
    one organisation's "no", the kaitiaki group's included. One proposal is open at a time."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the governing group"
        ADOPTED = "adopted", "Adopted"
        DECLINED = "declined", "Declined"

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="rules_proposals")
    based_on = models.ForeignKey(
        RulesVersion,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The rules in force when it was proposed (what it would change).",
    )
    who_may_ask = models.TextField(max_length=3000)
    purposes = models.TextField("for which purposes", max_length=3000)
    never = models.TextField("what may never be done", max_length=3000)
    max_days = models.PositiveIntegerField("longest access, in days")
    reason = models.TextField(max_length=3000)
    proposed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["dataset", "-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset"],
                condition=Q(status="open"),
                name="rules_one_open_proposal",
            ),
            models.CheckConstraint(
                condition=Q(max_days__gte=1), name="rules_proposal_a_day_or_more"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset} rules proposal {self.pk} ({self.status})"


class RulesAgreement(models.Model):
    """One organisation's answer to a rules proposal, given by one of its own stewards."""

    proposal = models.ForeignKey(RulesProposal, on_delete=models.PROTECT, related_name="answers")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    agreed = models.BooleanField()
    note = models.TextField(max_length=3000, blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["proposal", "at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"], name="rules_one_answer_per_organisation"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.organisation_id} {'agreed' if self.agreed else 'declined'} {self.proposal_id}"
        )


class AccessRequest(models.Model):
    """A project lead's request for a dataset's stored (unrounded) values, with a purpose
    statement in the Data Protection and Use Policy manner, under the rules then in force."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"

    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="access_requests")
    versions = models.ManyToManyField(Version, related_name="access_requests")
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="data_access_requests"
    )
    requester = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    # Their organisation when they asked: the register says who asked on whose behalf.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="data_access_requests"
    )
    rules = models.ForeignKey(RulesVersion, on_delete=models.PROTECT, related_name="requests")
    what = models.TextField("what data", max_length=3000)
    why = models.TextField("why it is needed", max_length=3000)
    how = models.TextField("how it will be used", max_length=3000)
    who_sees = models.TextField("who will see it", max_length=3000)
    how_long = models.TextField("how long it is kept", max_length=3000)
    not_done = models.TextField("what will not be done", max_length=3000)
    days = models.PositiveIntegerField("days of access asked for")
    # The areas and cohorts asked about (none: the whole dataset), so a community can find uses
    # of data about it in the register.
    areas = models.ManyToManyField(Code, related_name="+", blank=True)
    cohorts = models.ManyToManyField(Series, related_name="+", blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(starts_on__isnull=False, ends_on__isnull=False),
                name="access_approved_has_dates",
            ),
            models.CheckConstraint(condition=Q(days__gte=1), name="access_a_day_or_more"),
        ]

    def __str__(self) -> str:
        return f"Access to {self.dataset_id} for project {self.project_id}"


class AccessDecision(models.Model):
    """One approval or decline of a request, by the steward or the kaitiaki group, with why."""

    class Role(models.TextChoices):
        STEWARD = "steward", "Steward"
        KAITIAKI = "kaitiaki", "Kaitiaki group"

    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT, related_name="decisions")
    role = models.CharField(max_length=10, choices=Role.choices)
    approved = models.BooleanField()
    reason = models.TextField(max_length=3000)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "role"], name="access_decided_once_per_role"
            ),
            models.UniqueConstraint(fields=["request", "by"], name="access_one_decision_each"),
        ]

    def __str__(self) -> str:
        return f"{self.role} on {self.request_id}: {'yes' if self.approved else 'no'}"


class AppendOnly(Exception):
    """The audit log is append-only: an entry is never changed or removed."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise AppendOnly("Audit entries are never changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries are never removed.")


class AuditEntry(models.Model):
    """One entry of the append-only, hash-chained audit log (``commons.audit``): ``hash`` is
    SHA-256 over the entry's fields and ``prev_hash``, the hash of the entry before it, so
    changing or removing any entry breaks every link after it. Written only by
    ``audit.record``; on PostgreSQL a trigger refuses UPDATE and DELETE on the table too."""

    sequence = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    actor = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    dataset = models.ForeignKey(
        Dataset, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_ref = models.CharField("object reference", max_length=100, blank=True)
    details = models.JSONField(default=dict, blank=True)
    # Unique: two entries can never claim the same predecessor, so the chain cannot fork.
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnly("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnly("Audit entries are never removed.")
