"""Which pick, plan, rate and live session an order line belongs to, from the selection context at
pay time (docs/domain.md sections 5.6 and 6). One rule, written once in SQL, used set-based both when
the importer inserts a chunk of new lines and when a product mapping made later gives old lines
their SKU:

* **pick** — the anchor's pick of the line's SKU that was active when the buyer paid: frozen at or
  before `paid_at` and not removed by then (a pick that was never frozen — waiting for or refused
  a targeted plan — never applies). Its `plan_id` and frozen rate go on the line: the pick's ads
  rate when the line is ads-driven and the plan has one, else its rate (the rate rule's home is
  selection/line_rate.py: its Python statement, the SQL used here, and their test). No such pick: pick, plan
  and rate stay NULL (normal for platform-affiliate orders; settlement then uses the platform's
  reported rate) and the line is *not* marked unattributed.
* **ads-driven** — told only by the platform's traffic-source text in `media_type` (Douyin export
  流量来源 / 订单来源, the generic file's `media_type`): a value naming paid traffic (`ADS_PATTERN`:
  千川, 付费, 广告, 投流, 鲁班, qianchuan, ads, paid) is ads-driven. Douyin's API `media_type` (live,
  video, shop_list, others) and the other platforms say nothing about paid traffic, so their lines
  get the ordinary rate.
* **live session** — the anchor's scheduled (not cancelled) session on the line's platform whose
  window [starts_at, ends_at] contains `paid_at`; if several do (back-to-back sessions meeting at
  that second), the one whose lineup has the SKU, then the later one. A line whose `media_type`
  says it came from a video or the showcase (`OFF_LIVE_PATTERN`) is not put in a session. Sessions
  carry no platform room id, so Douyin's `media_id` is not matched (to do once selection stores one).

Attribution is frozen when it is made: a later import never rewrites it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from shuxuan.common.pg import binary_cursor
from shuxuan.selection.facade import (
    ADS_PATTERN,
    LiveSession,
    LiveSessionItem,
    LiveSessionState,
    Pick,
    pick_in_force_order,
    pick_in_force_sql,
    pick_rate_sql,
)

# PostgreSQL regular expression (case-insensitive `~*`); \m and \M are word starts and ends. The ads
# pattern is the rate rule's (selection/line_rate.py).
OFF_LIVE_PATTERN = r"(\mvideo\M|shop_list|showcase|product_?detail|视频(?!号)|橱窗|商品卡|图文)"  # 视频号 is WeChat Channels


def lateral_joins(*, anchor: str, sku: str, platform: str, paid_at: str, media_type: str) -> str:
    """`LEFT JOIN LATERAL` clauses giving `pk(id, plan_id, rate_bps)` and `ls(id)` for the row whose
    columns are the given SQL expressions. Its parameters come from `PATTERN_PARAMS`."""
    return f"""
    LEFT JOIN LATERAL (
        SELECT p.id, p.plan_id, {pick_rate_sql(pick="p", media_type=media_type)} AS rate_bps
        FROM {Pick._meta.db_table} p
        WHERE p.anchor_id = {anchor} AND p.sku_id = {sku} AND {pick_in_force_sql(pick="p", paid_at=paid_at)}
        ORDER BY {pick_in_force_order("p")}
        LIMIT 1
    ) AS pk ON true
    LEFT JOIN LATERAL (
        SELECT s.id
        FROM {LiveSession._meta.db_table} s
        WHERE s.anchor_id = {anchor} AND s.platform = {platform} AND s.state = %(scheduled)s
          AND s.starts_at <= {paid_at} AND s.starts_at >= {paid_at} - %(longest_session)s AND s.ends_at >= {paid_at}
          AND NOT coalesce({media_type}, '') ~* %(off_live_pattern)s
        ORDER BY EXISTS (
                     SELECT 1 FROM {LiveSessionItem._meta.db_table} i WHERE i.session_id = s.id AND i.sku_id = {sku}
                 ) DESC,
                 s.starts_at DESC, s.id DESC
        LIMIT 1
    ) AS ls ON true
    """


# Selection refuses a session longer than this (services._check_times); the bound keeps the
# look-up to the few sessions that started within it, however long the anchor's history.
LONGEST_SESSION = timedelta(hours=24)

PATTERN_PARAMS: dict[str, Any] = {
    "ads_pattern": ADS_PATTERN,
    "off_live_pattern": OFF_LIVE_PATTERN,
    "scheduled": LiveSessionState.SCHEDULED.value,
    "longest_session": LONGEST_SESSION,
}

# The per-row look-ups run only for the chunk's anchors that have a frozen pick or a scheduled
# session at all (a file is mostly anchors with neither, whose rows then cost a hash probe).
_CHUNK_SQL = f"""
WITH k AS (
    SELECT * FROM unnest(
        %(anchors)b::int8[], %(skus)b::int8[], %(platforms)b::text[], %(paid)b::timestamptz[], %(media)b::text[]
    ) WITH ORDINALITY AS k(anchor_id, sku_id, platform, paid_at, media_type, ord)
), anchors AS (
    SELECT a.anchor_id FROM (SELECT DISTINCT anchor_id FROM k) a
    WHERE EXISTS (SELECT 1 FROM {Pick._meta.db_table} p WHERE p.anchor_id = a.anchor_id AND p.frozen_at IS NOT NULL)
       OR EXISTS (SELECT 1 FROM {LiveSession._meta.db_table} s WHERE s.anchor_id = a.anchor_id AND s.state = %(scheduled)s)
)
SELECT k.ord, pk.id, pk.plan_id, pk.rate_bps, ls.id
FROM k JOIN anchors USING (anchor_id)
{lateral_joins(anchor="k.anchor_id", sku="k.sku_id", platform="k.platform", paid_at="k.paid_at", media_type="k.media_type")}
WHERE pk.id IS NOT NULL OR ls.id IS NOT NULL
"""


def selection_context(
    cursor: Any, rows: list[tuple[int, int | None, str, datetime, str]]
) -> dict[int, tuple[int | None, int | None, int | None, int | None]]:
    """For (anchor, sku or None, platform, paid_at, media_type) rows: {row index: (pick, plan,
    rate, session)} for the rows that have any. One query however many rows."""
    if not rows:
        return {}
    with binary_cursor(cursor) as context:  # whole columns as arrays: bound in binary (common/pg.py)
        context.execute(
            _CHUNK_SQL,
            {
                "anchors": [row[0] for row in rows],
                "skus": [row[1] for row in rows],
                "platforms": [row[2] for row in rows],
                "paid": [row[3] for row in rows],
                "media": [row[4] for row in rows],
                **PATTERN_PARAMS,
            },
            prepare=False,
        )
        return {ordinal - 1: (pick, plan, rate, session) for ordinal, pick, plan, rate, session in context.fetchall()}
