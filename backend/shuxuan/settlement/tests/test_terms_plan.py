"""The terms freeze must not turn quadratic when settlement_lineterms has stale statistics."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from shuxuan.settlement import terms
from shuxuan.settlement.models import Mode

PARAMS = {
    "default_fee": 100,
    "default_margin": 800,
    "consignment": Mode.CONSIGNMENT.value,
    "buyout": Mode.BUYOUT.value,
    "no_sku": terms.NO_SKU,
    "now": "2025-03-01T00:00:00+08:00",
}


def freeze_plan(cursor) -> str:
    sql = terms.FREEZE_SQL.format(subsidy="l.platform_subsidy_minor", extra="")
    cursor.execute("EXPLAIN " + sql, PARAMS)
    return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.django_db
def test_with_empty_statistics_the_anti_join_is_hashed_only_because_nested_loops_are_off():
    with transaction.atomic(), connection.cursor() as cursor:
        # As after an ANALYZE of an empty table: the planner believes it holds nothing, and
        # believes orders_orderline holds many lines.
        cursor.execute("ANALYZE settlement_lineterms")
        cursor.execute("UPDATE pg_class SET reltuples = 1000000, relpages = 20000 WHERE relname = 'orders_orderline'")
        assert "Nested Loop Anti Join" in freeze_plan(cursor)  # what the freeze used to run
        cursor.execute("SET LOCAL enable_nestloop = off")
        plan = freeze_plan(cursor)
        assert "Nested Loop Anti Join" not in plan and "Anti Join" in plan
        transaction.set_rollback(True)  # pg_class back as it was


@pytest.mark.django_db
def test_the_freeze_restores_the_callers_planner_setting():
    with transaction.atomic(), connection.cursor() as cursor:
        assert terms.terms_freeze() == 0
        cursor.execute("SELECT current_setting('enable_nestloop')")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SET LOCAL enable_nestloop = off")
        terms.terms_freeze()
        cursor.execute("SELECT current_setting('enable_nestloop')")
        assert cursor.fetchone()[0] == "off"
