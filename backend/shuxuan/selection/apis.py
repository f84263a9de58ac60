"""HTTP for selection. Thin: validate the input, call one service or selector, serialize.

Who sees what (another organization's object answers 404; reads are never refused with 403, the
scope simply holds nothing for an organization that owns nothing here; writes are limited by kind):
- brands: their plans, sample rules, the applications and sample requests addressed to them, the
  picks of their products, and the live sessions featuring their products (only their own lineup items);
- MCN and operator users: the picks, applications, sample requests and sessions of the anchors their
  organization registered or has bound now; an anchor's own login sees only that anchor's;
- the operator reads everything.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from shuxuan.catalog import facade as catalog
from shuxuan.catalog.facade import CertificationStatus, Sku
from shuxuan.common.serializers import money
from shuxuan.common.tenancy import OrgScopedViewSet, current_user
from shuxuan.parties import facade as parties
from shuxuan.parties.facade import Anchor
from shuxuan.parties.models import Organization, OrganizationKind, User
from shuxuan.selection import selectors, services
from shuxuan.selection.models import CommissionPlan, LiveSession, Pick, PlanApplication, SampleRequest, SampleRule
from shuxuan.selection.serializers import (
    ApplicationSerializer,
    CalendarQuerySerializer,
    CancelSerializer,
    ContentSerializer,
    DecisionSerializer,
    ExtensionSerializer,
    FulfilmentSerializer,
    PickCreateSerializer,
    PickSerializer,
    PickUpdateSerializer,
    PlanCreateSerializer,
    PlanSerializer,
    PlanUpdateSerializer,
    QuoteQuerySerializer,
    QuoteSerializer,
    RoiQuerySerializer,
    RoiRowSerializer,
    SampleCreateSerializer,
    SampleEligibilityQuerySerializer,
    SampleEligibilitySerializer,
    SampleRuleSerializer,
    SampleRuleWriteSerializer,
    SampleSerializer,
    SessionCreateSerializer,
    SessionSerializer,
    SessionUpdateSerializer,
    ShipSerializer,
)

BRAND = {"kinds": {OrganizationKind.BRAND}}
BRAND_OR_OPERATOR = {"kinds": {OrganizationKind.BRAND, OrganizationKind.OPERATOR}}
ANCHOR_SIDE = {"kinds": {OrganizationKind.MCN, OrganizationKind.OPERATOR}}


def _payload(serializer_class: type, request: Request, *, partial: bool = False) -> dict[str, Any]:
    payload = serializer_class(data=request.data, partial=partial)
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


def _query(serializer_class: type, request: Request) -> dict[str, Any]:
    payload = serializer_class(data=request.query_params)
    payload.is_valid(raise_exception=True)
    return dict(payload.validated_data)


def _anchor_for(user: User, anchor_id: int | None) -> Anchor:
    """The anchor the caller acts for: the given one if the caller manages it, else 404; none given:
    the caller's own anchor (an anchor's login)."""
    if anchor_id is None:
        own = parties.anchors().filter(user=user).first()
        if own is None:
            raise NotFound("须指定主播 / give the anchor")
        return own
    anchor = parties.anchors().filter(selectors.managed_anchor_ids_q(user, prefix=""), pk=anchor_id).first()
    if anchor is None:
        raise NotFound("主播不存在 / no such anchor")
    return anchor


def _listed_sku(sku_id: int) -> Sku:
    sku = catalog.skus().select_related("product").filter(pk=sku_id, product__status=CertificationStatus.APPROVED).first()
    if sku is None:
        raise NotFound("SKU 不存在 / no such SKU")
    return sku


def _anchor_side_q(user: User, prefix: str = "anchor__") -> Q:
    if user.org_kind not in (OrganizationKind.MCN, OrganizationKind.OPERATOR):
        return Q(pk__in=[])
    return selectors.managed_anchor_ids_q(user, prefix=prefix)


# ---------------------------------------------------------------------------------------------
# Plans (brand).


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = CommissionPlan.objects.none()
    serializer_class = PlanSerializer
    filterset_fields = ["product", "sku", "plan_type", "approval"]
    required_roles = {"write": BRAND}

    def base_queryset(self) -> QuerySet[CommissionPlan]:
        return selectors.plan_queryset().order_by("-id")

    def scope(self, queryset: QuerySet[CommissionPlan], user: User) -> QuerySet[CommissionPlan]:
        return queryset.filter(brand_id=user.organization_id)

    def _fresh(self, pk: int) -> dict[str, Any]:
        return dict(PlanSerializer(selectors.plan_queryset().get(pk=pk)).data)

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanSerializer})
    def create(self, request: Request) -> Response:
        user = current_user(request)
        data = _payload(PlanCreateSerializer, request)
        product = get_object_or_404(catalog.products(), pk=data.pop("product"), brand_id=user.organization_id)
        sku_id = data.pop("sku", None)
        sku = get_object_or_404(catalog.skus(), pk=sku_id, product=product) if sku_id else None
        anchor_id = data.pop("target_anchor", None)
        mcn_id = data.pop("target_mcn", None)
        plan = services.plan_create(
            actor=user,
            product=product,
            sku=sku,
            target_anchor=get_object_or_404(parties.anchors(), pk=anchor_id) if anchor_id else None,
            target_mcn=get_object_or_404(Organization, pk=mcn_id, kind=OrganizationKind.MCN) if mcn_id else None,
            **data,
        )
        return Response(self._fresh(plan.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanUpdateSerializer, responses=PlanSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        plan = services.plan_update(
            actor=current_user(request), plan=self.get_object(), data=_payload(PlanUpdateSerializer, request)
        )
        return Response(self._fresh(plan.pk))

    @extend_schema(request=None, responses={200: PlanSerializer}, description="Ends the plan now; history stays.")
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        plan = services.plan_end(actor=current_user(request), plan=self.get_object())
        return Response(self._fresh(plan.pk))


# ---------------------------------------------------------------------------------------------
# Targeted-plan applications: the brand's queue; the anchor side follows its own.


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = PlanApplication.objects.none()
    serializer_class = ApplicationSerializer
    filterset_fields = ["state", "plan", "anchor"]
    required_roles = {"approve": BRAND, "reject": BRAND}

    def base_queryset(self) -> QuerySet[PlanApplication]:
        return selectors.application_queryset().order_by("-id")

    def scope(self, queryset: QuerySet[PlanApplication], user: User) -> QuerySet[PlanApplication]:
        return queryset.filter(Q(brand_id=user.organization_id) | _anchor_side_q(user))

    @extend_schema(request=DecisionSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()  # 404 before any validation
        data = _payload(DecisionSerializer, request)
        application = services.application_decide(actor=current_user(request), application=target, approve=True, **data)
        return Response(ApplicationSerializer(selectors.application_queryset().get(pk=application.pk)).data)

    @extend_schema(request=DecisionSerializer, responses=ApplicationSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()  # 404 before any validation
        data = _payload(DecisionSerializer, request)
        application = services.application_decide(actor=current_user(request), application=target, approve=False, **data)
        return Response(ApplicationSerializer(selectors.application_queryset().get(pk=application.pk)).data)


# ---------------------------------------------------------------------------------------------
# Pick list (货盘) and rate quotes.


class PickViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = Pick.objects.none()
    serializer_class = PickSerializer
    filterset_fields = ["anchor", "state", "sku", "product", "plan_type"]
    required_roles = {"write": ANCHOR_SIDE, "quote": ANCHOR_SIDE}

    def base_queryset(self) -> QuerySet[Pick]:
        return selectors.pick_queryset().order_by("-id")

    def scope(self, queryset: QuerySet[Pick], user: User) -> QuerySet[Pick]:
        return queryset.filter(Q(brand_id=user.organization_id) | _anchor_side_q(user))

    def _data(self, picks: list[Pick]) -> Any:
        """Picks as the API answers them. The anchor side (whose scope holds only the anchors it
        manages) also gets each pick's sample eligibility, computed for the whole page at once; a
        brand does not (another brand's address and the anchor's counts are not its business)."""
        user = current_user(self.request)
        context = self.get_serializer_context()
        if user.org_kind in (OrganizationKind.MCN, OrganizationKind.OPERATOR):
            context["sample_eligibility"] = selectors.sample_eligibilities(
                user=user, anchor_product_ids=[(p.anchor_id, p.product_id) for p in picks]
            )
        return PickSerializer(picks, many=True, context=context).data

    def _one(self, pk: int) -> dict[str, Any]:
        return dict(self._data([selectors.pick_queryset().get(pk=pk)])[0])

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        picks = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(picks)
        if page is None:
            return Response(self._data(list(picks)))
        return self.get_paginated_response(self._data(list(page)))

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(self._one(self.get_object().pk))

    @extend_schema(request=PickCreateSerializer, responses={201: PickSerializer})
    def create(self, request: Request) -> Response:
        user = current_user(request)
        data = _payload(PickCreateSerializer, request)
        pick = services.pick_add(
            actor=user, anchor=_anchor_for(user, data.get("anchor")), sku=_listed_sku(data["sku"]), note=data.get("note", "")
        )
        return Response(self._one(pick.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=PickUpdateSerializer, responses=PickSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        pick = services.pick_set_note(
            actor=current_user(request), pick=self.get_object(), **_payload(PickUpdateSerializer, request)
        )
        return Response(self._one(pick.pk))

    @extend_schema(
        request=None, responses=PickSerializer, description="Removes the SKU from the pick list; the pick stays as history."
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        pick = services.pick_remove(actor=current_user(request), pick=self.get_object())
        return Response(self._one(pick.pk))

    @extend_schema(parameters=[QuoteQuerySerializer], responses=QuoteSerializer(many=True))
    @action(detail=False, methods=["get"])
    def quote(self, request: Request) -> Response:
        """The commission an anchor would get on a SKU (or every SKU of a product) now, and why."""
        user = current_user(request)
        query = _query(QuoteQuerySerializer, request)
        anchor = _anchor_for(user, query.get("anchor"))
        if "sku" in query:
            skus = [_listed_sku(query["sku"])]
        else:
            skus = list(
                catalog.skus().filter(product_id=query["product"], product__status=CertificationStatus.APPROVED).order_by("id")
            )
            if not skus:
                raise NotFound("商品不存在 / no such product")
        quotes = selectors.rate_quotes(anchor=anchor, skus=skus, ads=query.get("ads", False))
        return Response(QuoteSerializer(quotes, many=True).data)


# ---------------------------------------------------------------------------------------------
# Samples (寄样).


class SampleRuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = SampleRule.objects.none()
    serializer_class = SampleRuleSerializer
    filterset_fields = ["is_active"]
    required_roles = {"write": BRAND}

    def base_queryset(self) -> QuerySet[SampleRule]:
        return selectors.sample_rule_queryset().order_by("product_id")

    def scope(self, queryset: QuerySet[SampleRule], user: User) -> QuerySet[SampleRule]:
        return queryset.filter(brand_id=user.organization_id)

    @extend_schema(
        request=SampleRuleWriteSerializer,
        responses={201: SampleRuleSerializer},
        description="Creates or replaces the product's rule.",
    )
    def create(self, request: Request) -> Response:
        user = current_user(request)
        data = _payload(SampleRuleWriteSerializer, request)
        if "product" not in data:
            return Response({"detail": "product 必填 / product is required", "errors": {"product": ["required"]}}, status=400)
        product = get_object_or_404(catalog.products(), pk=data.pop("product"), brand_id=user.organization_id)
        rule = services.sample_rule_set(actor=user, product=product, data=data)
        return Response(
            SampleRuleSerializer(selectors.sample_rule_queryset().get(pk=rule.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=SampleRuleWriteSerializer, responses=SampleRuleSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        rule = self.get_object()
        data = _payload(SampleRuleWriteSerializer, request)
        data.pop("product", None)
        rule = services.sample_rule_set(actor=current_user(request), product=rule.product, data=data)
        return Response(SampleRuleSerializer(selectors.sample_rule_queryset().get(pk=rule.pk)).data)


class SampleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = SampleRequest.objects.none()
    serializer_class = SampleSerializer
    filterset_fields = ["state", "anchor", "product", "sku"]
    required_roles = {
        "create": ANCHOR_SIDE,
        "cancel": ANCHOR_SIDE,
        "content": ANCHOR_SIDE,
        "extend": ANCHOR_SIDE,
        "approve": BRAND,
        "reject": BRAND,
        "roi": BRAND_OR_OPERATOR,
        "ship": BRAND_OR_OPERATOR,
        "eligibility": ANCHOR_SIDE,
    }

    def base_queryset(self) -> QuerySet[SampleRequest]:
        return selectors.sample_queryset().order_by("-id")

    def scope(self, queryset: QuerySet[SampleRequest], user: User) -> QuerySet[SampleRequest]:
        return queryset.filter(Q(brand_id=user.organization_id) | _anchor_side_q(user))

    def _fresh(self, pk: int) -> dict[str, Any]:
        return dict(SampleSerializer(selectors.sample_queryset().get(pk=pk)).data)

    @extend_schema(request=SampleCreateSerializer, responses={201: SampleSerializer})
    def create(self, request: Request) -> Response:
        user = current_user(request)
        data = _payload(SampleCreateSerializer, request)
        anchor = _anchor_for(user, data.pop("anchor", None))
        sample = services.sample_request_create(actor=user, anchor=anchor, sku=_listed_sku(data.pop("sku")), **data)
        return Response(self._fresh(sample.pk), status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[SampleEligibilityQuerySerializer], responses=SampleEligibilitySerializer)
    @action(detail=False, methods=["get"])
    def eligibility(self, request: Request) -> Response:
        """May the anchor (one the caller manages; default the caller's own) ask for a sample of the
        product now: the rule, the cap used and left this Asia/Shanghai month, the reasons per
        platform (the refusals the request itself would answer with) and the address to start with."""
        user = current_user(request)
        query = _query(SampleEligibilityQuerySerializer, request)
        anchor = _anchor_for(user, query.get("anchor"))
        product = catalog.products().filter(pk=query["product"], status=CertificationStatus.APPROVED).first()
        if product is None:
            raise NotFound("商品不存在 / no such product")
        found = selectors.sample_eligibilities(user=user, anchor_product_ids=[(anchor.pk, product.pk)])
        return Response(SampleEligibilitySerializer(found[(anchor.pk, product.pk)]).data)

    @extend_schema(request=None, responses=SampleSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        sample = services.sample_request_approve(actor=current_user(request), sample=self.get_object())
        return Response(self._fresh(sample.pk))

    @extend_schema(request=DecisionSerializer, responses=SampleSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()  # 404 before any validation
        data = _payload(DecisionSerializer, request)
        sample = services.sample_request_reject(actor=current_user(request), sample=target, reason=data.get("reason", ""))
        return Response(self._fresh(sample.pk))

    @extend_schema(request=None, responses=SampleSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        sample = services.sample_request_cancel(actor=current_user(request), sample=self.get_object())
        return Response(self._fresh(sample.pk))

    @extend_schema(request=ShipSerializer, responses=SampleSerializer)
    @action(detail=True, methods=["post"])
    def ship(self, request: Request, pk: str | None = None) -> Response:
        """The approved sample leaves: through supply (operator supply staff) when its units are held
        in a warehouse, else recorded by the brand. Its stock hold ends once."""
        target = self.get_object()  # 404 before any validation
        data = _payload(ShipSerializer, request)
        sample = services.sample_request_ship(actor=current_user(request), sample=target, **data)
        return Response(self._fresh(sample.pk))

    @extend_schema(request=ContentSerializer, responses=SampleSerializer)
    @action(detail=True, methods=["post"])
    def content(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()  # 404 before any validation
        data = _payload(ContentSerializer, request)
        sample = services.sample_content_record(
            actor=current_user(request), sample=target, kind=data["content_kind"], url=data["content_url"]
        )
        return Response(self._fresh(sample.pk))

    @extend_schema(request=ExtensionSerializer, responses=SampleSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request: Request, pk: str | None = None) -> Response:
        sample = services.sample_extension_request(
            actor=current_user(request), sample=self.get_object(), **_payload(ExtensionSerializer, request)
        )
        return Response(self._fresh(sample.pk))

    @extend_schema(parameters=[RoiQuerySerializer], responses=RoiRowSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)  # one plain list, as the SPA reads it
    def roi(self, request: Request) -> Response:
        """The brand's sample ROI per product (the operator names the brand with ?brand=)."""
        user = current_user(request)
        query = _query(RoiQuerySerializer, request)
        brand_id = user.organization_id
        named_brand = query.pop("brand", None)
        if user.org_kind == OrganizationKind.OPERATOR:
            brand_id = named_brand or 0
        rows = selectors.sample_roi(brand_id=brand_id or 0, **query)
        return Response(
            [
                {
                    "product_id": r.product_id,
                    "product_name": r.product_name,
                    "samples": r.samples,
                    "anchors": r.anchors,
                    "cost": money(r.cost_minor, r.currency),
                    "gmv": money(r.gmv_minor, r.currency),
                    "roi": r.roi,
                }
                for r in rows
            ]
        )

    @extend_schema(responses=FulfilmentSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)  # one plain list, as the SPA reads it
    def fulfilment(self, request: Request) -> Response:
        """Sample fulfilment rate per anchor: a brand sees the anchors it sampled (its samples only);
        the anchor side sees its own anchors (all their samples)."""
        user = current_user(request)
        if user.org_kind == OrganizationKind.BRAND:
            rows = selectors.fulfilment_rates(brand_id=user.organization_id)
        elif user.org_kind == OrganizationKind.OPERATOR and not parties.anchors().filter(user=user).exists():
            rows = selectors.fulfilment_rates()
        else:
            anchor_ids = list(parties.anchors().filter(_anchor_side_q(user, prefix="")).values_list("pk", flat=True))
            rows = selectors.fulfilment_rates(anchor_ids=anchor_ids)
        return Response(FulfilmentSerializer(rows, many=True).data)


# ---------------------------------------------------------------------------------------------
# Live sessions (直播排期).


def _lineup(data: dict[str, Any]) -> list[services.LineupInput] | None:
    if "lineup" not in data:
        return None
    return [
        services.LineupInput(
            pick_id=line["pick"],
            live_price_minor=line["live_price_minor"],
            stock_quantity=line.get("stock_quantity", 0),
            slot_fee_minor=line.get("slot_fee_minor"),
        )
        for line in data.pop("lineup")
    ]


class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = LiveSession.objects.none()
    serializer_class = SessionSerializer
    filterset_fields = ["anchor", "state", "platform"]
    required_roles = {"write": ANCHOR_SIDE}

    def base_queryset(self) -> QuerySet[LiveSession]:
        user = current_user(self.request)
        return selectors.session_queryset(
            brand_id=user.organization_id if user.org_kind == OrganizationKind.BRAND else None
        ).order_by("starts_at", "id")

    def scope(self, queryset: QuerySet[LiveSession], user: User) -> QuerySet[LiveSession]:
        featuring = LiveSession.objects.filter(items__brand_id=user.organization_id).values("pk")
        return queryset.filter(Q(pk__in=featuring) | _anchor_side_q(user))

    def _fresh(self, pk: int) -> dict[str, Any]:
        return dict(SessionSerializer(selectors.session_queryset().get(pk=pk)).data)

    @extend_schema(request=SessionCreateSerializer, responses={201: SessionSerializer})
    def create(self, request: Request) -> Response:
        user = current_user(request)
        data = _payload(SessionCreateSerializer, request)
        anchor = _anchor_for(user, data.pop("anchor", None))
        session = services.session_create(actor=user, anchor=anchor, lineup=_lineup(data) or [], **data)
        return Response(self._fresh(session.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=SessionUpdateSerializer, responses=SessionSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()  # 404 before any validation
        data = _payload(SessionUpdateSerializer, request)
        lineup = _lineup(data)
        session = services.session_update(actor=current_user(request), session=target, data=data, lineup=lineup)
        return Response(self._fresh(session.pk))

    @extend_schema(request=CancelSerializer, responses=SessionSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()  # 404 before any validation
        data = _payload(CancelSerializer, request)
        session = services.session_cancel(actor=current_user(request), session=target, reason=data.get("reason", ""))
        return Response(self._fresh(session.pk))

    @extend_schema(parameters=[CalendarQuerySerializer], responses=SessionSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None)  # one plain list, as the SPA reads it
    def calendar(self, request: Request) -> Response:
        """Scheduled sessions overlapping [start, end] (Asia/Shanghai days), in start order."""
        query = _query(CalendarQuerySerializer, request)
        start = datetime.combine(query["start"], time.min, tzinfo=selectors.SHANGHAI)
        end = datetime.combine(query["end"] + timedelta(days=1), time.min, tzinfo=selectors.SHANGHAI)
        sessions = selectors.sessions_in_range(self.get_queryset(), start=start, end=end)
        if "anchor" in query:
            sessions = sessions.filter(anchor_id=query["anchor"])
        return Response(SessionSerializer(sessions, many=True).data)
