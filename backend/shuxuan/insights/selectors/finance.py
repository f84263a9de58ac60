"""The operator finance home: statements to approve, payouts in flight, reconciliation exceptions by
age, the month-end close checklist, and the MCN split agreements in force."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from shuxuan.insights.selectors._shared import Panels, _card, _chart
from shuxuan.parties import facade as parties
from shuxuan.reconciliation import facade as reconciliation
from shuxuan.settlement import facade as settlement
from shuxuan.settlement.facade import PayoutState


def finance_home(*, today: date) -> Panels:
    cards, charts, close = finance_figures(today=today)
    cards.append(
        _card("active_bindings", "organization", "生效中的 MCN 分成协议", "MCN split agreements in force",
              count=parties.bindings_in_force_count())
    )  # fmt: skip
    return Panels(cards=cards, charts=charts, close=close)


def finance_figures(*, today: date) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
    awaiting = settlement.statements_awaiting_approval_totals()
    flight = settlement.payouts_in_flight_by_state()
    period = f"{today:%Y-%m}"
    ages = reconciliation.unresolved_aging(period=period)
    over_30 = sum(n for label, n in ages.items() if label not in ("0-7", "8-30"))
    cards = [
        _card("statements_awaiting_approval", "payables", "待审批结算单", "Statements awaiting approval",
              count=awaiting.count, link="/settlement/statements?state=draft"),
        _card("statements_awaiting_approval_amount", "payables", "待审批应付金额", "Payable, awaiting approval",
              amount_minor=awaiting.amount_minor, link="/settlement/statements?state=draft"),
        _card("payouts_in_flight", "payouts", "在途付款", "Payouts in flight",
              count=sum(r.count for r in flight.values()), link="/settlement/payouts?in_flight=true"),
        _card("payouts_in_flight_amount", "payouts", "在途付款金额", "Amount in flight",
              amount_minor=sum(r.amount_minor for r in flight.values()), link="/settlement/payouts?in_flight=true"),
    ]  # fmt: skip
    for state, zh, en in ((PayoutState.PENDING, "待发送", "pending"), (PayoutState.SENT, "已发送待到账", "sent")):
        row = flight.get(state, settlement.CountAndAmount(count=0, amount_minor=0))
        cards.append(
            _card(f"payouts_{state}", "payouts", f"付款{zh}", f"Payouts {en}", count=row.count,
                  link=f"/settlement/payouts?state={state}")
        )  # fmt: skip
    for key, zh, en, count, age in (
        ("exceptions_0_7", "0–7 天", "0–7 days", ages["0-7"], "0-7"),
        ("exceptions_8_30", "8–30 天", "8–30 days", ages["8-30"], "8-30"),
        ("exceptions_over_30", "30 天以上", "over 30 days", over_30, reconciliation.OVER_30),
    ):
        # The queue's filters that select what the card counts: unresolved, this period or before, this age.
        link = "/reconciliation/exceptions?" + urlencode({"unresolved_through": period, "age": age})
        cards.append(_card(key, "exceptions", f"未解决差异 {zh}", f"Open exceptions, {en}", count=count, link=link))
    chart = _chart("exceptions_by_age", "未解决差异（按账龄）", "Open exceptions by age", "count", "age", list(ages.items()))
    return cards, [chart], reconciliation.close_checklist(period=period)
