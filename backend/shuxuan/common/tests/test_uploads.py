"""The upload limits and the readers that keep to them (common/uploads.py, ADR 0013)."""

from __future__ import annotations

import io
import random
import string
import time
import tracemalloc
import zipfile
from typing import Any

import pytest

from shuxuan.common.tests.xlsx_files import numbered_rows, one_huge_cell, row_xml, write_xlsx
from shuxuan.common.uploads import UploadLimits, UploadRefused, UploadTooLarge, check_size, csv_rows, excerpt, xlsx_rows

LIMITS = UploadLimits("products", max_bytes=1_000_000, max_rows=5_000, max_cell_chars=65_536)


def test_excerpt_quotes_a_short_cell_whole_and_a_long_one_cut_with_its_length() -> None:
    assert excerpt("冷吃兔") == "'冷吃兔'"
    assert excerpt("x" * 200_000) == "'" + "x" * 80 + "'…(200,000 字符 / characters)"


def test_a_file_over_the_size_limit_is_refused_with_413_naming_the_limit() -> None:
    check_size(1_000_000, LIMITS)
    with pytest.raises(UploadTooLarge) as error:
        check_size(1_000_001, LIMITS)
    assert error.value.status_code == 413 and error.value.field == "file"
    assert error.value.message == (
        "文件 1,000,001 字节，超过上限 1,000,000 字节 / the file is 1,000,001 bytes; "
        "the limit for products files is 1,000,000 bytes"
    )


def test_a_csv_cell_over_the_limit_is_refused_naming_its_row() -> None:
    text = "a,b\n1,2\n3," + "y" * 200 * 1024 + "\n5,6\n"
    rows = csv_rows(io.StringIO(text), LIMITS)
    assert next(rows) == ["a", "b"] and next(rows) == ["1", "2"]
    with pytest.raises(UploadRefused) as error:
        next(rows)
    assert error.value.code == "cell_too_long"
    assert error.value.message == "第 3 行单元格超过 65,536 字符 / row 3: a cell is longer than 65,536 characters"


def test_a_quoted_csv_cell_spread_over_many_short_lines_is_still_one_cell() -> None:
    text = 'a,b\n1,"' + "yy\n" * 30_000 + '"\n'
    with pytest.raises(UploadRefused) as error:
        list(csv_rows(io.StringIO(text), LIMITS))
    assert error.value.message.startswith("第 2 行单元格超过 65,536 字符")


def test_a_csv_line_without_breaks_is_refused_before_it_is_held_whole() -> None:
    text = "a,b\n" + "1," * 600_000
    with pytest.raises(UploadRefused) as error:
        list(csv_rows(io.StringIO(text), LIMITS))
    assert error.value.message == "第 2 行超过 1,048,576 字符 / line 2 is longer than 1,048,576 characters"


def test_a_csv_past_the_row_limit_is_refused_at_the_first_row_over() -> None:
    limits = UploadLimits("orders", max_bytes=10**9, max_rows=3, max_cell_chars=100)
    read: list[list[str]] = []
    with pytest.raises(UploadRefused) as error:
        read.extend(csv_rows(io.StringIO("h\n1\n2\n3\n4\n5\n"), limits))
    assert read == [["h"], ["1"], ["2"], ["3"]]
    assert error.value.message == (
        "超过行数上限：表头下最多 3 行 / too many rows: orders files may have at most 3 rows below the header (row 5 was reached)"
    )


def test_an_xlsx_bomb_is_refused_before_it_is_inflated(tmp_path: Any) -> None:
    path = one_huge_cell(tmp_path / "bomb.xlsx", header=["SKU编码"], size=100 * 1024 * 1024)
    assert path.stat().st_size < 200_000
    tracemalloc.start()
    started = time.monotonic()
    try:
        with path.open("rb") as stream, pytest.raises(UploadRefused) as error:
            list(xlsx_rows(stream, LIMITS))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 2
    assert peak < 16 * 1024 * 1024
    assert error.value.code == "xlsx_ratio"
    assert "'xl/worksheets/sheet1.xml' inflates 1" in error.value.message and len(error.value.message) < 300


