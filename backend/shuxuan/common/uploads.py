"""Limits on the files people upload, and readers that keep to them as they read.

Every reader of a user's file (products, order files, bills, the bank's result file) goes through
here, so a file over a limit is refused the same way everywhere: a `DomainError` on `file` that
names the limit and, for a cell or a row, its row (and column, in an XLSX), raised at the first
breach, before the rest of the file is read and before anything is written. The limits come from
settings (`UPLOAD_LIMITS` per kind, `UPLOAD_MAX_CELL_CHARS`, `UPLOAD_XLSX_*`; ADR 0013).

An XLSX is a zip: its central directory states each part's inflated size, and `zipfile` never
inflates a part past that size, so the sizes are checked before openpyxl opens the file (a
decompression bomb is refused without inflating a byte). The sheet is then read in openpyxl's
read-only mode, a row at a time. A CSV is read by the csv module with its field limit set to the
cell limit, a line at a time. Error messages quote at most `EXCERPT_CHARS` characters of a cell.
"""

from __future__ import annotations

import csv
import hashlib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from rest_framework import status

from shuxuan.common.exceptions import DomainError

EXCERPT_CHARS = 80
# Parts smaller than this may compress as well as they like (styles, a small sheet of repeats).
RATIO_FLOOR_BYTES = 1 << 20
# A physical line of a CSV may hold this many cells' worth of text; longer, the file is refused
# before the line is held whole (a file with no line breaks is not read into one string).
LINE_CELLS = 16


class UploadRefused(DomainError):
    """The file breaks an upload limit. Nothing was written."""

    def __init__(self, message: str, *, code: str = "upload_limit") -> None:
        super().__init__(message, field="file", code=code)


class UploadTooLarge(UploadRefused):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE


@dataclass(frozen=True, slots=True)
class UploadLimits:
    kind: str
    max_bytes: int
    max_rows: int  # rows below the header row
    max_cell_chars: int

    @classmethod
    def of(cls, kind: str) -> UploadLimits:
        config = settings.UPLOAD_LIMITS[kind]
        return cls(kind, int(config["max_bytes"]), int(config["max_rows"]), settings.UPLOAD_MAX_CELL_CHARS)

    @property
    def last_row(self) -> int:
        return self.max_rows + 1


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """A cell for an error message, as its repr: whole when short, else its first `limit` characters and its length."""
    if not isinstance(value, str):
        shown = repr(value)
        return shown if len(shown) <= limit else f"{shown[:limit]}…"
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}…({len(value):,} 字符 / characters)"


