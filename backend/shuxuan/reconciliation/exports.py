"""The close report as XLSX (one sheet per part) and PDF (with an embedded Chinese font, as
settlement's statement PDF does: SHUXUAN_PDF_FONT, WenQuanYi Micro Hei or Noto Sans CJK, else
ReportLab's non-embedded STSong-Light). The XLSX is written by `shuxuan.common.spreadsheets`,
which keeps text from running as a formula."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from shuxuan.common.money import to_major_str
from shuxuan.common.pdf import pdf_text
from shuxuan.common.spreadsheets import xlsx_workbook

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
