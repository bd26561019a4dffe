"""Importing a publisher's CSV: the right codes, cohorts and observations; every kind of bad row
refused with its row and column and nothing left behind; versions that stay as they were; the
four real files."""

import io
import tracemalloc
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from commons import importing
from commons.datasets import REAL_DATASETS, ensure_real_datasets
from commons.importing import ImportRefused
from commons.models import Code, Dataset, Observation, Series, Version
from tests.commons.conftest import HEADER_LINE as HEADER
from tests.commons.conftest import csv_bytes, table_counts

GOOD = (
    HEADER,
    "2021-01-10,Auckland,Maori,12-17,<5,NA",
    '2021-01-10,Auckland,Asian,12-17,"1,469",71.5',
    "2021-01-03,Auckland,Maori,12-17,27,40.25",
    "2021-01-03,West Coast,Maori,Total,0,",
)


def cell(version, indicator, area, period, series_key):
    return Observation.objects.get(
        version=version,
        indicator__code=indicator,
        area__code=area,
        period__code=period,
        series__key=series_key,
    )


def test_a_small_wide_file_imports_its_codes_cohorts_and_observations(dataset, do_import):
    version = do_import(dataset, csv_bytes(*GOOD))

    assert (version.number, version.status, version.row_count, version.cell_count) == (
        1,
        "draft",
        4,
        8,
    )
    assert version.source_file == "upload.csv"
    weeks = Code.objects.filter(dimension__dataset=dataset, dimension__code="week")
    # Periods in time order, though the file met 2021-01-10 first.
    assert [c.code for c in weeks.order_by("position")] == ["2021-01-03", "2021-01-10"]
    assert str(weeks.get(code="2021-01-03").starts_on) == "2021-01-03"
    maori = Code.objects.get(dimension__dataset=dataset, code="Maori")
    assert maori.label == "Māori"
    assert Code.objects.get(dimension__code="age", code="Total").is_total
    series = Series.objects.get(dataset=dataset, key="ethnicity=Maori|age=12-17")
    assert series.label == "Māori · 12-17"
    assert set(series.codes.values_list("code", flat=True)) == {"Maori", "12-17"}
    assert Series.objects.filter(dataset=dataset).count() == 3

    key = "ethnicity=Maori|age=12-17"
    assert cell(version, "first", "Auckland", "2021-01-03", key).value == 27
    assert cell(version, "uptake", "Auckland", "2021-01-03", key).value == Decimal("40.25")
    asian = cell(version, "first", "Auckland", "2021-01-10", "ethnicity=Asian|age=12-17")
    assert asian.value == 1469  # the thousands separator is read, not refused
    west = cell(version, "first", "West Coast", "2021-01-03", "ethnicity=Maori|age=Total")
    assert west.value == 0 and not west.publisher_suppressed
    # Nothing is published until the rules run.
    assert not Observation.objects.filter(version=version, status__isnull=False).exists()


def test_the_publishers_suppressed_count_is_stored_with_no_value_never_guessed(dataset, do_import):
    version = do_import(dataset, csv_bytes(*GOOD))

    small = cell(version, "first", "Auckland", "2021-01-10", "ethnicity=Maori|age=12-17")
    assert small.publisher_suppressed and small.value is None
    na = cell(version, "uptake", "Auckland", "2021-01-10", "ethnicity=Maori|age=12-17")
    assert na.not_applicable and not na.publisher_suppressed and na.value is None
    empty = cell(version, "uptake", "West Coast", "2021-01-03", "ethnicity=Maori|age=Total")
    assert empty.not_applicable and empty.value is None


