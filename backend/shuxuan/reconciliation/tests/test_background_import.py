"""Bill files over IMPORT_INLINE_MAX_ROWS are stored and imported by a task with progress (issue 15):
the upload answers 202 with the record, the task writes in chunks moving `rows_done`, and the lines
it writes are the ones the inline import writes for the same bytes. A file whose bytes stop being
text at line N fails naming line N and writes no line (ADR 0012)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from rest_framework.test import APIClient

from shuxuan.audit.models import AuditEntry
from shuxuan.parties.models import Role, User
from shuxuan.reconciliation import imports, tasks
from shuxuan.reconciliation.models import BillImport, BillLine
from shuxuan.reconciliation.parsers import LINE_FIELDS, BillRow
from shuxuan.testing.factories import UserFactory

from .conftest import FIXTURES, World

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


@pytest.fixture
def background(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every file of more than 3 rows goes to the background; the queued ids are collected, not run."""
    settings.IMPORT_INLINE_MAX_ROWS = 3
    settings.MEDIA_ROOT = tmp_path / "media"
    queued: list[int] = []
    monkeypatch.setattr(tasks.bill_import_run_task, "delay_on_commit", queued.append)
    return queued


def post(user: User, content: bytes, name: str = "bill.csv", source: str = "douyin") -> Any:
    client = APIClient()
    client.force_authenticate(user)
    return client.post(
        "/api/reconciliation/imports/", {"source": source, "file": SimpleUploadedFile(name, content)}, format="multipart"
    )


def lines() -> list[dict[str, Any]]:
    return list(BillLine.objects.order_by("natural_key").values(*LINE_FIELDS))


def test_a_big_bill_is_queued_then_imported_in_chunks_as_the_inline_import_would(
    world: World, background: list[int], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = (FIXTURES / "douyin_settle_bill.csv").read_bytes()
    settings.IMPORT_INLINE_MAX_ROWS = 1000  # the same bytes, inline, in a transaction rolled back after
    with pytest.raises(Rollback), transaction.atomic():
        inline = post(world.finance, content)
        assert inline.status_code == 201
        inline_report, inline_lines = inline.json(), lines()
        raise Rollback
    assert BillLine.objects.count() == BillImport.objects.count() == 0
    settings.IMPORT_INLINE_MAX_ROWS = 3

    response = post(world.finance, content)
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["rows_total"], body["rows_done"], body["progress"]) == ("queued", 9, 0, 0.0)
    assert "stored_file" not in body
    record = BillImport.objects.get(pk=body["id"])
    assert background == [record.pk]
    assert record.stored_file.name == f"reconciliation/imports/douyin/{record.sha256}"  # not under public catalog/
    assert BillLine.objects.count() == 0

    monkeypatch.setattr(imports, "BATCH", 4)
    seen: list[tuple[str, int]] = []
    write_chunk = imports._write_chunk

    def spy(record: BillImport, chunk: list[Any], report: Any) -> None:
        write_chunk(record, chunk, report)
        seen.append(BillImport.objects.values_list("status", "rows_done").get(pk=record.pk))

    monkeypatch.setattr(imports, "_write_chunk", spy)
    result = tasks.bill_import_run_task(record.pk)
    assert result == {"import": record.pk, "status": "done", "rows_done": 9, "error": ""}
    assert seen == [("running", 4), ("running", 8), ("running", 9)]
    assert lines() == inline_lines
    poll = APIClient()
    poll.force_authenticate(world.finance)
    done = poll.get(f"/api/reconciliation/imports/{record.pk}/").json()
    assert (done["status"], done["rows_done"], done["rows_total"], done["progress"]) == ("done", 9, 9, 1.0)
    assert (done["created"], done["updated"], done["unchanged"], done["rejected"]) == (
        inline_report["created"],
        inline_report["updated"],
        inline_report["unchanged"],
        inline_report["rejected"],
    )

    # Restart safety: the task delivered again finds the import done and does nothing.
    audits = AuditEntry.objects.count()
    assert tasks.bill_import_run_task(record.pk)["status"] == "done"
    assert AuditEntry.objects.count() == audits and lines() == inline_lines
    # The same bytes again are the same import: reported, nothing queued or written.
    again = post(world.finance, content)
    assert again.status_code == 200 and again.json()["already_imported"] and again.json()["import_id"] == record.pk
    assert background == [record.pk] and BillImport.objects.count() == 1


