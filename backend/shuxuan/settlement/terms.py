"""Freezing each order line's terms (docs/domain.md section 6: rates and legs in force at pay time).

One INSERT … SELECT per call: the platform's fee (the rate the order data reports, else the
platform's category or default rate), the commission (the pick's frozen rate, else the rate the
platform reports), the MCN binding frozen on the line, the brand of the SKU and the contract in
force at pay time (a plan-specific contract before the brand's general one) with its fees.
Contracts are history (never edited), so freezing a line late gives the terms of its pay time.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from shuxuan.catalog.facade import catalog_relations
from shuxuan.orders.facade import OrderLine
from shuxuan.selection.facade import COMMISSION_BPS_SQL
from shuxuan.settlement.models import Mode

# Other contexts' tables, by the names their facades give (ADR 0017, cross-context SQL).
ORDER_LINES = OrderLine._meta.db_table
CATALOG = catalog_relations()

# The terms a line would be frozen with now, for every line not frozen yet (`{extra}` narrows
# them). FREEZE_SQL inserts them; the earnings estimate reads them for lines imported since the last
# freeze without writing (`selectors.earnings`). Both therefore freeze by the one statement of the rule.
TERMS_COLUMNS = (
    "line_id", "platform", "currency", "quantity", "full_basis_minor", "platform_fee_bps", "commission_bps",
    "commission_at_source", "anchor_id", "mcn_id", "mcn_split_bps", "brand_id", "contract_id", "mode",
    "operator_margin_bps", "supply_price_minor", "fees", "problem", "frozen_at", "settled_basis_minor", "settled_run_id",
)  # fmt: skip
CONTRACT_FEES_CTE = """contract_fees AS (
    SELECT f.contract_id,
           jsonb_agg(jsonb_build_object('payee', f.payee_id, 'kind', f.kind, 'basis', f.basis, 'value', f.value) ORDER BY f.id)
               AS fees
    FROM settlement_contractfee f GROUP BY f.contract_id
)"""
UNFROZEN_TERMS_SQL = f"""
SELECT
    l.id AS line_id,
    l.platform AS platform,
    l.currency AS currency,
    l.quantity AS quantity,
    l.pay_amount_minor + l.platform_subsidy_minor AS full_basis_minor,
    COALESCE(l.service_fee_rate_bps, (pt.category_fee_bps ->> cat.code)::int, pt.service_fee_bps, %(default_fee)s)
        AS platform_fee_bps,
    {COMMISSION_BPS_SQL} AS commission_bps,
    (l.platform_commission_rate_bps IS NOT NULL OR l.estimated_commission_minor IS NOT NULL) AS commission_at_source,
    l.anchor_id AS anchor_id,
    l.mcn_id AS mcn_id,
    COALESCE(l.mcn_split_bps, 0) AS mcn_split_bps,
    p.brand_id AS brand_id,
    c.id AS contract_id,
    COALESCE(c.mode, %(consignment)s) AS mode,
    COALESCE(c.operator_margin_bps, %(default_margin)s) AS operator_margin_bps,
    CASE WHEN c.mode = %(buyout)s THEN s.supply_price_minor ELSE 0 END AS supply_price_minor,
    COALESCE(cf.fees, '[]'::jsonb) AS fees,
    CASE WHEN l.sku_id IS NULL THEN %(no_sku)s ELSE '' END AS problem,
    %(now)s AS frozen_at,
    0 AS settled_basis_minor,
    NULL AS settled_run_id
FROM {ORDER_LINES} l
LEFT JOIN {CATALOG.sku} s ON s.id = l.sku_id
LEFT JOIN {CATALOG.product} p ON p.id = s.product_id
LEFT JOIN {CATALOG.category} cat ON cat.id = p.category_id
LEFT JOIN settlement_platformterms pt ON pt.platform = l.platform
LEFT JOIN LATERAL (
    SELECT c.id, c.mode, c.operator_margin_bps FROM settlement_contract c
    WHERE c.brand_id = p.brand_id AND c.valid_from <= l.paid_at AND (c.valid_to IS NULL OR c.valid_to > l.paid_at)
      AND (c.plan_id IS NULL OR c.plan_id = l.plan_id)
    ORDER BY (c.plan_id IS NOT NULL) DESC, c.valid_from DESC, c.id DESC
    LIMIT 1
) c ON TRUE
LEFT JOIN contract_fees cf ON cf.contract_id = c.id
WHERE NOT EXISTS (SELECT 1 FROM settlement_lineterms t WHERE t.line_id = l.id)
  {{extra}}