def test_a_long_file_names_indicators_from_its_columns_with_intervals_and_flags(
    long_dataset, do_import
):
    version = do_import(
        long_dataset,
        csv_bytes(
            "Measure,MeasureType,Year,Ethnicity,GeoArea,Value,LowerCI,UpperCI,QualityInd",
            "3.1 ASH,Rate,2019/20,Māori,Total,1234.5,1100.1,1300,NA",
            "3.1 ASH,Events,2019/20,Māori,Total,48,NA,NA,NA",
            "3.1 ASH,Events,2019,Māori,Te Tiratū,s,s,s,Q",
        ),
    )

    rate = Observation.objects.get(version=version, indicator__code="3.1 ASH · Rate")
    assert (rate.value, rate.lower, rate.upper) == (
        Decimal("1234.5"),
        Decimal("1100.1"),
        Decimal("1300"),
    )
    assert rate.indicator.base.code == "3.1 ASH · Events"
    assert rate.flags == ""  # "NA" in the flags column is no flag
    hidden = Observation.objects.get(version=version, period__code="2019")
    assert hidden.publisher_suppressed and hidden.value is None and hidden.flags == "Q"
    years = Code.objects.filter(dimension__dataset=long_dataset, dimension__code="year")
    # The calendar year 2019 before the financial year that starts in its July.
    assert [c.code for c in years.order_by("position")] == ["2019", "2019/20"]


BAD_WIDE = [
    ("2021-01-03,Auckland,Maori,12-17,lots,1", 3, "First", "“lots” is not a number"),
    ("2021-01-03,Auckland,Maori,12-17,12", 3, "Uptake", "this column is missing"),
    ("2021-01-03,Auckland,Maori,12-17,12,1,9", 3, "Uptake", "one too many"),
    ("2021-01-03,Auckland,Maori,12-17,27,40.25", 3, "First", "a second value for the same cell"),
    ("2021-13-03,Auckland,Maori,12-17,12,1", 3, "Week", "is not a date"),
    ("03/01/2021,Auckland,Maori,12-17,12,1", 3, "Week", "is not a date"),
    ("2021-01-03,Auckland,Maori,12-17,-3,1", 3, "First", "cannot be negative"),
    ("2021-01-03,Auckland,Maori,12-17,4.5,1", 3, "First", "whole number"),
    ("2021-01-03,,Maori,12-17,4,1", 3, "DHB", "is empty"),
    ("2021-01-03,Auckland,Maori,12-17,4,0.1234567", 3, "Uptake", "decimal places"),
]


@pytest.mark.parametrize(("line", "row", "column", "message"), BAD_WIDE)
def test_a_bad_row_refuses_the_whole_file_naming_row_and_column(
    dataset, do_import, line, row, column, message
):
    before = table_counts()
    source = csv_bytes(HEADER, "2021-01-03,Auckland,Maori,12-17,27,40.25", line, GOOD[1])

    with pytest.raises(ImportRefused) as refused:
        do_import(dataset, source)

    assert (refused.value.row, refused.value.column) == (row, column)
    assert message in refused.value.messages[0]
    assert refused.value.messages[0].startswith(f"Row {row}, column “{column}”")
    assert table_counts() == before  # no version, code, cohort or observation left behind


@pytest.mark.parametrize(
    ("header", "column", "message"),
    [
        ("Week,DHB,Ethnic group,Age,First,Uptake,Notes", "Notes", "not a column"),
        ("Week,DHB,Ethnic group,Age,First", "Uptake", "missing from the header"),
        ("Week,DHB,Ethnic group,Age,First,First", "First", "appears twice"),
    ],
)
def test_a_header_that_does_not_match_the_mapping_is_refused_at_row_1(
    dataset, do_import, header, column, message
):
    before = table_counts()

    with pytest.raises(ImportRefused) as refused:
        do_import(dataset, csv_bytes(header, "2021-01-03,Auckland,Maori,12-17,27,40"))

    assert (refused.value.row, refused.value.column) == (1, column)
    assert message in refused.value.messages[0]
    assert table_counts() == before


def test_an_unknown_indicator_in_a_long_file_is_refused(long_dataset, do_import):
    before = table_counts()

    with pytest.raises(ImportRefused) as refused:
        do_import(
            long_dataset,
            csv_bytes(
                "Measure,MeasureType,Year,Ethnicity,GeoArea,Value,LowerCI,UpperCI,QualityInd",
                "3.1 ASH,Events,2019,Māori,Total,48,NA,NA,NA",
                "3.1 ASH,Crude rate,2019,Māori,Total,48,NA,NA,NA",
            ),
        )

    assert (refused.value.row, refused.value.column) == (3, "Measure")
    assert "“3.1 ASH · Crude rate” is not an indicator" in refused.value.messages[0]
    assert table_counts() == before