def test_the_same_bytes_while_queued_answer_the_same_import(world: World, background: list[int]) -> None:
    content = (FIXTURES / "douyin_settle_bill.csv").read_bytes()
    first, second = post(world.finance, content, "a.csv"), post(world.finance, content, "b.csv")
    assert (first.status_code, second.status_code) == (202, 202)
    assert first.json()["id"] == second.json()["id"]
    assert BillImport.objects.count() == 1 and background == [first.json()["id"]]


def test_a_file_that_stops_being_text_at_line_n_fails_naming_line_n_and_writes_no_line(
    world: World, background: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    header, first = (FIXTURES / "douyin_settle_bill.csv").read_bytes().splitlines()[:2]
    rows = [first.replace(b"R1001", f"R{n}".encode()) for n in range(3000)]  # about 440 KiB
    bad_line = 2501  # past the 256 KiB the encoding is sniffed from; the header is line 1
    rows[bad_line - 2] = rows[bad_line - 2].replace("精选联盟".encode(), b"\xff\xfe", 1)
    content = b"\n".join([header, *rows]) + b"\n"
    assert content.index(b"\xff\xfe") > 256 * 1024
    response = post(world.finance, content)
    assert response.status_code == 202 and response.json()["rows_total"] == 3000
    monkeypatch.setattr(imports, "BATCH", 500)  # without the whole-file check, five chunks would commit first

    record = imports.bill_import_run(import_id=response.json()["id"])
    assert record.status == "failed"
    assert f"第 {bad_line} 行" in record.error and f"at line {bad_line}," in record.error
    assert BillLine.objects.count() == 0
    assert (record.created, record.updated, record.unchanged) == (0, 0, 0)
    assert AuditEntry.objects.filter(action="reconciliation.bill_import_failed", object_id=str(record.pk)).count() == 1

    # Uploading the file again queues the same import again (one import per bytes).
    retry = post(world.finance, content)
    assert retry.status_code == 202 and retry.json()["id"] == record.pk and retry.json()["status"] == "queued"
    assert retry.json()["error"] == "" and background == [record.pk, record.pk]


def test_a_wrong_header_is_refused_at_upload_and_stores_nothing(world: World, background: list[int]) -> None:
    content = (FIXTURES / "kuaishou_bill.csv").read_bytes()
    response = post(world.finance, content)
    assert response.status_code == 400 and "file" in response.json()["errors"]
    assert BillImport.objects.count() == 0 and background == []


def test_only_operator_finance_reads_bill_imports(world: World, background: list[int]) -> None:
    response = post(world.finance, (FIXTURES / "douyin_settle_bill.csv").read_bytes())
    url = f"/api/reconciliation/imports/{response.json()['id']}/"
    reviewer = UserFactory(organization=world.operator, roles=[Role.REVIEWER])
    answers = {}
    for name, user in {"finance": world.finance, "brand": world.brand_user, "mcn": world.mcn_user, "reviewer": reviewer}.items():
        client = APIClient()
        client.force_authenticate(user)
        answers[name] = client.get(url).status_code
    assert answers == {"finance": 200, "brand": 403, "mcn": 403, "reviewer": 403}


def test_the_import_list_does_not_grow_queries_with_rows(world: World, django_assert_max_num_queries: Any) -> None:
    client = APIClient()
    client.force_authenticate(world.finance)
    for count in (2, 12):
        while BillImport.objects.count() < count:
            n = BillImport.objects.count()
            BillImport.objects.create(source="bank", sha256=f"{n:064d}", filename=f"{n}.csv", imported_by=world.finance)
        with django_assert_max_num_queries(4):  # session user, count, page (+ slack)
            listed = client.get("/api/reconciliation/imports/").json()
        assert listed["count"] == count


def test_the_fields_an_import_writes_are_the_bill_lines_columns() -> None:
    """LINE_FIELDS (which this test compares and bench/reconcile.py COPYs) is every BillLine column
    but its id and import, in the model's order, and the import writes those after the key."""
    columns = [f.name for f in BillLine._meta.concrete_fields if f.name not in ("id", "bill_import")]
    assert list(LINE_FIELDS) == columns
    row = BillRow(line=2, natural_key="k", occurred_on=date(2025, 6, 9))
    assert tuple(imports._line_values(row, "f")) == LINE_FIELDS[2:]
