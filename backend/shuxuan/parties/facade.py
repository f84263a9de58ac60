"""What other contexts may ask of parties. Functions return plain values; the ORM stays here."""

from __future__ import annotations

from shuxuan.common.exceptions import DomainError
from shuxuan.parties.models import Anchor, Organization, OrganizationKind


def operator_organization_id() -> int:
    """The operator: the settlement entity whose cash, fee income and margins the ledger keeps.

    The first operator organization by id (the demo and a real deployment have one). Raises a
    DomainError (code `no_operator`) when none exists."""
    operator_id = Organization.objects.filter(kind=OrganizationKind.OPERATOR).order_by("id").values_list("pk", flat=True).first()
    if operator_id is None:
        raise DomainError("未找到运营方机构 / no operator organization exists", field="organization", code="no_operator")
    return operator_id


def operator_organization_id_or_none() -> int | None:
    """The operator's id, or None before one exists (for sweeps that have nothing to post then)."""
    try:
        return operator_organization_id()
    except DomainError:
        return None


# for settlement (the earnings of a party's login)


def own_anchor_id(*, user_id: int) -> int | None:
    """The anchor whose own login this user is, if any."""
    return Anchor.objects.filter(user_id=user_id).values_list("id", flat=True).first()


def registered_anchor_ids(*, organization_id: int) -> list[int]:
    """The anchors an organization registered and manages (its studio's or its MCN's)."""
    return list(Anchor.objects.filter(organization_id=organization_id).values_list("id", flat=True))


def anchor_names(*, anchor_ids: list[int]) -> dict[int, str]:
    """Anchor id → name, in one query (an id that does not exist is absent)."""
    return dict(Anchor.objects.filter(pk__in=anchor_ids).values_list("pk", "name"))


__all__ = [
    "anchor_names",
    "operator_organization_id",
    "operator_organization_id_or_none",
    "own_anchor_id",
    "registered_anchor_ids",
]


# for insights (the homes' organization cards)

from dataclasses import dataclass  # noqa: E402

from django.db.models import Count, Sum  # noqa: E402

from shuxuan.parties.homes import home_of  # noqa: E402
from shuxuan.parties.models import AnchorAccount, Invitation, McnBinding  # noqa: E402
from shuxuan.parties.selectors import anchors_visible_q, binding_in_force_q  # noqa: E402


@dataclass(frozen=True)
class PlatformAccounts:
    platform: str
    accounts: int
    fans: int


@dataclass(frozen=True)
class AnchorsSeen:
    """The anchors an organization sees (registered or bound now) and their platform accounts."""

    anchors: int
    accounts: int
    fans: int
    by_platform: tuple[PlatformAccounts, ...]


def anchors_seen_by(*, organization_id: int) -> AnchorsSeen:
    """Counts of the anchors the organization sees (`anchors_visible_q`, the anchors page's filter),
    their platform accounts and fans, and accounts and fans per platform (in platform order)."""
    anchors = Anchor.objects.filter(anchors_visible_q(organization_id)).distinct()
    accounts = AnchorAccount.objects.filter(anchor__in=anchors)
    anchor_count = anchors.count()
    account_count = accounts.count()
    fans = int(accounts.aggregate(s=Sum("fans"))["s"] or 0)
    platforms = accounts.values("platform").annotate(n=Count("id"), fans=Sum("fans")).order_by("platform")
    return AnchorsSeen(
        anchors=anchor_count,
        accounts=account_count,
        fans=fans,
        by_platform=tuple(PlatformAccounts(p["platform"], p["n"], int(p["fans"] or 0)) for p in platforms),
    )


def anchor_count() -> int:
    """Every anchor on the platform (the operator's view)."""
    return Anchor.objects.count()


def total_fans() -> int:
    """Fans of every anchor account on the platform."""
    return int(AnchorAccount.objects.aggregate(s=Sum("fans"))["s"] or 0)


def open_invitation_count() -> int:
    """Invitations not accepted yet."""
    return Invitation.objects.filter(accepted_at__isnull=True).count()


def bindings_in_force_count() -> int:
    """MCN split agreements (bindings) in force now."""
    return McnBinding.objects.filter(binding_in_force_q()).count()


__all__ += [
    "AnchorsSeen",
    "PlatformAccounts",
    "anchor_count",
    "anchors_seen_by",
    "bindings_in_force_count",
    "home_of",
    "open_invitation_count",
    "total_fans",
]
