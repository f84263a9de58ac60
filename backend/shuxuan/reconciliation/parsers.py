"""One parser per statement source. Each turns a file into `BillRow`s in minor units, or
`Rejected` rows with the line number and the reason; a file that is not the source's format raises
`WrongFormat` before any row is produced, so the import writes nothing.

The cell readers (ids with a trailing tab or a leading `'`/backtick, yuan with `¥` and thousands
commas, GB18030 or UTF-8, CSV or XLSX, a title row above the header) are the order importers'
(orders/adapters/base.py). Assumptions where platform-formats.md marks a fact unverified are stated
on each parser.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from hashlib import blake2b
from typing import IO, Any

from shuxuan.common.money import to_major_str
from shuxuan.common.uploads import shorten
from shuxuan.orders.adapters.base import (
    SHANGHAI,
    RowError,
    WrongFormat,
    alias_lookup,
    clean,
    fen,
    ident,
    match_header,
    sniff_kind,
    table_rows,
    text,
    when,
    yuan,
)

HEADER_SEARCH_ROWS = 10


@dataclass(slots=True)
class BillRow:
    line: int
    natural_key: str
    occurred_on: date
    order_id: str = ""
    request_no: str = ""
    reference: str = ""
    phase: str = ""
    counterparty: str = ""
    kind: str = ""
    currency: str = "CNY"
    gross_minor: int = 0
    fee_minor: int = 0
    commission_minor: int = 0
    net_minor: int = 0
    raw: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self) -> str:
        facts = (
            self.occurred_on.isoformat(),
            self.order_id,
            self.request_no,
            self.reference,
            self.phase,
            self.counterparty,
            self.kind,
            self.currency,
            self.gross_minor,
            self.fee_minor,
            self.commission_minor,
            self.net_minor,
        )
        return blake2b(repr(facts).encode(), digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Rejected:
    line: int
    reason: str


Parsed = BillRow | Rejected
Build = Callable[[dict[str, Any], int], BillRow]


@dataclass(frozen=True)
class Layout:
    """A header layout: field -> accepted column names (the field's own name is accepted too)."""

    name: str
    columns: dict[str, tuple[str, ...]]
    required: frozenset[str]
    build: Build

    def match(self, header: list[Any]) -> dict[str, int]:
        return match_header(alias_lookup(self.columns), header)


def _day(value: Any, *, name: str) -> date:
    moment = when(value, name=name, required=True)
    assert moment is not None
    return moment.astimezone(SHANGHAI).date()


def read_table(
    rows: Iterable[list[Any]], layouts: list[Layout], *, source: str, stop: Callable[[list[Any]], bool] | None = None
) -> Iterator[Parsed]:
    """Find the header among the first rows, then read each data row through its layout."""
    iterator = iter(rows)
    seen: list[list[Any]] = []
    chosen: tuple[Layout, dict[str, int]] | None = None
    header_line = 0
    for header_line, row in enumerate(iterator, start=1):
        seen.append(row)
        for layout in layouts:
            positions = layout.match(row)
            if layout.required <= positions.keys():
                chosen = (layout, positions)
                break
        if chosen or header_line >= HEADER_SEARCH_ROWS:
            break
    if chosen is None:
        raise WrongFormat(_header_message(seen, layouts, source=source))
    layout, positions = chosen
    for number, row in enumerate(iterator, start=header_line + 1):
        if not any(clean(cell) is not None for cell in row):
            continue
        if stop is not None and stop(row):
            break
        values = {name: row[index] if index < len(row) else None for name, index in positions.items()}
        try:
            yield layout.build(values, number)
        except RowError as exc:
            yield Rejected(number, str(exc))


def _header_message(seen: list[list[Any]], layouts: list[Layout], *, source: str) -> str:
    if not seen:
        return f"文件为空 / the file is empty (expected a {source} statement)"
    best = max(layouts, key=lambda lay: max(len(lay.match(row).keys() & lay.required) for row in seen))
    best_row = max(seen, key=lambda row: len(best.match(row).keys() & best.required))
    missing = sorted(best.required - best.match(best_row).keys())
    wanted = ", ".join(f"{name} ({'/'.join(best.columns[name][:2]) or name})" for name in missing)
    found = ", ".join(shorten(clean(c)) for c in seen[0][:12] if clean(c) is not None)
    return (
        f"不是{source}对账文件：缺少列 {wanted} / not a {source} statement: missing columns {', '.join(missing)}. "
        f"First row has: {found or '(nothing)'}"
    )


def json_rows(stream: IO[bytes], *, list_keys: tuple[str, ...], source: str) -> Iterator[list[Any]]:
    """A JSON response (or list of items) as a header row plus value rows, for `read_table`."""
    try:
        document = json.loads(stream.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WrongFormat(f"JSON 无法解析 / not valid JSON: {exc}") from None
    items = _find_list(document, list_keys)
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise WrongFormat(f"JSON 中未找到{source}账单明细列表 / no list of {source} bill rows in this JSON")
    header = sorted({key for item in items for key in item})
    yield header
    for item in items:
        yield [item.get(key) for key in header]


def _find_list(document: Any, list_keys: tuple[str, ...]) -> Any:
    """The first list found under one of `list_keys`, breadth-first through the envelopes."""
    queue = [document]
    while queue:
        node = queue.pop(0)
        if isinstance(node, list):
            return node
        if isinstance(node, dict):
            for key in list_keys:
                if isinstance(node.get(key), list):
                    return node[key]
            queue.extend(value for value in node.values() if isinstance(value, dict | list))
    return None


def _rows(stream: IO[bytes], *, list_keys: tuple[str, ...] = (), source: str) -> Iterable[list[Any]]:
    if sniff_kind(stream) == "json":
        if not list_keys:
            raise WrongFormat(f"这是 JSON 文件，{source} 只接受 CSV 或 XLSX / this is JSON; {source} reads CSV or XLSX")
        return json_rows(stream, list_keys=list_keys, source=source)
    return table_rows(stream, kind="bills")


def _money(values: dict[str, Any], name: str, *, in_fen: bool, currency: str = "CNY", required: bool = False) -> int:
    value = values.get(name)
    amount = fen(value, name=name, required=required) if in_fen else yuan(value, name=name, currency=currency, required=required)
    return int(amount or 0)


# Signs follow the bill: a settlement row states what the shop earned and what was deducted as
# positive amounts; a refund after settlement states the same amounts negative (the returned fee
# of a refund is -2.07, not +2.07), so summing an order's rows nets a refunded order to zero, as
# the ledger's clawback legs do. A row whose amount has the other sign contradicts its trade type:
# it is rejected naming the field, never flipped and never taken.
SALE, REFUND = 1, -1


def check_signs(amounts: dict[str, int], *, sign: int, kind: str, currency: str = "CNY") -> None:
    """Every amount is zero or has `sign`; the first that does not is named."""
    for name, amount in amounts.items():
        if amount * sign < 0:
            expected = "≥ 0" if sign == SALE else "≤ 0"
            shown = to_major_str(amount, currency)
            raise RowError(
                f"{name} {shown} 的正负与交易类型 {kind} 不符（应 {expected}）/ "
                f"{name} {shown} has the wrong sign for a {kind} row (expected {expected})"
            )


# Douyin 抖店 settle bill ------------------------------------------------------------------------


class DouyinParser:
    """抖店 settle-bill detail (`order.getSettleBillDetailV3`/V1, platform-formats.md §2).

    Two layouts: the API's field names (amounts integers in **fen**; CSV/XLSX with those headers or
    the JSON response `data.data[]`), and a back-office export with Chinese headers (amounts in
    **yuan**). The export's layout was not found (§2c, U): the Chinese names accepted are the
    fields' documented meanings (结算时间, 结算单号, 子订单号, 结算金额, 平台服务费, 佣金, 团长服务费,
    总收入, 总支出, 交易类型, 阶段).

    Gross = `total_income` (what the shop earned before deductions; falls back to settle amount +
    deductions), fee = `platform_service_fee`, commission = `commission` (creator commission, plus
    `partner_commission`), net = `settle_amount`. Amounts are taken with the sign the bill states
    (a refund after settlement, trade_type 1/3, is stated negative; a row whose amounts contradict
    its trade type is rejected, see `check_signs`). Natural key:
    request number + sub-order + trade type (+ phase id when given)."""

    source = "douyin"
    api_columns: dict[str, tuple[str, ...]] = {
        "settle_time": (),
        "request_no": (),
        "order_id": (),
        "shop_order_id": (),
        "settle_amount": (),
        "total_income": (),
        "total_outcome": (),
        "platform_service_fee": (),
        "commission": (),
        "partner_commission": (),
        "colonel_service_fee": (),
        "trade_type": (),
        "flow_type_desc": ("flow_type",),
        "phase_id": (),
    }
    export_columns: dict[str, tuple[str, ...]] = {
        "settle_time": ("结算时间", "动账时间"),
        "request_no": ("结算单号", "动帐流水号", "动账流水号"),
        "order_id": ("子订单号", "子订单id", "订单id"),
        "shop_order_id": ("主订单号", "订单号", "主订单编号"),
        "settle_amount": ("结算金额", "商家实收", "结算金额(元)"),
        "total_income": ("总收入", "收入合计", "总收入(元)"),
        "total_outcome": ("总支出", "支出合计", "总支出(元)"),
        "platform_service_fee": ("平台服务费", "平台服务费(元)"),
        "commission": ("佣金", "达人佣金", "佣金(元)"),
        "partner_commission": ("服务商佣金",),
        "colonel_service_fee": ("团长服务费", "招商服务费"),
        "trade_type": ("交易类型", "结算类型"),
        "flow_type_desc": ("业务类型", "流量类型"),
        "phase_id": ("阶段", "结算阶段"),
    }
    required = frozenset({"settle_time", "request_no", "order_id", "settle_amount", "platform_service_fee", "commission"})

    # trade_type -> the sign of every amount on the row; 2 (a deposit refund, expense returned) has
    # no documented sign and is taken as stated. The export's labels are assumed (U).
    trade_signs: dict[str, int | None] = {
        "0": SALE,
        "结算": SALE,
        "1": REFUND,
        "3": REFUND,
        "结算后退款": REFUND,
        "退款": REFUND,
        "2": None,
        "保证金退款": None,
    }

    def trade_sign(self, trade_type: str) -> int | None:
        if trade_type not in self.trade_signs:
            raise RowError(
                f"未知交易类型 {trade_type!r} / unknown trade_type {trade_type!r}: the amounts' signs cannot be checked"
            )
        return self.trade_signs[trade_type]

    def layouts(self) -> list[Layout]:
        return [
            Layout("api", self.api_columns, self.required, lambda v, n: self.build(v, n, in_fen=True)),
            Layout("export", self.export_columns, self.required, lambda v, n: self.build(v, n, in_fen=False)),
        ]

    def build(self, values: dict[str, Any], number: int, *, in_fen: bool) -> BillRow:
        order_id = ident(values.get("order_id"), name="order_id")
        request_no = ident(values.get("request_no"), name="request_no")
        trade_type = text(values.get("trade_type")) or "0"
        phase = text(values.get("phase_id"))
        net = _money(values, "settle_amount", in_fen=in_fen, required=True)
        fee = _money(values, "platform_service_fee", in_fen=in_fen, required=True)
        commission = _money(values, "commission", in_fen=in_fen, required=True) + _money(
            values, "partner_commission", in_fen=in_fen
        )
        colonel = _money(values, "colonel_service_fee", in_fen=in_fen)
        income = values.get("total_income")
        gross = _money(values, "total_income", in_fen=in_fen) if clean(income) is not None else net + fee + commission + colonel
        sign = self.trade_sign(trade_type)
        if sign is not None:
            amounts = {"total_income": gross, "platform_service_fee": fee, "commission": commission}
            amounts["colonel_service_fee"] = colonel
            if sign < 0:  # an ordinary trade's net can be below zero (deductions above the income); a refund's cannot be above
                amounts["settle_amount"] = net
            check_signs(amounts, sign=sign, kind=trade_type)
        return BillRow(
            line=number,
            natural_key=":".join(part for part in (request_no, order_id, trade_type, phase) if part),
            occurred_on=_day(values.get("settle_time"), name="settle_time"),
            order_id=order_id,
            request_no=request_no,
            reference=ident(values.get("shop_order_id"), name="shop_order_id", required=False),
            phase=f"{trade_type}:{phase}" if phase else trade_type,
            kind=text(values.get("flow_type_desc")),
            gross_minor=gross,
            fee_minor=fee,
            commission_minor=commission,
            net_minor=net,
            raw={"colonel_service_fee": colonel} if colonel else {},
        )

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]:
        rows = _rows(stream, list_keys=("data",), source=self.source)
        return read_table(rows, self.layouts(), source=self.source)


# Kuaishou ---------------------------------------------------------------------------------------


class KuaishouParser:
    """Kuaishou merchant bill export (账单表, platform-formats.md §6d): 订单号, 实际结算时间,
    合计收入(元), 合计支出(元), amounts in yuan, often `¥`-prefixed.

    The export's split of 合计支出 is not documented (U). When it has 技术服务费/平台服务费 and
    达人佣金/推广佣金 columns they are read as fee and commission; without them the whole expense is
    read as the fee and `raw.split` is false, and matching compares fee + commission together.
    Signs follow the bill (tests/fixtures/kuaishou_bill_refund.csv pins it): a settlement row states
    income and expenses positive; a refund row (合计收入 negative, or zero with 合计支出 negative)
    states them negative, the returned fee included. A row mixing the two is rejected.
    Natural key: order id + settlement time (an order settled in phases has one row per phase)."""

    source = "kuaishou"
    columns: dict[str, tuple[str, ...]] = {
        "order_id": ("订单号", "订单编号"),
        "settled_at": ("实际结算时间", "结算时间"),
        "income": ("合计收入(元)", "合计收入"),
        "outcome": ("合计支出(元)", "合计支出"),
        "fee": ("技术服务费(元)", "技术服务费", "平台服务费(元)", "平台服务费"),
        "commission": ("达人佣金(元)", "达人佣金", "推广佣金(元)", "推广佣金", "分销佣金(元)"),
        "settle_amount": ("结算金额(元)", "结算金额", "实际结算金额(元)"),
    }
    required = frozenset({"order_id", "settled_at", "income", "outcome"})

    def build(self, values: dict[str, Any], number: int) -> BillRow:
        order_id = ident(values.get("order_id"), name="订单号")
        settled = when(values.get("settled_at"), name="实际结算时间", required=True)
        assert settled is not None
        income = _money(values, "income", in_fen=False, required=True)
        outcome = _money(values, "outcome", in_fen=False, required=True)
        split = clean(values.get("fee")) is not None or clean(values.get("commission")) is not None
        commission = _money(values, "commission", in_fen=False)
        fee = _money(values, "fee", in_fen=False) if split else outcome
        net = (
            _money(values, "settle_amount", in_fen=False) if clean(values.get("settle_amount")) is not None else income - outcome
        )
        refund = income < 0 or (income == 0 and outcome < 0)
        check_signs(
            {"合计收入": income, "合计支出": outcome, "技术服务费": fee, "达人佣金": commission, "结算金额": net},
            sign=REFUND if refund else SALE,
            kind="退款 refund" if refund else "结算 settlement",
        )
        return BillRow(
            line=number,
            natural_key=f"{order_id}:{settled.astimezone(SHANGHAI).isoformat(timespec='seconds')}",
            occurred_on=settled.astimezone(SHANGHAI).date(),
            order_id=order_id,
            phase=settled.astimezone(SHANGHAI).isoformat(timespec="seconds"),
            gross_minor=income,
            fee_minor=fee,
            commission_minor=commission,
            net_minor=net,
            raw={"split": split},
        )

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]:
        layout = Layout("bill", self.columns, self.required, self.build)
        return read_table(_rows(stream, source=self.source), [layout], source=self.source)


