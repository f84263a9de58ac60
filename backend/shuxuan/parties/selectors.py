"""Reads of the parties context, each scoped to an organization."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from shuxuan.parties.models import Anchor, AnchorAccount, McnBinding


def binding_in_force_q(at: datetime | None = None, prefix: str = "") -> Q:
    at = at or timezone.now()
    return Q(**{f"{prefix}valid_from__lte": at}) & (Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": at}))


def anchors_visible_q(organization_id: int) -> Q:
    """An organization sees the anchors it registered and those bound to it now."""
    now = timezone.now()
    return Q(organization_id=organization_id) | Q(
        bindings__in=McnBinding.objects.filter(binding_in_force_q(now), mcn_id=organization_id)
    )


def anchor_queryset() -> QuerySet[Anchor]:
    now = timezone.now()
    return Anchor.objects.select_related("organization").prefetch_related(
        Prefetch("accounts", queryset=AnchorAccount.objects.order_by("platform", "id")),
        Prefetch(
            "bindings",
            queryset=McnBinding.objects.filter(binding_in_force_q(now)).select_related("mcn"),
            to_attr="current_bindings",
        ),
    )


def binding_in_force(*, anchor_id: int, at: datetime) -> McnBinding | None:
    return McnBinding.objects.filter(binding_in_force_q(at), anchor_id=anchor_id).select_related("mcn").first()
