"""No raw small count anywhere (issue 11, DESIGN.md section 8 rule 4): a signed-in person with no
restricted access walks every commons page (every URL pattern of ``commons.urls``, its path
filled with real slugs, ids and version numbers, with each area, cohort and version asked for)
and every commons API path of the OpenAPI document (each filter, every page), exports included.
Every number in a data position — an HTML ``td.num`` cell, a CSV ``value`` column, a JSON
``value`` field — is a multiple of 3 and never 1 to 5, and no stored value that was not
published (the distinctive raw counts, their raw margins, the hidden rates) appears anywhere in
any response body.

And a structural check: outside the modules whose work is the raw values, no code in commons/,
dashboard/ or demo/ reads ``Observation.value``, ``lower`` or ``upper`` (an ORM lookup naming
them, or whole observation rows loaded); a test runs the scanner on snippets to prove it can
fail.
"""

import ast
import csv
import io
import itertools
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

import commons.urls
from commons.models import Code, Indicator, Observation, Series
from tests.commons.conftest import SMALL_COUNTS_ROWS
from tests.factories import OrganisationFactory, ProfileFactory

API = "/api/v1"


# --- the walk ----------------------------------------------------------------------------------


class _Cells(HTMLParser):
    """The text of every ``<td class="num">`` cell."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[str] = []
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "td" and "num" in (dict(attrs).get("class") or "").split():
            self.cells.append("")
            self._depth = 1
        elif tag == "td":
            self._depth = 0

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._depth = 0

    def handle_data(self, data: str) -> None:
        if self._depth:
            self.cells[-1] += data


NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def numbers_in(text: str) -> list[Decimal]:
    return [Decimal(n.replace(",", "")) for n in NUMBER.findall(text)]


def json_values(data: Any) -> Iterator[Any]:
    """Every ``value`` field, however deep."""
    if isinstance(data, dict):
        for key, item in data.items():
            if key == "value":
                yield item
            else:
                yield from json_values(item)
    elif isinstance(data, list):
        for item in data:
            yield from json_values(item)


def data_numbers(response: Any) -> list[Decimal]:
    """The numbers a response shows in data positions."""
    kind = response.get("Content-Type", "")
    body = response.content.decode("utf-8-sig")
    if kind.startswith("text/html"):
        parser = _Cells()
        parser.feed(body)
        return [n for cell in parser.cells for n in numbers_in(cell)]
    if kind.startswith("text/csv"):
        return [Decimal(r["value"]) for r in csv.DictReader(io.StringIO(body)) if r["value"]]
    if kind.startswith("application/json"):
        values = json_values(json.loads(body))
        return [Decimal(str(v)) for v in values if isinstance(v, int | float | str) and v != ""]
    return []


def pattern_of(number: Decimal) -> re.Pattern[str]:
    """The number as any page might write it: 10007, 10,007 or 10007.000000; 37.71."""
    if number == number.to_integral_value():
        digits = str(int(number))
        grouped = "".join(
            ("(?:,)?" if i and (len(digits) - i) % 3 == 0 else "") + d for i, d in enumerate(digits)
        )
        return re.compile(rf"(?<![\w.,]){grouped}(?:\.0+)?(?![\w.]|,\d)")
    return re.compile(rf"(?<![\w.]){re.escape(str(number.normalize()))}(?!\d)")


def forbidden(dataset: Any) -> dict[str, re.Pattern[str]]:
    """Stored values that were not published as they are, distinctive enough to search for:
    counts of 1,000 or more and every decimal (small counts are found in data positions)."""
    cells = Observation.objects.filter(version__dataset=dataset)
    shown = {v for v in cells.values_list("shown_value", flat=True) if v is not None}
    found = {}
    for value, shown_value in cells.values_list("value", "shown_value"):
        if value is None or value == shown_value or value in shown:
            continue
        if value >= 1000 or value != value.to_integral_value():
            found[str(value.normalize())] = pattern_of(value)
    return found


def _patterns(patterns: list[Any]) -> Iterator[URLPattern]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern.url_patterns)
        else:
            yield pattern


def page_urls(dataset: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every commons page with every filling of its path and the query combinations."""
    indicators = list(Indicator.objects.filter(dataset=dataset).values_list("pk", flat=True))
    numbers = list(dataset.versions.values_list("number", flat=True))
    areas = list(
        Code.objects.filter(dimension__dataset=dataset, dimension__role="area").values_list(
            "pk", flat=True
        )
    )
    cohorts = list(Series.objects.filter(dataset=dataset).values_list("pk", flat=True))
    fill = {"slug": [dataset.slug], "number": numbers, "pk": indicators}
    queries: list[dict[str, Any]] = [{}]
    queries += [{"version": n} for n in numbers]
    queries += [{"area": a, "version": n} for a in areas for n in numbers]
    queries += [{"area": a, "cohort": c} for a in areas for c in cohorts]
    queries += [{"older": 1, "newer": 2}, {"older": 2, "newer": 1}]
    for pattern in _patterns(commons.urls.urlpatterns):
        groups = list(pattern.pattern.regex.groupindex)
        choices = [fill.get(g, indicators) for g in groups]
        for values in itertools.product(*choices):
            url = reverse(pattern.name, kwargs=dict(zip(groups, values, strict=True)))
            for query in queries if groups else [{}]:
                yield url, query


