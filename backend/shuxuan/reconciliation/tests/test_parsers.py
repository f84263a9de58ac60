"""Each parser on files shaped like the real exports (tests/fixtures/)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from shuxuan.common.tables import WrongFormat
from shuxuan.reconciliation.parsers import PARSERS, BillRow, Rejected

FIXTURES = Path(__file__).parent / "fixtures"


def parse(source: str, name: str) -> list[BillRow | Rejected]:
    return list(PARSERS[source].parse(io.BytesIO((FIXTURES / name).read_bytes())))


def test_douyin_api_csv_in_fen_with_trailing_tabs() -> None:
    rows = parse("douyin", "douyin_settle_bill.csv")
    assert all(isinstance(r, BillRow) for r in rows)
    first = rows[0]
    assert isinstance(first, BillRow)
    assert (first.natural_key, first.order_id, first.reference, first.occurred_on) == (
        "R1001:D1:0",
        "D1",
        "P1",
        date(2026, 11, 12),
    )
    assert (first.gross_minor, first.fee_minor, first.commission_minor, first.net_minor) == (29900, 1495, 5980, 22425)
    assert first.line == 2 and len(rows) == 9


def test_douyin_json_response() -> None:
    rows = parse("douyin", "douyin_settle_bill.json")
    assert [(r.order_id, r.fee_minor) for r in rows if isinstance(r, BillRow)] == [("D1", 1495), ("D2", 1795)]


def test_douyin_chinese_export_in_yuan_gb18030_with_a_title_row() -> None:
    rows = parse("douyin", "douyin_export_gb18030.csv")
    assert [
        (r.line, r.order_id, r.gross_minor, r.fee_minor, r.commission_minor, r.net_minor) for r in rows if isinstance(r, BillRow)
    ] == [
        (3, "D1", 29900, 1495, 5980, 22425),
        (4, "D2", 29900, 1795, 5980, 22125),
    ]


def test_kuaishou_bill_export_yuan_with_yen_sign_and_a_bad_row() -> None:
    rows = parse("kuaishou", "kuaishou_bill.csv")
    good = [r for r in rows if isinstance(r, BillRow)]
    assert [(r.order_id, r.gross_minor, r.fee_minor, r.net_minor, r.raw["split"]) for r in good] == [
        ("K1", 29900, 7475, 22425, False),
        ("K2", 129900, 32475, 97425, False),
    ]
    bad = [r for r in rows if isinstance(r, Rejected)]
    assert len(bad) == 1 and bad[0].line == 4 and "实际结算时间" in bad[0].reason


def test_taobao_tbk_json_settled_rows_only() -> None:
    rows = parse("taobao", "taobao_tbk_orders.json")
    good = [r for r in rows if isinstance(r, BillRow)]
    assert [(r.order_id, r.reference, r.gross_minor, r.commission_minor, r.net_minor) for r in good] == [
        ("300101", "3001", 380, 114, 266)
    ]
    assert next(r.reason for r in rows if isinstance(r, Rejected)).startswith("tk_status 12")


def test_wechat_profit_sharing_bill_backticks_and_summary_section() -> None:
    rows = parse("wechat", "wechat_profitsharing.csv")
    good = [r for r in rows if isinstance(r, BillRow)]
    assert [(r.natural_key, r.order_id, r.commission_minor, r.counterparty) for r in good] == [
        ("D3000000101", "W1", 5980, "oAnchorOpenId")
    ]
    rejected = [r for r in rows if isinstance(r, Rejected)]
    assert [r.line for r in rejected] == [3]  # CLOSED moved no money; the summary section is not read


def test_bank_statement_debit_credit_columns() -> None:
    rows = [r for r in parse("bank", "bank_statement_gb18030.csv") if isinstance(r, BillRow)]
    assert [(r.natural_key, r.net_minor) for r in rows] == [
        ("BK202611250001", -2093000),
        ("BK202611250002", -150000),
        ("BK202611240003", -80000),
        ("BK202611250004", -9900),
        ("BK202611250005", -2093000),
        ("BK202611250006", 22425),
    ]
    assert rows[0].counterparty == "宜宾叙府窖酒业有限公司" and "payout:statement:test-1" in rows[0].reference


def test_stripe_dashboard_export_utc_to_shanghai() -> None:
    rows = [r for r in parse("stripe", "stripe_balance_transactions.csv") if isinstance(r, BillRow)]
    assert [(r.natural_key, r.kind, r.reference, r.net_minor, r.fee_minor, r.currency) for r in rows] == [
        ("txn_1QaA", "transfer", "tr_1QaAtransfer0001", -20930, 0, "CNY"),
        ("txn_1QaB", "transfer", "tr_1QaBunknown00002", -5000, 0, "CNY"),
        ("txn_1QaC", "charge", "ch_1QaCcharge000003", 9680, -320, "CNY"),
    ]
    assert rows[0].occurred_on == date(2026, 11, 25)


def test_stripe_report_layout() -> None:
    text = (
        "balance_transaction_id,created_utc,available_on_utc,currency,gross,fee,net,reporting_category,source_id,description\n"
        "txn_9,2026-11-30 17:00:00,2026-11-30 17:00:00,cny,-10.00,0.00,-10.00,transfer,tr_9,x\n"
    )
    (row,) = PARSERS["stripe"].parse(io.BytesIO(text.encode()))
    assert isinstance(row, BillRow)
    assert (row.reference, row.net_minor, row.occurred_on) == ("tr_9", -1000, date(2026, 12, 1))  # 17:00 UTC is 01:00 in Shanghai


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("douyin", "kuaishou_bill.csv"),
        ("kuaishou", "douyin_settle_bill.csv"),
        ("bank", "stripe_balance_transactions.csv"),
        ("stripe", "bank_statement_gb18030.csv"),
        ("taobao", "wechat_profitsharing.csv"),
        ("wechat", "douyin_settle_bill.csv"),
    ],
)
def test_a_file_of_another_source_is_refused_naming_the_missing_columns(source: str, name: str) -> None:
    with pytest.raises(WrongFormat) as caught:
        parse(source, name)
    assert "missing columns" in caught.value.message


def test_bank_statement_as_xlsx_with_typed_cells() -> None:
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["招商银行 交易明细"])
    sheet.append(["记账日期", "交易金额", "对方户名", "摘要", "交易流水号"])
    sheet.append([datetime(2026, 11, 25, 9, 30), -1234.5, "成都蜀运", "代发 payout:statement:9:attempt:1", "CMB0001\t"])
    sheet.append([datetime(2026, 11, 25, 9, 31), 0.1, "", "利息", 20261125000002])
    out = io.BytesIO()
    workbook.save(out)
    rows = list(PARSERS["bank"].parse(io.BytesIO(out.getvalue())))
    assert [(r.line, r.natural_key, r.net_minor, r.occurred_on) for r in rows if isinstance(r, BillRow)] == [
        (3, "CMB0001", -123450, date(2026, 11, 25)),
        (4, "20261125000002", 10, date(2026, 11, 25)),
    ]


def test_wechat_equal_shares_to_two_receivers_are_not_duplicates() -> None:
    text = (
        "create_time,out_order_no,detail_id,receiver_account,amount,status\n"
        "`2026-11-16 09:00:00,`W9,`D1,`oAnchor,`30.00,`SUCCESS\n"
        "`2026-11-16 09:00:00,`W9,`D2,`1900000200,`30.00,`SUCCESS\n"
    )
    rows = [r for r in PARSERS["wechat"].parse(io.BytesIO(text.encode())) if isinstance(r, BillRow)]
    assert [(r.natural_key, r.phase, r.commission_minor) for r in rows] == [("D1", "oAnchor", 3000), ("D2", "1900000200", 3000)]


def test_a_statement_without_its_header_is_refused_naming_the_missing_columns() -> None:
    """The header search is common/tables.read_rows, the order importers' too; a statement's error
    names a statement (对账文件), an order file's an order file."""
    with pytest.raises(WrongFormat) as refused:
        list(PARSERS["kuaishou"].parse(io.BytesIO("订单号,结算时间\n1,2025-06-01\n".encode())))
    assert refused.value.message == (
        "不是kuaishou对账文件：缺少列 income (合计收入(元)/合计收入), outcome (合计支出(元)/合计支出) / "
        "not a kuaishou statement: missing columns income, outcome. First row has: 订单号, 结算时间"
    )
    with pytest.raises(WrongFormat) as empty:
        list(PARSERS["bank"].parse(io.BytesIO(b"")))
    assert empty.value.message == "文件为空 / the file is empty (expected a bank statement)"
