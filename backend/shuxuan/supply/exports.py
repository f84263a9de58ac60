"""Stock on hand out to the warehouse's spreadsheet: one row per warehouse / location / SKU / lot /
owner, with the moving-average unit cost of the item and owner and the value of what is on hand
(the ledger's: the cost pool's value allocated over its rows, `selectors.stock_values`, as the
stock list and the 进销存 report show it). The 进销存 report itself: the report's rows as they are,
and a total per ownership.
Written as CSV or XLSX by `shuxuan.common.spreadsheets`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from shuxuan.common.money import to_major_str
from shuxuan.supply.models import Ownership, StockBalance
from shuxuan.supply.selectors import Flow, StockReportRow, balance_unit_cost, stock_values

CURRENCY = "CNY"
STOCK_HEADER = [
    "仓库 Warehouse",
    "库位 Location",
    "SKU",
    "品名 Item",
    "单位 Unit",
    "批次 Batch",
    "生产日期 Produced",
    "到期日 Expiry",
    "货主 Owner",
    "在库 On hand",
    "预留 Reserved",
    "可用 Available",
    "单位成本 Unit cost",
    "库存金额 Value",
]


def stock_rows(balances: QuerySet[StockBalance]) -> Iterator[list[Any]]:
    """The header, then each balance row of `balances` (already scoped and filtered), read through
    a server-side cursor."""
    yield STOCK_HEADER
    values = stock_values(balances)
    for row in balances.iterator(chunk_size=2_000):
        unit_cost = balance_unit_cost(row)
        lot = row.lot
        yield [
            row.warehouse.code,
            row.location.code,
            row.stock_item.sku_code,
            row.stock_item.name,
            row.stock_item.unit,
            lot.batch_number if lot else "",
            lot.production_date.isoformat() if lot and lot.production_date else "",
            lot.expiry_date.isoformat() if lot and lot.expiry_date else "",
            row.owner.name,
            row.on_hand,
            row.reserved,
            row.on_hand - row.reserved,
            to_major_str(unit_cost, CURRENCY),
            to_major_str(values.get(row.pk, 0), CURRENCY),
        ]


REPORT_FLOWS = [
    ("opening", "期初 Opening"),
    ("purchased", "采购入库 Purchased"),
    ("sold", "销售出库 Sold"),
    ("sampled", "样品出库 Sampled"),
    ("returned", "退货 Returned"),
    ("adjusted", "盘点/报废 Adjusted"),
    ("closing", "期末 Closing"),
]
REPORT_HEADER = [
    "SKU",
    "品名 Item",
    "货主 Owner",
    "归属 Ownership",
    "币种 Currency",
    *(f"{title} {part}" for _, title in REPORT_FLOWS for part in ("数量 Qty", "金额 Value")),
]
SUBTOTAL_LABEL = "小计 Subtotal"
TOTAL_LABEL = "合计 Total"


def _flow_cells(flows: Iterable[Flow]) -> list[Any]:
    return [cell for flow in flows for cell in (flow.quantity, to_major_str(flow.value, CURRENCY))]


def _summed(rows: list[StockReportRow]) -> list[Flow]:
    return [
        Flow(sum(getattr(row, name).quantity for row in rows), sum(getattr(row, name).value for row in rows))
        for name, _ in REPORT_FLOWS
    ]


def report_rows(report: list[StockReportRow]) -> Iterator[list[Any]]:
    """The header, each 进销存 row (units, and value in yuan from the report's fen), a subtotal per
    ownership, then the total of every row (the report screen's totals line), summed in fen."""
    yield REPORT_HEADER
    labels = dict(Ownership.choices)
    for row in report:
        flows = [getattr(row, name) for name, _ in REPORT_FLOWS]
        yield [row.sku_code, row.name, row.owner_name, labels[row.ownership], CURRENCY, *_flow_cells(flows)]
    if not report:
        return
    for ownership in sorted({row.ownership for row in report}):
        subtotal = _summed([row for row in report if row.ownership == ownership])
        yield [SUBTOTAL_LABEL, "", "", labels[ownership], CURRENCY, *_flow_cells(subtotal)]
    yield [TOTAL_LABEL, "", "", "", CURRENCY, *_flow_cells(_summed(report))]
