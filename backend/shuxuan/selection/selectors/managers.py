"""Who manages which anchor: the anchor's own login, its MCN's staff, the operator."""

from __future__ import annotations

from django.db.models import Q

from shuxuan.parties import facade as parties
from shuxuan.parties.facade import Anchor, anchors_visible_q
from shuxuan.parties.models import OrganizationKind, User


def managed_anchor_ids_q(user: User, prefix: str = "anchor__") -> Q:
    """Objects of anchors the user may act for: an anchor's own login sees only that anchor; other
    users of an MCN or of the operator see the anchors their organization registered or has bound now."""
    own = parties.anchors().filter(user=user).values_list("pk", flat=True).first()
    if own is not None:
        return Q(**{f"{prefix}pk": own})
    assert user.organization_id is not None
    visible = parties.anchors().filter(anchors_visible_q(user.organization_id)).values("pk")
    return Q(**{f"{prefix}pk__in": visible})


def user_manages_anchor(user: User, anchor: Anchor) -> bool:
    if user.organization_id is None or user.org_kind not in (OrganizationKind.MCN, OrganizationKind.OPERATOR):
        return False
    return parties.anchors().filter(managed_anchor_ids_q(user, prefix=""), pk=anchor.pk).exists()