# Taobao ----------------------------------------------------------------------------------------


class TaobaoParser:
    """Taobao affiliate settlement (`taobao.tbk.order.details.get` publisher_order_dto, §4): the API
    JSON (`publisher_order_dto[]`) or a CSV/XLSX with those field names. Amounts are yuan strings.

    Only settled rows (tk_status 3) are settlement; others are rejected with their status. Gross =
    `pay_price` (settlement amount), commission = `total_commission_fee`, fee =
    `platform_special_service_fee`, net = gross − fee − commission (assumed: the bill carries no net).
    Natural key: trade_id (the sub-order) + tk_earning_time."""

    source = "taobao"
    columns: dict[str, tuple[str, ...]] = {
        "trade_id": ("子订单号",),
        "trade_parent_id": ("订单号", "父订单号"),
        "tk_status": ("订单状态",),
        "tk_earning_time": ("结算时间",),
        "pay_price": ("结算金额",),
        "total_commission_fee": ("佣金金额",),
        "platform_special_service_fee": ("平台专项服务费",),
    }
    required = frozenset({"trade_id", "tk_status", "tk_earning_time", "pay_price", "total_commission_fee"})

    def build(self, values: dict[str, Any], number: int) -> BillRow:
        trade_id = ident(values.get("trade_id"), name="trade_id")
        status = text(values.get("tk_status"), required="tk_status")
        if status not in ("3", "订单结算"):
            raise RowError(f"tk_status {status} 未结算 / the row is not settled (tk_status {status}), not a settlement")
        earned = when(values.get("tk_earning_time"), name="tk_earning_time", required=True)
        assert earned is not None
        gross = _money(values, "pay_price", in_fen=False, required=True)
        commission = _money(values, "total_commission_fee", in_fen=False, required=True)
        fee = _money(values, "platform_special_service_fee", in_fen=False)
        amounts = {"pay_price": gross, "total_commission_fee": commission, "platform_special_service_fee": fee}
        check_signs(amounts, sign=SALE, kind=f"tk_status {status}")
        return BillRow(
            line=number,
            natural_key=f"{trade_id}:{earned.astimezone(SHANGHAI).isoformat(timespec='seconds')}",
            occurred_on=earned.astimezone(SHANGHAI).date(),
            order_id=trade_id,
            reference=ident(values.get("trade_parent_id"), name="trade_parent_id", required=False),
            gross_minor=gross,
            fee_minor=fee,
            commission_minor=commission,
            net_minor=gross - fee - commission,
        )

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]:
        layout = Layout("tbk", self.columns, self.required, self.build)
        rows = _rows(stream, list_keys=("publisher_order_dto", "results"), source=self.source)
        return read_table(rows, [layout], source=self.source)


