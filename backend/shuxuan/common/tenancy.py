"""Tenancy: every API queryset is scoped to the requesting user's organization.

A view that serves organization data subclasses `OrgScopedViewSet` and implements
`scope(queryset, user)`. Objects outside the scope are simply not in the queryset, so a request
for another organization's object answers 404 (docs/domain.md section 2), never 403 and never data.
The operator's roles see across organizations where `operator_sees_all` is true.
`tests/test_tenancy.py` walks every such view as every demo role and proves it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from rest_framework import permissions, viewsets

from shuxuan.parties.models import Organization, OrganizationKind, User

# action (or "read" / "write" / "*") -> {"kinds": organization kinds allowed, "roles": roles allowed}
RoleRules = dict[str, dict[str, Any]]


def current_user(request: Any) -> User:
    """The authenticated user of a request (views run behind IsAuthenticated)."""
    user = request.user
    assert isinstance(user, User), "view reached without authentication"
    return user


def current_organization(request: Any) -> Organization:
    organization = current_user(request).organization
    assert organization is not None, "every API user belongs to an organization"
    return organization


def is_operator(user: Any) -> bool:
    return bool(user.is_authenticated and user.organization_id and user.organization.kind == OrganizationKind.OPERATOR)


class HasRole(permissions.BasePermission):
    """Allow when the user has one of the view's `required_roles` for the current action.

    `required_roles` maps an action name (or "*" for any, "write" for unsafe methods) to the roles
    and organization kinds allowed, e.g. {"write": {"kinds": {"operator"}, "roles": {"owner"}}}.
    """

    message = "你的角色无权执行此操作 / Your role may not do this."

    def has_permission(self, request: Any, view: Any) -> bool:
        rules: RoleRules = getattr(view, "required_roles", {})
        action = getattr(view, "action", None)
        rule = (
            rules.get(action or "")
            or (rules.get("write") if request.method not in permissions.SAFE_METHODS else rules.get("read"))
            or rules.get("*")
        )
        if rule is None:
            return True
        user = request.user
        kinds = rule.get("kinds")
        roles = rule.get("roles")
        if kinds and (not user.organization_id or user.organization.kind not in kinds):
            return False
        return not (roles and not user.has_role(*roles))


class OrgScopedViewSet(viewsets.GenericViewSet):  # type: ignore[type-arg]
    permission_classes = [permissions.IsAuthenticated, HasRole]
    operator_sees_all: ClassVar[bool] = True
    required_roles: ClassVar[RoleRules] = {}

    def base_queryset(self) -> QuerySet[Any]:
        assert self.queryset is not None
        return self.queryset.all()

    def scope(self, queryset: QuerySet[Any], user: Any) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        user = self.request.user
        queryset = self.base_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset.none()
        if not user.is_authenticated or not getattr(user, "organization_id", None):
            return queryset.none()
        if self.operator_sees_all and is_operator(user):
            return queryset
        return self.scope(queryset, user)
