"""The four real New Zealand datasets the commons starts with: their provenance, licence and
attribution (as commons/data/README.md records them), confidentiality method and column
mappings, and ``ensure_real_datasets`` that creates them and imports each file as version 1.

The files are in commons/data/, copied byte for byte from their publishers.
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from commons import importing, services
from commons.importing import DimensionSpec, IndicatorSpec, Mapping
from commons.models import Dataset
from people.models import Organisation, User

DATA = Path(__file__).resolve().parent / "data"
MAORI = {"Maori": "Māori", "Non Maori": "Non-Māori"}
TOTAL = ("Total",)


def _by(column: str, role: str, *, code: str = "", name: str = "", **rest: Any) -> DimensionSpec:
    """A dimension read from ``column``: its code is its role's and its name the column's
    header unless said otherwise, so each mapping below reads as its differences only
    (``rest``: totals, labels, a period's format)."""
    if not code and role == "other":
        raise ValueError(f"Column {column!r}: a dimension of role other needs its own code.")
    return DimensionSpec(code=code or role, name=name or column, role=role, column=column, **rest)


def _year(column: str = "Year") -> DimensionSpec:
    """A column of calendar (2019) or financial (2019/20) years, the period."""
    return _by(column, "period", code="year", period_format="year")


@dataclass(frozen=True)
class RealDataset:
    slug: str
    file: str
    fields: dict[str, Any]
    mapping: Mapping


MOH_COVID = {
    "source_name": "Ministry of Health (Manatū Hauora), nz-covid-data on GitHub: "
    "vaccine-data/latest/by_week_and_ethnicity.csv (commit "
    "e30498e8df322cd20182379240f5d4cc465c9c8d, 2023-05-03, as at 2023-05-02 11:59pm; "
    "snapshot of the repository at 827d1e1ba55161d571492ecae734182e987ae4d1)",
    "source_url": "https://github.com/minhealthnz/nz-covid-data",
    "parties": "Ministry of Health (Manatū Hauora), publisher",
    "retrieved_on": date(2026, 1, 22),
    "licence_name": "CC BY-SA 4.0 (Crown copyright)",
    "licence_url": "https://creativecommons.org/licenses/by-sa/4.0/",
    "attribution": "The New Zealand Government (Ministry of Health). Crown copyright, licensed "
    "under CC BY-SA 4.0: anything made from this data must use the same licence. Government "
    "logos and emblems are not used.",
    "method": "raw",
    "suppression_tokens": ["<5"],
}

COVID_BY_WEEK = RealDataset(
    slug="covid-vaccinations-by-week",
    file="moh_covid_vax_by_week_dhb_ethnicity.csv",
    fields={
        "title": "COVID-19 vaccinations by week, DHB and ethnicity",
        "description": "People who got their first dose, and people who completed the primary "
        "course, in each week from 2021-01-03 to 2023-05-07, by District Health Board of "
        "residence (the 20 former DHBs, plus overseas and undefined) and prioritised ethnicity. "
        "Weekly new-event counts, not cumulative; weeks with no activity are left out.",
        "collection": "Published by the Ministry of Health to report the COVID-19 vaccine "
        "rollout. Counts of 1–4 are shown as “<5”; zeros as 0; no random rounding, so counts "
        "of 5 or more are exact. Ethnicity is prioritised ethnicity as the Ministry uses it "
        "(“European or other” is the residual group).",
        **MOH_COVID,
    },
    mapping=Mapping(
        dimensions=(
            _by(
                "Week ending date", "period", code="week", name="Week ending", period_format="date"
            ),
            _by("DHB of Residence", "area", code="dhb", name="DHB of residence"),
            _by("Ethnic group", "ethnicity", labels=MAORI),
        ),
        indicators=(
            IndicatorSpec(
                code="partially-vaccinated",
                name="People partially vaccinated",
                kind="count",
                unit="people",
                description="People who got their first dose in the week.",
                column="People partially vaccinated",
            ),
            IndicatorSpec(
                code="completed-primary-course",
                name="People completed primary course",
                kind="count",
                unit="people",
                description="People who completed the primary course in the week.",
                column="People completed primary course",
            ),
        ),
    ),
)

VARIOUS = "Various (combinations the Ministry suppressed)"
# "Various" in this file is not a total: it is the one row where the Ministry rolled up the
# combinations it suppressed for having fewer than 5 people, so it stays an ordinary code.
_VARIOUS = {"Various": VARIOUS}


def _uptake_count(column: str, description: str) -> IndicatorSpec:
    return IndicatorSpec(
        code=column.lower().replace(" ", "-"),
        name=column.replace("Received", "received"),
        kind="count",
        unit="people",
        description=description,
        column=column,
    )


COVID_UPTAKE = RealDataset(
    slug="covid-vaccination-uptake-by-dhb-ethnicity-age-sex",
    file="moh_covid_vax_dhb_ethnicity_age_sex.csv",
    fields={
        "title": "COVID-19 vaccination uptake by DHB, ethnicity, age and sex",
        "description": "People at least partially vaccinated, who completed the primary "
        "course, eligible for and received a first and a second booster, cumulative as at "
        "2023-05-02, with the Health Service User (HSU) 2020 population as the denominator, by "
        "District Health Board of residence (the 20 former DHBs, plus overseas or unknown), "
        "prioritised ethnicity, age group and gender. One snapshot: every row has the period "
        "2023-05-02.",
        "collection": "Published by the Ministry of Health to report the COVID-19 vaccine "
        "rollout. Counts of 1–4 are shown as “<5”; zeros as 0; no random rounding, so counts "
        "of 5 or more are exact. “NA” in the booster columns for ages 5–11 (not eligible). One "
        "row, “Various” in all four dimensions, is the Ministry's rollup of the combinations it "
        "suppressed for having fewer than 5 people — not a total. The HSU 2020 population "
        "counts people who used health services in 2020; it is an estimate, so a numerator can "
        "exceed it.",
        **MOH_COVID,
        "source_name": "Ministry of Health (Manatū Hauora), nz-covid-data on GitHub: "
        "vaccine-data/latest/dhb_residence_uptake.csv (commit "
        "e30498e8df322cd20182379240f5d4cc465c9c8d, 2023-05-03, as at 2023-05-02 11:59pm; "
        "snapshot of the repository at 827d1e1ba55161d571492ecae734182e987ae4d1)",
    },
    mapping=Mapping(
        dimensions=(
            DimensionSpec(
                code="as-at",
                name="As at",
                role="period",
                constant="2023-05-02",
                period_format="date",
            ),
            _by("DHB of residence", "area", code="dhb", labels=_VARIOUS),
            _by("Ethnic group", "ethnicity", labels={**MAORI, **_VARIOUS}),
            _by("Age group", "age", labels=_VARIOUS),
            _by("Gender", "sex", labels=_VARIOUS),
        ),
        indicators=(
            _uptake_count(
                "At least partially vaccinated", "People who have had at least one dose."
            ),
            _uptake_count(
                "Completed primary course", "People who have completed the primary course."
            ),
            _uptake_count("Eligible for booster 1", "People eligible for a first booster."),
            _uptake_count("Booster 1 Received", "People who have had a first booster."),
            _uptake_count("Eligible for booster 2", "People eligible for a second booster."),
            _uptake_count("Booster 2 Received", "People who have had a second booster."),
            IndicatorSpec(
                code="population-hsu-2020",
                name="Population (HSU 2020)",
                kind="count",
                unit="people",
                description="Health Service User population 2020: people who used health "
                "services in 2020, the Ministry's denominator (an estimate, so a numerator can "
                "exceed it).",
                column="Population",
            ),
        ),
        # A combination the file leaves out was folded into "Various": not a zero.
        missing="unknown",
    ),
)

_RATE = "The file gives no denominator; the Ministry's Whakamaua dashboard states it."


def _whakamaua_indicator(
    measure: str, measure_type: str, kind: str, unit: str, base: str = "", description: str = ""
) -> IndicatorSpec:
    code = f"{measure} · {measure_type}"
    return IndicatorSpec(
        code=code,
        name=f"{measure[4:]}: {measure_type.lower()}",
        kind=kind,
        unit=unit,
        description=description,
        base=f"{measure} · {base}" if base else "",
    )


WHAKAMAUA = RealDataset(
    slug="whakamaua-maori-health-indicators",
    file="moh_whakamaua_maori_health_indicators.csv",
    fields={
        "title": "Whakamaua Māori health indicators",
        "description": "The underlying data of the Ministry of Health's Whakamaua (Māori Health "
        "Action Plan 2020–2025) monitoring dashboard: unmet need, missed appointments, "
        "workforce, ambulatory-sensitive hospitalisations, mental health services, diabetes "
        "and acute bed days, by Iwi-Māori Partnership Board area, prioritised ethnicity and "
        "year, with 95% confidence intervals where they apply.",
        "source_name": "Ministry of Health (Manatū Hauora), whakamaua-monitoring on GitHub: "
        "data/whakamaua_dashboard.csv at commit 852c07f33805fc5fa0c92816ade6f1545d0a2792 "
        "(“added underlying data for dashboard”, 2024-06-20; removed from the repository's "
        "head later)",
        "source_url": "https://github.com/minhealthnz/whakamaua-monitoring",
        "collection": "Compiled by the Ministry of Health to monitor Whakamaua, the Māori "
        "Health Action Plan 2020–2025, from its health collections and the New Zealand Health "
        "Survey (measure 1.3, unmet need, whose ethnicity is not prioritised). Cells the "
        "Ministry suppressed are the letter “s”; “NA” where not applicable.",
        "parties": "Ministry of Health (Manatū Hauora), publisher",
        "retrieved_on": date(2024, 6, 20),
        "licence_name": "CC BY 4.0",
        "licence_url": "https://creativecommons.org/licenses/by/4.0/",
        "attribution": "Ministry of Health (Manatū Hauora), New Zealand. Licensed under the "
        "Creative Commons Attribution 4.0 International licence.",
        "method": "raw",
        "suppression_tokens": ["s"],
        "maori_data": True,
        "kaitiaki_group": "Te Rōpū Kaitiaki Raraunga",
    },
    mapping=Mapping(
        dimensions=(
            _year(),
            _by(
                "GeoArea",
                "area",
                code="impb",
                name="Iwi-Māori Partnership Board area",
                totals=TOTAL,
            ),
            _by("Ethnicity", "ethnicity"),
            _by("AgeGroup", "age", name="Age group", totals=TOTAL),
            _by("VariableName", "other", code="topic", name="Topic", totals=TOTAL),
            _by("Variable", "other", code="variable", totals=TOTAL),
        ),
        indicator_columns=("Measure", "MeasureType"),
        value_column="Value",
        lower_column="LowerCI",
        upper_column="UpperCI",
        flags_column="QualityInd",
        indicators=(
            _whakamaua_indicator("1.3 Unmet need", "Count", "count", "people"),
            _whakamaua_indicator(
                "1.3 Unmet need", "Age-standardised proportion", "rate", "%", base="Count"
            ),
            _whakamaua_indicator("2.2 Missed appointments", "missed", "count", "appointments"),
            _whakamaua_indicator("2.2 Missed appointments", "percent", "rate", "%", base="missed"),
            _whakamaua_indicator(
                "2.3 Workforce",
                "Profession",
                "rate",
                "%",
                description="Māori share of the profession; the counts the file lists beside "
                "it are all suppressed by the Ministry.",
            ),
            _whakamaua_indicator("2.3 Workforce", "Graduate", "count", "graduates"),
            _whakamaua_indicator("3.1 ASH", "Events", "count", "hospitalisations"),
            _whakamaua_indicator(
                "3.1 ASH", "Rate", "rate", "rate", base="Events", description=_RATE
            ),
            _whakamaua_indicator(
                "3.2 MH services", "Proportion of clients seen within 3 weeks", "rate", "%"
            ),
            _whakamaua_indicator("3.3 Diabetes", "Events", "count", "events"),
            _whakamaua_indicator(
                "3.3 Diabetes", "Rate", "rate", "rate", base="Events", description=_RATE
            ),
            _whakamaua_indicator(
                "3.3 Diabetes",
                "Age-standardised rate",
                "rate",
                "rate",
                base="Events",
                description=_RATE,
            ),
            _whakamaua_indicator(
                "4.4 Acute bed days",
                "Count",
                "count",
                "as the topic says",
                description="Bed days, events or people, as the topic column says.",
            ),
            _whakamaua_indicator(
                "4.4 Acute bed days",
                "Crude rate",
                "rate",
                "rate",
                base="Count",
                description=_RATE,
            ),
            _whakamaua_indicator(
                "4.4 Acute bed days",
                "Age-standardised rate",
                "rate",
                "rate",
                base="Count",
                description=_RATE,
            ),
        ),
    ),
)

FATAL_INJURIES = RealDataset(
    slug="fatal-injuries-by-year-sex-ethnicity-age",
    file="statsnz_fatal_injuries_rr3.csv",
    fields={
        "title": "Fatal injuries by year, sex, ethnicity and age",
        "description": "Fatal injuries in New Zealand each year from 2000 to 2018, by sex, "
        "Māori and non-Māori, and age group (all causes of injury).",
        "source_name": "Stats NZ, TABLECODE7935 (serious injury outcome indicators), as "
        "re-published in bayesiandemography/bage at commit "
        "c2181a2e1039e4852f617330ee9d8851e5ca8efd, "
        "data-raw/nzl_injuries/TABLECODE7935_Data.csv.gz (decompressed)",
        "source_url": "https://github.com/bayesiandemography/bage",
        "collection": "Stats NZ's serious injury outcome indicators, compiled to track "
        "injury outcomes in New Zealand. Stats NZ has already randomly rounded every value to "
        "base 3, so the commons does not round it again.",
        "parties": "Stats NZ (Tatauranga Aotearoa), publisher; bage (Bayesian demography), "
        "re-publisher",
        "retrieved_on": None,
        "licence_name": "CC BY 4.0",
        "licence_url": "https://creativecommons.org/licenses/by/4.0/",
        "attribution": "Stats NZ, licensed under the Creative Commons Attribution 4.0 "
        "International licence. (The bage repository's code licence does not apply to the "
        "data.)",
        "method": "rr3",
        "suppression_tokens": ["C", "S", "c", "s"],
    },
    mapping=Mapping(
        dimensions=(
            _year(),
            # A national table: no area column, the area is a constant.
            DimensionSpec(code="nz", name="Area", role="area", constant="New Zealand"),
            _by("Sex", "sex"),
            _by("Ethnicity", "ethnicity", labels=MAORI),
            _by("Age group", "age", totals=("Total all ages",)),
            _by("Cause of injury", "other", code="cause", totals=("Total all injuries",)),
            _by("Severity of injury", "other", code="severity"),
        ),
        indicators=(
            IndicatorSpec(
                code="fatal-injuries",
                name="Fatal injuries",
                kind="count",
                unit="people",
                description="People who died of an injury in the year (randomly rounded to "
                "base 3 by Stats NZ).",
                column="Value",
            ),
        ),
        flags_column="Flags",
    ),
)

REAL_DATASETS = (COVID_BY_WEEK, WHAKAMAUA, FATAL_INJURIES, COVID_UPTAKE)


def ensure_real_datasets(steward: Organisation, by: User) -> list[Dataset]:
    """Create the four real datasets, kept by ``steward``, and import each file as version 1.
    ``by`` must be a steward of ``steward``. Idempotent: a dataset that already has a version is
    left as it is. A file that cannot be imported raises ``importing.ImportRefused``."""
    datasets = []
    for real in REAL_DATASETS:
        dataset = Dataset.objects.filter(slug=real.slug).first()
        if dataset is None:
            dataset = services.dataset_create(
                actor=by, steward=steward, slug=real.slug, mapping=real.mapping, **real.fields
            )
        if not dataset.versions.exists():
            with (DATA / real.file).open("rb") as source:
                services.import_version(
                    actor=by, dataset=dataset, source=source, file_name=real.file
                )
        datasets.append(dataset)
    return datasets


__all__ = ["REAL_DATASETS", "RealDataset", "ensure_real_datasets", "importing"]
