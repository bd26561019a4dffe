"""Publishing a version: every value through the one door, the checker before anything shows,
computed margins stored with their own rounding, and a refusal that publishes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from commons import publishing
from commons.datasets import ensure_real_datasets
from commons.models import Dataset, Observation, Version
from tests.commons.conftest import csv_bytes

HEADER = "Week,DHB,Ethnic group,Age,First,Uptake"


def shown_counts(version: Version) -> list[tuple[Decimal | None, str]]:
    return list(
        version.observations.filter(indicator__kind="count").values_list("shown_value", "status")
    )


@pytest.fixture
def small(dataset, do_import):
    """Two DHBs × two ethnic groups in one week; Waikato's Pacific count is 4 (small)."""
    return do_import(
        dataset,
        csv_bytes(
            HEADER,
            "2021-06-06,Waikato,Maori,25-29,40,NA",
            "2021-06-06,Waikato,Pacific Peoples,25-29,4,NA",
            "2021-06-06,Capital and Coast,Maori,25-29,31,NA",
            "2021-06-06,Capital and Coast,Pacific Peoples,25-29,17,NA",
        ),
    )


def test_a_lone_small_cell_takes_a_partner_so_no_total_gives_it_away(small, kaitiaki):
    version = publishing.publish_version(version=small, by=kaitiaki)
    assert version.status == Version.Status.PUBLISHED and version.published_at
    cells = {
        (o.area.code, o.series.key): o
        for o in version.observations.select_related("area", "series").filter(
            flags="", indicator__code="first"
        )
    }
    small_cell = cells[("Waikato", "ethnicity=Pacific Peoples|age=25-29")]
    assert small_cell.shown_value is None and small_cell.status == "suppressed-primary"
    # Waikato's total and Pacific's total are published, so one more cell in each is hidden.
    hidden = [o for o in cells.values() if o.shown_value is None]
    assert {o.status for o in hidden} == {"suppressed-primary", "suppressed-secondary"}
    assert len(hidden) >= 2
    margins = version.observations.filter(flags=publishing.COMPUTED)
    assert margins.count() == 2 + 2 + 1  # two area totals, two cohort totals, the grand total
    grand = margins.get(area__code=publishing.ALL, series__key=publishing.ALL)
    assert grand.value == 40 + 4 + 31 + 17  # stored exactly, for restricted access only
    assert grand.shown_value % 3 == 0 and abs(grand.shown_value - 92) < 3


def test_every_published_count_is_a_multiple_of_3_and_none_is_small(small, kaitiaki):
    version = publishing.publish_version(version=small, by=kaitiaki)
    for value, status in shown_counts(version):
        assert status
        if value is not None:
            assert value % 3 == 0
            assert value == 0 or value >= 6


def test_rates_with_a_small_or_unknown_base_are_hidden(dataset, do_import, kaitiaki):
    version = do_import(
        dataset,
        csv_bytes(
            HEADER,
            "2021-06-06,Waikato,Maori,25-29,40,71.5",
            "2021-06-06,Waikato,Pacific Peoples,25-29,12,64.2",
        ),
    )
    publishing.publish_version(version=version, by=kaitiaki)
    rates = dict(
        version.observations.filter(indicator__kind="rate").values_list(
            "series__key", "shown_value"
        )
    )
    assert rates["ethnicity=Maori|age=25-29"] == Decimal("71.5")  # base 40 ≥ 20
    assert rates["ethnicity=Pacific Peoples|age=25-29"] is None  # base 12 < 20


def test_the_same_version_publishes_the_same_numbers_and_secret_key_does_not_matter(
    small, kaitiaki, settings
):
    first = publishing.plan(small).shown
    settings.SECRET_KEY = "rotated-" + settings.SECRET_KEY
    assert publishing.plan(small).shown == first


