"""Order files over an upload limit are refused at upload with a 400 (413 for size) naming the limit
and the line: no batch, no stored file, no task (ADR 0013)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from config.celery import app as celery_app
from shuxuan.common.tests.xlsx_files import one_huge_cell
from shuxuan.orders.models import ImportBatch, OrderLine
from shuxuan.orders.services import import_path
from shuxuan.orders.tests.conftest import fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager() -> Any:
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def post(user: Any, name: str, content: bytes, platform: str = "douyin") -> Any:
    api = APIClient()
    api.force_authenticate(user)
    return api.post(
        reverse("orders-batch-list"), {"platform": platform, "file": SimpleUploadedFile(name, content)}, format="multipart"
    )


def with_huge_cell_on_row_3() -> bytes:
    """The Douyin fixture with a 200 KiB product name on its third row (the header is row 1)."""
    lines = fixture("douyin_export_gb18030.csv").read_bytes().decode("gb18030").splitlines()
    lines[2] = lines[2].replace('"老火锅底料 400g×6"', '"' + "辣" * 200 * 1024 + '"', 1)
    assert len(lines[2]) > 200 * 1024
    return ("\n".join(lines) + "\n").encode("gb18030")


def stored(media_root: Path) -> list[Path]:
    return list(media_root.rglob("*.*")) if media_root.exists() else []


def test_a_csv_with_a_200_kib_cell_is_refused_at_upload_naming_the_line(
    world: Any, media_root: Path, django_capture_on_commit_callbacks: Any
) -> None:
    content = with_huge_cell_on_row_3()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(world.finance, "douyin.csv", content)
    assert response.status_code == 400
    assert response.json()["detail"] == "第 3 行单元格超过 65,536 字符 / row 3: a cell is longer than 65,536 characters"
    assert (ImportBatch.objects.count(), OrderLine.objects.count(), len(callbacks), stored(media_root)) == (0, 0, 0, [])


def test_a_file_over_the_size_limit_answers_413_and_stores_nothing(
    world: Any, media_root: Path, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "orders": {"max_bytes": 100, "max_rows": 10}}
    content = fixture("douyin_export_gb18030.csv").read_bytes()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(world.finance, "douyin.csv", content)
    assert response.status_code == 413
    assert response.json()["detail"] == (
        f"文件 {len(content):,} 字节，超过上限 100 字节 / the file is {len(content):,} bytes; "
        "the limit for orders files is 100 bytes"
    )
    assert (ImportBatch.objects.count(), len(callbacks), stored(media_root)) == (0, 0, [])


def test_a_csv_past_the_row_limit_is_refused_at_upload(world: Any, media_root: Path, settings: Any) -> None:
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "orders": {"max_bytes": 10**9, "max_rows": 2}}
    response = post(world.finance, "douyin.csv", fixture("douyin_export_gb18030.csv").read_bytes())
    assert response.status_code == 400 and response.json()["code"] == "too_many_rows"
    assert (ImportBatch.objects.count(), stored(media_root)) == (0, [])


def test_an_xlsx_bomb_is_refused_at_upload_with_a_small_answer(world: Any, media_root: Path, tmp_path: Path) -> None:
    bomb = one_huge_cell(tmp_path / "bomb.xlsx", header=["订单id", "支付金额"], size=100 * 1024 * 1024).read_bytes()
    response = post(world.finance, "bomb.xlsx", bomb)
    assert response.status_code == 400 and response.json()["code"] == "xlsx_ratio"
    assert len(response.content) < 4096
    assert (ImportBatch.objects.count(), stored(media_root)) == (0, [])


def test_a_wrong_header_with_a_huge_cell_quotes_only_an_excerpt(world: Any, media_root: Path) -> None:
    content = ("名称," + "x" * 60_000 + "\n1,2\n").encode()
    response = post(world.finance, "x.csv", content)
    assert response.status_code == 400
    assert response.json()["detail"].endswith("First row has: 名称, " + "x" * 80 + "…(60,000 字符 / characters)")


@pytest.mark.parametrize("parse_ahead_from", [0, 1], ids=["in-process", "parsed-ahead"])
def test_the_command_fails_the_batch_naming_the_line_when_a_cell_is_too_long(
    world: Any, tmp_path: Path, settings: Any, parse_ahead_from: int
) -> None:
    settings.ORDERS_PARSE_AHEAD_MIN_ROWS = parse_ahead_from  # 1: the file is parsed by a child process
    path = tmp_path / "douyin.csv"
    path.write_bytes(with_huge_cell_on_row_3())
    report = import_path(source="douyin", path=path)
    assert report.as_json()["error"] == (
        "第 3 行单元格超过 65,536 字符 / row 3: a cell is longer than 65,536 characters "
        "（导入在第 2 行之后中断，批次未完成）/ (the import stopped after line 2; the batch is not done)"
    )
    assert OrderLine.objects.count() == 0


def test_a_rejected_row_quotes_its_cell_as_a_short_excerpt(world: Any, tmp_path: Path) -> None:
    lines = fixture("generic_day1.csv").read_text("utf-8").splitlines()
    amount = "1" * 5_000 + "元元"
    lines[1] = lines[1].replace("¥100.00", amount, 1)
    path = tmp_path / "generic.csv"
    path.write_text("\n".join(lines[:2]) + "\n", "utf-8")
    report = import_path(source="generic", path=path).as_json()
    assert report["rejected"] == [
        {"line": 2, "reason": f"pay_amount {amount[:80]!r}…(5,002 字符 / characters) 不是金额 / pay_amount is not an amount"}
    ]
    assert OrderLine.objects.count() == 0


def test_a_form_field_past_django_s_body_limit_is_a_400_not_a_500(world: Any, media_root: Path) -> None:
    api = APIClient()
    api.force_authenticate(world.finance)
    response = api.post(
        reverse("orders-batch-list"),
        {"platform": "d" * 3 * 1024 * 1024, "file": SimpleUploadedFile("x.csv", b"a,b\n")},
        format="multipart",
    )
    assert response.status_code == 400
    assert (ImportBatch.objects.count(), stored(media_root)) == (0, [])


def test_an_xlsx_with_a_cell_over_the_limit_fails_its_batch_naming_row_and_column(
    world: Any, media_root: Path, tmp_path: Path, eager: None, django_capture_on_commit_callbacks: Any
) -> None:
    import random
    import string

    from shuxuan.common.tests.xlsx_files import row_xml, write_xlsx

    lines = fixture("generic_day1.csv").read_text("utf-8").splitlines()
    rows = [row.split(",") for row in lines[:3]]
    noise = "".join(random.Random(3).choices(string.ascii_letters, k=200 * 1024))
    rows[2][9] = noise  # product_name of the second data row
    path = write_xlsx(tmp_path / "generic.xlsx", [row_xml(number, row) for number, row in enumerate(rows, start=1)])
    with django_capture_on_commit_callbacks(execute=True):
        response = post(world.finance, "generic.xlsx", path.read_bytes(), platform="generic")
    assert response.status_code == 201
    batch = ImportBatch.objects.get()
    assert (batch.state, batch.error) == (
        "failed",
        f"第 3 行 J 列单元格超过 65,536 字符 / row 3, column J: a cell is longer than 65,536 characters: "
        f"{noise[:80]!r}…(204,800 字符 / characters) "
        "（导入在第 2 行之后中断，批次未完成）/ (the import stopped after line 2; the batch is not done)",
    )
    assert OrderLine.objects.count() == 0
