"""Parsing in a second process (adapters/second_process.py) gives what parsing in process gives: the same
lines and rejected rows in the same order, the same errors, and the same import."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from shuxuan.orders import services
from shuxuan.orders.adapters import WrongFormat, adapter_for
from shuxuan.orders.adapters.base import RowDecodeError
from shuxuan.orders.adapters.second_process import parse_ahead
from shuxuan.orders.models import ImportBatch, OrderLine, OrderLineEvent
from shuxuan.orders.services import import_path
from shuxuan.orders.tests.conftest import fixture

FILES = [
    ("douyin", "douyin_export_gb18030.csv"),
    ("douyin", "douyin_export.xlsx"),
    ("douyin", "douyin_api_page.json"),
    ("kuaishou", "kuaishou_export_bom.csv"),
    ("taobao", "taobao_tbk.csv"),
    ("wechat", "wechat_league.jsonl"),
    ("generic", "generic_day1_gb18030.tsv"),
]


def in_process(source: str, path: Path) -> list[Any]:
    with path.open("rb") as stream:
        return list(adapter_for(source).parse(stream))


def children() -> set[str]:
    """This process's child processes (Linux): the parse process must not outlive its iterator."""
    return {pid for task in Path("/proc/self/task").iterdir() for pid in (task / "children").read_text().split()}


@pytest.mark.parametrize(("source", "name"), FILES)
def test_the_child_reads_every_format_as_the_adapter_does(source, name):
    expected = in_process(source, fixture(name))
    got = list(parse_ahead(source, fixture(name)))
    assert got == expected
    assert [getattr(item, "fingerprint", lambda: None)() for item in got] == [
        getattr(item, "fingerprint", lambda: None)() for item in expected
    ]
    assert got


def big_generic(path: Path, rows: int, *, tail: bytes = b"") -> Path:
    with path.open("wb") as out:
        out.write(b"platform,order_id,status,paid_at,pay_amount,author_id,product_id\n")
        for i in range(rows):
            amount = "oops" if i % 997 == 5 else f"{10 + i % 90}.50"
            out.write(f"douyin,A{i},paid,2026-10-01 20:{i % 60:02d}:00,{amount},u{i % 7},p{i % 11}\n".encode())
        out.write(tail)
    return path


def test_a_long_file_arrives_whole_and_in_order(tmp_path):
    path = big_generic(tmp_path / "long.csv", 12_345)
    got = list(parse_ahead("generic", path))
    assert got == in_process("generic", path)
    assert len(got) == 12_345
    assert sum(hasattr(item, "reason") for item in got) == 13  # i % 997 == 5 for 13 values of i


def test_errors_come_back_with_their_type_and_message(tmp_path):
    with pytest.raises(WrongFormat) as in_child:
        list(parse_ahead("douyin", fixture("wrong_headers.csv")))
    with pytest.raises(WrongFormat) as here:
        in_process("douyin", fixture("wrong_headers.csv"))
    assert in_child.value.message == here.value.message

    # Bad bytes past the encoding sniffer's first 256 KB: the rows before them land, then the error.
    broken = big_generic(tmp_path / "broken.csv", 8_000, tail=b"douyin,X1,paid,2026-10-01 20:00:00,\xff\xfe,u1,p1\n")
    got: list[Any] = []
    with pytest.raises(RowDecodeError) as decode_in_child:
        got.extend(parse_ahead("generic", broken))
    expected: list[Any] = []
    with pytest.raises(RowDecodeError) as decode_here, broken.open("rb") as stream:
        expected.extend(adapter_for("generic").parse(stream))
    assert decode_in_child.value.message == decode_here.value.message
    assert "utf-8" in decode_here.value.message
    assert got == expected
    assert len(got) > 7_000


def test_closing_the_iterator_early_stops_the_child(tmp_path):
    path = big_generic(tmp_path / "long.csv", 50_000)
    before = children()
    items = parse_ahead("generic", path)
    first = next(items)
    assert first.order_id == "A0"
    started = children() - before
    assert len(started) == 1
    items.close()
    assert not started & children()
    assert not [thread for thread in threading.enumerate() if thread.name == "orders-parse-ahead"]


@pytest.mark.django_db
def test_an_import_parsed_ahead_writes_what_an_import_in_process_writes(world, settings, monkeypatch):
    calls: list[str] = []

    def spy(source: str, path: Path) -> Any:
        calls.append(source)
        return parse_ahead(source, path)

    monkeypatch.setattr(services, "parse_ahead", spy)

    def run(threshold: int, source: str, name: str) -> tuple[dict[str, Any], list[Any], list[Any]]:
        settings.ORDERS_PARSE_AHEAD_MIN_ROWS = threshold
        with transaction.atomic():  # rolled back: the second run starts from the same world
            report = import_path(source=source, path=fixture(name)).as_json()
            assert ImportBatch.objects.get(pk=report.pop("batch")).state == "done"
            lines = list(
                OrderLine.objects.order_by("platform_order_id", "platform_line_id").values_list(
                    "platform_order_id", "fingerprint", "status", "paid_at", "refunded_minor", "anchor_id", "sku_id", "mcn_id"
                )
            )
            events = list(
                OrderLineEvent.objects.order_by("line__platform_order_id", "id").values_list("kind", "to_status", "changes")
            )
            transaction.set_rollback(True)
        return report, lines, events

    for source, name in (("douyin", "douyin_export_gb18030.csv"), ("generic", "generic_day1.csv")):
        here = run(0, source, name)
        assert calls == []
        ahead = run(1, source, name)
        assert calls == [source]
        calls.clear()
        assert ahead == here
        assert here[0]["created"] > 0
        assert here[1]
