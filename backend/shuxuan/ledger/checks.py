"""The checks `verify_ledger` runs: every rule of docs/domain.md section 4, read from the raw tables with
SQL (so they hold whatever wrote the rows), then the checks other contexts registered.

A check is a callable returning None when the rule holds, or a message naming the breach.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

Check = Callable[[], str | None]

_registered: dict[str, Check] = {}


def register_check(name: str, fn: Check) -> None:
    """Let another context add a check to verify_ledger (call it from its AppConfig.ready())."""
    _registered[name] = fn


def registered_checks() -> list[tuple[str, Check]]:
    return list(_registered.items())


def _first_row(sql: str) -> tuple | None:  # type: ignore[type-arg]
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


@dataclass(frozen=True)
class SqlCheck:
    name: str
    sql: str  # returns a row describing the first breach, or nothing
    message: str  # formatted with the row's columns

    def __call__(self) -> str | None:
        row = _first_row(self.sql)
        return None if row is None else self.message.format(*row)


APPEND_ONLY_TRIGGERS = {
    ("ledger_journalentry", "ledger_journalentry_append_only"),
    ("ledger_posting", "ledger_posting_append_only"),
    ("ledger_journalentry", "ledger_journalentry_inserted"),
    ("ledger_posting", "ledger_posting_inserted"),
    ("ledger_entrycheck", "ledger_entries_balanced"),
    ("ledger_account", "ledger_account_guard"),
    *(
        (table, f"{table}_no_truncate")
        for table in ("ledger_journalentry", "ledger_posting", "ledger_accountdaytotal", "ledger_account", "ledger_period")
    ),
}


def triggers_missing(expected: set[tuple[str, str]]) -> str | None:
    """None when every (table, trigger) of `expected` exists and is enabled; else the first that
    is not, named. Shared with the contexts whose history the database guards (stock movements)."""
    tables = sorted({table for table, _ in expected})
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, t.tgname, t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " WHERE NOT t.tgisinternal AND c.relname = ANY(%s) AND pg_table_is_visible(c.oid)",
            [tables],
        )
        found = {(table, name): enabled for table, name, enabled in cursor.fetchall()}
    for table, name in sorted(expected):
        if (table, name) not in found:
            return f"trigger {name} on {table} is missing"
        if found[(table, name)] == "D":
            return f"trigger {name} on {table} is disabled"
    return None


def triggers_present() -> str | None:
    return triggers_missing(APPEND_ONLY_TRIGGERS)


def idempotency_key_unique_index() -> str | None:
    row = _first_row(
        "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
        " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]"
        " WHERE c.relname = 'ledger_journalentry' AND a.attname = 'idempotency_key'"
        " AND i.indisunique AND i.indnatts = 1 AND i.indisvalid"
    )
    return None if row else "the unique index on ledger_journalentry.idempotency_key is missing"


BUILTIN_CHECKS: list[tuple[str, Check]] = [
    ("append-only and balance triggers present and enabled", triggers_present),
    (
        "entries sum to zero per currency",
        SqlCheck(
            "entries sum to zero per currency",
            "SELECT entry_id, currency, sum(amount) FROM ledger_posting GROUP BY entry_id, currency"
            " HAVING sum(amount) <> 0 ORDER BY entry_id LIMIT 1",
            "entry {0}: postings in {1} sum to {2}, not 0",
        ),
    ),
    (
        "entries have at least 2 postings",
        SqlCheck(
            "entries have at least 2 postings",
            "SELECT e.id, count(p.entry_id) FROM ledger_journalentry e LEFT JOIN ledger_posting p ON p.entry_id = e.id"
            " GROUP BY e.id HAVING count(p.entry_id) < 2 ORDER BY e.id LIMIT 1",
            "entry {0} has {1} posting(s), fewer than 2",
        ),
    ),
    (
        "postings belong to an entry and an account of their currency, dated as the entry",
        SqlCheck(
            "postings reference",
            "SELECT p.entry_id, p.line_no, p.account_id,"
            " CASE WHEN e.id IS NULL THEN 'no such entry' WHEN a.id IS NULL THEN 'no such account'"
            " WHEN a.currency <> p.currency THEN 'currency ' || p.currency || ' is not the account''s ' || a.currency"
            " ELSE 'dated ' || p.effective_date || ', the entry ' || e.effective_date END"
            " FROM ledger_posting p LEFT JOIN ledger_journalentry e ON e.id = p.entry_id"
            " LEFT JOIN ledger_account a ON a.id = p.account_id"
            " WHERE e.id IS NULL OR a.id IS NULL OR a.currency <> p.currency OR p.effective_date <> e.effective_date"
            " ORDER BY p.entry_id, p.line_no LIMIT 1",
            "posting {0}/{1} on account {2}: {3}",
        ),
    ),
    (
        "no posting in a closed period",
        SqlCheck(
            "no posting in a closed period",
            "SELECT e.id, pe.period, e.created_at, pe.closed_at FROM ledger_journalentry e"
            " JOIN ledger_period pe ON pe.status = 'closed' AND pe.period = to_char(e.effective_date, 'YYYY-MM')"
            " WHERE e.created_at > pe.closed_at ORDER BY e.id LIMIT 1",
            "entry {0} was posted into period {1} at {2}, after it closed at {3}",
        ),
    ),
    (
        "idempotency keys are unique",
        SqlCheck(
            "idempotency keys are unique",
            "SELECT idempotency_key, count(*) FROM ledger_journalentry GROUP BY idempotency_key HAVING count(*) > 1 LIMIT 1",
            "idempotency key {0!r} is used by {1} entries",
        ),
    ),
    ("idempotency keys have their unique index", idempotency_key_unique_index),
    (
        "cached balances equal the sums of postings",
        SqlCheck(
            "cached balances equal the sums of postings",
            "WITH cached AS (SELECT account_id, day, sum(amount) AS amount, sum(postings) AS n"
            "                FROM ledger_accountdaytotal GROUP BY account_id, day),"
            " posted AS (SELECT account_id, effective_date AS day, sum(amount) AS amount, count(*) AS n"
            "            FROM ledger_posting GROUP BY account_id, effective_date)"
            " SELECT coalesce(c.account_id, p.account_id), coalesce(c.day, p.day), coalesce(c.amount, 0), coalesce(p.amount, 0)"
            " FROM cached c FULL JOIN posted p ON p.account_id = c.account_id AND p.day = c.day"
            " WHERE c.amount IS DISTINCT FROM p.amount OR c.n IS DISTINCT FROM p.n"
            " ORDER BY 1, 2 LIMIT 1",
            "account {0} on {1}: cached balance movement {2} but postings sum to {3}",
        ),
    ),
]


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str | None

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


def run_checks() -> list[CheckResult]:
    results: list[CheckResult] = []
    for name, check in [*BUILTIN_CHECKS, *registered_checks()]:
        try:
            breach = check()
        except Exception as exc:  # a check that crashes is a failed check, named as such
            breach = f"the check raised {type(exc).__name__}: {exc}"
        results.append(CheckResult(name=name, ok=breach is None, detail=breach))
    return results