def test_a_version_the_checker_rejects_is_refused_and_shows_nothing(
    make_dataset, do_import, kaitiaki
):
    # Declared already rounded (RR3), but 40 and 31 are not multiples of 3.
    dataset = make_dataset(slug="mislabelled", method=Dataset.Method.RR3)
    version = do_import(
        dataset,
        csv_bytes(
            HEADER,
            "2021-06-06,Waikato,Maori,25-29,40,NA",
            "2021-06-06,Waikato,Pacific Peoples,25-29,9,NA",
            "2021-06-06,Capital and Coast,Maori,25-29,31,NA",
            "2021-06-06,Capital and Coast,Pacific Peoples,25-29,18,NA",
        ),
    )
    refused = publishing.publish_version(version=version, by=kaitiaki)
    assert refused.status == Version.Status.REFUSED and refused.published_at is None
    assert any(f["rule"] == "multiple-of-3" for f in refused.findings)
    assert any("Waikato" in " ".join(map(str, f["cells"])) for f in refused.findings)
    assert not version.observations.exclude(status=None).exists()
    assert not version.observations.filter(flags=publishing.COMPUTED).exists()


def test_only_a_steward_publishes_and_only_a_complete_dataset(
    small, not_a_steward, kaitiaki, dataset
):
    with pytest.raises(PermissionDenied):
        publishing.publish_version(version=small, by=not_a_steward)
    Dataset.objects.filter(pk=dataset.pk).update(licence_name="", attribution="")
    small.refresh_from_db()
    with pytest.raises(ValidationError, match="licence and attribution"):
        publishing.publish_version(version=small, by=kaitiaki)
    assert Version.objects.get(pk=small.pk).status == Version.Status.DRAFT
    assert not Observation.objects.exclude(status=None).exists()


def test_a_published_version_is_not_published_twice(small, kaitiaki):
    publishing.publish_version(version=small, by=kaitiaki)
    small.refresh_from_db()
    with pytest.raises(ValidationError, match="already published"):
        publishing.publish_version(version=small, by=kaitiaki)


def test_the_real_datasets_publish_and_pass_the_checker(organisation, kaitiaki):
    for dataset in ensure_real_datasets(organisation, kaitiaki):
        version = dataset.versions.get(number=1)
        published = publishing.publish_version(version=version, by=kaitiaki)
        assert published.status == Version.Status.PUBLISHED, (dataset.slug, published.findings[:3])
        values = published.observations.filter(indicator__kind="count").exclude(shown_value=None)
        assert not values.filter(shown_value__gt=0, shown_value__lt=6).exists()
        assert (
            not published.observations.filter(publisher_suppressed=True)
            .exclude(shown_value=None)
            .exists()
        )


def test_a_left_out_combination_is_a_zero_unless_the_publisher_folded_it_away(
    make_dataset, do_import, kaitiaki
):
    from dataclasses import replace

    from tests.commons.conftest import WIDE

    lines = (
        HEADER,
        "2021-06-06,Waikato,Maori,25-29,40,NA",
        "2021-06-06,Waikato,Pacific Peoples,25-29,90,NA",
        "2021-06-06,Capital and Coast,Maori,25-29,31,NA",
        # Capital and Coast, Pacific Peoples: left out of the file
    )

    def gap(dataset):
        version = publishing.publish_version(
            version=do_import(dataset, csv_bytes(*lines)), by=kaitiaki
        )
        return version.observations.get(
            indicator__code="first", area__code="Capital and Coast",
            series__key="ethnicity=Pacific Peoples|age=25-29",
        )  # fmt: skip

    weekly = gap(make_dataset(slug="weekly"))  # a week with nothing in it is a true zero
    assert (weekly.shown_value, weekly.status) == (Decimal(0), "free")
    folded = gap(make_dataset(slug="folded", mapping=replace(WIDE, missing="unknown")))
    assert folded.shown_value is None and folded.value is None
    assert folded.status == "suppressed-publisher"  # never shown as a zero it may not be
