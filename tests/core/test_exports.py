"""Downloads: spreadsheet formulas defused, numbers written as numbers, JSON of decimals."""

import json
from decimal import Decimal

from core.exports import csv_response, json_response, spreadsheet_safe


def test_text_that_a_spreadsheet_would_run_is_written_as_text():
    for text in ("=1+1", "+64 21 000", "-cmd", "@SUM(A1)", "\t=1", "\r=1"):
        assert spreadsheet_safe(text) == "'" + text
    assert spreadsheet_safe("Māori") == "Māori"
    assert spreadsheet_safe(None) == ""


def test_numbers_stay_numbers_and_read_as_people_write_them():
    assert spreadsheet_safe(-5) == -5
    assert spreadsheet_safe(Decimal("1005.000000")) == 1005
    assert str(spreadsheet_safe(Decimal("12.500000"))) == "12.5"


def test_csv_and_json_files():
    response = csv_response("x.csv", ["a", "b"], [{"a": "=2", "b": Decimal("3.000")}])
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.content.decode("utf-8-sig").splitlines() == ["a,b", "'=2,3"]
    data = json.loads(
        json_response("x.json", {"v": Decimal("7.250000"), "n": Decimal("9")}).content
    )
    assert data == {"v": 7.25, "n": 9}
