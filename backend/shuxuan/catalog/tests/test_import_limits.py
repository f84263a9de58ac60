"""Product files over an upload limit get a 400 (413 for size) naming the limit and the line, and
nothing is written (ADR 0013). Big test files are generated in tmp_path, never committed."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shuxuan.audit.models import AuditEntry
from shuxuan.catalog.models import Product, Sku
from shuxuan.catalog.tests.conftest import client_for
from shuxuan.catalog.tests.test_import import GOOD_ROWS, HEADER, csv_bytes
from shuxuan.common.tests.xlsx_files import numbered_rows, one_huge_cell, write_xlsx

pytestmark = pytest.mark.django_db


def post(cast: Any, name: str, content: bytes) -> Any:
    return client_for(cast.owner).post(
        reverse("catalog-product-import"), {"file": SimpleUploadedFile(name, content)}, format="multipart"
    )


def nothing_written() -> tuple[int, int, int]:
    return Product.objects.count(), Sku.objects.count(), AuditEntry.objects.count()


def test_a_csv_with_a_200_kib_cell_is_refused_naming_the_line_and_writes_nothing(cast: Any) -> None:
    before = nothing_written()
    huge = GOOD_ROWS[1].replace("三年陈酿；川菜之魂", "辣" * 200 * 1024)
    response = post(cast, "p.csv", csv_bytes([GOOD_ROWS[0], huge, GOOD_ROWS[2]]))
    assert response.status_code == 400
    assert response.json() == {
        "detail": "第 3 行单元格超过 65,536 字符 / row 3: a cell is longer than 65,536 characters",
        "code": "cell_too_long",
        "errors": {"file": ["第 3 行单元格超过 65,536 字符 / row 3: a cell is longer than 65,536 characters"]},
    }
    assert nothing_written() == before


def test_an_xlsx_bomb_is_refused_fast_with_a_small_answer(cast: Any, tmp_path: Path) -> None:
    before = nothing_written()
    bomb = one_huge_cell(tmp_path / "bomb.xlsx", header=HEADER.split(","), size=100 * 1024 * 1024).read_bytes()
    started = time.monotonic()
    response = post(cast, "bomb.xlsx", bomb)
    assert time.monotonic() - started < 2
    assert response.status_code == 400 and response.json()["code"] == "xlsx_ratio"
    assert len(response.content) < 4096
    assert nothing_written() == before


def test_an_xlsx_of_two_million_rows_is_refused_in_seconds_naming_the_row_limit(cast: Any, tmp_path: Path) -> None:
    before = nothing_written()
    content = write_xlsx(tmp_path / "rows.xlsx", numbered_rows(HEADER.split(","), 2_100_000)).read_bytes()
    started = time.monotonic()
    response = post(cast, "rows.xlsx", content)
    assert time.monotonic() - started < 4
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "超过行数上限：表头下最多 5,000 行 / too many rows: products files may have at most 5,000 rows below the header "
        "(row 5,002 was reached)"
    )
    assert nothing_written() == before


def test_a_file_over_the_size_limit_answers_413_naming_the_limit(cast: Any, settings: Any) -> None:
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "products": {"max_bytes": 1_000, "max_rows": 5_000}}
    before = nothing_written()
    content = csv_bytes(GOOD_ROWS * 5)
    response = post(cast, "p.csv", content)
    assert response.status_code == 413
    assert response.json()["detail"] == (
        f"文件 {len(content):,} 字节，超过上限 1,000 字节 / the file is {len(content):,} bytes; "
        "the limit for products files is 1,000 bytes"
    )
    assert nothing_written() == before


def test_a_rejected_cell_is_quoted_as_a_short_excerpt(cast: Any) -> None:
    long_price = "9" * 5_000 + "x"
    response = post(cast, "p.csv", csv_bytes([GOOD_ROWS[0].replace("9.80", long_price)]))
    assert response.status_code == 400
    assert response.json()["rejected"] == [
        {"line": 2, "field": "supply_price", "reason": f"{long_price[:80]!r}…(5,001 字符 / characters) 不是金额 / not an amount"}
    ]
    assert Product.objects.count() == 0
