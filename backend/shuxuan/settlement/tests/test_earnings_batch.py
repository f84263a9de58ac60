"""The earnings of many payees are read in one pass over all of them: each payee's figures equal
what it reads alone, on frozen and not-yet-frozen lines alike."""

from __future__ import annotations

from dataclasses import asdict

from shuxuan.settlement.models import Contract, ContractFee, PayeeKind
from shuxuan.settlement.selectors import earnings_of

from .conftest import World, at
from .test_api import settle_via_api
from .test_runs import D1


def test_a_payee_read_with_others_reads_what_it_reads_alone(world: World) -> None:
    contract = Contract.objects.create(
        brand=world.brand, mode="consignment", operator_margin_bps=800, valid_from=at("2026-10-01 00:00:00")
    )
    ContractFee.objects.create(contract=contract, payee=world.logistics, kind="logistics", basis="per_unit", value=300)
    pending = {"status": "paid", "confirmed_at": ""}
    world.import_lines([D1, D1 | {"order_id": "P1"} | pending])
    settle_via_api(world)  # D1 settles; P1's terms are frozen with the logistics fee, not settleable yet
    world.import_lines([D1 | {"order_id": "P2"} | pending], name="later.csv")  # not frozen yet
    targets = [
        (str(PayeeKind.ORGANIZATION), world.brand.pk),
        (str(PayeeKind.ORGANIZATION), world.logistics.pk),
        (str(PayeeKind.ORGANIZATION), world.mcn.pk),
        (str(PayeeKind.ANCHOR), world.anchor.pk),
        (str(PayeeKind.ORGANIZATION), world.operator.pk),
    ]
    together = [asdict(e) for e in earnings_of(targets)]
    alone = [asdict(earnings_of([target])[0]) for target in targets]
    assert together == alone
    by_name = {row["payee_name"]: row for row in together}
    # The brand's two pending lines; the logistics fee only on the frozen one (a line not frozen yet
    # is estimated for its brand, MCN and anchor, not for its contract's fee payees).
    assert by_name[world.brand.name]["lines_pending"] == 2
    assert by_name[world.logistics.name]["lines_pending"] == 1
    assert by_name[world.logistics.name]["estimated"] == 300
    assert by_name[world.logistics.name]["settled"] == 300
