"""Downloads for finance's and the warehouse's spreadsheets: CSV (UTF-8 with a BOM, so Excel reads
the Chinese) streamed in pieces, or an XLSX workbook of one sheet, from rows of cells.

An export endpoint takes `fmt=csv|xlsx` (CSV by default), names the file and answers it as an
attachment; `export_format`, `csv_response` and `xlsx_response` do those parts the same way
everywhere.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

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


def file_response(*content_types: str) -> dict[tuple[int, str], Any]:
    """A download's 200 in the schema, one entry per content type it can answer (parameters such as the
    charset dropped: the schema names media types)."""
    return {(200, content_type.split(";")[0]): OpenApiTypes.BINARY for content_type in content_types}


FILE_RESPONSE = file_response(CSV_TYPE, XLSX_TYPE)


def export_format(request: Request) -> str:
    fmt = request.query_params.get("fmt", "csv")
    if fmt not in ("csv", "xlsx"):
        raise DomainError("格式须为 csv 或 xlsx / fmt must be csv or xlsx", field="fmt")
    return fmt


def safe_text(value: str) -> str:
    """A text cell a spreadsheet will not run as a formula (OWASP's CSV injection advice)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


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
        line = writer.writerow(row)
        buffer.append(line)
        size += len(line)
        if size >= 65_536:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def xlsx_bytes(sheet_title: str, rows: Iterable[list[Any]]) -> bytes:
    """A workbook of one sheet, written streaming (openpyxl's write-only mode)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _attachment(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'


def csv_response(rows: Iterable[list[Any]], filename: str) -> StreamingHttpResponse:
    """The rows as a streamed CSV attachment: read lazily, so any number of rows fits."""
    response = StreamingHttpResponse(csv_stream(rows), content_type=CSV_TYPE)
    _attachment(response, filename)
    return response


def xlsx_response(sheet_title: str, rows: Iterable[list[Any]], filename: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheet_title, rows), content_type=XLSX_TYPE)
    _attachment(response, filename)
    return response
