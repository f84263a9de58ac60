"""Parsing a large order file in a second process, while this one writes the rows already read.

In one process an import takes turns: it parses a chunk of rows (decoding, cleaning cells,
checking, fingerprinting — about a third of the time at 1M lines), then waits while PostgreSQL
takes that chunk. For a file on disk of at least `ORDERS_PARSE_AHEAD_MIN_ROWS` rows, a child
Python process (`CHILD_CODE`: Django set up as here, then `child_main`) runs the same adapter
over the file and streams what it read back through a pipe, so parsing the next rows overlaps the
writing of the last ones on the machine's other core.

* The items arrive in file order and are the same `ParsedLine`s and `Rejected` rows the adapter
  gives in process (a test compares the two). A line travels as a plain tuple of its fields with
  its fingerprint and its times in UTC: pickling the slotted dataclass, and datetimes in a ZoneInfo
  zone, cost more to load on this side than parsing did.
* A thread drains the pipe into a bounded queue of frames (reading releases the GIL; loading the
  frames stays on the main thread), so the child runs up to `AHEAD_FRAMES` frames ahead and no
  further: memory stays flat however long the file.
* The child's errors come back as they would in process: `WrongFormat` and `RowDecodeError` keep
  their type and message; anything else, or a child that dies, raises a `DomainError` that names
  it, and the batch fails with that message. Closing the iterator early stops the child.

A separate process rather than a thread: a parse thread in this process competed with the writes
for the GIL and made imports slower (ADR 0008).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import queue
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from shuxuan.common.exceptions import DomainError
from shuxuan.common.uploads import UploadRefused
from shuxuan.orders.adapters.base import Parsed, ParsedLine, Rejected, RowDecodeError, WrongFormat

FRAME_ITEMS = 1_000  # items per frame: one pickle each way
AHEAD_FRAMES = 12  # frames read ahead of the importer (two chunks of 5,000 rows and some)
HEADER = struct.Struct("!I")
BACKEND = Path(__file__).resolve().parents[3]  # the directory holding `shuxuan` and `config`
CHILD_CODE = (
    "import sys, django; django.setup(); "
    "from shuxuan.orders.adapters.second_process import child_main; child_main(sys.argv[1], sys.argv[2], int(sys.argv[3]))"
)
FIELDS = tuple(f.name for f in fields(ParsedLine) if f.init)
TIMES = tuple(index for index, name in enumerate(FIELDS) if name.endswith("_at"))
AVAILABLE = os.name == "posix"  # the pipe is handed to the child with pass_fds
ERRORS: dict[str, type[DomainError]] = {
    "WrongFormat": WrongFormat,
    "RowDecodeError": RowDecodeError,
    "UploadRefused": UploadRefused,
}


def parse_ahead(source: str, path: Path) -> Iterator[Parsed]:
    """The adapter of `source` over the file at `path`, parsed in a child process."""
    from django.conf import settings

    env = os.environ.copy()
    env.setdefault("DJANGO_SETTINGS_MODULE", settings.SETTINGS_MODULE)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(BACKEND), env.get("PYTHONPATH")]))
    with tempfile.TemporaryFile() as errors:
        yield from _stream(source, path, env, errors)


def _stream(source: str, path: Path, env: dict[str, str], errors: IO[bytes]) -> Iterator[Parsed]:
    read_fd, write_fd = os.pipe()
    try:
        child = subprocess.Popen(  # noqa: S603 - this interpreter, fixed code; the arguments are data
            [sys.executable, "-c", CHILD_CODE, source, str(path), str(write_fd)],
            pass_fds=(write_fd,),
            stdin=subprocess.DEVNULL,
            stdout=errors,
            stderr=errors,
            env=env,
        )
    except BaseException:
        os.close(read_fd)
        raise
    finally:
        os.close(write_fd)
    frames: queue.Queue[bytes | None] = queue.Queue(maxsize=AHEAD_FRAMES)
    stop = threading.Event()
    reader = threading.Thread(target=_drain, args=(read_fd, frames, stop), name="orders-parse-ahead", daemon=True)
    reader.start()
    finished = False
    try:
        while (frame := frames.get()) is not None:
            kind, payload = pickle.loads(frame)  # noqa: S301 - written by our own child process
            if kind == "items":
                for values in payload:
                    yield _item(values)
            elif kind == "done":
                finished = True
            else:  # "error": (exception class name, message)
                name, message = payload
                raise ERRORS.get(name, DomainError)(
                    message if name in ERRORS else f"读取文件失败 / reading the file failed: {name}: {message}"
                )
        if not finished:
            child.wait()
            errors.seek(0)
            tail = errors.read()[-2000:].decode("utf-8", "replace").strip()
            raise DomainError(
                f"读取文件的进程退出 / the process reading the file stopped (exit {child.returncode}): {tail or 'no output'}"
            )
    finally:
        stop.set()
        try:
            child.wait(timeout=10 if finished else 0)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        _unblock(frames)
        reader.join()


def _item(values: tuple[Any, ...]) -> Parsed:
    if len(values) == 2:
        return Rejected(*values)
    line = ParsedLine(*values[:-1])
    line._fingerprint = values[-1]
    return line


def _drain(read_fd: int, frames: queue.Queue[bytes | None], stop: threading.Event) -> None:
    """Move whole frames from the pipe to the queue; None at the end of the pipe."""
    with os.fdopen(read_fd, "rb") as pipe:
        while not stop.is_set():
            header = pipe.read(HEADER.size)
            body = pipe.read(HEADER.unpack(header)[0]) if len(header) == HEADER.size else b""
            if not body:
                break
            while not stop.is_set():
                try:
                    frames.put(body, timeout=0.5)
                    break
                except queue.Full:
                    continue
    while True:  # the consumer may be waiting: always end with None
        try:
            frames.put(None, timeout=0.5)
            return
        except queue.Full:
            if stop.is_set():
                return


def _unblock(frames: queue.Queue[bytes | None]) -> None:
    while True:
        try:
            frames.get_nowait()
        except queue.Empty:
            return


# The child ------------------------------------------------------------------------------------


def _as_values(item: Parsed) -> tuple[Any, ...]:
    if isinstance(item, Rejected):
        return (item.line, item.reason)
    values = [getattr(item, name) for name in FIELDS]
    for index in TIMES:
        moment: datetime | None = values[index]
        if moment is not None:
            values[index] = moment.astimezone(UTC)
    values.append(item.fingerprint())
    return tuple(values)


def _send(out: IO[bytes], message: tuple[str, Any]) -> None:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(HEADER.pack(len(body)))
    out.write(body)


def child_main(source: str, path: str, fd: int) -> None:
    from shuxuan.orders.adapters import adapter_for

    out = os.fdopen(fd, "wb")
    batch: list[tuple[Any, ...]] = []
    try:
        try:
            with open(path, "rb") as stream:
                for item in adapter_for(source).parse(stream):
                    batch.append(_as_values(item))
                    if len(batch) >= FRAME_ITEMS:
                        _send(out, ("items", batch))
                        batch = []
        except Exception as exc:  # every error goes back to the importer, which raises it after the rows before it
            if batch:
                _send(out, ("items", batch))
            _send(out, ("error", (type(exc).__name__, getattr(exc, "message", None) or str(exc))))
            return
        if batch:
            _send(out, ("items", batch))
        _send(out, ("done", None))
    except BrokenPipeError:
        return  # the importer stopped reading
    finally:
        with contextlib.suppress(OSError):  # a broken pipe: nobody is reading any more
            out.close()