"""
FREEZE_SQL = (
    "WITH "
    + CONTRACT_FEES_CTE
    + "\nINSERT INTO settlement_lineterms ("
    + ", ".join(TERMS_COLUMNS)
    + ")"
    + UNFROZEN_TERMS_SQL
    + "ON CONFLICT (line_id) DO NOTHING\n"
)


def line_full_basis(line: OrderLine) -> int:
    """The basis FREEZE_SQL freezes for a line not frozen yet: what the buyer paid plus the
    platform's subsidy."""
    return line.pay_amount_minor + line.platform_subsidy_minor


NO_SKU = "订单行未映射到 SKU，无法确定生产方 / the line has no SKU, so no producer"


def unfrozen_terms_filter(
    *,
    line_ids: list[int] | None = None,
    after_line_id: int | None = None,
    up_to_line_id: int | None = None,
    organization_id: int | None = None,
    anchor_id: int | None = None,
    payees: tuple[list[int], list[int]] | None = None,
) -> tuple[str, dict[str, Any]]:
    """The `{extra}` of UNFROZEN_TERMS_SQL and its parameters: the lines not frozen yet, narrowed
    to these ids, an id range, an organization's lines (as brand or MCN) or an anchor's; or, with
    `payees` = (anchor ids, organization ids), the lines that are any one of theirs (as anchor,
    as the SKU's brand or as MCN; parameters `anchors` and `orgs`)."""
    extra = ""
    params: dict[str, Any] = {
        "default_fee": settings.SETTLEMENT_DEFAULT_PLATFORM_FEE_BPS,
        "default_margin": settings.SETTLEMENT_DEFAULT_MARGIN_BPS,
        "consignment": Mode.CONSIGNMENT.value,
        "buyout": Mode.BUYOUT.value,
        "no_sku": NO_SKU,
        "now": timezone.now(),
    }
    if line_ids is not None:
        extra += " AND l.id = ANY(%(ids)s)"
        params["ids"] = line_ids
    if organization_id is not None:
        extra += " AND (p.brand_id = %(org)s OR l.mcn_id = %(org)s)"
        params["org"] = organization_id
    if anchor_id is not None:
        extra += " AND l.anchor_id = %(anchor)s"
        params["anchor"] = anchor_id
    if payees is not None:
        extra += " AND (l.anchor_id = ANY(%(anchors)s) OR p.brand_id = ANY(%(orgs)s) OR l.mcn_id = ANY(%(orgs)s))"
        params["anchors"], params["orgs"] = payees
    if after_line_id is not None:
        extra += " AND l.id > %(after)s"
        params["after"] = after_line_id
    if up_to_line_id is not None:
        extra += " AND l.id <= %(up_to)s"
        params["up_to"] = up_to_line_id
    return extra, params


def terms_freeze(
    *,
    line_ids: list[int] | None = None,
    after_line_id: int | None = None,
    up_to_line_id: int | None = None,
    organization_id: int | None = None,
    anchor_id: int | None = None,
) -> int:
    """Freeze the terms of lines that have none yet. Returns how many were frozen.

    A line without a SKU is frozen with a problem (it cannot be split until it is mapped and
    re-frozen by `terms_refreeze_problems`)."""
    extra, params = unfrozen_terms_filter(
        line_ids=line_ids,
        after_line_id=after_line_id,
        up_to_line_id=up_to_line_id,
        organization_id=organization_id,
        anchor_id=anchor_id,
    )
    sql = FREEZE_SQL.format(extra=extra)
    with transaction.atomic(), connection.cursor() as cursor:
        # No nested loops for this statement (the LATERAL contract look-up stays one, having no
        # other plan). If settlement_lineterms was ANALYZEd while (almost) empty, the planner
        # turns the NOT EXISTS into a nested-loop anti-join that seq-scans the table being
        # inserted into once per order line: quadratic, over 10 minutes for 200k lines instead
        # of 3 s. A hash anti-join reads it once. The setting is restored for the rest of the
        # caller's transaction (and undone with the savepoint if the statement fails).
        cursor.execute("SELECT current_setting('enable_nestloop')")
        previous = cursor.fetchone()[0]
        cursor.execute("SELECT set_config('enable_nestloop', 'off', true)")
        cursor.execute(sql, params)
        frozen = cursor.rowcount
        cursor.execute("SELECT set_config('enable_nestloop', %s, true)", [previous])
        return frozen


def terms_refreeze_problems() -> int:
    """Lines frozen without a SKU that have one now (mapped later) and never settled: freeze again."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""
            DELETE FROM settlement_lineterms t USING {ORDER_LINES} l
            WHERE t.line_id = l.id AND t.problem = %s AND l.sku_id IS NOT NULL AND t.settled_basis_minor = 0
              AND NOT EXISTS (SELECT 1 FROM settlement_settledleg g WHERE g.line_id = t.line_id)
            RETURNING t.line_id
            """,
            [NO_SKU],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return terms_freeze(line_ids=ids) if ids else 0
