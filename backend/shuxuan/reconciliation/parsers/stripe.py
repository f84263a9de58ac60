"""Stripe balance transactions, as the Dashboard or the reports API exports them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from shuxuan.common.cells import SHANGHAI, clean, ident, required_when, text
from shuxuan.reconciliation.parsers._shared import (
    BillRow,
    Layout,
    Parsed,
    money,
    read_table,
    statement_rows,
)


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
        moment = required_when(created, name="created")
        if moment.tzinfo is SHANGHAI and isinstance(created, str):  # Stripe's times are UTC
            from zoneinfo import ZoneInfo

            moment = moment.replace(tzinfo=ZoneInfo("UTC"))
        txn = ident(values.get("balance_transaction_id" if report else "id"), name="balance transaction id")
        gross = money(values, "gross" if report else "amount", in_fen=False, currency=currency, required=True)
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
            fee_minor=money(values, "fee", in_fen=False, currency=currency),
            net_minor=money(values, "net", in_fen=False, currency=currency, required=True),
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
        return read_table(statement_rows(stream, source=self.source), layouts, source=self.source)
