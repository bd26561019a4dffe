"""Catch the obvious client details before they are posted: NHI numbers, New Zealand phone
numbers, dates of birth and e-mail addresses.

A heuristic, not a guarantee: it finds what people most often paste by mistake, and the person
may post anyway once they have checked ("this is not about an identifiable person"). So it errs
towards what clearly identifies someone and guards against the everyday false alarms of this
sector's writing — years, idea numbers, money, freephone numbers, an agency's shared inbox.

* NHI numbers (HISO 10046:2023): the old format ``AAANNNC`` with its mod-11 check digit and the
  new ``AAANNAX`` with its mod-23 check letter (letters from A–Z without I and O, A = 1). Only
  strings whose check character is right count, in any case.
* Phone numbers: ``+64`` / ``0064`` / ``0`` then a mobile (``2x`` and 6–8 digits) or a landline
  (area code 3, 4, 6, 7 or 9, then 7 digits not starting with 0); spaces, dots, hyphens and brackets
  around the code allowed. ``0800`` / ``0508`` / ``0900`` numbers are organisations', not people's.
* Dates of birth: any date after "DOB", "D.O.B.", "date of birth", "born" (numeric with a two- or
  four-digit year, ISO, or "3 April 1987"); and a bare ``d/m/yyyy`` date (``/``, ``.`` or ``-``)
  more than a year ago — recent and future dates are meetings and deadlines.
* E-mail addresses, except an organisation's shared inboxes (``info@``, ``referrals@``, …).

Core imports nothing of ours: the services (``ideas.services``) decide which fields to scan.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

NHI, PHONE, DOB, DATE, EMAIL = "nhi", "phone", "dob", "date", "email"
KINDS = {
    NHI: "an NHI number",
    PHONE: "a phone number",
    DOB: "a date of birth",
    DATE: "a date that may be a date of birth",
    EMAIL: "an e-mail address",
}


@dataclass(frozen=True)
class Finding:
    kind: str  # NHI, PHONE, DOB, DATE or EMAIL
    text: str  # what was found, as written
    start: int
    end: int

    @property
    def label(self) -> str:
        return KINDS[self.kind]


# --- NHI numbers -----------------------------------------------------------------------------

_NHI_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O; A = 1 … Z = 24
_NHI_RE = re.compile(
    r"(?<![\w-])([A-HJ-NP-Z]{3}\d{2}(?:\d{2}|[A-HJ-NP-Z]{2}))(?![\w-])", re.IGNORECASE
)


def _nhi_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else _NHI_LETTERS.index(ch) + 1


def is_nhi(text: str) -> bool:
    """Whether ``text`` is an NHI number with a correct check character (either format)."""
    value = text.strip().upper()
    if not re.fullmatch(r"[A-HJ-NP-Z]{3}\d{2}(?:\d{2}|[A-HJ-NP-Z]{2})", value):
        return False
    total = sum(
        _nhi_value(ch) * weight for ch, weight in zip(value[:6], range(7, 1, -1), strict=True)
    )
    if value[-1].isdigit():  # old format: mod 11; a remainder of 0 has no check digit
        remainder = total % 11
        return remainder != 0 and (11 - remainder) % 10 == int(value[-1])
    return 23 - total % 23 == _nhi_value(value[-1])  # new format: mod 23, a letter A…Y


# --- phone numbers ---------------------------------------------------------------------------

_SEP = r"[ .\-]?"
_PHONE_RE = re.compile(
    rf"""
    (?<![\w+#/.\-$])                      # not inside a word, an amount, an id or a path
    (?:
        (?:\+|00)\ ?64{_SEP}(?:\(0\){_SEP})?\(?   # +64 21 …, 0064 9 …, +64 (0)21 …
      | \(?0                                    # 021 …, (09) …
    )
    (?:
        2\d\)?(?:{_SEP}\d){{6,8}}              # mobiles: 02x and 6-8 digits
      | [34679]\)?{_SEP}[1-9](?:{_SEP}\d){{6}}  # landlines: area code, 7 digits (not 0800…)
    )
    (?![\w/])
    """,
    re.VERBOSE,
)


# --- dates of birth --------------------------------------------------------------------------

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMERIC_DATE = r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})"
_ISO_DATE = r"\d{4}-\d{1,2}-\d{1,2}"
_WORDY_DATE = (
    rf"\d{{1,2}}(?:st|nd|rd|th)?\ (?:{_MONTH_NAMES})\.?,?\ \d{{4}}"
    rf"|(?:{_MONTH_NAMES})\.?\ \d{{1,2}}(?:st|nd|rd|th)?,?\ \d{{4}}"
)
_DOB_CUE_RE = re.compile(
    rf"""
    \b(?:d\.?o\.?b\.?|date\ of\ birth|birth\ ?date|born(?:\ on)?)
    [\s:\-–=]*
    (?P<date>{_NUMERIC_DATE}|{_ISO_DATE}|{_WORDY_DATE})
    (?![\w/])
    """,
    re.VERBOSE | re.IGNORECASE,
)
_BARE_DATE_RE = re.compile(
    r"(?<![\w/.\-])(?P<d>\d{1,2})(?P<sep>[/.\-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?![\w/]|\.\d)"
)


def _bare_dates(text: str, today: date) -> list[Finding]:
    found = []
    for match in _BARE_DATE_RE.finditer(text):
        try:
            when = date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError:
            continue  # not a calendar date (13/13/2020), or written month first
        a_year_ago = date(today.year - 1, today.month, min(today.day, 28))
        if date(1900, 1, 1) <= when <= a_year_ago:
            found.append(Finding(DATE, match.group(), match.start(), match.end()))
    return found


# --- e-mail addresses ------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.+\-])([\w.+\-]+)@([A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+)"
)
# An organisation's shared inboxes are not a person.
SHARED_INBOXES = frozenset(
    """
    admin enquiries enquiry info contact hello office reception referrals referral intake
    support help helpdesk team noreply no-reply privacy feedback media communications
    """.split()
)


def _emails(text: str) -> list[Finding]:
    return [
        Finding(EMAIL, m.group(), m.start(), m.end())
        for m in _EMAIL_RE.finditer(text)
        if m.group(1).lower() not in SHARED_INBOXES
    ]


# --- scanning --------------------------------------------------------------------------------


def scan(text: str, *, today: date | None = None) -> list[Finding]:
    """What in ``text`` looks like it identifies someone, in the order it appears.

    An e-mail address hides the numbers inside it, and a date of birth found after its cue is
    not reported again as a bare date."""
    today = today or date.today()
    text = text or ""
    found: list[Finding] = _emails(text)
    found += [
        Finding(DOB, m["date"], m.start("date"), m.end("date")) for m in _DOB_CUE_RE.finditer(text)
    ]
    found += _bare_dates(text, today)
    found += [
        Finding(NHI, m.group(1), m.start(1), m.end(1))
        for m in _NHI_RE.finditer(text)
        if is_nhi(m.group(1))
    ]
    found += [
        Finding(PHONE, m.group().strip(), m.start(), m.end()) for m in _PHONE_RE.finditer(text)
    ]
    kept: list[Finding] = []
    for finding in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if any(f.start <= finding.start and finding.end <= f.end for f in kept):
            continue  # inside something already found (a number in an address, a cued date)
        kept.append(finding)
    return kept


def scan_fields(
    fields: Mapping[str, str], *, today: date | None = None
) -> dict[str, list[Finding]]:
    """``scan`` each named text; only the fields with findings are returned."""
    results = {name: scan(text, today=today) for name, text in fields.items()}
    return {name: found for name, found in results.items() if found}


def describe(findings: list[Finding], *, limit: int = 3) -> str:
    """ "a phone number (021 555 0123) and an NHI number (ZAC5361)" """
    parts = [f"{f.label} ({_shorten(f.text)})" for f in findings[:limit]]
    if len(findings) > limit:
        parts.append(f"{len(findings) - limit} more")
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _shorten(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


CONFIRM_LABEL = "I have checked: this is not about an identifiable person"
REMINDER = (
    "Don’t post details that could identify a client — names with dates of birth, NHI "
    "numbers, phone numbers, addresses or e-mail addresses. Describe the situation instead."
)


def field_message(findings: list[Finding]) -> str:
    """The message beside a field with findings: what was found in it."""
    return f"This looks like it could identify someone: {describe(findings)}."


# The code of the ValidationError a service raises for a field with findings (forms show the
# confirmation box when they see it; the API's 422 names the field with it).
CODE = "identifying"


def check(texts: dict[str, str], *, confirmed: bool, before: dict[str, str] | None = None) -> None:
    """Refuse text that looks like it identifies someone, unless the person says they have
    checked it does not. Each field is named with what was found in it (code ``identifying``:
    forms then offer the box to tick, the API answers 422). An edit is only asked about what it
    adds: ``before`` holds the texts as they were. Services decide which fields to pass."""
    from django.core.exceptions import ValidationError

    if confirmed:
        return
    found = scan_fields(texts)
    for field, old in (before or {}).items():
        seen = {f.text for f in scan(old)}
        found[field] = [f for f in found.get(field, []) if f.text not in seen]
    errors = {
        field: ValidationError(field_message(items), code=CODE)
        for field, items in found.items()
        if items
    }
    if errors:
        raise ValidationError(errors)
