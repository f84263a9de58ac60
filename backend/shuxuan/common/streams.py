"""Reading ahead: iterate a slow producer (a file parser) on a second thread while the caller works.

An order import is two kinds of work in turn: parsing the file (pure Python) and writing each
chunk (mostly waiting for PostgreSQL). On one thread each waits for the other. `read_ahead`
runs the iteration on a second thread, a bounded number of blocks ahead, so the parser works while
the writer waits on the database. The GIL lets only one of them run Python at a time, so the gain
is the overlap of parsing with the database's own work, not two cores of Python.

Items arrive in order; an exception raised by the iteration is raised to the caller at the same
position (after the items before it); leaving the `with` block early stops the producer, closes
the iterable on its own thread and waits for it, so the file under it is never closed while it
is being read. Use it only for iterables that do not touch the database: the second thread has
its own connection, outside the caller's transaction.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

_DONE = object()


class _Failure:
    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error


@contextmanager
def read_ahead(iterable: Iterable[T], *, block: int = 1_000, depth: int = 8, name: str = "read-ahead") -> Iterator[Iterator[T]]:
    """`with read_ahead(parser) as items:` — `items` yields what `parser` yields, produced on a
    second thread at most `depth` blocks of `block` items ahead."""
    blocks: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(message: object) -> bool:
        while not stop.is_set():
            try:
                blocks.put(message, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        iterator = iter(iterable)
        buffer: list[T] = []
        try:
            for item in iterator:
                buffer.append(item)
                if len(buffer) >= block:
                    if not put(buffer):
                        return
                    buffer = []
            if (not buffer or put(buffer)) and put(_DONE):
                return
        except BaseException as error:  # handed to the consumer, raised there after the items before it
            if not buffer or put(buffer):
                put(_Failure(error))
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()

    def consume() -> Iterator[T]:
        while True:
            message = blocks.get()
            if message is _DONE:
                return
            if isinstance(message, _Failure):
                raise message.error
            yield from message  # type: ignore[misc]

    thread = threading.Thread(target=produce, name=name, daemon=True)
    thread.start()
    try:
        yield consume()
    finally:
        stop.set()
        thread.join()