# WeChat Pay profit sharing ------------------------------------------------------------------------


class WechatParser:
    """WeChat Pay profit-sharing daily bill (`GET /v3/profitsharing/bills`, §5a): amounts in yuan,
    every value prefixed with a backtick, a detail section then a summary section with its own
    header (reading stops there). The domestic header is not published (U): the global bill's
    header (create_time, sub_mchid, transaction_id, order_id, out_order_no, detail_id,
    receiver_account, amount, business_type, status, description) and its Chinese renderings are
    accepted. Each detail row is one share (or a return, stated negative, business_type 回退).

    Assumed: `out_order_no` is the shop's order id (OrderLine.platform_order_id) — the shop asks for
    one profit sharing per order — and the shares are the commissions WeChat paid at source; only
    the commission is compared. Natural key: detail_id. Rows whose status is not SUCCESS/分账成功
    are rejected (they moved no money)."""

    source = "wechat"
    columns: dict[str, tuple[str, ...]] = {
        "create_time": ("分账发起时间", "分账时间", "分账创建时间"),
        "transaction_id": ("微信订单号", "微信支付订单号"),
        "order_id": ("微信分账单号", "分账单号"),
        "out_order_no": ("商户分账单号",),
        "detail_id": ("分账明细单号", "明细单号"),
        "receiver_account": ("分账接收方", "分账接收账号", "接收方账号"),
        "amount": ("分账金额", "分账金额(元)", "金额(元)"),
        "currency": ("币种",),
        "business_type": ("业务类型", "分账类型"),
        "status": ("处理状态", "分账结果", "状态"),
        "description": ("分账描述", "描述"),
    }
    required = frozenset({"create_time", "out_order_no", "detail_id", "amount"})
    summary_words = ("总", "汇总", "合计", "total", "笔数")

    def build(self, values: dict[str, Any], number: int) -> BillRow:
        detail_id = ident(values.get("detail_id"), name="detail_id")
        status = text(values.get("status")).upper()
        if status and status not in ("SUCCESS", "分账成功", "成功", "FINISHED"):
            raise RowError(f"分账状态 {status} 未成功 / status {status}: the share moved no money")
        currency = (text(values.get("currency")) or "CNY").upper()
        amount = _money(values, "amount", in_fen=False, currency=currency, required=True)
        business = text(values.get("business_type"))
        returned = business in ("回退", "RETURN")
        check_signs({"amount": amount}, sign=REFUND if returned else SALE, kind=business or "分账 share", currency=currency)
        return BillRow(
            line=number,
            natural_key=detail_id,
            occurred_on=_day(values.get("create_time"), name="create_time"),
            order_id=ident(values.get("out_order_no"), name="out_order_no"),
            request_no=ident(values.get("order_id"), name="order_id", required=False),
            reference=ident(values.get("transaction_id"), name="transaction_id", required=False),
            counterparty=text(values.get("receiver_account")),
            # Shares of one order to different receivers may be equal; only a repeat to the same
            # receiver is a duplicate.
            phase=text(values.get("receiver_account"))[-32:],
            kind=business,
            currency=currency,
            commission_minor=amount,
            raw={"description": text(values.get("description"))} if clean(values.get("description")) else {},
        )

    def is_summary(self, row: list[Any]) -> bool:
        first = str(clean(row[0]) or "") if row else ""
        return any(word in first.lower() for word in self.summary_words)

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]:
        layout = Layout("profitsharing", self.columns, self.required, self.build)
        return read_table(_rows(stream, source=self.source), [layout], source=self.source, stop=self.is_summary)


