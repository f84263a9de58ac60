"""What other contexts may ask of parties. Functions return plain values; the ORM stays here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shuxuan.common.exceptions import DomainError
from shuxuan.parties.models import Organization, OrganizationKind


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


# For settlement and selection's rate quote (issue 17): anchors' names, accounts and MCN bindings as
# plain values, so neither reaches into parties.models.


@dataclass(frozen=True)
class AnchorName:
    id: int
    name: str


def anchor_names(anchor_ids: set[int] | list[int]) -> dict[int, str]:
    """{anchor id: name} for these anchors (one query)."""
    from shuxuan.parties.models import Anchor

    return dict(Anchor.objects.filter(pk__in=anchor_ids).values_list("id", "name"))


def anchors_with_users() -> list[AnchorName]:
    """Anchors that have a login of their own (the demo world gives each a payee), by id."""
    from shuxuan.parties.models import Anchor

    rows = Anchor.objects.filter(user__isnull=False).order_by("pk").values_list("pk", "name")
    return [AnchorName(pk, name) for pk, name in rows]


def anchor_accounts(anchor_id: int) -> list[tuple[str, int]]:
    """The anchor's platform accounts as (platform, fans)."""
    from shuxuan.parties.models import AnchorAccount

    return list(AnchorAccount.objects.filter(anchor_id=anchor_id).values_list("platform", "fans"))


def anchor_mcn_at(anchor_id: int, at: datetime) -> int | None:
    """The MCN the anchor is bound to at `at` (its binding in force then), or None."""
    from shuxuan.parties.models import McnBinding
    from shuxuan.parties.selectors import binding_in_force_q

    return McnBinding.objects.filter(binding_in_force_q(at), anchor_id=anchor_id).values_list("mcn_id", flat=True).first()


@dataclass(frozen=True)
class PartiesRelations:
    """The tables other contexts' integrity checks read (settlement's legs name payees by id, without
    foreign keys): the relation names, owned here (ADR 0017, cross-context SQL)."""

    organization: str
    anchor: str


def parties_relations() -> PartiesRelations:
    from shuxuan.parties.models import Anchor

    return PartiesRelations(organization=Organization._meta.db_table, anchor=Anchor._meta.db_table)


__all__ = [
    "AnchorName",
    "PartiesRelations",
    "anchor_accounts",
    "anchor_mcn_at",
    "anchor_names",
    "anchors_with_users",
    "operator_organization_id",
    "operator_organization_id_or_none",
    "parties_relations",
]
