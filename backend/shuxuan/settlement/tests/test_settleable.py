"""The settleable-basis rule in Python and the CASE the runs evaluate in SQL give the same answer."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection

from shuxuan.settlement.settleable import TARGET_SQL, settleable_basis

pytestmark = pytest.mark.django_db

CUTOFF_END = datetime(2026, 11, 1, 16, 0, tzinfo=UTC)  # 2026-11-02 00:00 in Shanghai
DEFAULT_DAYS = 7


def _when(offset_hours: float | None) -> datetime | None:
    return None if offset_hours is None else CUTOFF_END + timedelta(hours=offset_hours)


def _cases() -> list[dict]:
    rng = random.Random(20261207)
    statuses = ["paid", "confirmed", "settled", "refunded", "invalid"]
    moments = [None, -24 * 30, -24 * 7 - 1, -24 * 7, -24 * 7 + 1, -1, 0, 1]  # hours around the cut-off and the window
    cases = []
    for status, confirmed, settled in itertools.product(statuses, moments, moments):
        for _ in range(3):
            full = rng.choice([0, 1, 999, 10_000])
            cases.append(
                {
                    "status": status,
                    "paid_at": _when(rng.choice([-24 * 60, -1, 0, 1])),
                    "confirmed_at": _when(confirmed),
                    "settled_at": _when(settled),
                    "full_basis": full,
                    "refunded": rng.choice([0, 1, full, full + 5]),
                    "settled_basis": rng.choice([0, full // 2, full]),
                    "phases_due": rng.choice([None, None, 0, full // 3, full + 1]),
                    "platform_days": rng.choice([None, 0, 7, 15]),
                }
            )
    return cases


def test_the_python_rule_and_the_sql_case_agree_on_every_line() -> None:
    cases = _cases()
    fields = ("status", "paid_at", "confirmed_at", "settled_at", "full_basis", "refunded", "settled_basis")
    casts = ("", "::timestamptz", "::timestamptz", "::timestamptz", "::bigint", "::bigint", "::bigint")
    params: dict = {"cutoff_end": CUTOFF_END, "after_sale_days": DEFAULT_DAYS}
    rows = []
    for i, c in enumerate(cases):
        cells = [str(i)]
        for name, cast in zip(fields, casts, strict=True):
            params[f"{name}_{i}"] = c[name]
            cells.append(f"%({name}_{i})s{cast}")
        params[f"due_{i}"], params[f"days_{i}"] = c["phases_due"], c["platform_days"]
        cells += [f"%(due_{i})s::bigint", f"%(days_{i})s::int"]
        rows.append("(" + ", ".join(cells) + ")")
    sql = f"""
        SELECT v.i, {TARGET_SQL}
        FROM (VALUES {", ".join(rows)}) AS v(i, status, paid_at, confirmed_at, settled_at, full_basis, refunded,
                                             settled_basis, due, days)
        CROSS JOIN LATERAL (SELECT v.status, v.paid_at, v.confirmed_at, v.settled_at, v.refunded AS refunded_minor) l
        CROSS JOIN LATERAL (SELECT v.full_basis AS full_basis_minor, v.settled_basis AS settled_basis_minor) t
        CROSS JOIN LATERAL (SELECT v.days AS after_sale_days) pt
        CROSS JOIN LATERAL (SELECT CASE WHEN v.due IS NULL THEN NULL ELSE 1 END AS phases, v.due) ph
        ORDER BY v.i
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        from_sql = [row[1] for row in cursor.fetchall()]
    from_python = [
        settleable_basis(
            status=c["status"],
            paid_at=c["paid_at"],
            confirmed_at=c["confirmed_at"],
            settled_at=c["settled_at"],
            full_basis=c["full_basis"],
            refunded=c["refunded"],
            settled_basis=c["settled_basis"],
            phases_due=c["phases_due"],
            after_sale_days=DEFAULT_DAYS if c["platform_days"] is None else c["platform_days"],
            cutoff_end=CUTOFF_END,
        )
        for c in cases
    ]
    disagreements = [(cases[i], from_sql[i], from_python[i]) for i in range(len(cases)) if from_sql[i] != from_python[i]]
    assert disagreements == []
    assert len(set(from_python)) > 5  # the grid reaches every branch's answers, not one value
