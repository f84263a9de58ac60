"""read_ahead: the order import's parser runs on a second thread; nothing may be lost, reordered
or left running."""

from __future__ import annotations

import threading
import time

import pytest

from shuxuan.common.streams import read_ahead


def test_items_arrive_all_and_in_order_across_blocks():
    with read_ahead(range(10_007), block=100, depth=2) as items:
        assert list(items) == list(range(10_007))


def test_the_iteration_runs_on_another_thread():
    seen: set[int] = set()

    def produce():
        for n in range(3):
            seen.add(threading.get_ident())
            yield n

    with read_ahead(produce(), block=1) as items:
        assert list(items) == [0, 1, 2]
    assert seen and threading.get_ident() not in seen


def test_an_error_is_raised_where_it_happened_after_the_items_before_it():
    def produce():
        yield from range(2_500)
        raise ValueError("第 2501 行 / line 2501: bad amount")

    got: list[int] = []
    with pytest.raises(ValueError, match="line 2501"), read_ahead(produce(), block=1_000) as items:
        for item in items:
            got.append(item)
    assert got == list(range(2_500))


def test_leaving_early_stops_the_producer_and_closes_the_iterable_on_its_thread():
    state = {"produced": 0, "closed": False}

    def produce():
        try:
            for n in range(1_000_000):
                state["produced"] += 1
                yield n
        finally:
            state["closed"] = True

    with pytest.raises(RuntimeError), read_ahead(produce(), block=10, depth=2) as items:
        assert next(items) == 0
        raise RuntimeError("the writer failed")
    # Joined on exit: nothing runs after the block, and the generator was closed, not abandoned.
    produced = state["produced"]
    time.sleep(0.05)
    assert state["produced"] == produced < 1_000_000
    assert state["closed"] is True
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]
