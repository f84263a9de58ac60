"""HTTP for people–goods matching (人货匹配). Thin, computed for the caller:

- GET anchors/<id>/recommendations/ — products for an anchor the caller manages (the anchor's own
  login, its MCN, the organization that registered it; the operator any); otherwise 404.
- GET products/<id>/recommended-anchors/ — anchors for a product of the caller's brand (the
  operator any); otherwise 404.
`?limit=` 1–50 (default 10).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import permissions, serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shuxuan.catalog import facade as catalog
from shuxuan.common.serializers import money
from shuxuan.common.tenancy import current_user, is_operator
from shuxuan.parties import facade as parties
from shuxuan.parties.models import OrganizationKind
from shuxuan.selection import recommendations, selectors


class LimitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    limit = serializers.IntegerField(min_value=1, max_value=50, default=10)


def _limit(request: Request) -> int:
    payload = LimitSerializer(data=request.query_params)
    payload.is_valid(raise_exception=True)
    return int(payload.validated_data["limit"])


def _reasons(reasons: list[recommendations.MatchReason]) -> list[dict[str, Any]]:
    return [r.as_dict() for r in reasons]


class AnchorRecommendationsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[LimitSerializer], responses=OpenApiTypes.OBJECT, summary="Products recommended for an anchor, with reasons"
    )
    def get(self, request: Request, anchor_id: int) -> Response:
        user = current_user(request)
        anchors = parties.anchors().filter(pk=anchor_id)
        if not is_operator(user):
            if user.org_kind != OrganizationKind.MCN and not parties.anchors().filter(user=user).exists():
                raise NotFound("主播不存在 / no such anchor")
            anchors = anchors.filter(selectors.managed_anchor_ids_q(user, prefix=""))
        anchor = anchors.first()
        if anchor is None:
            raise NotFound("主播不存在 / no such anchor")
        found = recommendations.recommend_products_for_anchor(anchor=anchor, limit=_limit(request))
        return Response(
            {
                "anchor": anchor.pk,
                "results": [
                    {
                        "product": m.product_id,
                        "product_name": m.product_name,
                        "sku": m.sku_id,
                        "spec": m.spec,
                        "brand": m.brand_id,
                        "brand_name": m.brand_name,
                        "origin_city": m.origin_city,
                        "retail_price": money(m.retail_price_minor, m.currency),
                        "commission_bps": m.commission_bps,
                        "score": round(m.score, 4),
                        "signals": m.signals,
                        "reasons": _reasons(m.reasons),
                    }
                    for m in found
                ],
            }
        )


class ProductRecommendedAnchorsView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[LimitSerializer], responses=OpenApiTypes.OBJECT, summary="Anchors recommended for a product, with reasons"
    )
    def get(self, request: Request, product_id: int) -> Response:
        user = current_user(request)
        products = catalog.products().filter(pk=product_id)
        if not is_operator(user):
            if user.org_kind != OrganizationKind.BRAND:
                raise NotFound("商品不存在 / no such product")
            products = products.filter(brand_id=user.organization_id)
        product = products.first()
        if product is None:
            raise NotFound("商品不存在 / no such product")
        found = recommendations.recommend_anchors_for_product(product=product, limit=_limit(request))
        return Response(
            {
                "product": product.pk,
                "results": [
                    {
                        "anchor": m.anchor_id,
                        "anchor_name": m.anchor_name,
                        "city": m.city,
                        "sku": m.sku_id,
                        "commission_bps": m.commission_bps,
                        "score": round(m.score, 4),
                        "signals": m.signals,
                        "reasons": _reasons(m.reasons),
                    }
                    for m in found
                ],
            }
        )
