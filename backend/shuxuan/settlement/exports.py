"""Statements out: CSV and XLSX for a run (finance's spreadsheet), and a PDF a person can read.
The CSV and XLSX are written by `shuxuan.common.spreadsheets`, which keeps text from running as
a formula.

The PDF embeds a Chinese TrueType font (ReportLab subsets and embeds it): the first found of
SHUXUAN_PDF_FONT, WenQuanYi Micro Hei (Debian's fonts-wqy-microhei) and Noto Sans CJK. Without
any, it falls back to ReportLab's built-in STSong-Light, which is not embedded and needs the
reader's Asian font pack; the README says to install fonts-wqy-microhei.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db.models import QuerySet, Sum

from shuxuan.common.money import to_major_str
from shuxuan.common.pdf import pdf_text
from shuxuan.common.spreadsheets import csv_bytes, local_time, xlsx_workbook
from shuxuan.settlement.models import LegKind, LineTerms, PayeeKind, SettledBy, SettledLeg, Statement
from shuxuan.settlement.movements import statement_movements

STATEMENT_COLUMNS = [
    ("结算单号 Statement", "id"),
    ("结算批次 Run", "run"),
    ("截止日 Cut-off", "cutoff"),
    ("收款方 Payee", "payee"),
    ("类型 Kind", "kind"),
    ("币种 Currency", "currency"),
    ("期初 Opening", "opening"),
    ("本期收入 Earnings", "earnings"),
    ("本期扣回 Clawbacks", "clawbacks"),
    ("付款及其他 Payouts & other", "other"),
    ("期末 Closing", "closing"),
    ("平台代结 Paid by platform", "at_source"),
    ("销售额 Gross", "gross"),
    ("扣费 Fees", "fees"),
    ("订单行数 Lines", "lines"),
    ("状态 State", "state"),
]


def _row(statement: Statement) -> list[Any]:
    c = statement.currency
    return [
        statement.pk,
        statement.run_id,
        statement.run.cutoff.isoformat(),
        statement.payee_name,
        "主播 anchor" if statement.payee_kind == PayeeKind.ANCHOR else "机构 organization",
        c,
        to_major_str(statement.opening_minor, c),
        to_major_str(statement.earnings_minor, c),
        to_major_str(statement.clawbacks_minor, c),
        to_major_str(statement.other_minor, c),
        to_major_str(statement.closing_minor, c),
        to_major_str(statement.at_source_minor, c),
        to_major_str(statement.gross_minor, c),
        to_major_str(statement.fees_minor, c),
        statement.lines,
        statement.get_state_display(),
    ]


def _statement_rows(statements: Iterable[Statement]) -> Iterator[list[Any]]:
    yield [title for title, _ in STATEMENT_COLUMNS]
    for statement in statements:
        yield _row(statement)


def statements_csv(statements: Iterable[Statement]) -> bytes:
    return csv_bytes(_statement_rows(statements))


def statement_lines(statement: Statement) -> QuerySet[SettledLeg]:
    """The legs behind a statement: its party's legs in its run."""
    legs = SettledLeg.objects.filter(run_id=statement.run_id, currency=statement.currency)
    if statement.payee_kind == PayeeKind.ANCHOR:
        return legs.filter(payee_anchor_id=statement.anchor_id)
    return legs.filter(payee_org_id=statement.organization_id)


LINE_HEADER = ["结算单号", "订单行", "订单号", "分账项 Leg", "结算方 Settled by", "金额 Amount", "币种", "分录 Entry"]


def statements_xlsx(statements: Iterable[Statement], *, with_lines: bool = True, line_limit: int = 1_000_000) -> bytes:
    """A workbook: one row per statement, and a sheet of every leg behind them (written streaming)."""
    chosen = list(statements)
    sheets: list[tuple[str, Iterable[list[Any]]]] = [("结算单 Statements", _statement_rows(chosen))]
    if with_lines:
        sheets.append(("明细 Lines", _leg_rows(chosen, line_limit)))
    return xlsx_workbook(sheets)


def _leg_rows(statements: list[Statement], line_limit: int) -> Iterator[list[Any]]:
    """The header, then the legs behind each statement, up to `line_limit` legs in all."""
    yield LINE_HEADER
    labels, by_labels = dict(LegKind.choices), dict(SettledBy.choices)
    written = 0
    for statement in statements:
        rows = (
            statement_lines(statement)
            .order_by("line_id", "id")
            .values_list("line_id", "kind", "settled_by", "amount_minor", "currency", "entry_id")
        )
        orders = _order_ids(statement)
        for line_id, kind, by, amount, currency, entry_id in rows.iterator(chunk_size=5000):
            yield [
                statement.pk,
                line_id,
                orders.get(line_id, ""),
                labels.get(kind, kind),
                by_labels.get(by, by),
                to_major_str(amount, currency),
                currency,
                entry_id,
            ]
            written += 1
            if written >= line_limit:
                return


def _order_ids(statement: Statement) -> dict[int, str]:
    from shuxuan.orders.facade import OrderLine

    ids = statement_lines(statement).values("line_id")
    return dict(OrderLine.objects.filter(pk__in=ids).values_list("id", "platform_order_id"))


# PDF ---------------------------------------------------------------------------------------------

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
]
_FONT: str | None = None


