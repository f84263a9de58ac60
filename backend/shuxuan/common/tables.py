"""Reading an uploaded table: which kind of file it is (CSV, XLSX, JSON), its encoding, its rows
within the upload limits, and its header, found by the column names a layout accepts.

Both the order importers (orders/adapters/) and the statement parsers (reconciliation/parsers/)
read files this way: UTF-8 with or without BOM and GB18030; comma or tab separated; a title row
above the header (the header is looked for in the first ten rows). A file whose header does not
fit raises `WrongFormat` on the first `next()`, before any row is produced, so the caller can
refuse the file having written nothing. The cells are read by `common/cells.py`.
"""

from __future__ import annotations

import codecs
import contextlib
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from shuxuan.common.cells import RowError, clean
from shuxuan.common.exceptions import DomainError
from shuxuan.common.uploads import UploadLimits, shorten
from shuxuan.common.uploads import csv_rows as limited_csv_rows
from shuxuan.common.uploads import xlsx_rows as limited_xlsx_rows

HEADER_SEARCH_ROWS = 10


class WrongFormat(DomainError):
    """The file is not what this adapter reads (its header, or its encoding). Nothing is written."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="file", code="wrong_format")


@dataclass(frozen=True, slots=True)
class Rejected:
    line: int
    reason: str


# Headers --------------------------------------------------------------------------------------


def normalise_header(cell: Any) -> str:
    name = str(clean(cell) or "").lower()
    return name.replace(" ", "").replace("（", "(").replace("）", ")").replace("：", ":")


@dataclass(frozen=True)
class Layout:
    """One header layout a source accepts: field -> accepted column names (the field's own name is
    accepted too), the fields a header must have, and how to read a row."""

    name: str
    columns: dict[str, tuple[str, ...]]
    required: frozenset[str]
    build: Callable[[dict[str, Any], int], Any]
    _lookup: dict[str, tuple[str, int]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_lookup", alias_lookup(self.columns))

    def match(self, header: list[Any]) -> dict[str, int]:
        return match_header(self._lookup, header)


def alias_lookup(columns: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, int]]:
    """normalised column name -> (field, rank): the field's own name ranks 0, then its aliases in order."""
    lookup: dict[str, tuple[str, int]] = {}
    for name, aliases in columns.items():
        for rank, alias in enumerate((name, *aliases)):
            lookup.setdefault(normalise_header(alias), (name, rank))
    return lookup


def match_header(lookup: dict[str, tuple[str, int]], header: list[Any]) -> dict[str, int]:
    """field -> column index. A field's aliases are a priority list: when several of them are in
    the header, the best-ranked one is read, wherever it stands (流量来源 before 订单来源 even when
    订单来源 comes first); among equal names the first column wins."""
    best: dict[str, tuple[int, int]] = {}
    for index, cell in enumerate(header):
        found = lookup.get(normalise_header(cell))
        if found is None:
            continue
        name, rank = found
        if name not in best or rank < best[name][0]:
            best[name] = (rank, index)
    return {name: index for name, (_rank, index) in best.items()}


def read_rows(
    rows: Iterable[list[Any]],
    layouts: Sequence[Layout],
    *,
    source: str,
    expected: tuple[str, str],
    finish: Callable[[Any], Any] | None = None,
    stop: Callable[[list[Any]], bool] | None = None,
) -> Iterator[Any]:
    """Find the header among the first rows, then read every data row through its layout: what
    `build` (then `finish`) made of it, or `Rejected` with the row number and the reason. Blank rows
    are skipped; reading ends before the first row `stop` accepts (a summary section).

    `expected` names the file in the header's error, in Chinese and English (订单文件 / order file)."""
    iterator = iter(rows)
    seen: list[list[Any]] = []
    chosen: tuple[Layout, dict[str, int]] | None = None
    header_line = 0
    for header_line, row in enumerate(iterator, start=1):
        seen.append(row)
        for layout in layouts:
            positions = layout.match(row)
            if layout.required <= positions.keys():
                chosen = (layout, positions)
                break
        if chosen or header_line >= HEADER_SEARCH_ROWS:
            break
    if chosen is None:
        raise WrongFormat(header_message(seen, layouts, source=source, expected=expected))
    layout, positions = chosen
    pairs = list(positions.items())
    for number, row in enumerate(iterator, start=header_line + 1):
        if not any(clean(cell) is not None for cell in row):
            continue
        if stop is not None and stop(row):
            break
        width = len(row)
        values = {name: row[index] if index < width else None for name, index in pairs}
        try:
            built = layout.build(values, number)
            yield built if finish is None else finish(built)
        except RowError as exc:
            yield Rejected(number, str(exc))


