"""A minimal XLSX writer for tests of the upload limits: the zip parts written by hand, so a
workbook of millions of rows or one enormous cell is made in a second or two (openpyxl would take
minutes), and nothing large is committed to the repository."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def row_xml(number: int, cells: Iterable[str]) -> str:
    inline = "".join(f'<c t="inlineStr"><is><t>{escape(cell)}</t></is></c>' for cell in cells)
    return f'<row r="{number}">{inline}</row>'


def write_xlsx(path: Path, rows: Iterable[str]) -> Path:
    """A workbook of one sheet whose <row> elements are `rows` (XML text, see `row_xml`)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_HEAD.encode())
            buffer: list[str] = []
            for row in rows:
                buffer.append(row)
                if len(buffer) >= 10_000:
                    sheet.write("".join(buffer).encode())
                    buffer.clear()
            sheet.write(("".join(buffer) + _SHEET_TAIL).encode())
    return path


def one_huge_cell(path: Path, *, header: list[str], size: int, chunk: int = 1 << 20) -> Path:
    """A header row, then one row whose first cell is `size` characters of "A" (a decompression bomb)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write((_SHEET_HEAD + row_xml(1, header) + '<row r="2"><c t="inlineStr"><is><t>').encode())
            left = size
            block = b"A" * chunk
            while left > 0:
                sheet.write(block[: min(chunk, left)])
                left -= chunk
            sheet.write(("</t></is></c></row>" + _SHEET_TAIL).encode())
    return path


def numbered_rows(header: list[str], count: int) -> Iterator[str]:
    """The header, then `count` rows of varied cells (they compress about as real data does)."""
    yield row_xml(1, header)
    for number in range(2, count + 2):
        yield f'<row r="{number}"><c t="inlineStr"><is><t>SKU-{number * 7919 % 1_000_003:07d}</t></is></c></row>'
