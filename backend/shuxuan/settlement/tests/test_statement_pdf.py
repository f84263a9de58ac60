"""The statement PDF prints party text as written: ReportLab reads a paragraph as markup."""

from __future__ import annotations

from shuxuan.settlement.tests.test_api import brand_statement, client_for, settle_via_api

from .conftest import World
from .test_runs import D1


def test_a_payee_name_that_looks_like_markup_still_downloads_as_a_pdf(world: World) -> None:
    world.brand.name = '叙府<b>窖 & <a href="http://evil.example">Co</a>'
    world.brand.save(update_fields=["name"])
    world.import_lines([D1])
    settle_via_api(world)
    statement = brand_statement(world)
    assert statement.payee_name == world.brand.name
    pdf = client_for(world.finance).get(f"/api/settlement/statements/{statement.pk}/download/", {"fmt": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert b"evil.example" not in pdf.content  # no link annotation was made of the name
