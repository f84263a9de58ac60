"""common/pg.py: id reservation for COPY, and binary-bound arrays."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import connection

from shuxuan.common.pg import binary_cursor, reserve_ids


def test_reserve_ids_returns_a_contiguous_run_as_a_range_and_gaps_as_the_ids(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE reserve_probe (id bigserial PRIMARY KEY)")
        ids = reserve_ids(cursor, "reserve_probe", 1_000)
        assert isinstance(ids, range) and len(ids) == 1_000
        again = reserve_ids(cursor, "reserve_probe", 3)
        assert list(again) == [ids[-1] + 1, ids[-1] + 2, ids[-1] + 3]  # nothing handed out twice
        # A run with gaps (as when another session drew from the sequence meanwhile) comes back
        # as the ids themselves, in order.
        cursor.execute("ALTER SEQUENCE reserve_probe_id_seq INCREMENT BY 2")
        scattered = reserve_ids(cursor, "reserve_probe", 4)
        assert scattered == [again[-1] + 2, again[-1] + 4, again[-1] + 6, again[-1] + 8]
        assert list(reserve_ids(cursor, "reserve_probe", 0)) == []


def test_binary_cursor_shares_the_transaction_and_binds_arrays(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE binary_probe (n int8, s text)")
        cursor.execute("INSERT INTO binary_probe VALUES (1, 'a')")  # not committed: the test's transaction
        with binary_cursor(cursor.cursor) as raw:
            raw.execute(
                "SELECT count(*) FROM binary_probe b JOIN unnest(%b::int8[], %b::text[]) AS k(n, s) USING (n, s)",
                [[1, None, 2**40], ["a", "x", "引号'\"{},"]],
            )
            assert raw.fetchone() == (1,)
            raw.execute("SELECT %b::timestamptz[]", [[datetime(2025, 3, 1, tzinfo=UTC), None]])
            assert raw.fetchone() == ([datetime(2025, 3, 1, tzinfo=UTC), None],)
