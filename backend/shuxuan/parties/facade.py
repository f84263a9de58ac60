"""What other contexts may ask of parties.

Functions return plain values, frozen dataclasses, or querysets documented as such (the caller
filters them and reads values; the model is the type it receives). User, Organization,
OrganizationKind, Role and Platform are the shared kernel every context imports from
`parties.models` directly (ADR 0017); anchors, their accounts and MCN bindings come from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

# The operator
from django.db.models import Count, QuerySet, Sum

from shuxuan.common.exceptions import DomainError
from shuxuan.parties.homes import home_of
from shuxuan.parties.models import Anchor, AnchorAccount, Invitation, McnBinding, Organization, OrganizationKind, TsTzRange
from shuxuan.parties.selectors import anchors_visible_q, binding_in_force_q


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


# Anchors as plain values: orders (the importer's attribution), ledger (an account's owner name),
# payments (a connected account's anchor), settlement (payee names), selection's rate quote.


@dataclass(frozen=True)
class AnchorName:
    id: int
    name: str


def anchor_exists(anchor_id: int) -> bool:
    return Anchor.objects.filter(pk=anchor_id).exists()


def anchor_name(anchor_id: int) -> str | None:
    """The anchor's name, or None when there is no such anchor."""
    return Anchor.objects.filter(pk=anchor_id).values_list("name", flat=True).first()


def anchor_names(anchor_ids: set[int] | list[int]) -> dict[int, str]:
    """{anchor id: name} for these anchors (one query)."""
    return dict(Anchor.objects.filter(pk__in=anchor_ids).values_list("id", "name"))


def anchor_organization_id(anchor_id: int) -> int | None:
    """The organization the anchor belongs to, or None (no such anchor, or an independent one)."""
    return Anchor.objects.filter(pk=anchor_id).values_list("organization_id", flat=True).first()


def anchors_with_users() -> list[AnchorName]:
    """Anchors that have a login of their own (the demo world gives each a payee), by id."""
    rows = Anchor.objects.filter(user__isnull=False).order_by("pk").values_list("pk", "name")
    return [AnchorName(pk, name) for pk, name in rows]


def anchor_accounts_by_uid(*, platform: str, uids: Iterable[str]) -> list[tuple[int, str, int]]:
    """(account id, platform uid, anchor id) of the platform's accounts among `uids`."""
    return list(
        AnchorAccount.objects.filter(platform=platform, platform_uid__in=uids).values_list("id", "platform_uid", "anchor_id")
    )


def anchor_platform_fans(anchor_id: int) -> list[tuple[str, int]]:
    """The anchor's platform accounts as (platform, fans)."""
    return list(AnchorAccount.objects.filter(anchor_id=anchor_id).values_list("platform", "fans"))


def mcn_bindings_of(anchor_ids: Iterable[int]) -> list[tuple[int, int, int, int, datetime, datetime | None]]:
    """(binding id, anchor id, mcn id, split bps, valid from, valid to) of the anchors' bindings, by valid from."""
    return list(
        McnBinding.objects.filter(anchor_id__in=anchor_ids)
        .order_by("valid_from")
        .values_list("id", "anchor_id", "mcn_id", "split_bps", "valid_from", "valid_to")
    )


def mcn_in_force(*, anchor_id: int, at: datetime) -> int | None:
    """The id of the MCN the anchor is bound to at `at` (its binding in force then), or None (one query)."""
    return McnBinding.objects.filter(binding_in_force_q(at), anchor_id=anchor_id).values_list("mcn_id", flat=True).first()


# Querysets, for selection's desks and recommendations. `Anchor` is the model type selection's
# services receive and annotate with; `TsTzRange` is the database function its exclusion
# constraints build ranges with; `anchors_visible_q` is who may see an anchor.


def anchors() -> QuerySet[Anchor]:
    """Every anchor: a queryset of `parties.Anchor` for the caller to filter (`user`, `main_categories`,
    `accounts__main_categories`, `anchors_visible_q(...)`)."""
    return Anchor.objects.all()


def anchor_accounts() -> QuerySet[AnchorAccount]:
    """Every anchor's platform accounts: a queryset of `parties.AnchorAccount` (`anchor_id`, `platform`,
    `fans`, `main_categories`, `city`) for the caller to filter and read values from."""
    return AnchorAccount.objects.all()


# Relation names, for other contexts' set-based SQL (ADR 0017, cross-context SQL)


@dataclass(frozen=True)
class PartiesRelations:
    """The tables other contexts' integrity checks read (settlement's legs name payees by id, without
    foreign keys): the relation names, owned here."""

    organization: str
    anchor: str


def parties_relations() -> PartiesRelations:
    return PartiesRelations(organization=Organization._meta.db_table, anchor=Anchor._meta.db_table)


__all__ = [
    "Anchor",
    "AnchorName",
    "PartiesRelations",
    "TsTzRange",
    "anchor_accounts",
    "anchor_accounts_by_uid",
    "anchor_exists",
    "anchor_name",
    "anchor_names",
    "anchor_organization_id",
    "anchor_platform_fans",
    "anchors",
    "anchors_visible_q",
    "anchors_with_users",
    "mcn_bindings_of",
    "mcn_in_force",
    "operator_organization_id",
    "operator_organization_id_or_none",
    "parties_relations",
]


# for settlement (the earnings of a party's login)


def own_anchor_id(*, user_id: int) -> int | None:
    """The anchor whose own login this user is, if any."""
    return Anchor.objects.filter(user_id=user_id).values_list("id", flat=True).first()


def registered_anchor_ids(*, organization_id: int) -> list[int]:
    """The anchors an organization registered and manages (its studio's or its MCN's)."""
    return list(Anchor.objects.filter(organization_id=organization_id).values_list("id", flat=True))


__all__ += ["own_anchor_id", "registered_anchor_ids"]


# for insights (the homes' organization cards)


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