def header_message(seen: list[list[Any]], layouts: Sequence[Layout], *, source: str, expected: tuple[str, str]) -> str:
    """Why no row of `seen` is a header: the columns the closest layout misses, and what the first row has."""
    zh, en = expected
    if not seen:
        return f"文件为空 / the file is empty (expected a {source} {en})"
    best = max(layouts, key=lambda lay: max(len(lay.match(row).keys() & lay.required) for row in seen))
    best_row = max(seen, key=lambda row: len(best.match(row).keys() & best.required))
    missing = sorted(best.required - best.match(best_row).keys())
    wanted = ", ".join(f"{name} ({'/'.join(best.columns[name][:2]) or name})" for name in missing)
    found = ", ".join(shorten(clean(c)) for c in seen[0][:12] if clean(c) is not None)
    return (
        f"不是{source}{zh}：缺少列 {wanted} / not a {source} {en}: missing columns {', '.join(missing)}. "
        f"First row has: {found or '(nothing)'}"
    )


# Files ----------------------------------------------------------------------------------------


def sniff_kind(stream: IO[bytes]) -> str:
    head = stream.read(4096)
    stream.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return "json"
    return "csv"


def detect_encoding(stream: IO[bytes]) -> str:
    sample = stream.read(256 * 1024)
    stream.seek(0)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


VALIDATE_BLOCK = 1 << 20  # bytes decoded at a time when checking a whole file


def validate_encoding(stream: IO[bytes]) -> str:
    """Decode the whole file (a CSV in its sniffed encoding, JSON as UTF-8) before any row is
    written, and refuse it naming the line and byte offset of the first byte that is not text.

    The encoding is sniffed on the head only, so a file that turns into another encoding after
    256 KiB would otherwise fail part-way, after its first chunks were committed. One incremental
    decoder over large blocks: about as fast as reading the file (figures in README, Orders)."""
    kind = sniff_kind(stream)
    if kind == "xlsx":
        return "xlsx"
    encoding = "utf-8-sig" if kind == "json" else detect_encoding(stream)
    decoder = codecs.getincrementaldecoder(encoding)()
    newlines = offset = 0
    try:
        while block := stream.read(VALIDATE_BLOCK):
            pending = len(decoder.getstate()[0])
            try:
                newlines += decoder.decode(block).count("\n")
            except UnicodeDecodeError as exc:
                start = offset - pending + exc.start
                line = 1 + newlines + exc.object[: exc.start].decode(encoding, "replace").count("\n")
                raise WrongFormat(_undecodable(encoding, line, start, exc.object[exc.start : exc.end])) from None
            offset += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise WrongFormat(_undecodable(encoding, 1 + newlines, offset - len(exc.object) + exc.start, exc.object)) from None
    finally:
        stream.seek(0)
    return encoding


def _undecodable(encoding: str, line: int, offset: int, sequence: bytes) -> str:
    return (
        f"文件编码错误：第 {line} 行，第 {offset} 字节（{sequence.hex(' ')}）不是 {encoding} 文本，整个文件未导入 / "
        f"the file is not valid {encoding} at line {line}, byte offset {offset} ({sequence.hex(' ')}); "
        "nothing was imported"
    )


def csv_rows(stream: IO[bytes], limits: UploadLimits) -> Iterator[list[Any]]:
    encoding = detect_encoding(stream)
    delimiter = _delimiter(stream, encoding)
    reader_text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        yield from limited_csv_rows(reader_text, limits, delimiter=delimiter)
    except UnicodeDecodeError as exc:
        raise RowDecodeError(f"文件编码错误 ({encoding}) / the file is not valid {encoding}: {exc.reason}") from None
    finally:
        with contextlib.suppress(ValueError):  # the stream was closed first (the import stopped on an error)
            reader_text.detach()


def _delimiter(stream: IO[bytes], encoding: str) -> str:
    """Tab when the first line has more tabs than commas (read from a bounded sample of the file)."""
    sample = stream.read(64 * 1024)
    stream.seek(0)
    first = codecs.decode(sample, encoding, errors="ignore").split("\n", 1)[0]
    return "\t" if first.count("\t") > first.count(",") else ","


class RowDecodeError(DomainError):
    """The bytes stop being text part-way through the file: the import stops there."""


def table_rows(stream: IO[bytes], *, kind: str = "orders") -> Iterator[list[Any]]:
    """Rows of a CSV or XLSX file, read within the upload limits of `kind` (common/uploads.py)."""
    limits = UploadLimits.of(kind)
    file_kind = sniff_kind(stream)
    if file_kind == "xlsx":
        return limited_xlsx_rows(stream, limits)
    if file_kind == "json":
        raise WrongFormat("这是 JSON 文件，此来源只接受 CSV 或 XLSX / this is a JSON file; this source reads CSV or XLSX")
    return csv_rows(stream, limits)
