"""Home-page figures per role. Each function reads only what the caller's organization may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum

from shuxuan.audit.models import AuditEntry
from shuxuan.parties.homes import home_of
from shuxuan.parties.models import Anchor, AnchorAccount, Invitation, McnBinding, Organization, OrganizationKind, User
from shuxuan.parties.selectors import anchors_visible_q, binding_in_force_q


def _card(key: str, zh: str, en: str, value: int | str) -> dict[str, Any]:
    return {"key": key, "label_zh": zh, "label_en": en, "value": value}


def _recent_activity(organization_id: int | None, *, everything: bool = False, limit: int = 10) -> list[dict[str, Any]]:
    entries = AuditEntry.objects.select_related("actor").order_by("-at", "-id")
    if not everything:
        entries = entries.filter(organization_id=organization_id or 0)
    # object_type and object_id let the SPA name the object in the UI language: object_repr is the
    # model's str(), which for many models is a machine note ("pick 1: anchor 1 sku 1 (active)").
    return [
        {
            "at": e.at.isoformat(),
            "actor": e.actor.username if e.actor else None,
            "action": e.action,
            "object_type": e.object_type,
            "object_id": e.object_id,
            "object_repr": e.object_repr,
        }
        for e in entries[:limit]
    ]


def _org_kind_series() -> dict[str, Any]:
    rows = Organization.objects.values("kind").annotate(n=Count("id")).order_by("kind")
    return {"organizations_by_kind": [{"kind": r["kind"], "count": r["n"]} for r in rows]}


def home_summary(*, user: User) -> dict[str, Any]:
    home = home_of(user)
    org = user.organization
    assert org is not None
    cards: list[dict[str, Any]] = []
    series: dict[str, Any] = {}
    members = User.objects.filter(organization=org).count()
    if home == "brand":
        cards = [
            _card("members", "团队成员", "Team members", members),
            _card("credit_code", "统一社会信用代码", "Credit code", org.credit_code),
            _card("origin", "产地", "Origin", f"{org.city}{org.county}" or "—"),
        ]
    elif home in ("mcn", "service_provider"):
        anchors = Anchor.objects.filter(anchors_visible_q(org.pk)).distinct()
        accounts = AnchorAccount.objects.filter(anchor__in=anchors)
        platforms = accounts.values("platform").annotate(n=Count("id"), fans=Sum("fans")).order_by("platform")
        cards = [
            _card("anchors", "签约主播", "Anchors", anchors.count()),
            _card("accounts", "平台账号", "Platform accounts", accounts.count()),
            _card("fans", "总粉丝数", "Total fans", accounts.aggregate(s=Sum("fans"))["s"] or 0),
            _card("members", "团队成员", "Team members", members),
        ]
        series = {"fans_by_platform": [{"platform": p["platform"], "accounts": p["n"], "fans": p["fans"]} for p in platforms]}
    elif home in ("operator", "observer"):
        by_kind = dict(Organization.objects.values_list("kind").annotate(n=Count("id")))
        cards = [
            _card("brands", "品牌商", "Brands", by_kind.get(OrganizationKind.BRAND, 0)),
            _card("mcns", "MCN 机构", "MCN agencies", by_kind.get(OrganizationKind.MCN, 0)),
            _card("anchors", "主播", "Anchors", Anchor.objects.count()),
            _card("fans", "总粉丝数", "Total fans", AnchorAccount.objects.aggregate(s=Sum("fans"))["s"] or 0),
        ]
        if home == "operator":
            cards.append(
                _card(
                    "open_invitations",
                    "待接受邀请",
                    "Open invitations",
                    Invitation.objects.filter(accepted_at__isnull=True).count(),
                )
            )
        series = _org_kind_series()
    elif home == "finance":
        active_bindings = McnBinding.objects.filter(binding_in_force_q()).count()
        cards = [
            _card(
                "payees",
                "结算对象",
                "Payees",
                Organization.objects.filter(~Q(kind=OrganizationKind.OPERATOR), ~Q(kind=OrganizationKind.OBSERVER)).count(),
            ),
            _card("active_bindings", "生效中的 MCN 分成协议", "MCN split agreements in force", active_bindings),
            _card("anchors", "主播", "Anchors", Anchor.objects.count()),
        ]
        series = _org_kind_series()
    everything = home in ("operator", "finance")
    return {
        "home": home,
        "organization": {"id": org.pk, "name": org.name, "kind": org.kind},
        "cards": cards,
        "series": series,
        "recent_activity": _recent_activity(org.pk, everything=everything and home != "observer"),
    }
