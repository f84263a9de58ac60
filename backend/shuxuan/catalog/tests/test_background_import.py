"""Product files over IMPORT_INLINE_MAX_ROWS are stored and imported by a task with progress (issue 15):
202 with a `ProductImport` to poll, the report once done equal to the inline one, rejected rows
failing the import with nothing written, and one brand never reading another's import."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from shuxuan.catalog import imports, tasks
from shuxuan.catalog.models import Product, ProductImport, Sku
from shuxuan.catalog.tests.conftest import client_for
from shuxuan.catalog.tests.test_import import GOOD_ROWS, csv_bytes

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


@pytest.fixture
def background(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Files of more than 2 rows go to the background; the queued ids are collected, not run."""
    settings.IMPORT_INLINE_MAX_ROWS = 2
    settings.MEDIA_ROOT = tmp_path / "media"
    queued: list[int] = []
    monkeypatch.setattr(tasks.product_import_run_task, "delay_on_commit", queued.append)
    return queued


def post(user: Any, content: bytes, name: str = "products.csv") -> Any:
    return client_for(user).post("/api/catalog/products/import/", {"file": SimpleUploadedFile(name, content)}, format="multipart")


def skus() -> list[tuple[Any, ...]]:
    return list(
        Sku.objects.order_by("code").values_list("code", "spec", "supply_price_minor", "retail_price_minor", "product__name")
    )


def test_a_big_product_file_is_queued_then_imported_with_the_inline_report(
    cast: Any, background: list[int], settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = csv_bytes(GOOD_ROWS)
    settings.IMPORT_INLINE_MAX_ROWS = 1000
    with pytest.raises(Rollback), transaction.atomic():
        inline = post(cast.owner, content)
        assert inline.status_code == 200
        inline_report, inline_skus = inline.json(), skus()
        raise Rollback
    assert Sku.objects.count() == 0
    settings.IMPORT_INLINE_MAX_ROWS = 2

    response = post(cast.owner, content)
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["rows_total"], body["rows_done"], body["progress"]) == ("queued", 3, 0, 0.0)
    record = ProductImport.objects.get(pk=body["id"])
    assert background == [record.pk] and record.brand == cast.brand
    assert not record.stored_file.name.startswith("catalog/")  # catalog/ is the public media prefix
    assert Sku.objects.count() == 0

    monkeypatch.setattr(imports, "PROGRESS_EVERY", 1)
    seen: list[tuple[str, int, int | None]] = []
    apply_group = imports._apply_group

    def spy(**kwargs: Any) -> None:  # progress as the write starts: every row was checked
        seen.append(ProductImport.objects.values_list("status", "rows_done", "rows_total").get(pk=record.pk))
        apply_group(**kwargs)

    monkeypatch.setattr(imports, "_apply_group", spy)
    assert tasks.product_import_run_task(record.pk)["status"] == "done"
    assert seen[0] == ("running", 3, 3)
    assert skus() == inline_skus
    done = client_for(cast.owner).get(f"/api/catalog/product-imports/{record.pk}/").json()
    assert (done["status"], done["progress"], done["error"]) == ("done", 1.0, "")
    assert {key: done[key] for key in ("created", "updated", "unchanged", "rejected")} == inline_report
    # Delivered again, the task finds the import done and writes nothing.
    products = Product.objects.count()
    assert tasks.product_import_run_task(record.pk)["status"] == "done"
    assert Product.objects.count() == products and skus() == inline_skus


def test_progress_counts_the_rows_checked(cast: Any, background: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    record_id = post(cast.owner, csv_bytes(GOOD_ROWS)).json()["id"]
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 1)
    stored: list[int] = []
    original = imports.product_import

    def watched(**kwargs: Any) -> Any:
        def checked(done: int, total: int) -> None:
            kwargs["on_checked"](done, total)  # the task's own callback writes rows_done
            stored.append(ProductImport.objects.values_list("rows_done", flat=True).get(pk=record_id))

        return original(**{**kwargs, "on_checked": checked})

    monkeypatch.setattr(imports, "product_import", watched)
    imports.product_import_run(import_id=record_id)
    assert stored == [1, 2, 3, 3]


def test_rejected_rows_fail_the_import_and_write_nothing(cast: Any, background: list[int]) -> None:
    bad = [GOOD_ROWS[0], GOOD_ROWS[1].replace("18.50", "十八"), GOOD_ROWS[2].replace("hotpot.butter", "no.such")]
    record_id = post(cast.owner, csv_bytes(bad)).json()["id"]
    record = imports.product_import_run(import_id=record_id)
    assert record.status == "failed"
    assert record.error == "2 处错误，整个文件未导入 / 2 problems; nothing was imported"
    assert [(r["line"], r["field"]) for r in record.rejected] == [(3, "supply_price"), (4, "category")]
    assert Product.objects.count() == Sku.objects.count() == 0


def test_the_same_bytes_while_queued_answer_the_same_import(cast: Any, background: list[int]) -> None:
    first, second = post(cast.owner, csv_bytes(GOOD_ROWS)), post(cast.owner, csv_bytes(GOOD_ROWS))
    assert (first.status_code, second.status_code) == (202, 202) and first.json()["id"] == second.json()["id"]
    assert ProductImport.objects.count() == 1 and background == [first.json()["id"]]
    # Another brand's identical file is its own import.
    other = post(cast.other_owner, csv_bytes(GOOD_ROWS))
    assert other.status_code == 202 and other.json()["id"] != first.json()["id"]


def test_a_file_without_the_required_columns_is_refused_at_upload(cast: Any, background: list[int]) -> None:
    content = ("名称,价格\n" + "冷吃兔,1\n" * 5).encode()
    response = post(cast.owner, content)
    assert response.status_code == 400 and "missing columns" in response.json()["errors"]["file"][0]
    assert ProductImport.objects.count() == 0 and background == []


def test_a_brand_reads_only_its_own_imports(cast: Any, background: list[int], django_assert_max_num_queries: Any) -> None:
    mine = post(cast.owner, csv_bytes(GOOD_ROWS)).json()["id"]
    theirs = post(cast.other_owner, csv_bytes(GOOD_ROWS[:1] + GOOD_ROWS[2:] + GOOD_ROWS[1:2])).json()["id"]
    assert client_for(cast.owner).get(f"/api/catalog/product-imports/{theirs}/").status_code == 404
    assert client_for(cast.other_owner).get(f"/api/catalog/product-imports/{mine}/").status_code == 404
    assert client_for(cast.owner).get(f"/api/catalog/product-imports/{mine}/").status_code == 200
    assert [row["id"] for row in client_for(cast.owner).get("/api/catalog/product-imports/").json()["results"]] == [mine]
    assert client_for(cast.mcn_user).get("/api/catalog/product-imports/").json()["count"] == 0
    assert client_for(cast.op_staff).get(f"/api/catalog/product-imports/{mine}/").status_code == 404
    # The list's queries do not grow with its rows.
    for n in range(10):
        ProductImport.objects.create(
            brand=cast.brand, uploaded_by=cast.owner, filename=f"{n}.csv", sha256=f"{n:064d}", status="done"
        )
    with django_assert_max_num_queries(4):  # session, count, page with its uploader (+ slack)
        listed = client_for(cast.owner).get("/api/catalog/product-imports/").json()
    assert listed["count"] == 11
