"""Import semantics: created / updated / unchanged / rejected, events, attribution, refusal."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from shuxuan.orders.adapters import WrongFormat
from shuxuan.orders.models import EventKind, ImportBatch, OrderLine, OrderLineEvent, RejectedRow
from shuxuan.orders.services import import_path, product_mapping_create
from shuxuan.orders.tests.conftest import at, fixture
from shuxuan.parties.models import McnBinding
from shuxuan.parties.selectors import binding_in_force

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[list[Any], list[Any]]:
    lines = list(OrderLine.objects.order_by("id").values())
    events = list(OrderLineEvent.objects.order_by("id").values())
    return lines, events


def test_douyin_export_lands_good_rows_reports_bad_ones_and_attributes(world):
    report = import_path(source="douyin", path=fixture("douyin_export_gb18030.csv"))
    assert report.as_json() == {
        "ok": True,
        "batch": report.batch,
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "unattributed": 1,
        "rejected": [
            {"line": 4, "reason": "支付金额 '¥abc' 不是金额 / 支付金额 is not an amount"},
            {"line": 6, "reason": "未知订单状态 '奇怪状态' / unknown 订单状态 '奇怪状态'"},
            {
                "line": 7,
                "reason": "订单id '6.95354710260876E+18' 已被 Excel 改成科学计数法 / 订单id was mangled into scientific notation",
            },
        ],
    }
    batch = ImportBatch.objects.get(pk=report.batch)
    assert (batch.state, batch.rows_total, batch.rows_done, batch.rejected) == ("done", 7, 7, 3)
    line = OrderLine.objects.get(platform_order_id="6953547102608758621")
    assert (line.anchor_id, line.mcn_binding_id, line.mcn_id, line.mcn_split_bps) == (
        world.anchor.pk,
        world.binding.pk,
        world.mcn.pk,
        3000,
    )
    assert (line.sku_id, line.unattributed, line.attribution_issues) == (world.douban.pk, False, [])
    assert (line.pay_amount_minor, line.platform_commission_rate_bps, line.status) == (16900, 3200, "paid")
    assert (line.pick_id, line.plan_id, line.rate_bps, line.live_session_id) == (None, None, None, None)
    stranger = OrderLine.objects.get(platform_order_id="6953547102608758624")
    assert (stranger.anchor_id, stranger.mcn_id, stranger.sku_id) == (None, None, None)
    assert (stranger.unattributed, stranger.attribution_issues) == (True, ["anchor_unknown", "sku_unmapped"])
    assert list(OrderLineEvent.objects.filter(line=line).values_list("kind", "to_status")) == [("created", "paid")]


def test_importing_the_same_file_twice_changes_nothing(world):
    first = import_path(source="douyin", path=fixture("douyin_export_gb18030.csv"))
    before = snapshot()
    second = import_path(source="douyin", path=fixture("douyin_export_gb18030.csv"))
    assert (second.created, second.updated, second.unchanged, len(second.rejected)) == (0, 0, 4, 3)
    assert second.batch != first.batch
    assert snapshot() == before


def test_a_later_file_records_status_changes_and_refunds_as_events(world):
    import_path(source="douyin", path=fixture("douyin_institute_v1.csv"))
    v2 = import_path(source="douyin", path=fixture("douyin_institute_v2.csv"))
    assert (v2.created, v2.updated, v2.unchanged, v2.rejected) == (0, 2, 0, [])
    settled = OrderLine.objects.get(platform_order_id="4981234567890123401")
    refunded = OrderLine.objects.get(platform_order_id="4981234567890123402")
    assert (settled.status, settled.settled_commission_minor, settled.settled_at) == ("settled", 5408, at("2025-06-28 10:00:00"))
    assert (settled.service_fee_minor, settled.last_batch_id, settled.first_batch_id != v2.batch) == (1690, v2.batch, True)
    assert (refunded.status, refunded.refunded_minor, refunded.refunded_at) == ("refunded", 4990, at("2025-06-18 09:30:00"))
    events = list(
        OrderLineEvent.objects.filter(line=refunded).values_list("kind", "from_status", "to_status", "amount_minor", "batch_id")
    )
    assert events[1:] == [("status", "paid", "refunded", None, v2.batch), ("refund", "", "", 4990, v2.batch)]
    settle_events = list(OrderLineEvent.objects.filter(line=settled).order_by("id").values_list("kind", "occurred_at", "changes"))
    assert settle_events[1][:2] == ("status", at("2025-06-28 10:00:00"))
    assert settle_events[2][0] == "amended" and settle_events[2][2]["settled_commission_minor"] == [None, 5408]
    before = snapshot()
    again = import_path(source="douyin", path=fixture("douyin_institute_v2.csv"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    older = import_path(source="douyin", path=fixture("douyin_institute_v1.csv"))  # stale: says less than recorded
    assert (older.created, older.updated, older.unchanged) == (0, 0, 2)
    assert snapshot() == before


def test_partial_refund_from_a_later_generic_file(world):
    import_path(source="generic", path=fixture("generic_day1.csv"))
    day2 = import_path(source="generic", path=fixture("generic_day2.csv"))
    assert (day2.created, day2.updated, day2.unchanged) == (0, 2, 0)
    first = OrderLine.objects.get(platform_order_id="G-1001", platform_line_id="1")
    assert (first.status, first.refunded_minor, first.pay_amount_minor) == ("paid", 3000, 10000)
    refund = OrderLineEvent.objects.get(line=first, kind=EventKind.REFUND)
    assert (refund.amount_minor, refund.occurred_at) == (3000, at("2025-06-17 10:00:00"))
    second = OrderLine.objects.get(platform_order_id="G-1001", platform_line_id="2")
    assert second.status == "confirmed"


def test_the_same_line_twice_in_one_file_is_applied_in_order(world, tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text(
        "platform,order_id,status,paid_at,pay_amount\n"
        "douyin,T-1,paid,2025-06-01 10:00:00,10.00\n"
        "douyin,T-1,settled,2025-06-01 10:00:00,10.00\n"
    )
    report = import_path(source="generic", path=path)
    assert (report.created, report.updated) == (1, 1)
    line = OrderLine.objects.get(platform_order_id="T-1")
    assert line.status == "settled"
    assert list(OrderLineEvent.objects.filter(line=line).values_list("kind", flat=True)) == ["created", "status"]


def test_a_file_in_the_wrong_format_is_refused_and_writes_nothing(world):
    before = (ImportBatch.objects.count(), RejectedRow.objects.count(), snapshot())
    with pytest.raises(WrongFormat) as refused:
        import_path(source="douyin", path=fixture("wrong_headers.csv"))
    assert "不是抖音 Douyin订单文件" in refused.value.message and "missing columns" in refused.value.message
    with pytest.raises(WrongFormat):
        import_path(source="taobao", path=fixture("douyin_export_gb18030.csv"))
    assert (ImportBatch.objects.count(), RejectedRow.objects.count(), snapshot()) == before


def test_binding_change_mid_month_is_frozen_at_pay_time(world, tmp_path):
    McnBinding.objects.filter(pk=world.binding.pk).update(valid_to=at("2025-06-15 00:00:00"))
    new_binding = McnBinding.objects.create(
        anchor=world.anchor, mcn=world.other_mcn, split_bps=2000, valid_from=at("2025-06-15 00:00:00"), created_by=world.finance
    )
    import_path(source="douyin", path=fixture("douyin_institute_v1.csv"))  # paid 06-14 20:00 and 06-16 21:10
    before = OrderLine.objects.get(platform_order_id="4981234567890123401")
    after = OrderLine.objects.get(platform_order_id="4981234567890123402")
    assert (before.mcn_binding_id, before.mcn_id, before.mcn_split_bps) == (world.binding.pk, world.mcn.pk, 3000)
    assert (after.mcn_binding_id, after.mcn_id, after.mcn_split_bps) == (new_binding.pk, world.other_mcn.pk, 2000)
    for line in (before, after):  # the bulk look-up follows parties.selectors.binding_in_force exactly
        assert binding_in_force(anchor_id=world.anchor.pk, at=line.paid_at).pk == line.mcn_binding_id  # type: ignore[union-attr]
    # A later change of the binding never rewrites a line: a re-import leaves the frozen values.
    McnBinding.objects.filter(pk=new_binding.pk).update(valid_to=at("2025-06-16 00:00:00"))
    McnBinding.objects.create(
        anchor=world.anchor, mcn=world.mcn, split_bps=5000, valid_from=at("2025-06-16 00:00:00"), created_by=world.finance
    )
    import_path(source="douyin", path=fixture("douyin_institute_v2.csv"))
    after.refresh_from_db()
    assert (after.mcn_binding_id, after.mcn_id, after.mcn_split_bps) == (new_binding.pk, world.other_mcn.pk, 2000)


def test_a_binding_exactly_at_its_end_is_not_in_force(world, tmp_path):
    McnBinding.objects.filter(pk=world.binding.pk).update(valid_to=at("2025-06-14 20:00:00"))
    import_path(source="douyin", path=fixture("douyin_institute_v1.csv"))
    line = OrderLine.objects.get(platform_order_id="4981234567890123401")  # paid at exactly 20:00:00
    assert (line.mcn_binding_id, line.mcn_id, line.unattributed) == (None, None, False)


def test_events_are_append_only_in_the_database(world):
    import_path(source="generic", path=fixture("generic_day1.csv"))
    event = OrderLineEvent.objects.first()
    assert event is not None
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        OrderLineEvent.objects.filter(pk=event.pk).update(kind="status")
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM orders_orderlineevent WHERE id = %s", [event.pk])
    assert OrderLineEvent.objects.filter(pk=event.pk, kind="created").exists()


def test_mapping_a_product_later_fills_the_lines_without_a_sku(world):
    import_path(source="douyin", path=fixture("douyin_export_gb18030.csv"))
    stranger = OrderLine.objects.get(platform_order_id="6953547102608758624")
    product_mapping_create(
        actor=world.op_staff, platform="douyin", platform_product_id="3587421906599999999", sku_id=world.hotpot.pk
    )
    stranger.refresh_from_db()
    assert (stranger.sku_id, stranger.attribution_issues, stranger.unattributed) == (world.hotpot.pk, ["anchor_unknown"], True)
    kinds = list(OrderLineEvent.objects.filter(line=stranger).values_list("kind", flat=True))
    assert kinds == ["created", "attributed"]


def run_command(*args: str) -> tuple[int, dict]:
    out = io.StringIO()
    code = 0
    try:
        call_command("import_orders", *args, stdout=out)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, json.loads(out.getvalue().strip().splitlines()[-1])


def test_command_prints_one_json_report_and_exits_non_zero_on_failure(world):
    code, body = run_command("--platform", "kuaishou", str(fixture("kuaishou_export_bom.csv")))
    assert code == 0
    assert body == {
        "ok": True,
        "batch": body["batch"],
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "unattributed": 0,
        "rejected": [{"line": 5, "reason": "待付款的订单尚未成交，不导入 / an unpaid order is not an order line yet"}],
    }
    code, strict = run_command("--platform", "kuaishou", "--strict", str(fixture("kuaishou_export_bom.csv")))
    assert code == 1 and strict["unchanged"] == 3
    count = OrderLine.objects.count()
    code, refused = run_command("--platform", "wechat", str(fixture("wrong_headers.csv")))
    assert code == 1 and refused["ok"] is False and "missing" in refused["error"]
    code, missing = run_command("--platform", "generic", "/nonexistent/file.csv")
    assert code == 1 and "no such file" in missing["error"]
    assert OrderLine.objects.count() == count


def test_command_help():
    from shuxuan.orders.management.commands.import_orders import Command

    text = Command().create_parser("manage.py", "import_orders").format_help()
    assert "--platform" in text and "generic" in text


@pytest.mark.parametrize(
    ("source", "name", "created"),
    [
        ("taobao", "taobao_tbk.csv", 3),
        ("taobao", "taobao_export.xlsx", 3),
        ("wechat", "wechat_league.jsonl", 3),
        ("kuaishou", "kuaishou_api.json", 2),
        ("douyin", "douyin_export.xlsx", 4),
        ("douyin", "douyin_api_page.json", 2),
    ],
)
def test_every_source_imports_and_re_imports_unchanged(world, source, name, created):
    first = import_path(source=source, path=fixture(name))
    assert first.ok and first.created == created
    second = import_path(source=source, path=fixture(name))
    assert (second.created, second.updated, second.unchanged) == (0, 0, created)


def test_attribution_on_other_platforms(world):
    import_path(source="wechat", path=fixture("wechat_league.jsonl"))
    import_path(source="taobao", path=fixture("taobao_tbk.csv"))
    for line in OrderLine.objects.filter(platform__in=["wechat", "taobao"]):
        assert (line.anchor_id, line.mcn_id, line.sku_id) == (world.anchor.pk, world.mcn.pk, world.tea.pk), line


def test_known_lines_are_looked_up_by_index_probes_whatever_the_planner_prefers(world):
    """The chunk's look-up of known lines has no plan but one probe per key: even with nested loops
    discouraged (as stale statistics on a growing table did), it is no join over the whole table."""
    from shuxuan.common.pg import binary_cursor
    from shuxuan.orders.importer import EXISTING_SQL

    import_path(source="douyin", path=fixture("douyin_export_gb18030.csv"))
    keys = [["douyin"] * 5_000, [f"K{n}" for n in range(5_000)], [""] * 5_000]
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor
        cursor.execute("SET LOCAL enable_nestloop = off")
        with binary_cursor(cursor) as explain:
            explain.execute(f"EXPLAIN (FORMAT JSON) {EXISTING_SQL}", keys)
            row = explain.fetchone()
    assert row is not None
    plan = json.dumps(row[0])
    assert '"Node Type": "Nested Loop"' in plan
    assert '"Node Type": "Limit"' in plan
    assert "Hash Join" not in plan and "Merge Join" not in plan
