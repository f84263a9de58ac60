"""The bank's result file is read within its upload limits and quotes its cells as short excerpts
(ADR 0013): a cell over the limit is a 400 naming the line, and nothing is applied."""

from __future__ import annotations

import io
from typing import Any

from shuxuan.audit.models import AuditEntry
from shuxuan.settlement.models import PayoutBatch, PayoutState

from .conftest import World
from .test_api import _pay_brand_by_bank, client_for, settle_via_api
from .test_runs import D1


def upload(world: World, rows: list[str]) -> tuple[Any, Any]:
    world.import_lines([D1])
    settle_via_api(world)
    payout = _pay_brand_by_bank(world)
    finance = client_for(world.finance)
    batch = finance.post("/api/settlement/payout-batches/", {}, format="json").json()
    content = io.BytesIO("\n".join(row.format(key=payout.idempotency_key) for row in rows).encode("gb18030"))
    content.name = "result.csv"
    response = finance.post(f"/api/settlement/payout-batches/{batch['id']}/results/", {"file": content}, format="multipart")
    payout.refresh_from_db()
    return response, (payout.state, payout.entry_id, PayoutBatch.objects.get(pk=batch["id"]).result_sha256 or "")


def test_a_cell_over_the_limit_is_refused_naming_the_line_and_nothing_is_applied(world: World) -> None:
    response, state = upload(world, ["业务参考号,状态,银行流水号,说明", "{key},成功,S1," + "慢" * 200 * 1024])
    assert response.status_code == 400
    assert response.json()["detail"] == "第 2 行单元格超过 65,536 字符 / row 2: a cell is longer than 65,536 characters"
    assert state == (PayoutState.SENT, None, "")
    assert not AuditEntry.objects.filter(action__in=["settlement.payout_paid", "settlement.payout_failed"]).exists()


def test_a_long_unknown_reference_is_quoted_as_an_excerpt(world: World) -> None:
    stranger = "X" * 3_000
    response, state = upload(world, ["业务参考号,状态,银行流水号,说明", f"{stranger},成功,S1,"])
    assert response.status_code == 400
    assert response.json()["rejected"][0]["reason"] == (
        f"业务参考号 {stranger[:80]!r}…(3,000 字符 / characters) 不在本批次 / not in this batch"
    )
    assert state == (PayoutState.SENT, None, "")


def test_a_result_file_over_the_size_limit_answers_413_and_nothing_is_applied(world: World, settings: Any) -> None:
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "bank_results": {"max_bytes": 20, "max_rows": 10}}
    response, state = upload(world, ["业务参考号,状态,银行流水号,说明", "{key},成功,S1,"])
    assert response.status_code == 413 and response.json()["code"] == "file_too_large"
    assert state == (PayoutState.SENT, None, "")
