"""Writes of the selection context. Each service checks its input first (DomainError naming the
field), then owns one transaction in which it writes and audits; a failure leaves nothing behind.

Stock for samples and lineups is reserved through supply, whose services own durable transactions.
Those calls therefore run *outside* this context's transactions: the reservation is made first and
recorded afterwards; if recording fails the reservation is released again (a compensating release,
which supply keeps as history). Cancelling releases first and then records.

One module per business process; this package re-exports their public names.
"""

from __future__ import annotations

from shuxuan.selection.services.holds import sku_stock_link_set
from shuxuan.selection.services.picks import application_decide, pick_add, pick_remove, pick_set_note
from shuxuan.selection.services.plans import plan_create, plan_end, plan_update
from shuxuan.selection.services.sales import anchor_sales_record, anchor_sales_record_bulk
from shuxuan.selection.services.samples import (
    RULE_FIELDS,
    sample_content_record,
    sample_extension_request,
    sample_holds_settle,
    sample_request_approve,
    sample_request_cancel,
    sample_request_create,
    sample_request_reject,
    sample_request_ship,
    sample_requests_expire,
    sample_rule_set,
)
from shuxuan.selection.services.sessions import LineupInput, session_cancel, session_create, session_update
from shuxuan.selection.services.signals import (
    commission_signals_recompute_all,
    commission_signals_refresh,
    commission_signals_refresh_due,
)

__all__ = [
    "RULE_FIELDS",
    "LineupInput",
    "anchor_sales_record",
    "anchor_sales_record_bulk",
    "application_decide",
    "commission_signals_recompute_all",
    "commission_signals_refresh",
    "commission_signals_refresh_due",
    "pick_add",
    "pick_remove",
    "pick_set_note",
    "plan_create",
    "plan_end",
    "plan_update",
    "sample_content_record",
    "sample_extension_request",
    "sample_holds_settle",
    "sample_request_approve",
    "sample_request_cancel",
    "sample_request_create",
    "sample_request_reject",
    "sample_request_ship",
    "sample_requests_expire",
    "sample_rule_set",
    "session_cancel",
    "session_create",
    "session_update",
    "sku_stock_link_set",
]
