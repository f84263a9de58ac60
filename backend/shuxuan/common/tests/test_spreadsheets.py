"""The one escaping rule every CSV and XLSX export goes through."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from shuxuan.common.spreadsheets import csv_text, safe_cell, xlsx_workbook


def test_text_starting_with_a_formula_sign_is_quoted_and_numbers_stay_numbers() -> None:
    cells = ["=1+1", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "＝1", "＋1", "－1", "＠x", "a=1", "", "'=x"]
    assert [safe_cell(c) for c in cells] == [
        "'=1+1",
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "'＝1",
        "'＋1",
        "'－1",
        "'＠x",
        "a=1",
        "",
        "'=x",
    ]
    assert [safe_cell(c) for c in ("-5.00", "+3", "12", 7, -500, Decimal("-1.50"), None)] == [
        "-5.00",
        "+3",
        "12",
        7,
        -500,
        Decimal("-1.50"),
        None,
    ]
    assert safe_cell(date(2026, 11, 1)) == date(2026, 11, 1)


def test_the_writers_apply_the_rule_to_every_cell() -> None:
    assert csv_text([["=A1", -5, "-5.00"]]) == "\ufeff'=A1,-5,-5.00\r\n"
    workbook = load_workbook(io.BytesIO(xlsx_workbook([("S", [["=A1", -5, "＠x"]])])))
    (cells,) = workbook["S"].iter_rows()
    assert [(c.value, c.data_type) for c in cells] == [("'=A1", "s"), (-5, "n"), ("'＠x", "s")]
