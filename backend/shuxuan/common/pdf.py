"""Text for ReportLab paragraphs. A Paragraph reads its text as markup (<b>, <a href>, &amp;), so
text a party typed (a payee's name, an override reason) is escaped before it goes in: a name such
as "叙府<b>窖" prints as written instead of failing the whole PDF or adding a link."""

from __future__ import annotations

from xml.sax.saxutils import escape


def pdf_text(value: object) -> str:
    return escape(str(value))
