"""The identifying-details detector (core/identifying.py): what it finds, and what it leaves."""

from datetime import date

import pytest

from core.identifying import DATE, DOB, EMAIL, NHI, PHONE, describe, is_nhi, scan, scan_fields

TODAY = date(2026, 5, 1)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan(text, today=TODAY)]


# --- NHI numbers: format and check character -----------------------------------------------------

# Test NHIs (the Z range is reserved for testing) from HISO 10046:2023's validation routine.
VALID_OLD = ["ZZZ0016", "ZZZ0024", "ZAA0067", "ZAA0105", "ZAC5361", "JBX3656"]
VALID_NEW = ["ZBN77VL", "ZZZ00AC", "ZDR69YX", "ZSC21TN", "ZZB30NH", "ZVB97XQ", "ZYX61YS"]


@pytest.mark.parametrize("nhi", VALID_OLD + VALID_NEW)
def test_valid_nhis_in_either_format_pass_their_check(nhi):
    assert is_nhi(nhi)
    assert is_nhi(nhi.lower())


@pytest.mark.parametrize(
    "nhi",
    [
        "ZZZ0044",  # old format, remainder 0: no check digit makes it valid
        "ZZZ0017",
        "DAB8233",
        "JBX3650",  # needs 6
        "JBX3657",
        "ZZZ00AA",  # new format, wrong check letter
        "ZZZ00AY",
        "ZVU27KY",
        "IOA1234",  # I and O are never used
        "ZAC536",  # too short
        "ZAC53611",  # too long
        "ZA15361",
    ],
)
def test_invalid_nhis_fail(nhi):
    assert not is_nhi(nhi)


def test_only_the_one_right_check_letter_makes_a_new_format_nhi():
    # ZHW58C needs V (mod 23)
    valid = [c for c in "ABCDEFGHJKLMNPQRSTUVWXYZ" if is_nhi(f"ZHW58C{c}")]
    assert valid == ["V"]


def test_no_digit_completes_an_old_format_nhi_whose_remainder_is_zero():
    assert not any(is_nhi(f"ZZZ004{d}") for d in range(10))


def test_an_nhi_is_found_in_text_and_a_lookalike_with_a_wrong_check_is_not():
    assert kinds("Client NHI ZAC5361, seen twice.") == [(NHI, "ZAC5361")]
    assert kinds("nhi: zbn77vl") == [(NHI, "zbn77vl")]
    assert kinds("Reference ZAC5362 and form ABC1234X") == []


# --- phone numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "021 555 0123",
        "0215550123",
        "027-123-4567",
        "022 1234 5678",
        "+64 21 555 0123",
        "+6421 555 0123",
        "0064 21 555 0123",
        "+64 (0)21 555 0123",
        "(09) 555 0123",
        "09 555 0123",
        "04-471 1234",
        "03 379 0000",
        "+64 4 471 1234",
    ],
)
def test_new_zealand_phone_numbers_are_found(text):
    assert kinds(f"Her number is {text}. Call after 3.") == [(PHONE, text)]


@pytest.mark.parametrize(
    "text",
    [
        "0800 123 456",  # freephone: an organisation's
        "0508 123 456",
        "0900 12345",
        "in 2024 and 2025",  # years
        "idea #12345 and idea 1234567",  # idea numbers
        "see ideas/0215550123/",  # part of a path
        "$0215550123",  # money
        "0.215 mg",
        "between 2019-2024",
        "021 is the prefix",  # too short
        "20215550123",  # a longer number
    ],
)
def test_things_that_only_look_like_numbers_are_left_alone(text):
    assert kinds(text) == []


# --- dates of birth ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("DOB 3/4/87", "3/4/87"),
        ("D.O.B.: 03/04/1987", "03/04/1987"),
        ("date of birth 1987-04-03", "1987-04-03"),
        ("born on 3 April 1987", "3 April 1987"),
        ("born April 3, 1987", "April 3, 1987"),
        ("dob: 12.11.2025", "12.11.2025"),  # a baby: recent, but said to be a birth date
    ],
)
def test_dates_after_a_birth_cue_are_dates_of_birth(text, found):
    assert kinds(f"The client, {text}, lives alone.") == [(DOB, found)]


def test_a_full_date_more_than_a_year_ago_may_be_a_date_of_birth():
    assert kinds("He was referred (3/4/1987) last week.") == [(DATE, "3/4/1987")]
    assert kinds("Since 1-7-2014 the rules changed") == [(DATE, "1-7-2014")]


@pytest.mark.parametrize(
    "text",
    [
        "Meeting on 12/3/2026 at 10",  # recent: a meeting, a deadline
        "Due 30/6/2027",  # the future
        "31/2/1990",  # not a calendar date
        "in 1987 and 2024",  # years alone
        "2 of 3 in 1990",
    ],
)
def test_recent_future_and_impossible_dates_and_years_are_left_alone(text):
    assert kinds(text) == []


# --- e-mail addresses ----------------------------------------------------------------------------


def test_a_persons_email_address_is_found_and_a_shared_inbox_is_not():
    assert kinds("Write to aroha.ngata@example.org.") == [(EMAIL, "aroha.ngata@example.org")]
    assert kinds("Send referrals to referrals@pwhc.org.nz or info@msd.govt.nz") == []


def test_a_mention_is_not_an_email_address():
    assert kinds("Thanks @Aroha.Ngata and @HannahMcKenzie") == []


def test_numbers_inside_an_email_address_are_not_reported_again():
    assert kinds("m.0215550123@example.org") == [(EMAIL, "m.0215550123@example.org")]


# --- several at once -----------------------------------------------------------------------------


def test_every_finding_is_reported_in_order_with_where_it_is():
    text = "Jo (DOB 3/4/1987, NHI ZAC5361) on 021 555 0123 or jo@example.org"
    found = scan(text, today=TODAY)
    assert [(f.kind, f.text) for f in found] == [
        (DOB, "3/4/1987"),
        (NHI, "ZAC5361"),
        (PHONE, "021 555 0123"),
        (EMAIL, "jo@example.org"),
    ]
    assert all(text[f.start : f.end] == f.text for f in found)
    assert describe(found) == (
        "a date of birth (3/4/1987), an NHI number (ZAC5361), a phone number (021 555 0123) "
        "and 1 more"
    )


def test_scan_fields_names_only_the_fields_with_findings():
    result = scan_fields(
        {"title": "Waiting lists", "body": "Ring 021 555 0123", "benefit": ""}, today=TODAY
    )
    assert list(result) == ["body"]


def test_plain_sector_writing_has_no_findings():
    text = (
        "In 2024, 1,250 whānau waited 6-8 weeks for a referral (idea #42, problem 7). "
        "MSD and HNZ Waikato agreed on 12/3/2026 to pilot it; call 0800 559 009 for details. "
        "Costs rose 3.5% to $12,000."
    )
    assert kinds(text) == []