def test_an_xlsx_inflating_past_the_total_is_refused(tmp_path: Any, settings: Any) -> None:
    settings.UPLOAD_XLSX_MAX_UNCOMPRESSED_BYTES = 1_000_000
    path = write_xlsx(tmp_path / "big.xlsx", numbered_rows(["SKU编码"], 30_000))
    with path.open("rb") as stream, pytest.raises(UploadRefused) as error:
        list(xlsx_rows(stream, LIMITS))
    total = sum(part.file_size for part in zipfile.ZipFile(path).infolist())
    assert error.value.message == (
        f"XLSX 解压后 {total:,} 字节，超过上限 1,000,000 字节 / the workbook inflates to {total:,} bytes; "
        "the limit is 1,000,000 bytes"
    )


def test_an_xlsx_of_two_million_rows_is_refused_at_the_row_limit_in_seconds(tmp_path: Any) -> None:
    path = write_xlsx(tmp_path / "rows.xlsx", numbered_rows(["SKU编码"], 2_100_000))
    started = time.monotonic()
    with path.open("rb") as stream, pytest.raises(UploadRefused) as error:
        list(xlsx_rows(stream, LIMITS))
    assert time.monotonic() - started < 3
    assert error.value.code == "too_many_rows"
    assert "at most 5,000 rows below the header (row 5,002 was reached)" in error.value.message


def test_an_xlsx_cell_over_the_limit_is_refused_naming_row_and_column_with_an_excerpt(tmp_path: Any) -> None:
    noise = "".join(random.Random(7).choices(string.ascii_letters, k=200 * 1024))
    path = write_xlsx(tmp_path / "cell.xlsx", [row_xml(1, ["a", "b"]), row_xml(2, ["1", "2"]), row_xml(3, ["3", noise])])
    with path.open("rb") as stream, pytest.raises(UploadRefused) as error:
        list(xlsx_rows(stream, LIMITS))
    assert error.value.message == (
        f"第 3 行 B 列单元格超过 65,536 字符 / row 3, column B: a cell is longer than 65,536 characters: "
        f"{noise[:80]!r}…(204,800 字符 / characters)"
    )


def test_a_file_that_is_not_a_zip_is_refused_as_not_xlsx() -> None:
    with pytest.raises(UploadRefused) as error:
        list(xlsx_rows(io.BytesIO(b"PK\x03\x04not a zip"), LIMITS))
    assert error.value.message == "不是有效的 XLSX 文件 / not a valid XLSX file"


@pytest.mark.parametrize(("raw", "expected"), [(None, 5_000), ("12", 12)])
def test_a_limit_from_the_environment_is_a_whole_number_of_at_least_one(monkeypatch: Any, raw: str | None, expected: int) -> None:
    from config.env import env_positive_int

    if raw is None:
        monkeypatch.delenv("UPLOAD_TEST_MAX_ROWS", raising=False)
    else:
        monkeypatch.setenv("UPLOAD_TEST_MAX_ROWS", raw)
    assert env_positive_int("UPLOAD_TEST_MAX_ROWS", 5_000) == expected


@pytest.mark.parametrize("raw", ["0", "-5", "5k"])
def test_a_limit_of_zero_or_not_a_number_stops_start_up_naming_the_variable(monkeypatch: Any, raw: str) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from config.env import env_positive_int

    monkeypatch.setenv("UPLOAD_TEST_MAX_ROWS", raw)
    with pytest.raises(ImproperlyConfigured) as error:
        env_positive_int("UPLOAD_TEST_MAX_ROWS", 5_000)
    assert str(error.value).startswith(f"Environment variable UPLOAD_TEST_MAX_ROWS={raw!r}")
