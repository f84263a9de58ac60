"""A large file streams: read incrementally, written chunk by chunk, memory bounded, progress moving."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from shuxuan.orders.models import ImportBatch, OrderLine
from shuxuan.orders.services import import_path
from shuxuan.orders.tests.conftest import DY_DOUBAN, DY_XIAOMAN

pytestmark = pytest.mark.django_db

HEADER = (
    "order_id,product_id,author_short_id,total_pay_amount,commission_rate,estimated_commission,"
    "flow_point,pay_success_time,item_num\n"
)


def write_douyin(path: Path, lines: int) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for n in range(lines):
            author = DY_XIAOMAN if n % 3 else "nobody"
            pay = 1000 + n % 5000
            paid = f"2025-06-{1 + n % 28:02d} 20:00:00"
            out.write(f"{7_000_000_000_000_000 + n}\t,{DY_DOUBAN},{author},{pay},3200,{pay * 32 // 100},PAY_SUCC,{paid},1\n")


def test_fifty_thousand_lines_in_bounded_memory(world, tmp_path):
    path = tmp_path / "big.csv"
    write_douyin(path, 50_000)
    seen_progress: list[int] = []

    from shuxuan.orders import importer

    original = importer.Importer._flush

    def spy(self, lines, rejected):  # type: ignore[no-untyped-def]
        original(self, lines, rejected)
        seen_progress.append(ImportBatch.objects.get(pk=self.batch.pk).rows_done)

    importer.Importer._flush = spy  # type: ignore[method-assign]
    tracemalloc.start()
    started = time.perf_counter()
    try:
        report = import_path(source="douyin", path=path)
    finally:
        importer.Importer._flush = original  # type: ignore[method-assign]
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    seconds = time.perf_counter() - started
    assert (report.created, report.rejected, report.unattributed) == (50_000, [], 16_667)
    assert OrderLine.objects.count() == 50_000
    assert seen_progress[:3] == [5_000, 10_000, 15_000] and seen_progress[-1] == 50_000
    # The whole file as parsed lines would be well over 50 MB; a chunk is a few MB. (50,000 rows is
    # over ORDERS_PARSE_AHEAD_MIN_ROWS: a child process parses, and its frames queue is bounded too.)
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    assert seconds < 60, f"{seconds:.1f} s"
    batch = ImportBatch.objects.get(pk=report.batch)
    assert (batch.rows_total, batch.rows_done) == (50_000, 50_000)
