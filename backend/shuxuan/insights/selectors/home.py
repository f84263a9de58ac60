"""The home: which one the user lands on, its header, its panels (one module per home) and the
recent activity."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.utils import timezone

from shuxuan.audit import facade as audit
from shuxuan.insights.selectors._shared import Panels
from shuxuan.insights.selectors.brand import brand_home
from shuxuan.insights.selectors.finance import finance_home
from shuxuan.insights.selectors.operator import operator_home
from shuxuan.insights.selectors.party import party_home
from shuxuan.parties import facade as parties
from shuxuan.parties.models import User


def home_summary(*, user: User) -> dict[str, Any]:
    home = parties.home_of(user)
    org = user.organization
    assert org is not None
    now = timezone.now()
    today = timezone.localdate()  # Asia/Shanghai, the project's zone
    members = User.objects.filter(organization=org).count()
    if home == "brand":
        panels = brand_home(org, today=today, members=members)
    elif home in ("mcn", "service_provider"):
        panels = party_home(user, org, now=now, members=members)
    elif home == "finance":
        panels = finance_home(today=today)
    elif home in ("operator", "observer"):
        panels = operator_home(user, home=home, today=today)
    else:
        panels = Panels()
    everything = home in ("operator", "finance")
    return {
        "home": home,
        "organization": {"id": org.pk, "name": org.name, "kind": org.kind},
        "cards": panels.cards,
        "charts": panels.charts,
        "sessions": panels.sessions,
        "close": panels.close,
        "recent_activity": _recent_activity(org.pk, everything=everything),
    }


def _recent_activity(organization_id: int | None, *, everything: bool = False, limit: int = 10) -> list[dict[str, Any]]:
    entries = audit.recent_activity(organization_id=organization_id, everything=everything, limit=limit)
    return [asdict(entry) for entry in entries]
