"""The streaming write path shared by file imports and API pulls.

Parsed items arrive in file order; they are applied in chunks of `CHUNK_ROWS`, one transaction per
chunk, so a UI polling the batch sees `rows_done` move and memory stays flat however long the file.
Per chunk:

1. the lines already known are read with one join on (platform, order id, line id);
2. new lines are attributed (anchor account → anchor, the MCN binding in force at pay time with its
   split, the SKU mapped from the platform product id; then, in one query, the pick, plan, rate and
   live session of the selection context at pay time — orders/attribution.py) and COPYed in with
   their `created` event;
3. known lines whose facts changed get one UPDATE … FROM unnest(…) and COPYed events: a status
   change, a refund (the increase of the cumulative refunded amount), or an amendment;
4. rejected rows are stored with their row number and reason, and the batch's counts and progress
   are written.

Once the last chunk is in, the anchors' daily sales (selection's AnchorProductSales) of every
(anchor, SKU, day) the batch touched are recomputed from the lines in one transaction
(orders/sales.py): two queries for the whole batch (earlier, too, whenever `SALES_KEYS_HELD` keys
have gathered, so memory stays flat).

A row that says less than what is recorded — an older status (paid after settled) or a smaller
refund — is stale: it changes nothing and counts as unchanged. Attribution is frozen when a line
first arrives; a later file never rewrites it. The same key twice in one file is applied in order,
the second time as an update. Concurrent imports of one platform take turns chunk by chunk (a
transaction-level advisory lock), so two files with the same new line cannot both insert it.

If a run stops part-way (a worker lost), running the batch again re-reads the file: the chunks
already applied are unchanged, and lines this batch created or updated are counted as such again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from operator import attrgetter
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from shuxuan.common.exceptions import DomainError
from shuxuan.common.pg import binary_cursor, reserve_ids
from shuxuan.orders.adapters import ParsedLine, Rejected
from shuxuan.orders.adapters.base import Parsed
from shuxuan.orders.attribution import selection_context
from shuxuan.orders.models import AttributionIssue, EventKind, ImportBatch, PlatformProductMapping, RejectedRow
from shuxuan.orders.sales import SalesKey, anchor_sales_recompute, sales_key
from shuxuan.parties.facade import anchor_accounts_by_uid, mcn_bindings_of

CHUNK_ROWS = 5_000
SALES_KEYS_HELD = 100_000  # (anchor, SKU, day) keys kept for the end-of-batch recompute before it runs early
RANK = {"paid": 0, "confirmed": 1, "settled": 2, "refunded": 3, "invalid": 3}
NO_CONTEXT: tuple[None, None, None, None] = (None, None, None, None)  # pick, plan, rate, live session
STATUS_TIME = {"confirmed": "confirmed_at", "settled": "settled_at", "refunded": "refunded_at"}

# ParsedLine attribute -> OrderLine column, for every platform fact a later import may change.
FACTS: tuple[tuple[str, str, str], ...] = (
    ("author_id", "platform_author_id", "text"),
    ("product_id", "platform_product_id", "text"),
    ("product_name", "product_name", "text"),
    ("media_type", "media_type", "text"),
    ("quantity", "quantity", "int4"),
    ("currency", "currency", "text"),
    ("pay_amount_minor", "pay_amount_minor", "int8"),
    ("commission_base_minor", "commission_base_minor", "int8"),
    ("commission_rate_bps", "platform_commission_rate_bps", "int4"),
    ("estimated_commission_minor", "estimated_commission_minor", "int8"),
    ("settled_commission_minor", "settled_commission_minor", "int8"),
    ("service_fee_rate_bps", "service_fee_rate_bps", "int4"),
    ("service_fee_minor", "service_fee_minor", "int8"),
    ("refunded_minor", "refunded_minor", "int8"),
    ("platform_subsidy_minor", "platform_subsidy_minor", "int8"),
    ("status", "status", "text"),
    ("paid_at", "paid_at", "timestamptz"),
    ("confirmed_at", "confirmed_at", "timestamptz"),
    ("settled_at", "settled_at", "timestamptz"),
    ("refunded_at", "refunded_at", "timestamptz"),
)
LINE_COLUMNS = (
    "id",
    "platform",
    "platform_order_id",
    "platform_line_id",
    *(column for _, column, _ in FACTS),
    "fingerprint",
    "anchor_account_id",
    "anchor_id",
    "mcn_binding_id",
    "mcn_id",
    "mcn_split_bps",
    "sku_id",
    "unattributed",
    "attribution_issues",
    "pick_id",
    "plan_id",
    "rate_bps",
    "live_session_id",
    "first_batch_id",
    "last_batch_id",
    "created_at",
    "updated_at",
)
LINE_TYPES = [
    "int8",
    "text",
    "text",
    "text",
    *(kind for _, _, kind in FACTS),
    "text",
    "int8",
    "int8",
    "int8",
    "int8",
    "int4",
    "int8",
    "bool",
    "text",  # attribution_issues: its array literal, written by _issues_literal
    "int8",
    "int8",
    "int4",
    "int8",
    "int8",
    "int8",
    "timestamptz",
    "timestamptz",
]
# What a chunk needs of the lines it already knows, looked up by (platform, order id, line id).
EXISTING_COLUMNS = ("id", "fingerprint", "first_batch_id", "last_batch_id", "anchor_id", "sku_id", *(c for _, c, _ in FACTS))
# One index probe per key, whatever the statistics say: a LATERAL with LIMIT is not flattened into
# a join, so it cannot become a merge or hash join over the whole table — which the planner chose
# on a table never ANALYZEd (a first large import), sorting all of it for every chunk: 0.3 s a
# chunk at 300k lines and growing with the table; 0.015 s as probes.
EXISTING_SQL = (
    f"SELECT k.p, k.o, k.li, {', '.join('l.' + c for c in EXISTING_COLUMNS)} "
    "FROM unnest(%b::text[], %b::text[], %b::text[]) AS k(p, o, li) CROSS JOIN LATERAL ("
    f"SELECT {', '.join(EXISTING_COLUMNS)} FROM orders_orderline "
    "WHERE platform = k.p AND platform_order_id = k.o AND platform_line_id = k.li LIMIT 1) AS l"
)
facts_of = attrgetter(*(attr for attr, _, _ in FACTS))  # a line's FACTS values, in order


@cache
def _issues_literal(issues: tuple[str, ...]) -> str:
    """The text[] literal of attribution issues for the text COPY (psycopg's array dumper cost
    more than the rest of a line's row). Issues are AttributionIssue values: plain words."""
    if not all(issue.isidentifier() for issue in issues):
        raise ValueError(f"attribution issue not a plain word: {issues!r}")
    return "{" + ",".join(issues) + "}"


EVENT_COLUMNS = (
    "line_id",
    "batch_id",
    "kind",
    "from_status",
    "to_status",
    "amount_minor",
    "occurred_at",
    "recorded_at",
    "changes",
)
EVENT_TYPES = ["int8", "int8", "text", "text", "text", "int8", "timestamptz", "timestamptz", "jsonb"]


@dataclass
class Counts:
    rows_done: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    unattributed: int = 0


@dataclass(slots=True)
class _Binding:
    id: int
    mcn_id: int
    split_bps: int
    valid_from: datetime
    valid_to: datetime | None


@dataclass
class _Attribution:
    """Look-ups cached for one import: a file names few anchors and products many times over."""

    accounts: dict[tuple[str, str], tuple[int, int] | None] = field(default_factory=dict)
    bindings: dict[int, list[_Binding]] = field(default_factory=dict)
    skus: dict[tuple[str, str], int | None] = field(default_factory=dict)

    def load(self, lines: list[ParsedLine]) -> None:
        by_platform: dict[str, set[str]] = {}
        products: dict[str, set[str]] = {}
        for line in lines:
            if line.author_id and (line.platform, line.author_id) not in self.accounts:
                by_platform.setdefault(line.platform, set()).add(line.author_id)
            if line.product_id and (line.platform, line.product_id) not in self.skus:
                products.setdefault(line.platform, set()).add(line.product_id)
        for platform, uids in by_platform.items():
            for uid in uids:
                self.accounts[(platform, uid)] = None
            for account_id, uid, anchor_id in anchor_accounts_by_uid(platform=platform, uids=uids):
                self.accounts[(platform, uid)] = (account_id, anchor_id)
        anchors = {found[1] for found in self.accounts.values() if found} - self.bindings.keys()
        if anchors:
            for anchor_id in anchors:
                self.bindings[anchor_id] = []
            for row in mcn_bindings_of(anchors):
                self.bindings[row[1]].append(_Binding(row[0], row[2], row[3], row[4], row[5]))
        for platform, ids in products.items():
            for product_id in ids:
                self.skus[(platform, product_id)] = None
            for product_id, sku_id in PlatformProductMapping.objects.filter(
                platform=platform, platform_product_id__in=ids
            ).values_list("platform_product_id", "sku_id"):
                self.skus[(platform, product_id)] = sku_id

    def binding_at(self, anchor_id: int, at: datetime) -> _Binding | None:
        """The binding in force at `at`: the rule of parties.selectors.binding_in_force_q."""
        for binding in self.bindings.get(anchor_id, ()):
            if binding.valid_from <= at and (binding.valid_to is None or binding.valid_to > at):
                return binding
        return None

    def attribute(self, line: ParsedLine) -> tuple[Any, ...]:
        """(account, anchor, binding, mcn, split, sku, unattributed, issues) for a new line."""
        issues: list[str] = []
        account = anchor = binding_id = mcn = split = None
        if not line.author_id:
            issues.append(AttributionIssue.NO_AUTHOR)
        else:
            found = self.accounts.get((line.platform, line.author_id))
            if found is None:
                issues.append(AttributionIssue.ANCHOR_UNKNOWN)
            else:
                account, anchor = found
                binding = self.binding_at(anchor, line.paid_at)
                if binding is not None:
                    binding_id, mcn, split = binding.id, binding.mcn_id, binding.split_bps
        sku = self.skus.get((line.platform, line.product_id)) if line.product_id else None
        if sku is None:
            issues.append(AttributionIssue.SKU_UNMAPPED)
        return (account, anchor, binding_id, mcn, split, sku, bool(issues), [str(i) for i in issues])


class Importer:
    """Applies parsed items to the order lines of one batch, chunk by chunk."""

    def __init__(self, batch: ImportBatch, *, chunk_rows: int = CHUNK_ROWS) -> None:
        self.batch = batch
        self.chunk_rows = chunk_rows
        self.counts = Counts()
        self.attribution = _Attribution()
        self.sales_keys: set[SalesKey] = set()
        self.last_line = 0  # the last row read, to name where a run stopped

    def run(self, items: Iterable[Parsed]) -> Counts:
        try:
            self._run(items)
        except DomainError as exc:
            with contextlib.suppress(DatabaseError):
                self._recompute_sales()
            raise self._stopped(exc) from exc
        except BaseException:
            # The chunks already committed stay: their sales are recomputed before the error goes on.
            with contextlib.suppress(DatabaseError):
                self._recompute_sales()
            raise
        self._recompute_sales()
        return self.counts

    def _stopped(self, exc: DomainError) -> DomainError:
        """The error of a run that stopped part-way, naming the last row it read (the batch fails)."""
        if not self.last_line:
            return exc
        where = (
            f"（导入在第 {self.last_line} 行之后中断，批次未完成）/ "
            f"(the import stopped after line {self.last_line}; the batch is not done)"
        )
        return type(exc)(f"{exc.message} {where}")

    def _run(self, items: Iterable[Parsed]) -> None:
        lines: list[ParsedLine] = []
        rejected: list[Rejected] = []
        keys: set[tuple[str, str, str]] = set()
        for item in items:
            self.last_line = item.line
            if isinstance(item, Rejected):
                rejected.append(item)
            else:
                if item.key in keys:  # applied after the first one, as an update
                    self._flush(lines, rejected)
                    lines, rejected, keys = [], [], set()
                lines.append(item)
                keys.add(item.key)
            if len(lines) + len(rejected) >= self.chunk_rows:
                self._flush(lines, rejected)
                lines, rejected, keys = [], [], set()
                if len(self.sales_keys) >= SALES_KEYS_HELD:
                    self._recompute_sales()
        self._flush(lines, rejected)

    def _recompute_sales(self) -> None:
        if not self.sales_keys:
            return
        with transaction.atomic(), connection.cursor() as wrapper:
            anchor_sales_recompute(wrapper.cursor, self.sales_keys)
        self.sales_keys = set()

    # One chunk, one transaction -------------------------------------------------------------

    def _flush(self, lines: list[ParsedLine], rejected: list[Rejected]) -> None:
        if not lines and not rejected:
            return
        now = timezone.now()
        with transaction.atomic(), connection.cursor() as wrapper:
            cursor = wrapper.cursor  # psycopg 3, for COPY
            for platform in sorted({line.platform for line in lines}):
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"orders.orderline:{platform}"])
            existing = self._existing(cursor, lines)
            fresh: list[ParsedLine] = []
            changed: list[tuple[ParsedLine, dict[str, Any]]] = []
            for line in lines:
                row = existing.get(line.key)
                if row is None:
                    fresh.append(line)
                    continue
                if row["fingerprint"] == line.fingerprint() or self._stale(row, line):
                    if row["first_batch_id"] == self.batch.pk:
                        self.counts.created += 1  # a re-run of this batch: it created the line
                        self._touch(row["anchor_id"], row["sku_id"], row["paid_at"])
                    elif row["last_batch_id"] == self.batch.pk:
                        self.counts.updated += 1
                        self._touch(row["anchor_id"], row["sku_id"], row["paid_at"])
                    else:
                        self.counts.unchanged += 1
                    continue
                changed.append((line, row))
                self._touch(row["anchor_id"], row["sku_id"], row["paid_at"])
                self._touch(row["anchor_id"], row["sku_id"], line.paid_at)
            events: list[tuple[Any, ...]] = []
            if fresh:
                self._insert(cursor, fresh, events, now)
            if changed:
                self._update(cursor, changed, events, now)
            if events:
                with cursor.copy(f"COPY orders_orderlineevent ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
                    copy.set_types(EVENT_TYPES)
                    for event in events:
                        copy.write_row(event)
            if rejected:
                RejectedRow.objects.bulk_create(
                    [RejectedRow(batch=self.batch, line=r.line, reason=r.reason[:500]) for r in rejected]
                )
                self.counts.rejected += len(rejected)
            self.counts.rows_done += len(lines) + len(rejected)
            c = self.counts
            ImportBatch.objects.filter(pk=self.batch.pk).update(
                rows_done=c.rows_done,
                created=c.created,
                updated=c.updated,
                unchanged=c.unchanged,
                rejected=c.rejected,
                unattributed=c.unattributed,
            )

    def _touch(self, anchor_id: int | None, sku_id: int | None, paid_at: datetime) -> None:
        key = sales_key(anchor_id, sku_id, paid_at)
        if key is not None:
            self.sales_keys.add(key)

    @staticmethod
    def _stale(row: dict[str, Any], line: ParsedLine) -> bool:
        return RANK[line.status] < RANK[row["status"]] or line.refunded_minor < row["refunded_minor"]

    def _existing(self, cursor: Any, lines: list[ParsedLine]) -> dict[tuple[str, str, str], dict[str, Any]]:
        if not lines:
            return {}
        with binary_cursor(cursor) as keys:
            keys.execute(
                EXISTING_SQL,
                [[line.platform for line in lines], [line.order_id for line in lines], [line.line_id for line in lines]],
                prepare=False,
            )
            return {(r[0], r[1], r[2]): dict(zip(EXISTING_COLUMNS, r[3:], strict=True)) for r in keys.fetchall()}

    def _insert(self, cursor: Any, fresh: list[ParsedLine], events: list[tuple[Any, ...]], now: datetime) -> None:
        self.attribution.load(fresh)
        attributions = [self.attribution.attribute(line) for line in fresh]
        anchored = [index for index, attribution in enumerate(attributions) if attribution[1] is not None]
        found = selection_context(
            cursor,
            [
                (attributions[i][1], attributions[i][5], fresh[i].platform, fresh[i].paid_at, fresh[i].media_type)
                for i in anchored
            ],
        )
        context = {anchored[position]: values for position, values in found.items()}
        ids = _reserve_ids(cursor, len(fresh))
        batch_id = self.batch.pk
        with cursor.copy(f"COPY orders_orderline ({', '.join(LINE_COLUMNS)}) FROM STDIN") as copy:
            copy.set_types(LINE_TYPES)
            for index, (line_id, line, attribution) in enumerate(zip(ids, fresh, attributions, strict=True)):
                self._touch(attribution[1], attribution[5], line.paid_at)
                if attribution[6]:
                    self.counts.unattributed += 1
                copy.write_row(
                    (
                        line_id,
                        line.platform,
                        line.order_id,
                        line.line_id,
                        *facts_of(line),
                        line.fingerprint(),
                        *attribution[:7],
                        _issues_literal(tuple(attribution[7])),
                        *context.get(index, NO_CONTEXT),
                        batch_id,
                        batch_id,
                        now,
                        now,
                    )
                )
                changes: dict[str, Any] = {"refunded_minor": line.refunded_minor} if line.refunded_minor else {}
                if attribution[6]:
                    changes["attribution_issues"] = attribution[7]
                events.append((line_id, batch_id, EventKind.CREATED, "", line.status, None, line.paid_at, now, changes))
        self.counts.created += len(fresh)

    def _update(
        self, cursor: Any, changed: list[tuple[ParsedLine, dict[str, Any]]], events: list[tuple[Any, ...]], now: datetime
    ) -> None:
        batch_id = self.batch.pk
        for line, row in changed:
            events.extend(_events_for(line, row, batch_id, now))
        assignments = ", ".join(f"{column} = v.{column}" for _, column, _ in FACTS)
        arrays = ", ".join(f"%b::{kind}[]" for _, _, kind in FACTS)
        names = ", ".join(column for _, column, _ in FACTS)
        binary_cursor(cursor).execute(
            f"UPDATE orders_orderline AS l SET {assignments}, fingerprint = v.fingerprint, last_batch_id = %b, updated_at = %b "
            f"FROM unnest(%b::int8[], %b::text[], {arrays}) AS v(id, fingerprint, {names}) WHERE l.id = v.id",
            [
                batch_id,
                now,
                [row["id"] for _, row in changed],
                [line.fingerprint() for line, _ in changed],
                *([getattr(line, attr) for line, _ in changed] for attr, _, _ in FACTS),
            ],
            prepare=False,
        )
        self.counts.updated += len(changed)


def _events_for(line: ParsedLine, row: dict[str, Any], batch_id: int, now: datetime) -> Iterator[tuple[Any, ...]]:
    line_id = row["id"]
    if line.status != row["status"]:
        occurred = getattr(line, STATUS_TIME.get(line.status, "paid_at"), None)
        yield (line_id, batch_id, EventKind.STATUS, row["status"], line.status, None, occurred, now, {})
    refund = line.refunded_minor - row["refunded_minor"]
    if refund > 0:
        yield (
            line_id,
            batch_id,
            EventKind.REFUND,
            "",
            "",
            refund,
            line.refunded_at,
            now,
            {"refunded_minor": line.refunded_minor},
        )
    explained = {"status", "refunded_minor"}  # and the time of what the events above record
    if line.status != row["status"]:
        explained.add(STATUS_TIME.get(line.status, ""))
    if refund > 0:
        explained.add("refunded_at")
    amended = {
        column: [_jsonable(row[column]), _jsonable(getattr(line, attr))]
        for attr, column, _ in FACTS
        if column not in explained and row[column] != getattr(line, attr)
    }
    if amended:
        yield (line_id, batch_id, EventKind.AMENDED, "", "", None, None, now, amended)


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _reserve_ids(cursor: Any, count: int) -> range | list[int]:
    return reserve_ids(cursor, "orders_orderline", count)
