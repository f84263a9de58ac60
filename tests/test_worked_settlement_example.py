"""Worked example of settlement, November 2026, with every number checked by hand. Values are fen.

Cast: the brand 叙府窖酒业 (consignment contract: operator margin 8%, logistics ¥3.00 per unit to
成都蜀运), the anchor 蜀中小满 bound to the MCN 熊猫星选 (MCN split 30%). The brand publishes an
open plan at 20% on its 52° 500ml (¥299); the MCN picks it for the anchor (rate frozen at 20%)
and schedules live sessions, 20:00–23:00, on Douyin on 30 October and on Kuaishou on 31 October.

Orders from the sessions (both platforms report a 20% affiliate commission: paid at source):

    line   platform  qty  paid     P        fee         commission (MCN 30% / anchor)   logistics  margin 8%  producer
    DY-1   douyin    2    598.00   59 800   5% 2 990    11 960 (3 588 / 8 372)          600        4 784      39 466
    DY-2   douyin    1    299.00   29 900   5% 1 495     5 980 (1 794 / 4 186)          300        2 392      19 733
      refund 99.00 before settlement: basis 20 000, every leg × 20 000/29 900, half-up, residue to the producer:
                                   20 000      1 000     4 000 (1 200 / 2 800)          201        1 600      13 199
    KS-1   kuaishou  1    299.00   29 900   5% 1 495     5 980 (1 794 / 4 186)          300        2 392      19 733
      (Kuaishou reports no fee rate: the platform's default 5% applies)

Run 1, cut-off 10 Nov (all confirmed by 2 Nov, after-sale window 7 days):
    brand     gross 59 800 + 20 000 + 29 900 = 109 700, fees 37 302,
              earnings 39 466 + 13 199 + 19 733 = 72 398       closing 72 398 (¥723.98)
    成都蜀运  earnings 600 + 201 + 300 = 1 101                  closing 1 101 (below the ¥100 minimum payout)
    MCN       paid by the platform 3 588 + 1 200 + 1 794 = 6 582
    anchor    paid by the platform 8 372 + 2 800 + 4 186 = 15 358
    operator  margin 4 784 + 1 600 + 2 392 = 8 776
    Douyin owes the shop 79 800 − (2 990 + 1 000) − (11 960 + 4 000) = 59 850; Kuaishou 29 900 − 1 495 − 5 980 = 22 425.
The brand is paid ¥723.98 by Stripe Connect; 成都蜀运's ¥11.01 waits (minimum ¥100).

KS-1 is refunded in full on 12 Nov, after settlement. Run 2, cut-off 15 Nov, claws it back:
    brand     gross −29 900, fees −10 167, opening 72 398, clawbacks −19 733, payouts −72 398,
              closing −19 733 (owes the operator)
    成都蜀运  opening 1 101, clawbacks −300, closing 801
Stripe refuses the transfer reversal (the brand's connected balance is short): the operator advances
(垫付) ¥197.33 — the brand's payable goes to 0 and a receivable from the brand of 19 733 is tracked.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from shuxuan.catalog.models import Category, Product, Sku
from shuxuan.ledger import facade as ledger
from shuxuan.orders.adapters.base import SHANGHAI
from shuxuan.orders.models import OrderLine, PlatformProductMapping
from shuxuan.orders.services import import_path
from shuxuan.parties.models import Anchor, AnchorAccount, McnBinding, OrganizationKind, Role
from shuxuan.payments.testing.connect_stub import ConnectStub
from shuxuan.payments.testing.fixtures import connect_stub, stripe_stub  # noqa: F401
from shuxuan.selection import services as selection
from shuxuan.selection.models import LiveSession, LiveSessionItem
from shuxuan.settlement import payouts, runs, statements
from shuxuan.settlement.models import Advance, Contract, ContractFee, Payee, Payout, PayoutState, SettledLeg, Statement
from shuxuan.testing.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

COLUMNS = [
    "platform", "order_id", "status", "paid_at", "pay_amount", "quantity", "author_id", "product_id",
    "commission_rate", "service_fee_rate", "refund_amount", "confirmed_at", "refunded_at",
]  # fmt: skip


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def write(tmp: Path, name: str, rows: list[dict[str, str]]) -> Path:
    path = tmp / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: row.get(key, "") for key in COLUMNS})
    return path


def owed(org_or_anchor: Any, account_type: str = ledger.AccountType.PAYABLE_TO_PARTY) -> int:
    if isinstance(org_or_anchor, Anchor):
        account = ledger.account_get_or_create(anchor_id=org_or_anchor.pk, type=account_type)
    else:
        account = ledger.account_get_or_create(organization_id=org_or_anchor.pk, type=account_type)
    return ledger.account_balance(account_id=account.pk)


def legs(order_id: str) -> dict[str, int]:
    line = OrderLine.objects.get(platform_order_id=order_id)
    out: dict[str, int] = {}
    for kind, amount in SettledLeg.objects.filter(line_id=line.pk).values_list("kind", "amount_minor"):
        out[kind] = out.get(kind, 0) + amount
    return out


def statement_of(run_id: int, **party: Any) -> Statement:
    return Statement.objects.get(run_id=run_id, **party)


def test_settlement_worked_example(tmp_path: Path, settings: Any, stripe_stub: ConnectStub) -> None:  # noqa: F811  # long: one worked story, figures asserted as they arise
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SETTLEMENT_MIN_PAYOUT_MINOR = 10_000
    with time_machine.travel(at("2026-10-20 09:00:00"), tick=False):
        operator = OrganizationFactory(kind=OrganizationKind.OPERATOR, name="四川蜀选供应链管理有限公司")
        brand = OrganizationFactory(kind=OrganizationKind.BRAND, name="宜宾叙府窖酒业有限公司")
        mcn = OrganizationFactory(kind=OrganizationKind.MCN, name="成都熊猫星选文化传媒有限公司")
        logistics = OrganizationFactory(kind=OrganizationKind.SERVICE_PROVIDER, name="成都蜀运供应链物流有限公司")
        finance = UserFactory(organization=operator, roles=[Role.FINANCE], username="we_finance")
        brand_owner = UserFactory(organization=brand, roles=[Role.OWNER], username="we_brand")
        mcn_owner = UserFactory(organization=mcn, roles=[Role.OWNER], username="we_mcn")
        anchor = Anchor.objects.create(organization=mcn, name="蜀中小满")
        AnchorAccount.objects.create(anchor=anchor, platform="douyin", platform_uid="dy_58213907", nickname="蜀中小满")
        AnchorAccount.objects.create(anchor=anchor, platform="kuaishou", platform_uid="ks_3390217", nickname="小满的川味厨房")
        McnBinding.objects.create(
            anchor=anchor, mcn=mcn, split_bps=3000, valid_from=at("2026-01-01 00:00:00"), created_by=finance
        )
        category = Category.objects.filter(children__isnull=True).order_by("id").first() or Category.objects.create(
            code="test.baijiu", name="白酒"
        )
        product = Product.objects.create(
            brand=brand, category=category, name="叙府窖 浓香型白酒", origin_city="宜宾市", status="approved"
        )
        sku = Sku.objects.create(
            product=product, brand=brand, code="XFJ-52-500", spec="52度 500ml", supply_price_minor=12_000,
            retail_price_minor=29_900, min_live_price_minor=19_900, max_live_price_minor=29_900,
        )  # fmt: skip
        PlatformProductMapping.objects.create(platform="douyin", platform_product_id="3600000000000000001", sku=sku)
        PlatformProductMapping.objects.create(platform="kuaishou", platform_product_id="ks-xfj-500", sku=sku)
        contract = Contract.objects.create(
            brand=brand, mode="consignment", operator_margin_bps=800, valid_from=at("2026-10-01 00:00:00")
        )
        ContractFee.objects.create(contract=contract, payee=logistics, kind="logistics", basis="per_unit", value=300)

        selection.plan_create(actor=brand_owner, product=product, sku=sku, plan_type="open", rate_bps=2000, approval="auto")
        pick = selection.pick_add(actor=mcn_owner, anchor=anchor, sku=sku)
        assert pick.rate_bps == 2000
        sessions = {}
        for platform, title, day in (("douyin", "双十一预热 白酒专场", "10-30"), ("kuaishou", "川味好酒夜", "10-31")):
            sessions[platform] = LiveSession.objects.create(
                anchor=anchor, platform=platform, title=title, starts_at=at(f"2026-{day} 20:00:00"),
                ends_at=at(f"2026-{day} 23:00:00"), created_by=mcn_owner,
            )  # fmt: skip
            LiveSessionItem.objects.create(
                session=sessions[platform], pick=pick, sku=sku, brand=brand, position=0, live_price_minor=29_900
            )

    douyin = {"platform": "douyin", "author_id": "dy_58213907", "product_id": "3600000000000000001", "commission_rate": "20%",
              "service_fee_rate": "5%", "status": "confirmed"}  # fmt: skip
    kuaishou = {"platform": "kuaishou", "author_id": "ks_3390217", "product_id": "ks-xfj-500", "commission_rate": "20%",
                "status": "confirmed"}  # fmt: skip
    orders = [
        douyin | {"order_id": "DY-1", "paid_at": "2026-10-30 20:41:07", "pay_amount": "598.00", "quantity": "2",
                  "confirmed_at": "2026-11-01 09:00:00"},
        douyin | {"order_id": "DY-2", "paid_at": "2026-10-30 21:02:55", "pay_amount": "299.00", "quantity": "1",
                  "confirmed_at": "2026-11-01 11:00:00", "refund_amount": "99.00", "refunded_at": "2026-11-01 12:00:00"},
        kuaishou | {"order_id": "KS-1", "paid_at": "2026-10-31 22:15:30", "pay_amount": "299.00", "quantity": "1",
                    "confirmed_at": "2026-11-02 10:00:00"},
    ]  # fmt: skip

    with time_machine.travel(at("2026-11-11 09:00:00"), tick=False):
        report = import_path(source="generic", path=write(tmp_path, "orders.csv", orders)).as_json()
        assert (report["created"], report["rejected"]) == (3, [])
        for order_id, platform in (("DY-1", "douyin"), ("DY-2", "douyin"), ("KS-1", "kuaishou")):
            line = OrderLine.objects.get(platform_order_id=order_id)
            assert (line.anchor_id, line.mcn_id, line.pick_id, line.rate_bps) == (anchor.pk, mcn.pk, pick.pk, 2000)
            assert line.live_session_id == sessions[platform].pk

        run1 = runs.run_execute(run_id=runs.run_create(cutoff=date(2026, 11, 10), actor=finance).pk)
        assert (run1.state, run1.lines_settled) == ("done", 3)

    assert legs("DY-1") == {"platform_fee": 2990, "anchor_commission": 8372, "mcn_share": 3588, "service_fee": 600,
                            "operator_margin": 4784, "producer": 39466}  # fmt: skip
    assert legs("DY-2") == {"platform_fee": 1000, "anchor_commission": 2800, "mcn_share": 1200, "service_fee": 201,
                            "operator_margin": 1600, "producer": 13199}  # fmt: skip
    assert legs("KS-1") == {"platform_fee": 1495, "anchor_commission": 4186, "mcn_share": 1794, "service_fee": 300,
                            "operator_margin": 2392, "producer": 19733}  # fmt: skip

    brand_1 = statement_of(run1.pk, organization=brand)
    assert (brand_1.opening_minor, brand_1.earnings_minor, brand_1.closing_minor, brand_1.lines) == (0, 72398, 72398, 3)
    # Gross sales of its lines 59 800 + 20 000 + 29 900; the waterfall took 109 700 − 72 398 before its share.
    assert (brand_1.gross_minor, brand_1.fees_minor) == (109700, 37302)
    logistics_1 = statement_of(run1.pk, organization=logistics)
    assert (logistics_1.earnings_minor, logistics_1.closing_minor) == (1101, 1101)
    assert (statement_of(run1.pk, organization=mcn).at_source_minor, statement_of(run1.pk, organization=mcn).closing_minor) == (
        6582,
        0,
    )
    assert statement_of(run1.pk, anchor=anchor).at_source_minor == 15358
    operator_income = ledger.account_get_or_create(organization_id=operator.pk, type=ledger.AccountType.FEE_INCOME)
    assert ledger.account_balance(account_id=operator_income.pk) == -8776
    for platform, expected in (("douyin", 59850), ("kuaishou", 22425)):
        receivable = ledger.account_get_or_create(platform=platform, type=ledger.AccountType.PLATFORM_RECEIVABLE)
        assert ledger.account_balance(account_id=receivable.pk) == expected
    call_command("verify_ledger")

    # Finance approves; the brand is paid by Stripe Connect, 成都蜀运 waits for the minimum.
    stripe_stub.add_account("acct_1XfjBrand0000001")
    Payee.objects.create(payee_kind="organization", organization=brand, rail="stripe", stripe_account_id="acct_1XfjBrand0000001")
    Payee.objects.create(
        payee_kind="organization",
        organization=logistics,
        bank_account_name=logistics.name,
        bank_account_number="6217003810001234567",
    )
    for statement in (brand_1, logistics_1):
        statements.statement_approve(statement_id=statement.pk, actor=finance)
    plan = payouts.payouts_create(statement_ids=[brand_1.pk, logistics_1.pk], actor=finance)
    assert [p.amount_minor for p in plan.created] == [72398]
    assert plan.skipped[0]["statement"] == logistics_1.pk and "below the minimum" in plan.skipped[0]["reason"]
    paid = payouts.payout_send_stripe(payout_id=plan.created[0].pk, actor=finance)
    assert paid.state == PayoutState.PAID and paid.external_id.startswith("tr_")
    transfer = stripe_stub.transfer(paid.external_id)
    assert (transfer["amount"], transfer["destination"], transfer["transfer_group"]) == (
        72398,
        "acct_1XfjBrand0000001",
        f"statement-{brand_1.pk}",
    )
    assert owed(brand) == 0

    # KS-1 is refunded in full after settlement; run 2 claws it back, and Stripe refuses the reversal.
    refund = [orders[2] | {"status": "refunded", "refund_amount": "299.00", "refunded_at": "2026-11-12 15:00:00"}]
    with time_machine.travel(at("2026-11-16 09:00:00"), tick=False):
        assert import_path(source="generic", path=write(tmp_path, "refund.csv", refund)).as_json()["updated"] == 1
        run2 = runs.run_execute(run_id=runs.run_create(cutoff=date(2026, 11, 15), actor=finance).pk)
        assert (run2.state, run2.lines_settled, run2.lines_clawed_back) == ("done", 1, 1)
        stripe_stub.fail_next(status=400, code="balance_insufficient", message="Insufficient funds in the connected account.")
        assert payouts.clawbacks_recover(run_id=run2.pk, actor=finance) == {"reversed": 0, "advanced": 1}

    assert legs("KS-1") == dict.fromkeys(
        ("platform_fee", "anchor_commission", "mcn_share", "service_fee", "operator_margin", "producer"), 0
    )
    brand_2 = statement_of(run2.pk, organization=brand)
    assert (brand_2.opening_minor, brand_2.clawbacks_minor, brand_2.other_minor, brand_2.closing_minor) == (
        72398,
        -19733,
        -72398,
        -19733,
    )
    assert (brand_2.gross_minor, brand_2.fees_minor) == (-29900, -10167)
    logistics_2 = statement_of(run2.pk, organization=logistics)
    assert (logistics_2.opening_minor, logistics_2.clawbacks_minor, logistics_2.closing_minor) == (1101, -300, 801)
    advance = Advance.objects.get()
    assert (advance.amount_minor, advance.state, advance.statement_id) == (19733, "open", brand_2.pk)
    assert "Insufficient funds" in advance.reason
    assert owed(brand) == 0
    assert owed(brand, ledger.AccountType.RECEIVABLE_FROM_PARTY) == 19733
    kuaishou_receivable = ledger.account_get_or_create(platform="kuaishou", type=ledger.AccountType.PLATFORM_RECEIVABLE)
    assert ledger.account_balance(account_id=kuaishou_receivable.pk) == 0
    assert Payout.objects.get().state == PayoutState.PAID
    call_command("verify_ledger")
