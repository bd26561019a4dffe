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
