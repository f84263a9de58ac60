"""An import's rejected rows out to a spreadsheet: every row the file could not land, by line
number, with the reason (the file's cells are not kept; the stored upload has them). Written as CSV
or XLSX by `shuxuan.common.spreadsheets`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from shuxuan.orders.models import RejectedRow

REJECTED_HEADER = ["行号 Line", "原因 Reason"]


def rejected_rows(*, batch_id: int) -> Iterator[list[Any]]:
    """The header, then each rejected row of the batch in line order, through a server-side cursor."""
    yield REJECTED_HEADER
    rows = RejectedRow.objects.filter(batch_id=batch_id).order_by("line", "id").values_list("line", "reason")
    for line, reason in rows.iterator(chunk_size=5_000):
        yield [line, reason]
