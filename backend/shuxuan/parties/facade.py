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