def test_a_duplicate_in_an_earlier_batch_is_found_by_the_database_and_named(
    dataset, do_import, monkeypatch
):
    """Duplicates are not kept in a set of every key (memory): the unique constraint finds a
    repeat written batches ago, and the failed batch is searched for its row."""
    monkeypatch.setattr(importing, "BATCH", 2)
    before = table_counts()
    rows = [f"2021-01-{d:02},Auckland,Maori,12-17,{d},1" for d in range(3, 20)]
    rows.append("2021-01-05,Auckland,Maori,12-17,9,1")

    with pytest.raises(ImportRefused) as refused:
        do_import(dataset, csv_bytes(HEADER, *rows))

    assert refused.value.row == 19
    assert "a second value for the same cell (First doses, Auckland, 2021-01-05)" in str(
        refused.value.messages[0]
    )
    assert table_counts() == before


def test_bytes_that_are_not_utf8_are_refused_at_their_row(dataset, do_import):
    latin1 = "2021-01-03,Auckland,M\xe4ori,12-17,4,1\r\n".encode("latin-1")
    source = io.BytesIO(csv_bytes(HEADER, GOOD[1]).getvalue() + latin1)
    before = table_counts()

    with pytest.raises(ImportRefused) as refused:
        do_import(dataset, source)

    assert (refused.value.row, refused.value.column) == (3, "Ethnic group")
    assert "not UTF-8" in refused.value.messages[0]
    assert table_counts() == before


def test_a_second_import_is_version_2_and_version_1_is_unchanged(dataset, do_import):
    first = do_import(dataset, csv_bytes(*GOOD))
    snapshot = list(
        Observation.objects.filter(version=first)
        .order_by("id")
        .values_list("indicator_id", "area_id", "series_id", "period_id", "value")
    )

    second = do_import(
        dataset,
        csv_bytes(
            HEADER, "2021-01-03,Auckland,Maori,12-17,30,41", "2021-01-17,Lakes,Maori,12-17,6,2"
        ),
    )

    assert (second.number, second.cell_count) == (2, 4)
    assert (
        list(
            Observation.objects.filter(version=first)
            .order_by("id")
            .values_list("indicator_id", "area_id", "series_id", "period_id", "value")
        )
        == snapshot
    )
    # Codes and cohorts are the dataset's, shared by its versions; new ones are added.
    assert Code.objects.filter(dimension__dataset=dataset, code="Auckland").count() == 1
    weeks = Code.objects.filter(dimension__dataset=dataset, dimension__code="week")
    assert [c.code for c in weeks.order_by("position")] == [
        "2021-01-03",
        "2021-01-10",
        "2021-01-17",
    ]
    assert cell(second, "first", "Auckland", "2021-01-03", "ethnicity=Maori|age=12-17").value == 30


def test_someone_who_is_not_the_datasets_steward_cannot_import(
    dataset, do_import, not_a_steward, other_steward
):
    before = table_counts()

    for user in (not_a_steward, other_steward):
        with pytest.raises(PermissionDenied):
            do_import(dataset, csv_bytes(*GOOD), actor=user)

    assert table_counts() == before


@pytest.fixture
def other_steward(db):
    """A steward, but of another organisation."""
    from tests.factories import ProfileFactory

    return ProfileFactory(display_name="Other Steward", is_steward=True).user


def test_progress_is_reported_with_rows_and_bytes(dataset, do_import, monkeypatch):
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 2)
    source = csv_bytes(*GOOD)
    size = len(source.getvalue())
    calls = []

    do_import(dataset, source, progress=lambda *args: calls.append(args))

    assert [c[0] for c in calls] == [2, 4, 4]
    assert all(total == size for _, _, total in calls)
    assert calls[-1][1] == size


def test_the_command_imports_and_reports_and_a_refusal_names_row_and_column(
    dataset, kaitiaki, tmp_path, capsys
):
    good = tmp_path / "week.csv"
    good.write_bytes(csv_bytes(*GOOD).getvalue())
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(HEADER, "2021-01-03,Auckland,Maori,12-17,few,1").getvalue())

    call_command("import_dataset", dataset.slug, str(good), "--by", kaitiaki.username)
    assert "version 1 imported (4 rows, 8 cells)" in capsys.readouterr().out

    with pytest.raises(CommandError) as refused:
        call_command("import_dataset", dataset.slug, str(bad))
    assert "Nothing imported. Row 2, column “First”: “few” is not a number" in str(refused.value)
    assert Version.objects.filter(dataset=dataset).count() == 1


