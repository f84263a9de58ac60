"""Downloads for finance's and the warehouse's spreadsheets: CSV (UTF-8 with a BOM, so Excel reads
the Chinese) streamed in pieces, or an XLSX workbook of one sheet, from rows of cells.

An export endpoint takes `fmt=csv|xlsx` (CSV by default), names the file and answers it as an
attachment; `export_format`, `csv_response` and `xlsx_response` do those parts the same way
everywhere.

Every CSV and XLSX the project writes goes through the writers here (`csv_stream`, `csv_text`,
`csv_bytes`, `xlsx_bytes`, `xlsx_workbook`), and they pass every cell through `safe_cell`, so no
text a party typed (an order id, a product name, a memo) can reach a spreadsheet as a formula.
`tests/test_exports_formula_injection.py` walks every export and fails on one that does not.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request

from shuxuan.common.exceptions import DomainError

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel's sheet holds 1,048,576 rows.
XLSX_MAX_ROWS = 1_048_576
FMT_PARAMETER = OpenApiParameter(
    "fmt", OpenApiTypes.STR, enum=["csv", "xlsx"], required=False, description="csv (default) or xlsx"
)
PDF_TYPE = "application/pdf"
# Every moment in an export is the wall time of the chain's users, whatever the server's zone.
SHANGHAI = ZoneInfo("Asia/Shanghai")
# OWASP's CSV injection list, with the full-width forms Excel and WPS also read as formula signs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# A plain decimal number ("-12.50", "+3") is data, not a formula: money written as text stays readable.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def download_schema(*content_types: str) -> dict[tuple[int, str], Any]:
    """A download's 200 in the schema, one entry per content type it can answer (parameters such as the
    charset dropped: the schema names media types)."""
    return {(200, content_type.split(";")[0]): OpenApiTypes.BINARY for content_type in content_types}


FILE_RESPONSE = download_schema(CSV_TYPE, XLSX_TYPE)


def export_format(request: Request) -> str:
    fmt = request.query_params.get("fmt", "csv")
    if fmt not in ("csv", "xlsx"):
        raise DomainError("格式须为 csv 或 xlsx / fmt must be csv or xlsx", field="fmt")
    return fmt


def safe_text(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP's CSV injection advice): one that
    starts with a formula sign gets a leading single quote, unless it is a plain number."""
    if value[:1] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_cell(value: Any) -> Any:
    """Text is made safe; numbers, dates and empty cells are written as they are."""
    return safe_text(value) if isinstance(value, str) else value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


class _Line:
    """A file-like object whose write() hands back what csv.writer wrote."""

    def write(self, text: str) -> str:
        return text


def csv_stream(rows: Iterable[list[Any]]) -> Iterator[bytes]:
    """CSV bytes, a BOM first, in pieces of about 64 KB."""
    writer = csv.writer(_Line())
    buffer: list[str] = ["\ufeff"]
    size = 0
    for row in rows:
        line = writer.writerow(safe_row(row))
        buffer.append(line)
        size += len(line)
        if size >= 65_536:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def csv_text(rows: Iterable[list[Any]]) -> str:
    """The whole CSV as text, the BOM first (for a file built in memory, such as a bank's batch)."""
    return b"".join(csv_stream(rows)).decode("utf-8")


def csv_bytes(rows: Iterable[list[Any]]) -> bytes:
    return b"".join(csv_stream(rows))


def xlsx_workbook(sheets: Iterable[tuple[str, Iterable[list[Any]]]]) -> bytes:
    """A workbook of (title, rows) sheets in order, written streaming (openpyxl's write-only
    mode). Titles are cut to Excel's 31 characters."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        for row in rows:
            sheet.append(safe_row(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(sheet_title: str, rows: Iterable[list[Any]]) -> bytes:
    """A workbook of one sheet."""
    return xlsx_workbook([(sheet_title, rows)])


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'


def file_response(content: bytes, filename: str, content_type: str) -> HttpResponse:
    """Bytes already written (by the writers here, or a PDF) as an attachment."""
    response = HttpResponse(content, content_type=content_type)
    _attachment(response, filename)
    return response


def csv_response(rows: Iterable[list[Any]], filename: str) -> StreamingHttpResponse:
    """The rows as a streamed CSV attachment: read lazily, so any number of rows fits."""
    response = StreamingHttpResponse(csv_stream(rows), content_type=CSV_TYPE)
    _attachment(response, filename)
    return response


def xlsx_response(sheet_title: str, rows: Iterable[list[Any]], filename: str) -> HttpResponse:
    return file_response(xlsx_bytes(sheet_title, rows), filename, XLSX_TYPE)


def check_fits_one_sheet(count: int) -> None:
    """Refuse an XLSX of more rows than one Excel sheet holds (the header takes one), naming fmt."""
    if count >= XLSX_MAX_ROWS:
        raise DomainError(
            f"共 {count:,} 行，超出 Excel 单表上限，请导出 CSV 或加筛选 / "
            f"{count:,} rows do not fit one Excel sheet: export CSV or filter",
            field="fmt",
        )


def local_time(moment: datetime | None) -> str:
    """A moment as an Asia/Shanghai wall time to the second ("2026-11-02 00:30:00"); none is empty."""
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S") if moment else ""
