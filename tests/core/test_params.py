"""core.params: numbers, cursors and NULs read from text without ever raising."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.params import (
    MAX_ID,
    decode_cursor,
    encode_cursor,
    field_with_nul,
    positive_int,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("0042", 42),
        (str(MAX_ID), MAX_ID),
        (7, 7),
        (None, None),
        ("", None),
        ("0", None),
        ("-3", None),
        (" 3", None),
        ("3\n", None),
        ("1_000", None),
        ("²", None),  # str.isdigit() is true for these
        ("٣", None),  # int() would read 3: only ASCII digits here
        (str(MAX_ID + 1), None),
        ("9" * 5000, None),
        (True, None),
        (3.0, None),
        (["1"], None),
    ],
)
def test_positive_int_reads_ascii_digits_within_a_database_id(raw, expected):
    assert positive_int(raw) == expected


def test_positive_int_default_and_maximum():
    assert positive_int("x", default=5) == 5
    assert positive_int("11", maximum=10, default=1) == 1


def test_a_cursor_round_trips_in_utc():
    moment = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=13)))
    raw = encode_cursor([moment, 17])
    assert decode_cursor(raw, [datetime, int]) == [moment.astimezone(UTC), 17]
    assert decode_cursor(encode_cursor([3, 17]), [int, int]) == [3, 17]


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "garbage!",
        "x" * 600,
        encode_cursor([1, 2, 3]),  # wrong length
        encode_cursor([1, 2]),  # an int where a date belongs
        encode_cursor([datetime(2026, 1, 1, tzinfo=UTC), True]),  # a bool is no id
        encode_cursor([datetime(2026, 1, 1, tzinfo=UTC), 2**63]),
        encode_cursor([datetime(2026, 1, 1, tzinfo=UTC), -1]),
        encode_cursor([datetime(2026, 1, 1), 1]),  # no time zone: not one of ours
    ],
)
def test_a_cursor_it_did_not_make_is_none(raw):
    assert decode_cursor(raw, [datetime, int]) is None


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
def test_a_cursor_date_beyond_years_1_to_9999_in_utc_is_none(moment):
    import base64
    import json

    raw = base64.urlsafe_b64encode(json.dumps([moment, 1]).encode()).decode()
    assert decode_cursor(raw, [datetime, int]) is None


def test_field_with_nul_names_the_field():
    assert field_with_nul([("q", ["fine"]), ("tag", ["a", "b\x00"])]) == "tag"
    assert field_with_nul([("x\x00", ["1"])]) == "x\\x00"
    assert field_with_nul([("q", ["fine"])]) is None