def shorten(value: Any, limit: int = EXCERPT_CHARS) -> str:
    """A cell for an error message, unquoted (in a list of a header's names), cut as `excerpt` cuts it."""
    text = value if isinstance(value, str) else str(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…({len(text):,} 字符 / characters)"


def check_size(size: int | None, limits: UploadLimits) -> None:
    if size is not None and size > limits.max_bytes:
        raise UploadTooLarge(
            f"文件 {size:,} 字节，超过上限 {limits.max_bytes:,} 字节 / the file is {size:,} bytes; "
            f"the limit for {limits.kind} files is {limits.max_bytes:,} bytes",
            code="file_too_large",
        )


def stream_size(stream: IO[bytes]) -> int:
    position = stream.tell()
    size = stream.seek(0, 2)
    stream.seek(position)
    return size


def estimate_rows(stream: IO[bytes]) -> int | None:
    """Data rows below the header, for progress and for choosing inline or background: an XLSX's
    stated extent (None when it states none), else the newlines less the header. Cheap: no parse."""
    try:
        if stream.read(4) == b"PK\x03\x04":
            stream.seek(0)
            workbook = open_workbook(stream)
            try:
                rows = workbook.worksheets[0].max_row
            finally:
                workbook.close()
            return max(rows - 1, 0) if rows else None
        stream.seek(0)
        count, last = 0, b"\n"
        while block := stream.read(1 << 20):
            count += block.count(b"\n")
            last = block[-1:]
        return max(count + (last != b"\n") - 1, 0)
    finally:
        stream.seek(0)


def runs_inline(size: int, rows: int | None) -> bool:
    """Whether an upload is small enough to import in the request (IMPORT_INLINE_MAX_BYTES and
    IMPORT_INLINE_MAX_ROWS); a file whose rows are unknown goes to the background."""
    return size <= settings.IMPORT_INLINE_MAX_BYTES and rows is not None and rows <= settings.IMPORT_INLINE_MAX_ROWS


# XLSX --------------------------------------------------------------------------------------------


def check_xlsx_zip(stream: IO[bytes]) -> None:
    """Refuse a workbook whose parts would inflate past the limit, or one part past the ratio."""
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UploadRefused("不是有效的 XLSX 文件 / not a valid XLSX file", code="wrong_format") from None
    finally:
        stream.seek(0)
    total_limit, ratio_limit = settings.UPLOAD_XLSX_MAX_UNCOMPRESSED_BYTES, settings.UPLOAD_XLSX_MAX_RATIO
    total = sum(part.file_size for part in parts)
    if total > total_limit:
        raise UploadRefused(
            f"XLSX 解压后 {total:,} 字节，超过上限 {total_limit:,} 字节 / the workbook inflates to {total:,} bytes; "
            f"the limit is {total_limit:,} bytes",
            code="xlsx_too_large",
        )
    for part in parts:
        if part.file_size > RATIO_FLOOR_BYTES and part.file_size > ratio_limit * max(part.compress_size, 1):
            ratio = part.file_size // max(part.compress_size, 1)
            raise UploadRefused(
                f"XLSX 中 {excerpt(part.filename)} 压缩比 {ratio}:1，超过上限 {ratio_limit}:1（疑似压缩炸弹）/ "
                f"part {excerpt(part.filename)} inflates {ratio}:1; the limit is {ratio_limit}:1",
                code="xlsx_ratio",
            )


def open_workbook(stream: IO[bytes]) -> Any:
    """The workbook in openpyxl's read-only mode, once its zip has passed `check_xlsx_zip`."""
    check_xlsx_zip(stream)
    from openpyxl import load_workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    ReadOnlyWorksheet._get_size = _sheet_size_from_its_head  # type: ignore[method-assign]
    try:
        return load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise UploadRefused("不是有效的 XLSX 文件 / not a valid XLSX file", code="wrong_format") from None


def _sheet_size_from_its_head(sheet: Any) -> None:
    """openpyxl looks for a sheet's <dimension> until the end of <sheetData> (the whole sheet, 9 s
    for 2M rows, before a row is read) when the element is missing; the schema puts it before
    <sheetData>, so the look stops where <sheetData> starts."""
    from openpyxl.worksheet._reader import DATA_TAG, DIMENSION_TAG
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.functions import iterparse

    with sheet._get_source() as source:
        for _event, element in iterparse(source, events=("start",)):
            if element.tag == DIMENSION_TAG:
                boundaries = SheetDimension.from_tree(element).boundaries
                if boundaries is not None:
                    sheet._min_column, sheet._min_row, sheet._max_column, sheet._max_row = boundaries
                return
            if element.tag == DATA_TAG:
                return


def xlsx_rows(stream: IO[bytes], limits: UploadLimits) -> Iterator[list[Any]]:
    """The first sheet's rows (values), streamed; stops at the first row or cell over a limit."""
    workbook = open_workbook(stream)
    try:
        sheet = workbook.worksheets[0]
        # Read the rows the sheet has, not the extent it claims (which pads every row to its width).
        sheet.reset_dimensions()
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > limits.last_row:
                raise _too_many_rows(limits)
            for column, value in enumerate(row, start=1):
                if isinstance(value, str) and len(value) > limits.max_cell_chars:
                    raise _cell_too_long(limits, number, value, column=_column_letter(column))
            yield list(row)
    finally:
        workbook.close()


def _column_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


# CSV ---------------------------------------------------------------------------------------------


def csv_rows(text: IO[str], limits: UploadLimits, *, delimiter: str = ",", first_row: int = 1) -> Iterator[list[str]]:
    """Rows of CSV text, numbered from `first_row`; stops at the first row or cell over a limit."""
    csv.field_size_limit(limits.max_cell_chars)
    reader = csv.reader(_lines(text, limits, first_row), delimiter=delimiter)
    number = first_row - 1
    try:
        for number, row in enumerate(reader, start=first_row):
            if number > limits.last_row:
                raise _too_many_rows(limits)
            yield row
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _cell_too_long(limits, number + 1, None) from None
        raise UploadRefused(f"第 {number + 1} 行无法读取 / row {number + 1} is not valid CSV: {exc}") from None


def _lines(text: IO[str], limits: UploadLimits, first_row: int) -> Iterator[str]:
    cap = limits.max_cell_chars * LINE_CELLS
    line_number = first_row - 1
    while line := text.readline(cap + 1):
        line_number += 1
        if len(line) > cap:
            raise UploadRefused(
                f"第 {line_number} 行超过 {cap:,} 字符 / line {line_number} is longer than {cap:,} characters",
                code="line_too_long",
            )
        yield line


# Messages ----------------------------------------------------------------------------------------


def _too_many_rows(limits: UploadLimits) -> UploadRefused:
    return UploadRefused(
        f"超过行数上限：表头下最多 {limits.max_rows:,} 行 / too many rows: {limits.kind} files may have at most "
        f"{limits.max_rows:,} rows below the header (row {limits.last_row + 1:,} was reached)",
        code="too_many_rows",
    )


def _cell_too_long(limits: UploadLimits, row: int, value: str | None, *, column: str = "") -> UploadRefused:
    where_zh = f"第 {row} 行" + (f" {column} 列" if column else "")
    where_en = f"row {row}" + (f", column {column}" if column else "")
    shown = f": {excerpt(value)}" if value is not None else ""
    return UploadRefused(
        f"{where_zh}单元格超过 {limits.max_cell_chars:,} 字符 / {where_en}: a cell is longer than "
        f"{limits.max_cell_chars:,} characters{shown}",
        code="cell_too_long",
    )


def stream_sha256(stream: IO[bytes]) -> str:
    """The hex sha256 of a whole upload, read a MiB at a time; the stream is left at its start."""
    digest = hashlib.sha256()
    stream.seek(0)
    while block := stream.read(1 << 20):
        digest.update(block)
    stream.seek(0)
    return digest.hexdigest()