def test_the_four_real_files_import_as_version_1_once(organisation, kaitiaki):
    """All four real files (35,000 rows; a few seconds): counts match the files' READMEs, the
    publishers' suppressed cells are stored as suppressed, and calling again changes nothing."""
    datasets = ensure_real_datasets(organisation, kaitiaki)

    by_slug = {d.slug: d for d in datasets}
    assert list(by_slug) == [r.slug for r in REAL_DATASETS]
    vax, whakamaua, injuries, uptake = (by_slug[r.slug].versions.get() for r in REAL_DATASETS)
    assert (vax.row_count, vax.cell_count) == (9867, 19734)
    assert Observation.objects.filter(version=vax, publisher_suppressed=True).count() == (
        2752 + 2788
    )
    assert (whakamaua.row_count, injuries.row_count) == (21539, 1079)
    assert Observation.objects.filter(version=whakamaua, publisher_suppressed=True).count() == 7616
    assert by_slug[REAL_DATASETS[1].slug].maori_data
    injuries_values = Observation.objects.filter(version=injuries).values_list("value", flat=True)
    assert all(v % 3 == 0 for v in injuries_values)  # already RR3 at the source
    assert Dataset.objects.get(slug=REAL_DATASETS[2].slug).method == "rr3"
    assert all(not d.missing_for_publication() for d in datasets)
    _assert_the_uptake_snapshot(uptake)
    before = table_counts()

    ensure_real_datasets(organisation, kaitiaki)

    assert table_counts() == before


def _assert_the_uptake_snapshot(uptake):
    """The DHB × ethnicity × age × sex file: one constant period (the file has no date column),
    its `<5` and `NA` cells, a quoted "1,469", and the Ministry's "Various" rollup kept as an
    ordinary code, not a total."""
    observations = Observation.objects.filter(version=uptake)
    assert (uptake.row_count, uptake.cell_count) == (3485, 3485 * 7)
    assert observations.filter(publisher_suppressed=True).count() == 25 + 207 + 800 + 1022
    assert observations.filter(not_applicable=True).count() == 183 * 4
    periods = Code.objects.filter(dimension__dataset=uptake.dataset, dimension__role="period")
    assert [(c.code, str(c.starts_on)) for c in periods] == [("2023-05-02", "2023-05-02")]
    various = Code.objects.filter(dimension__dataset=uptake.dataset, code="Various")
    assert various.count() == 4
    assert {(c.label, c.is_total) for c in various} == {
        ("Various (combinations the Ministry suppressed)", False)
    }
    assert Code.objects.get(dimension__dataset=uptake.dataset, code="Maori").label == "Māori"
    booster = cell(uptake, "eligible-for-booster-1", "Auckland", "2023-05-02", _AUCKLAND_ASIAN)
    assert booster.value == 1469
    rollup = cell(uptake, "population-hsu-2020", "Various", "2023-05-02", _VARIOUS)
    assert rollup.value == 10474


_AUCKLAND_ASIAN = "ethnicity=Asian|age=12-17|sex=Female"
_VARIOUS = "ethnicity=Various|age=Various|sex=Various"


def test_importing_the_vaccination_file_streams_in_bounded_memory(organisation, kaitiaki):
    """Peak Python memory while importing the 399 kB, 9,867-row file stays far below what
    holding its rows would take (the observations alone are ~20,000 model instances)."""
    real = REAL_DATASETS[0]
    datasets = {d.slug: d for d in ensure_real_datasets_without_import(organisation, kaitiaki)}
    from commons import services
    from commons.datasets import DATA

    tracemalloc.start()
    with (DATA / real.file).open("rb") as source:
        services.import_version(
            actor=kaitiaki, dataset=datasets[real.slug], source=source, file_name=real.file
        )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert peak < 8 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


def ensure_real_datasets_without_import(organisation, kaitiaki):
    from commons import services

    return [
        services.dataset_create(
            actor=kaitiaki, steward=organisation, slug=r.slug, mapping=r.mapping, **r.fields
        )
        for r in REAL_DATASETS[:1]
    ]
