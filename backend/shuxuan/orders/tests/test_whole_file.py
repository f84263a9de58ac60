"""A file is refused whole or imported whole: bytes that stop being text anywhere in the file (past
the 256 KiB the encoding is sniffed on, past the first chunk of 5,000 rows) refuse it before any
row is written, naming the line and the byte offset."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shuxuan.common.exceptions import DomainError
from shuxuan.orders.adapters import WrongFormat
from shuxuan.orders.adapters.base import validate_encoding
from shuxuan.orders.models import ImportBatch, OrderLine, OrderLineEvent, RejectedRow
from shuxuan.orders.tests.test_adapters import DOUYIN_EXPORT_HEADER, douyin_export_row
from shuxuan.orders.tests.test_api import client
from shuxuan.orders.tests.test_import import run_command

pytestmark = pytest.mark.django_db

ROWS = 6_000  # more than one chunk of 5,000, and well past 256 KiB
BROKEN_ROW = 5_500  # a data row: file line BROKEN_ROW + 1 (the header is line 1)


def broken_export() -> tuple[bytes, int, int]:
    """A real-shape GB18030 Douyin export whose line BROKEN_ROW + 1 holds a byte GB18030 has not."""
    lines = [DOUYIN_EXPORT_HEADER.encode("gb18030")]
    for number in range(1, ROWS + 1):
        row = douyin_export_row(f"69535471026{number:08d}", order_source="直播", traffic_source="千川").encode("gb18030")
        if number == BROKEN_ROW:
            row = row.replace("郫县".encode("gb18030"), b"\xff\xfe", 1)
        lines.append(row)
    data = b"\r\n".join(lines) + b"\r\n"
    offset = data.index(b"\xff\xfe")
    assert offset > 256 * 1024
    return data, BROKEN_ROW + 1, offset


def counts() -> tuple[int, int, int, int]:
    return (OrderLine.objects.count(), OrderLineEvent.objects.count(), ImportBatch.objects.count(), RejectedRow.objects.count())


def test_validation_names_the_line_and_byte_of_the_first_bad_byte() -> None:
    data, line, offset = broken_export()
    with pytest.raises(WrongFormat) as refused:
        validate_encoding(io.BytesIO(data))
    assert f"line {line}, byte offset {offset} (ff)" in refused.value.message
    assert validate_encoding(io.BytesIO(data.replace(b"\xff\xfe", "郫县".encode("gb18030")))) == "gb18030"


def test_validation_across_a_block_boundary_and_a_truncated_end(monkeypatch: Any) -> None:
    from shuxuan.common import tables

    monkeypatch.setattr(tables, "VALIDATE_BLOCK", 8)  # blocks end inside a character
    data = "订单id\n中文\n".encode() + b"ab\n\xe4\xb8"  # the last character is cut off
    with pytest.raises(WrongFormat) as refused:
        validate_encoding(io.BytesIO(data))
    assert "valid utf-8 at line 4, byte offset 19 (e4 b8)" in refused.value.message
    bad = "订单id\n中文".encode("gb18030") + b"\xff\n"  # the second block starts inside 中
    with pytest.raises(WrongFormat) as refused:
        validate_encoding(io.BytesIO(bad))
    assert "valid gb18030 at line 2, byte offset 11 (ff)" in refused.value.message


@pytest.mark.parametrize("parse_ahead_from", [0, 1], ids=["in-process", "parsed-ahead"])
def test_command_refuses_the_whole_file_and_writes_nothing(world: Any, tmp_path: Path, settings: Any, parse_ahead_from: int):
    settings.ORDERS_PARSE_AHEAD_MIN_ROWS = parse_ahead_from
    data, line, offset = broken_export()
    path = tmp_path / "douyin-broken.csv"
    path.write_bytes(data)
    before = counts()
    code, body = run_command("--platform", "douyin", str(path))
    assert code == 1 and body["ok"] is False
    assert f"line {line}, byte offset {offset}" in body["error"]
    assert counts() == before


def test_upload_refuses_the_whole_file_with_400_and_stores_nothing(
    world: Any, media_root: Any, django_capture_on_commit_callbacks
):
    data, line, offset = broken_export()
    before = counts()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client(world.finance).post(
            reverse("orders-batch-list"),
            {"platform": "douyin", "file": SimpleUploadedFile("douyin-broken.csv", data)},
            format="multipart",
        )
    assert response.status_code == 400
    assert f"line {line}, byte offset {offset}" in response.json()["detail"]
    assert (counts(), len(callbacks)) == (before, 0)
    stored = list(media_root.rglob("*.*")) if media_root.exists() else []
    assert stored == []


def csv_failing_at_line(line: int) -> bytes:
    """A Douyin export whose data row on `line` holds a cell the CSV reader refuses (over its field limit)."""
    rows = [DOUYIN_EXPORT_HEADER]
    for number in range(2, line + 2):
        row = douyin_export_row(f"69535471026{number:08d}", order_source="直播", traffic_source="千川")
        rows.append(row.replace("郫县豆瓣酱 500g", '"' + "豆" * 200_000 + '"') if number == line else row)
    return ("\r\n".join(rows) + "\r\n").encode("gb18030")


@pytest.mark.parametrize("parse_ahead_from", [0, 1], ids=["in-process", "parsed-ahead"])
def test_a_csv_error_mid_file_fails_the_batch_naming_the_line(
    world: Any, tmp_path: Path, settings: Any, parse_ahead_from: int
) -> None:
    from shuxuan.orders.models import BatchState
    from shuxuan.orders.services import import_path

    settings.ORDERS_PARSE_AHEAD_MIN_ROWS = parse_ahead_from
    path = tmp_path / "douyin-long-cell.csv"
    path.write_bytes(csv_failing_at_line(6))
    report = import_path(source="douyin", path=path, chunk_rows=2)
    batch = ImportBatch.objects.get()
    assert (report.ok, batch.state) == (False, BatchState.FAILED)
    # The 200,000-character cell is past the upload limit (common/uploads.py), which names the row.
    assert batch.error.startswith("第 6 行单元格超过 65,536 字符 / row 6: a cell is longer than 65,536 characters")
    assert "the import stopped after line 5; the batch is not done" in batch.error


def test_a_parse_process_that_dies_fails_the_batch_naming_the_last_line(world: Any, tmp_path: Path, settings: Any) -> None:
    from shuxuan.orders.adapters import second_process
    from shuxuan.orders.models import BatchState
    from shuxuan.orders.services import import_path

    settings.ORDERS_PARSE_AHEAD_MIN_ROWS = 1
    data, _line, _offset = broken_export()
    path = tmp_path / "douyin.csv"
    path.write_bytes(data.replace(b"\xff\xfe", "郫县".encode("gb18030")))
    real_item = second_process._item

    def dying(values: Any) -> Any:  # the child's pipe ends after row 3,000, as if it were killed
        item = real_item(values)
        if item.line > 3_001:
            raise DomainError("读取文件的进程退出 / the process reading the file stopped (exit -9): no output")
        return item

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(second_process, "_item", dying)
        report = import_path(source="douyin", path=path)
    batch = ImportBatch.objects.get()
    assert (report.ok, batch.state) == (False, BatchState.FAILED)
    assert batch.error.endswith("(the import stopped after line 3001; the batch is not done)")