# Bank statement ---------------------------------------------------------------------------------


class BankParser:
    """A bank account statement CSV/XLSX (流水明细): date, amount (one signed column, or 借方/支出
    and 贷方/收入 columns), counterparty, 摘要/附言 reference, and the bank's serial number. The
    serial is the natural key; money out is negative."""

    source = "bank"
    columns: dict[str, tuple[str, ...]] = {
        "date": ("交易日期", "记账日期", "交易时间", "日期", "value_date", "booking_date"),
        "amount": ("交易金额", "金额", "发生额"),
        "debit": ("借方发生额", "借方金额", "支出金额", "支出", "debit"),
        "credit": ("贷方发生额", "贷方金额", "收入金额", "收入", "credit"),
        "counterparty": ("对方户名", "对方账户名称", "对方名称", "收(付)方名称"),
        "reference": ("摘要", "附言", "用途", "备注", "交易附言"),
        "serial": ("流水号", "交易流水号", "银行流水号", "凭证号", "transaction_id"),
        "currency": ("币种",),
    }
    required = frozenset({"date", "serial"})

    def build(self, values: dict[str, Any], number: int) -> BillRow:
        currency = (text(values.get("currency")) or "CNY").upper()
        if currency in ("人民币", "RMB"):
            currency = "CNY"
        if clean(values.get("amount")) is not None:
            amount = _money(values, "amount", in_fen=False, currency=currency, required=True)
        elif clean(values.get("debit")) is not None or clean(values.get("credit")) is not None:
            debit = abs(_money(values, "debit", in_fen=False, currency=currency))
            credit = abs(_money(values, "credit", in_fen=False, currency=currency))
            amount = credit - debit
        else:
            raise RowError("金额为空 / amount (or debit/credit) is empty")
        return BillRow(
            line=number,
            natural_key=ident(values.get("serial"), name="流水号 serial"),
            occurred_on=_day(values.get("date"), name="交易日期 date"),
            request_no=ident(values.get("serial"), name="流水号 serial"),
            reference=text(values.get("reference")),
            counterparty=text(values.get("counterparty")),
            currency=currency,
            gross_minor=amount,
            net_minor=amount,
        )

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]:
        layout = Layout("statement", self.columns, self.required, self.build)
        return read_table(_rows(stream, source=self.source), [layout], source=self.source)


