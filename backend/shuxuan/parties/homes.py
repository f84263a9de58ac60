"""Which home page a user lands on, from their organization kind and roles."""

from __future__ import annotations

from shuxuan.parties.models import OrganizationKind, Role, User


def home_of(user: User) -> str:
    if not user.organization_id:
        return "operator"
    kind = user.organization.kind  # type: ignore[union-attr]
    if kind == OrganizationKind.OPERATOR:
        return "finance" if Role.FINANCE in user.roles else "operator"
    return str(kind)