def pdf_font() -> tuple[str, bool]:
    """The registered font name, and whether it is embedded (a TrueType font) or not (CID)."""
    global _FONT
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if _FONT is not None:
        return _FONT, _FONT != "STSong-Light"
    candidates = [os.environ.get("SHUXUAN_PDF_FONT", ""), *FONT_CANDIDATES]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            pdfmetrics.registerFont(TTFont("ShuxuanCJK", candidate, subfontIndex=0))
            _FONT = "ShuxuanCJK"
            return _FONT, True
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    _FONT = "STSong-Light"
    return _FONT, False


def _pdf_balance_rows(statement: Statement) -> list[list[str]]:
    """The statement PDF's balance table: opening, the period's movements, closing, at source."""
    c = statement.currency
    return [
        ["项目 Item", f"金额 Amount ({c})"],
        ["期初应付 Opening balance", to_major_str(statement.opening_minor, c)],
        ["本期销售额（生产方）Gross sales of its lines", to_major_str(statement.gross_minor, c)],
        ["扣费：平台、佣金、服务费、运营方 Fees taken before its share", to_major_str(-statement.fees_minor, c)],
        ["本期收入 Earnings", to_major_str(statement.earnings_minor, c)],
        ["本期扣回 Clawbacks", to_major_str(statement.clawbacks_minor, c)],
        ["付款及其他 Payouts and other movements", to_major_str(statement.other_minor, c)],
        *[[f"    {m.label}", to_major_str(m.amount_minor, c)] for m in statement_movements(statement)],
        ["期末应付 Closing balance", to_major_str(statement.closing_minor, c)],
        ["平台代结（不计入余额）Paid by the platform directly", to_major_str(statement.at_source_minor, c)],
    ]


def statement_pdf(statement: Statement, *, line_limit: int = 500) -> bytes:
    """One statement as a readable A4 PDF: header, balance table, legs by kind, first lines."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font, _embedded = pdf_font()
    c = statement.currency
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=f"结算单 {statement.pk}",
        author="蜀选 Shuxuan",
    )
    style = TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("FONTSIZE", (0, 0), (-1, -1), 9),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f3f8")),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ]
    )
    story: list[Any] = [
        Paragraph("蜀选 结算单 / Settlement statement", title),
        Spacer(1, 4 * mm),
        Paragraph(
            f"结算单号 No. {statement.pk} · 结算批次 Run #{statement.run_id} · 截止日 Cut-off {statement.run.cutoff:%Y-%m-%d}",
            body,
        ),
        Paragraph(
            f"收款方 Payee: {pdf_text(statement.payee_name)} · 币种 Currency: {c} · 状态 State: {statement.get_state_display()}",
            body,
        ),
        Spacer(1, 5 * mm),
    ]
    balance = _pdf_balance_rows(statement)
    story.append(Table(balance, colWidths=[110 * mm, 50 * mm], style=style))
    story.append(Spacer(1, 5 * mm))
    by_kind = (
        statement_lines(statement).values("kind", "settled_by").annotate(total=Sum("amount_minor")).order_by("kind", "settled_by")
    )
    labels, by_labels = dict(LegKind.choices), dict(SettledBy.choices)
    kinds = [["分账项 Leg", "结算方 Settled by", f"合计 Total ({c})"]]
    kinds += [[labels[k["kind"]], by_labels[k["settled_by"]], to_major_str(k["total"], c)] for k in by_kind]
    story.append(Table(kinds, colWidths=[60 * mm, 60 * mm, 40 * mm], style=style))
    story.append(Spacer(1, 5 * mm))
    orders = _order_ids(statement)
    rows = list(
        statement_lines(statement).order_by("line_id", "id").values_list("line_id", "kind", "amount_minor")[: line_limit + 1]
    )
    detail = [["订单号 Order", "分账项 Leg", f"金额 Amount ({c})"]]
    detail += [
        [orders.get(line_id, str(line_id)), labels[kind], to_major_str(amount, c)] for line_id, kind, amount in rows[:line_limit]
    ]
    story.append(Paragraph(f"明细 Lines（{statement.lines} 行订单）", body))
    story.append(Table(detail, colWidths=[70 * mm, 50 * mm, 40 * mm], style=style, repeatRows=1))
    if len(rows) > line_limit:
        story.append(
            Paragraph(f"仅列出前 {line_limit} 条；完整明细见 XLSX 导出 / first {line_limit} legs; the XLSX has all", body)
        )
    doc.build(story)
    return buffer.getvalue()


PROBLEM_HEADER = [
    "订单行 Line",
    "平台 Platform",
    "订单号 Order id",
    "币种 Currency",
    "计费基数 Basis",
    "待核原因 Problem",
    "冻结时间 Frozen at",
]


def problem_line_rows(terms: QuerySet[LineTerms]) -> Iterator[list[Any]]:
    """The header, then each line waiting for review of `terms` (already filtered, annotated with
    `order_id_text`), through a server-side cursor; the basis in yuan with the currency."""
    yield PROBLEM_HEADER
    for line in terms.iterator(chunk_size=5_000):
        yield [
            line.line_id,
            line.get_platform_display(),
            line.order_id_text,  # type: ignore[attr-defined]
            line.currency,
            to_major_str(line.full_basis_minor, line.currency),
            line.problem,
            local_time(line.frozen_at),
        ]
