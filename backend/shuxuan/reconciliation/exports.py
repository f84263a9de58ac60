"""The close report as XLSX (one sheet per part) and PDF (with an embedded Chinese font, as
settlement's statement PDF does: SHUXUAN_PDF_FONT, WenQuanYi Micro Hei or Noto Sans CJK, else
ReportLab's non-embedded STSong-Light); the exceptions queue and a bill import's rejected rows as
rows for CSV or XLSX. The XLSX and CSV are written by `shuxuan.common.spreadsheets`, which keeps
text from running as a formula."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from shuxuan.common.money import to_major_str
from shuxuan.common.pdf import pdf_text
from shuxuan.common.spreadsheets import local_time, xlsx_workbook
from shuxuan.reconciliation.models import BillImport, ReconException

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
]
_FONT: str | None = None


def _yuan(minor: int, currency: str = "CNY") -> str:
    return to_major_str(int(minor), currency)


def _sheets(report: dict[str, Any]) -> dict[str, list[list[Any]]]:
    sheets: dict[str, list[list[Any]]] = {}
    sheets["试算平衡 Trial balance"] = [["科目 Code", "名称 Name", "类型 Type", "币种 Currency", "余额 Balance (debit +)"]] + [
        [line["code"], line["name"], line["type"], line["currency"], _yuan(line["balance_minor"], line["currency"])]
        for line in report["trial_balance"]
    ]
    for currency, total in report["trial_balance_totals"].items():
        sheets["试算平衡 Trial balance"].append(["合计 Total", "", "", currency, _yuan(total, currency)])
    stock = report["stock"]
    sheets["进销存 Stock"] = [["归属 Ownership", "期初", "采购", "销售", "样品", "退货", "调整", "期末"]] + [
        [
            ownership,
            *(_yuan(values[name]) for name in ("opening", "purchased", "sold", "sampled", "returned", "adjusted", "closing")),
        ]
        for ownership, values in stock["totals"].items()
    ]
    sheets["对账 Reconciliation"] = [
        [
            "来源 Source",
            "行数 Lines",
            "比对组 Groups",
            "已匹配 Matched",
            "匹配率 %",
            "未处理 Unresolved",
            "差异 Exceptions by reason",
        ]
    ] + [
        [
            row["source"],
            row["lines"],
            row["groups"],
            row["matched"],
            "" if row["matched_pct"] is None else f"{row['matched_pct']:.2f}",
            row["unresolved"],
            ", ".join(f"{k}={v}" for k, v in sorted(row["exceptions_by_reason"].items())),
        ]
        for row in report["reconciliation"]
    ]
    sheets["结转差异 Carried forward"] = [
        ["编号 Id", "来源 Source", "键 Key", "原因 Reason", "状态 State", "期间 Period", "差额 Difference", "负责人 Owner"]
    ] + [
        [
            e["id"],
            e["source"],
            e["key"],
            e["reason"],
            e["state"],
            e["period"],
            _yuan(e["difference_minor"], e["currency"]),
            e["owner"],
        ]
        for e in report["carried_forward"]
    ]
    return sheets


def close_report_xlsx(report: dict[str, Any]) -> bytes:
    summary = [
        ["期间 Period", report["period"]],
        ["状态 State", report["state"]],
        ["关账时间 Closed at", str(report["closed_at"] or "")],
        ["强制关账原因 Override", report["override_reason"]],
    ]
    return xlsx_workbook([("关账 Close", summary), *_sheets(report).items()])


def pdf_font() -> str:
    global _FONT
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if _FONT is not None:
        return _FONT
    for candidate in [os.environ.get("SHUXUAN_PDF_FONT", ""), *FONT_CANDIDATES]:
        if candidate and Path(candidate).is_file():
            pdfmetrics.registerFont(TTFont("ShuxuanReconCJK", candidate, subfontIndex=0))
            _FONT = "ShuxuanReconCJK"
            return _FONT
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    _FONT = "STSong-Light"
    return _FONT


def close_report_pdf(report: dict[str, Any], *, row_limit: int = 300) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = pdf_font()
    styles = getSampleStyleSheet()
    for style in styles.byName.values():
        style.fontName = font  # type: ignore[attr-defined]
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=landscape(A4), title=f"关账报告 {report['period']}")
    story: list[Any] = [
        Paragraph(f"关账报告 Close report {pdf_text(report['period'])}", styles["Title"]),
        Paragraph(f"状态 State: {report['state']}  关账时间: {report['closed_at'] or '-'}", styles["Normal"]),
    ]
    if report["override_reason"]:
        story.append(Paragraph(f"强制关账原因 Override: {pdf_text(report['override_reason'])}", styles["Normal"]))
    for title, rows in _sheets(report).items():
        story += [Spacer(1, 10), Paragraph(title, styles["Heading2"])]
        shown = rows[: row_limit + 1]
        if len(rows) > len(shown):
            shown.append([f"… 另有 {len(rows) - len(shown)} 行 / {len(rows) - len(shown)} more rows (see the XLSX)"])
        table = Table([[str(cell) for cell in row] for row in shown], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), font),
                    ("FONTSIZE", (0, 0), (-1, -1), 7),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ]
            )
        )
        story.append(table)
    document.build(story)
    return out.getvalue()


EXCEPTION_HEADER = [
    "编号 Id",
    "来源 Source",
    "匹配键 Key",
    "原因 Reason",
    "发现期间 Period",
    "最近期间 Last period",
    "币种 Currency",
    "账单净额 Bill net",
    "账内净额 Ledger net",
    "差额 Difference",
    "状态 State",
    "负责人 Owner",
    "处理方式 Resolution",
    "处理说明 Resolution note",
    "预计消除期间 Expected period",
    "首次发现 First seen",
    "处理时间 Resolved at",
    "账龄(天) Age (days)",
]
REJECTED_HEADER = ["行号 Line", "原因 Reason"]


def exception_rows(exceptions: QuerySet[ReconException]) -> Iterator[list[Any]]:
    """The header, then each exception of `exceptions` (already scoped and filtered, in the queue's
    order), read in one query through a server-side cursor; amounts in yuan with the currency."""
    yield EXCEPTION_HEADER
    now = timezone.now()
    rows = exceptions.select_related("owner").prefetch_related(None)
    for e in rows.iterator(chunk_size=2_000):
        c = e.currency
        yield [
            e.pk,
            e.get_source_display(),
            e.match_key,
            e.get_reason_display(),
            e.period,
            e.last_period,
            c,
            to_major_str(e.bill_net_minor, c),
            to_major_str(e.ledger_net_minor, c),
            to_major_str(e.difference_minor, c),
            e.get_state_display(),
            e.owner.username if e.owner else "",
            e.get_resolution_display() if e.resolution else "",
            e.resolution_note,
            e.expected_period,
            local_time(e.first_seen_at),
            local_time(e.resolved_at),
            (now - e.first_seen_at).days,
        ]


def bill_rejected_rows(bill_import: BillImport) -> Iterator[list[Any]]:
    """The header, then each row of the file the import refused, by line number."""
    yield REJECTED_HEADER
    for row in sorted(bill_import.rejected, key=lambda r: (int(r.get("line") or 0), str(r.get("reason", "")))):
        yield [row.get("line", ""), row.get("reason", "")]
