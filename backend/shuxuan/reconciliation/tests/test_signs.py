"""Signs follow the bill: a refund row keeps its negative amounts, and a row whose sign contradicts
its trade type is rejected naming the line and the field, and writes nothing."""

from __future__ import annotations

import io
from datetime import date

import pytest

from shuxuan.reconciliation.imports import bill_import
from shuxuan.reconciliation.matching import reconcile
from shuxuan.reconciliation.models import BillLine, MatchResult
from shuxuan.reconciliation.parsers import PARSERS, BillRow, Rejected

from .conftest import PERIOD, World, import_fixture, order, settle
from .test_parsers import parse


def parse_text(source: str, text: str) -> list[BillRow | Rejected]:
    return list(PARSERS[source].parse(io.BytesIO(text.encode("gb18030"))))


def test_kuaishou_refund_row_keeps_the_returned_fee_negative() -> None:
    sale, refund = parse("kuaishou", "kuaishou_bill_refund.csv")
    assert isinstance(sale, BillRow) and isinstance(refund, BillRow)
    assert (sale.gross_minor, sale.fee_minor, sale.net_minor) == (29900, 7475, 22425)
    assert (refund.line, refund.gross_minor, refund.fee_minor, refund.commission_minor, refund.net_minor) == (
        3,
        -29900,
        -7475,
        0,
        -22425,
    )


def test_kuaishou_split_refund_row_fee_of_minus_2_07_stays_minus_2_07() -> None:
    text = (
        "订单号,实际结算时间,合计收入(元),合计支出(元),技术服务费(元),达人佣金(元)\n"
        '"K9\t",2026-11-14 08:00:00,-¥41.40,-¥10.35,-¥2.07,-¥8.28\n'
    )
    (row,) = parse_text("kuaishou", text)
    assert isinstance(row, BillRow)
    assert (row.gross_minor, row.fee_minor, row.commission_minor, row.net_minor) == (-4140, -207, -828, -3105)


@pytest.mark.django_db
def test_kuaishou_refunded_after_settlement_matches_with_no_fee_mismatch(world: World) -> None:
    world.import_lines([order("K1", platform="kuaishou")])
    settle()  # run 1, cut-off 10 Nov: K1 settled
    world.import_lines([order("K1", platform="kuaishou") | {"status": "refunded", "refund_amount": "299.00"}], name="r.csv")
    settle(date(2026, 11, 15))  # run 2 claws every leg back
    report = import_fixture("kuaishou", "kuaishou_bill_refund.csv")
    assert (report.created, report.rejected) == (2, [])
    run = reconcile(period=PERIOD, source="kuaishou")
    assert (run.groups, run.matched, run.exceptions) == (1, 1, 0)
    assert not MatchResult.objects.filter(source="kuaishou").exists()


@pytest.mark.parametrize(
    ("source", "text", "field"),
    [
        (
            "douyin",
            "settle_time,request_no,order_id,settle_amount,total_income,platform_service_fee,commission,trade_type\n"
            "2026-11-12 10:00:00,R1001,D1,22425,29900,1495,5980,0\n"
            "2026-11-12 10:00:00,R1002,D2,25415,29900,-1495,5980,0\n",
            "platform_service_fee",
        ),
        (
            "douyin",
            "settle_time,request_no,order_id,settle_amount,total_income,platform_service_fee,commission,trade_type\n"
            "2026-11-12 10:00:00,R1001,D1,22425,29900,1495,5980,0\n"
            "2026-11-14 10:00:00,R2001,D1,-22425,-29900,1495,-5980,1\n",
            "platform_service_fee",
        ),
        (
            "kuaishou",
            "订单号,实际结算时间,合计收入(元),合计支出(元)\n"
            '"K1\t",2026-11-12 08:00:00,¥299.00,¥74.75\n'
            '"K2\t",2026-11-12 08:00:00,¥299.00,-¥2.07\n',
            "合计支出",
        ),
        (
            "taobao",
            "trade_id,tk_status,tk_earning_time,pay_price,total_commission_fee\n"
            "T1,3,2026-11-12 10:00:00,299.00,59.80\n"
            "T2,3,2026-11-12 10:00:00,299.00,-59.80\n",
            "total_commission_fee",
        ),
        (
            "wechat",
            "create_time,out_order_no,detail_id,amount,business_type\n"
            "2026-11-12 10:00:00,W1,d1,59.80,分账\n"
            "2026-11-12 10:00:00,W1,d2,59.80,回退\n",
            "amount",
        ),
    ],
)
@pytest.mark.django_db
def test_a_sign_contradicting_the_trade_type_is_rejected_naming_line_and_field(source: str, text: str, field: str) -> None:
    first, second = parse_text(source, text)
    assert isinstance(first, BillRow)
    assert isinstance(second, Rejected) and second.line == 3
    assert second.reason.startswith(f"{field} ") and "wrong sign" in second.reason
    report = bill_import(source=source, stream=io.BytesIO(text.encode("gb18030")), filename="signs.csv")
    assert report.created == 1 and report.rejected == [{"line": 3, "reason": second.reason}]
    assert list(BillLine.objects.values_list("natural_key", flat=True)) == [first.natural_key]


def test_an_unknown_douyin_trade_type_is_rejected() -> None:
    text = (
        "settle_time,request_no,order_id,settle_amount,total_income,platform_service_fee,commission,trade_type\n"
        "2026-11-12 10:00:00,R1001,D1,22425,29900,1495,5980,7\n"
    )
    (row,) = parse_text("douyin", text)
    assert isinstance(row, Rejected) and row.line == 2 and "unknown trade_type '7'" in row.reason


def test_an_ordinary_douyin_trade_may_net_below_zero_but_a_refund_may_not_net_above() -> None:
    # Deductions above the income leave an ordinary trade's net negative: that is the bill's figure,
    # compared with the ledger as an amount difference, not refused as a sign error.
    text = (
        "settle_time,request_no,order_id,settle_amount,total_income,platform_service_fee,commission,trade_type\n"
        "2026-11-12 10:00:00,R1001,D1,-140400,29900,1495,5980,0\n"
        "2026-11-14 10:00:00,R2001,D1,500,-29900,-1495,-5980,1\n"
    )
    ordinary, refund = parse_text("douyin", text)
    assert isinstance(ordinary, BillRow) and ordinary.net_minor == -140400
    assert isinstance(refund, Rejected) and refund.reason.startswith("settle_amount ")