# Stripe ---------------------------------------------------------------------------------------


class StripeParser:
    """Stripe balance transactions as Stripe exports them: the Dashboard's export (id, Type, Source,
    Amount, Fee, Net, Currency, Created (UTC)) or the reports API's balance / payout reconciliation
    report (balance_transaction_id, created_utc, currency, gross, fee, net, reporting_category,
    source_id). Amounts are decimals in major units, the currency lower-case. The balance
    transaction id is the natural key; `reference` is the source (tr_… for a transfer)."""

    source = "stripe"
    dashboard: dict[str, tuple[str, ...]] = {
        "id": (),
        "type": (),
        "source": (),
        "amount": (),
        "fee": (),
        "net": (),
        "currency": (),
        "created": ("created (utc)",),
        "description": (),
        "transfer_group": ("transfer group",),
    }
    report: dict[str, tuple[str, ...]] = {
        "balance_transaction_id": (),
        "created_utc": (),
        "currency": (),
        "gross": (),
        "fee": (),
        "net": (),
        "reporting_category": (),
        "source_id": (),
        "description": (),
        "automatic_payout_id": (),
    }

    def build(self, values: dict[str, Any], number: int, *, report: bool) -> BillRow:
        currency = text(values.get("currency"), required="currency").upper()
        created = values.get("created_utc" if report else "created")
        moment = when(created, name="created", required=True)
        assert moment is not None
        if moment.tzinfo is SHANGHAI and isinstance(created, str):  # Stripe's times are UTC
            from zoneinfo import ZoneInfo

            moment = moment.replace(tzinfo=ZoneInfo("UTC"))
        txn = ident(values.get("balance_transaction_id" if report else "id"), name="balance transaction id")
        gross = _money(values, "gross" if report else "amount", in_fen=False, currency=currency, required=True)
        return BillRow(
            line=number,
            natural_key=txn,
            occurred_on=moment.astimezone(SHANGHAI).date(),
            request_no=txn,
            reference=ident(values.get("source_id" if report else "source"), name="source", required=False),
            kind=text(values.get("reporting_category" if report else "type")).lower(),
            counterparty=text(values.get("automatic_payout_id")) if report else text(values.get("transfer_group")),
            currency=currency,
            gross_minor=gross,
            fee_minor=_money(values, "fee", in_fen=False, currency=currency),
            net_minor=_money(values, "net", in_fen=False, currency=currency, required=True),
            raw={"description": text(values.get("description"))} if clean(values.get("description")) else {},
        )

    def parse(self, stream: IO[bytes]) -> Iterator[Parsed]:
        layouts = [
            Layout(
                "report",
                self.report,
                frozenset({"balance_transaction_id", "created_utc", "currency", "gross", "net"}),
                lambda v, n: self.build(v, n, report=True),
            ),
            Layout(
                "dashboard",
                self.dashboard,
                frozenset({"id", "amount", "net", "currency", "created"}),
                lambda v, n: self.build(v, n, report=False),
            ),
        ]
        return read_table(_rows(stream, source=self.source), layouts, source=self.source)


PARSERS: dict[str, Any] = {
    "douyin": DouyinParser(),
    "kuaishou": KuaishouParser(),
    "taobao": TaobaoParser(),
    "wechat": WechatParser(),
    "bank": BankParser(),
    "stripe": StripeParser(),
}
