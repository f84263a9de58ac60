"""Statement files over an upload limit get a 400 (413 for size) naming the limit and the line, and
nothing is written (ADR 0013)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from shuxuan.audit.models import AuditEntry
from shuxuan.common.tests.xlsx_files import one_huge_cell
from shuxuan.reconciliation.models import BillImport, BillLine

from .conftest import FIXTURES, World

pytestmark = pytest.mark.django_db


def post(world: World, name: str, content: bytes) -> Any:
    client = APIClient()
    client.force_authenticate(world.finance)
    return client.post(
        "/api/reconciliation/imports/", {"source": "douyin", "file": SimpleUploadedFile(name, content)}, format="multipart"
    )


def counts() -> tuple[int, int, int]:
    return BillImport.objects.count(), BillLine.objects.count(), AuditEntry.objects.count()


def test_a_csv_with_a_200_kib_cell_is_refused_naming_the_line_and_writes_nothing(world: World) -> None:
    lines = (FIXTURES / "douyin_settle_bill.csv").read_text("utf-8").splitlines()
    lines[3] = lines[3].replace("精选联盟", "辣" * 200 * 1024, 1)
    before = counts()
    response = post(world, "bill.csv", ("\n".join(lines) + "\n").encode())
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "file": ["第 4 行单元格超过 65,536 字符 / row 4: a cell is longer than 65,536 characters"]
    }
    assert counts() == before


def test_a_file_over_the_size_limit_answers_413_and_writes_nothing(world: World, settings: Any) -> None:
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "bills": {"max_bytes": 100, "max_rows": 10}}
    content = (FIXTURES / "douyin_settle_bill.csv").read_bytes()
    before = counts()
    response = post(world, "bill.csv", content)
    assert response.status_code == 413
    assert response.json()["detail"] == (
        f"文件 {len(content):,} 字节，超过上限 100 字节 / the file is {len(content):,} bytes; "
        "the limit for bills files is 100 bytes"
    )
    assert counts() == before


def test_an_xlsx_bomb_is_refused_with_a_small_answer(world: World, tmp_path: Path) -> None:
    bomb = one_huge_cell(tmp_path / "bomb.xlsx", header=["settle_time", "order_id"], size=100 * 1024 * 1024).read_bytes()
    before = counts()
    response = post(world, "bomb.xlsx", bomb)
    assert response.status_code == 400 and response.json()["code"] == "xlsx_ratio"
    assert len(response.content) < 4096
    assert counts() == before


def test_a_wrong_header_with_a_huge_cell_quotes_only_an_excerpt(world: World) -> None:
    response = post(world, "x.csv", ("名称," + "x" * 60_000 + "\n1,2\n").encode())
    assert response.status_code == 400
    assert response.json()["detail"].endswith("First row has: 名称, " + "x" * 80 + "…(60,000 字符 / characters)")
    assert BillImport.objects.count() == 0
