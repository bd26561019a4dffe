"""The data model's rules: what a dataset needs before it may be published, Māori data and its
kaitiaki group, cells that are never guessed, who counts as the steward, mappings that make
sense, and comparing two versions in published terms."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from commons import permissions, selectors, services
from commons.importing import Mapping
from commons.models import Dataset, Observation
from tests.commons.conftest import HEADER_LINE, LONG, WIDE, csv_bytes
from tests.factories import ProfileFactory


def test_a_dataset_names_what_it_lacks_before_it_may_be_published(make_dataset):
    bare = make_dataset(source_name="", collection="", licence_name="", method="")

    assert bare.missing_for_publication() == [
        "provenance (source, how and why it was collected, parties)",
        "licence and attribution",
        "confidentiality method",
    ]
    with pytest.raises(ValidationError) as refused:
        services.require_publishable(bare)
    assert "cannot be published until it has: provenance" in refused.value.messages[0]
    assert "confidentiality method" in refused.value.messages[0]


def test_a_complete_dataset_may_be_published(dataset):
    assert dataset.missing_for_publication() == []
    services.require_publishable(dataset)  # no error


def test_maori_data_needs_its_named_kaitiaki_group(make_dataset):
    with pytest.raises(ValidationError) as refused:
        make_dataset(maori_data=True, kaitiaki_group="")
    assert "Name the kaitiaki group" in str(refused.value)

    dataset = make_dataset(slug="ok", maori_data=True, kaitiaki_group="Te Rōpū Kaitiaki Raraunga")
    assert dataset.kaitiaki_group == "Te Rōpū Kaitiaki Raraunga"


def test_the_steward_organisation_cannot_be_deleted_from_under_its_dataset(dataset):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError), transaction.atomic():
        dataset.steward.delete()
    assert Dataset.objects.filter(pk=dataset.pk).exists()


def test_a_dataset_with_versions_cannot_be_deleted(dataset, do_import):
    from django.db.models import ProtectedError

    do_import(dataset, csv_bytes(HEADER_LINE, "2021-01-03,Auckland,Maori,12-17,27,40"))

    with pytest.raises(ProtectedError), transaction.atomic():
        dataset.delete()
    assert Observation.objects.filter(version__dataset=dataset).count() == 2


def test_a_suppressed_cell_cannot_hold_a_value(dataset, do_import):
    version = do_import(dataset, csv_bytes(HEADER_LINE, "2021-01-03,Auckland,Maori,12-17,<5,40"))
    small = Observation.objects.get(version=version, publisher_suppressed=True)

    small.value = Decimal(3)
    with pytest.raises(IntegrityError), transaction.atomic():
        small.save()


def test_only_an_active_steward_of_the_datasets_organisation_is_its_steward(
    dataset, kaitiaki, not_a_steward
):
    elsewhere = ProfileFactory(is_steward=True).user

    assert permissions.is_steward(kaitiaki, dataset)
    assert not permissions.is_steward(not_a_steward, dataset)
    assert not permissions.is_steward(elsewhere, dataset)
    kaitiaki.is_active = False
    assert not permissions.is_steward(kaitiaki, dataset)


def test_only_a_steward_of_the_organisation_adds_its_datasets(organisation, not_a_steward):
    with pytest.raises(PermissionDenied):
        services.dataset_create(
            actor=not_a_steward,
            steward=organisation,
            slug="mine",
            mapping=WIDE,
            title="Not mine to add",
        )
    assert not Dataset.objects.filter(slug="mine").exists()


def test_a_mapping_round_trips_through_json_and_a_broken_one_says_what_is_wrong():
    assert Mapping.from_dict(WIDE.to_dict()) == WIDE
    assert Mapping.from_dict(LONG.to_dict()) == LONG

    broken = WIDE.to_dict()
    broken["dimensions"] = [d for d in broken["dimensions"] if d["role"] != "area"]
    broken["indicators"][1]["base"] = "uptake"
    with pytest.raises(ValidationError) as refused:
        Mapping.from_dict(broken)
    message = refused.value.messages[0]
    assert "exactly one area dimension" in message
    assert "its base must be a count of this dataset" in message


def test_a_new_version_cannot_change_an_indicators_kind(dataset, do_import):
    do_import(dataset, csv_bytes(HEADER_LINE, "2021-01-03,Auckland,Maori,12-17,27,40"))
    changed = Mapping.from_dict(
        WIDE.to_dict()
        | {
            "indicators": [
                {**WIDE.to_dict()["indicators"][0], "kind": "mean"},
                WIDE.to_dict()["indicators"][1] | {"base": ""},
            ]
        }
    )

    with pytest.raises(ValidationError) as refused:
        services.import_version(
            actor=dataset.created_by,
            dataset=dataset,
            source=csv_bytes(HEADER_LINE, "2021-01-03,Auckland,Maori,12-17,27,40"),
            file_name="again.csv",
            mapping=changed,
        )
    assert "is a count in earlier versions" in refused.value.messages[0]
    assert dataset.versions.count() == 1


# --- comparing versions, in published terms


def publish(version, cells):
    """Stand-in for the publication step (wired in later): set what is shown."""
    for (indicator, area, period), (shown, status) in cells.items():
        Observation.objects.filter(
            version=version, indicator__code=indicator, area__code=area, period__code=period
        ).update(shown_value=shown, status=status)


def test_compare_lists_cells_added_removed_and_changed_in_published_terms(dataset, do_import):
    older = do_import(
        dataset,
        csv_bytes(
            HEADER_LINE,
            "2021-01-03,Auckland,Maori,12-17,27,40",
            "2021-01-03,Lakes,Maori,12-17,4,1",
            "2021-01-10,Lakes,Maori,12-17,10,2",
        ),
    )
    newer = do_import(
        dataset,
        csv_bytes(
            HEADER_LINE,
            "2021-01-03,Auckland,Maori,12-17,28,40",  # raw 27 → 28, still shown as 27
            "2021-01-10,Lakes,Maori,12-17,11,2",  # shown 9 → 12
            "2021-01-17,Lakes,Maori,12-17,30,3",  # new
        ),
    )
    for version, lakes_10 in ((older, 9), (newer, 12)):
        publish(
            version,
            {
                ("first", "Auckland", "2021-01-03"): (27, "rounded"),
                ("uptake", "Auckland", "2021-01-03"): (40, "free"),
                ("first", "Lakes", "2021-01-03"): (None, "suppressed-primary"),
                ("uptake", "Lakes", "2021-01-03"): (None, "suppressed-primary"),
                ("first", "Lakes", "2021-01-10"): (lakes_10, "rounded"),
                ("uptake", "Lakes", "2021-01-10"): (2, "free"),
                ("first", "Lakes", "2021-01-17"): (30, "rounded"),
                ("uptake", "Lakes", "2021-01-17"): (3, "free"),
            },
        )

    result = selectors.compare(older, newer)

    assert (result.added_count, result.removed_count, result.changed_count) == (2, 2, 1)
    assert not result.truncated
    assert [(k.indicator, k.area, k.period) for k, _ in result.added] == [
        ("First doses", "Lakes", "2021-01-17"),
        ("Uptake", "Lakes", "2021-01-17"),
    ]
    assert result.added[0][1] == (Decimal(30), "rounded")
    assert [(k.indicator, k.area, k.period, p) for k, p in result.removed] == [
        ("First doses", "Lakes", "2021-01-03", (None, "suppressed-primary")),
        ("Uptake", "Lakes", "2021-01-03", (None, "suppressed-primary")),
    ]
    change = result.changed[0]
    assert (change.key.indicator, change.key.area, change.key.series, change.key.period) == (
        "First doses",
        "Lakes",
        "Māori · 12-17",
        "2021-01-10",
    )
    assert (change.before, change.after) == ((Decimal(9), "rounded"), (Decimal(12), "rounded"))
    # The raw 27 → 28 is not a change anyone without restricted access can see.
    assert all(c.key.area != "Auckland" for c in result.changed)


def test_compare_caps_each_list_and_still_counts_everything(dataset, do_import):
    rows = [f"2021-01-{d:02},Auckland,Maori,12-17,{d},1" for d in range(3, 13)]
    older = do_import(dataset, csv_bytes(HEADER_LINE, rows[0]))
    newer = do_import(dataset, csv_bytes(HEADER_LINE, *rows))

    result = selectors.compare(older, newer, limit=3)

    assert result.added_count == 18 and len(result.added) == 3 and result.truncated


def test_only_versions_of_one_dataset_are_compared(dataset, long_dataset, do_import):
    wide = do_import(dataset, csv_bytes(HEADER_LINE, "2021-01-03,Auckland,Maori,12-17,27,40"))
    long = do_import(
        long_dataset,
        csv_bytes(
            "Measure,MeasureType,Year,Ethnicity,GeoArea,Value,LowerCI,UpperCI,QualityInd",
            "3.1 ASH,Events,2019,Māori,Total,48,NA,NA,NA",
        ),
    )

    with pytest.raises(ValidationError):
        selectors.compare(wide, long)