def api_urls(client: Client, dataset: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    paths = [p for p in client.get(f"{API}/openapi.json").json()["paths"] if "/datasets" in p]
    structure = client.get(f"{API}/datasets/{dataset.slug}").json()
    numbers = [v["number"] for v in structure["versions"]]
    by_role = {d["role"]: [c["id"] for c in d["codes"]] for d in structure["dimensions"]}
    filters: list[dict[str, Any]] = [{}]
    filters += [{"version": n} for n in numbers]
    filters += [
        {"indicator": i["id"], "version": n} for i in structure["indicators"] for n in numbers
    ]
    filters += [{"area": a} for a in by_role["area"]]
    filters += [{"period": p} for p in by_role["period"]]
    filters += [{"cohort": c["id"], "version": n} for c in structure["cohorts"] for n in numbers]
    filters += [{"older": a, "newer": b} for a in numbers for b in numbers]
    for path in paths:
        url = path.replace("{slug}", dataset.slug)
        for query in filters if "{slug}" in path else [{}]:
            yield url, query


@pytest.fixture
def outsider(db):
    """Signed in, from another organisation, with no restricted access to anything."""
    client = Client()
    client.force_login(ProfileFactory(organisation=OrganisationFactory()).user)
    return client


def check(response: Any, url: str, query: dict[str, Any], raw: dict[str, re.Pattern[str]]) -> int:
    assert response.status_code < 500, (url, query, response.status_code)
    body = response.content.decode("utf-8-sig", errors="replace")
    for text, pattern in raw.items():
        assert not pattern.search(body), (url, query, text)
    shown = data_numbers(response)
    for number in shown:
        assert number % 3 == 0 and not 1 <= number <= 5, (url, query, number)
    return len(shown)


def test_no_page_or_api_answer_shows_a_raw_count(outsider, small_counts):
    assert len(SMALL_COUNTS_ROWS) % 3 == 0  # the version table's row count is a td.num too
    raw = forbidden(small_counts)
    assert {"10007", "23473", "70879", "37.71", "33484"} <= set(raw)  # the premise holds
    pages = shown = 0
    for url, query in page_urls(small_counts):
        response = outsider.get(url, query)
        shown += check(response, url, query, raw)
        pages += response.status_code == 200
    for url, query in api_urls(outsider, small_counts):
        cursor: str | None = None
        while True:
            response = outsider.get(url, {**query, **({"cursor": cursor} if cursor else {})})
            shown += check(response, url, query, raw)
            pages += response.status_code == 200
            data = response.json()
            cursor = data.get("next_cursor") if isinstance(data, dict) else None
            if not cursor:
                break
    # The walk reached the data: pages answered and published counts were read.
    assert pages > 100 and shown > 100, (pages, shown)


def test_the_checks_catch_a_raw_count(small_counts):
    """The walk's checks fail on a response that holds a raw value, in each position."""
    raw = forbidden(small_counts)

    class Response:
        status_code = 200

        def __init__(self, body: str, kind: str) -> None:
            self.content = body.encode()
            self.headers = {"Content-Type": kind}

        def get(self, name: str, default: str = "") -> str:
            return self.headers.get(name, default)

    for body, kind in [
        ('<table><tr><td class="num">4</td></tr></table>', "text/html"),
        ('<table><tr><td class="num">1,204</td></tr></table>', "text/html"),
        ("period,value\r\n2021,5\r\n", "text/csv"),
        ('{"rows": [{"value": 2}]}', "application/json"),
        ('{"items": [{"before": {"value": 10}}]}', "application/json"),
        ("<p>In Waikato 23,473 people</p>", "text/html"),
        ('<p data-x="10007.000000"></p>', "text/html"),
        ("<p>an uptake of 37.71%</p>", "text/html"),
    ]:
        with pytest.raises(AssertionError):
            check(Response(body, kind), "/", {}, raw)
    # …and pass an honest one (a token holding the digits is not a number).
    honest = '<td class="num">23,472</td><td class="num">S</td><input value="ab10007cd">'
    check(Response(honest, "text/html"), "/", {}, raw)


# --- the structural check ----------------------------------------------------------------------

RAW = ("value", "lower", "upper")
# Queryset methods and expressions whose string arguments name columns.
NAMING = {"values", "values_list", "only", "order_by", "annotate", "aggregate", "distinct",
          "F", "Sum", "Max", "Min", "Avg", "Count", "Coalesce"}  # fmt: skip
# Queryset methods whose keyword arguments are lookups.
LOOKUPS = {"filter", "exclude", "get", "update", "create", "get_or_create", "update_or_create",
           "annotate", "aggregate"}  # fmt: skip
# What makes an observation queryset safe to iterate: it selects named columns only (which
# NAMING then checks), or it returns no row at all.
NARROWING = {"values", "values_list", "count", "exists", "update", "delete", "aggregate"}
# Methods that return observation instances, whole rows with their raw columns; and the calls
# that run a queryset given to them. A queryset kept in a variable is judged where it is narrowed
# (``values_list``) — the scanner does not follow variables, so it may miss such a read, never
# flag a safe one.
LOADING = {"get", "first", "last", "latest", "earliest", "iterator", "in_bulk", "get_or_create"}
MATERIALISING = {"list", "tuple", "set", "sorted", "next", "iter", "len"}
# The modules whose work is the stored values: reading the file in, writing it, publishing it
# through the one door, checking what publication would show, and the models.
ALLOWED = {
    "commons/importing.py",
    "commons/publishing.py",
    "commons/bulk.py",
    "commons/models.py",
    "commons/confidentiality.py",
    "commons/checker.py",
    # The restricted door: stored values for a person granted access, each read checked
    # against the access and written to the audit chain.
    "commons/restricted.py",
}


def _raw_name(text: Any) -> bool:
    return isinstance(text, str) and text.split("__")[0] in RAW


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _is_observations(node: ast.AST) -> bool:
    """``Observation.objects`` or a version's ``.observations`` manager."""
    if isinstance(node, ast.Attribute) and node.attr == "objects":
        return isinstance(node.value, ast.Name) and node.value.id == "Observation"
    return isinstance(node, ast.Attribute) and node.attr == "observations"


def raw_reads(source: str) -> list[tuple[int, str]]:
    """Lines that read a raw observation column: a string or lookup naming ``value``, ``lower``
    or ``upper`` given to a queryset method, or observation rows loaded whole."""
    tree = ast.parse(source)
    found: list[tuple[int, str]] = []
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _callee(node)
            if name in NAMING:
                for arg in node.args:
                    items = arg.elts if isinstance(arg, ast.Tuple | ast.List) else [arg]
                    for item in items:
                        if isinstance(item, ast.Constant) and _raw_name(item.value):
                            found.append((node.lineno, f"{name}({item.value!r})"))
            if name in LOOKUPS:
                for keyword in node.keywords:
                    if _raw_name(keyword.arg):
                        found.append((node.lineno, f"{name}({keyword.arg}=…)"))
        if _is_observations(node):
            # Up the chain of .filter(…).order_by(…)…: safe only if it narrows the columns.
            chain: set[str] = set()
            current = node
            while True:
                parent = parents.get(current)
                if isinstance(parent, ast.Attribute) and parent.value is current:
                    chain.add(parent.attr)
                    current = parent
                elif isinstance(parent, ast.Call) and parent.func is current:
                    current = parent
                else:
                    break
            outer = parents.get(current)
            iterated = (
                isinstance(outer, ast.For | ast.comprehension) and outer.iter is current
            ) or (isinstance(outer, ast.Call) and _callee(outer) in MATERIALISING)
            if not chain & NARROWING and (chain & LOADING or iterated):
                found.append((getattr(node, "lineno", 0), "observation rows loaded whole"))
    return found


SCANNED = ("commons", "dashboard", "demo")


def test_no_module_outside_the_door_reads_a_raw_column():
    root = Path(settings.BASE_DIR)
    offences = []
    scanned = 0
    for app in SCANNED:
        for path in sorted((root / app).rglob("*.py")):
            name = path.relative_to(root).as_posix()
            if name in ALLOWED or "/migrations/" in name:
                continue
            scanned += 1
            offences += [(name, line, what) for line, what in raw_reads(path.read_text())]
    assert scanned > 10
    assert not offences, offences


@pytest.mark.parametrize(
    "snippet",
    [
        'Observation.objects.filter(version=v).values("area_id", "value")',
        'Observation.objects.values_list("period_id", "lower", flat=False)',
        "version.observations.filter(value__lt=6).count()",
        'Observation.objects.aggregate(total=Sum("value"))',
        'Observation.objects.order_by("upper")[:1]',
        "for o in Observation.objects.filter(version=v):\n    print(o.shown_value)",
        "cells = list(version.observations.all())",
        "first = Observation.objects.filter(version=v).first()",
    ],
)
def test_the_scanner_finds_a_raw_read(snippet):
    assert raw_reads(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        'Observation.objects.filter(version=v).values_list("shown_value", "status")',
        "version.observations.filter(shown_value__isnull=True).count()",
        "Status.FREE.value",
        'row["value"] = found.value',
        "text.lower()",
        "Observation.objects.filter(version=v).values('area_id').distinct().order_by()",
    ],
)
def test_the_scanner_lets_published_reads_pass(snippet):
    assert raw_reads(snippet) == []
