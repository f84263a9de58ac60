"""The home of an MCN, a service provider or an anchor: earnings (the earnings page's totals), the
anchors it sees with their platform accounts, and the sessions of the next seven days."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from shuxuan.insights.selectors._shared import SESSION_DAYS, Panels, _card, _chart, member_card
from shuxuan.parties import facade as parties
from shuxuan.parties.models import Organization, User
from shuxuan.selection import facade as selection
from shuxuan.settlement import facade as settlement


def party_home(user: User, org: Organization, *, now: datetime, members: int) -> Panels:
    seen = parties.anchors_seen_by(organization_id=org.pk)
    cards = [
        *party_earnings(user, org),
        _card("anchors", "organization", "签约主播", "Anchors", count=seen.anchors, link="/parties/anchors"),
        _card("accounts", "organization", "平台账号", "Platform accounts", count=seen.accounts),
        _card("fans", "organization", "总粉丝数", "Total fans", count=seen.fans),
        member_card(members),
    ]
    return Panels(cards=cards, charts=_platform_charts(seen), sessions=upcoming_sessions(user, now=now))


def party_earnings(user: User, org: Organization) -> list[dict[str, Any]]:
    """The earnings page's totals: the sum of its rows, from the same selector."""
    rows = settlement.earnings_of(settlement.earnings_targets(user=user, organization=org))
    estimated = sum(r.estimated for r in rows)
    settled = sum(r.settled for r in rows)
    at_source = sum(r.estimated_at_source + r.settled_at_source for r in rows)
    return [
        _card("earnings_estimated", "earnings", "预估收益（待结算）", "Estimated earnings (not yet settled)",
              amount_minor=estimated, link="/earnings"),
        _card("earnings_settled", "earnings", "已结算收益", "Settled earnings", amount_minor=settled, link="/earnings"),
        _card("earnings_at_source", "earnings", "平台代结", "Paid at source by the platform", amount_minor=at_source,
              link="/earnings"),
    ]  # fmt: skip


def upcoming_sessions(user: User, *, now: datetime) -> list[dict[str, Any]]:
    """Scheduled sessions of the anchors the user acts for, starting within the next 7 days."""
    sessions = selection.upcoming_sessions(user=user, start=now, end=now + timedelta(days=SESSION_DAYS), limit=20)
    return [asdict(session) for session in sessions]


def _platform_charts(seen: parties.AnchorsSeen) -> list[dict[str, Any]]:
    return [
        _chart("fans_by_platform", "粉丝数（按平台）", "Fans by platform", "count", "platform",
               [(p.platform, p.fans) for p in seen.by_platform]),
        _chart("accounts_by_platform", "平台账号数（按平台）", "Platform accounts by platform", "count", "platform",
               [(p.platform, p.accounts) for p in seen.by_platform]),
    ]  # fmt: skip
