"""Sample rules and requests (寄样): eligibility, the monthly cap, approval, shipping, content."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.catalog import facade as catalog
from shuxuan.catalog.facade import CertificationStatus, Product, Sku
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.parties.facade import Anchor
from shuxuan.parties.models import Platform, User
from shuxuan.selection import selectors
from shuxuan.selection.models import (
    ContentKind,
    HoldPurpose,
    HoldState,
    SampleRequest,
    SampleRule,
    SampleState,
    StockHold,
)
from shuxuan.selection.services._shared import _mcn_in_force, _non_negative_int, _platforms, _require_brand_owns, _require_manages
from shuxuan.selection.services.holds import _holds_release, _supply_release, _supply_reserve
from shuxuan.supply import facade as supply
from shuxuan.supply.facade import ReservationPurpose, ReservationState, ShipmentKind

RULE_FIELDS = (
    "is_active",
    "min_fans",
    "platforms",
    "monthly_cap_per_anchor",
    "max_quantity",
    "decision_days",
    "content_days",
    "extension_days",
    "shipping_cost_minor",
)


def sample_rule_set(*, actor: User, product: Product, data: dict[str, Any]) -> SampleRule:
    """Create or change the sample rule of a product (one per product)."""
    brand = _require_brand_owns(actor, product.brand_id, "product")
    unknown = sorted(set(data) - set(RULE_FIELDS))
    if unknown:
        raise DomainError(f"未知字段 / unknown field {unknown[0]}", field=unknown[0])
    cleaned: dict[str, Any] = {}
    for name, value in data.items():
        if name == "is_active":
            cleaned[name] = bool(value)
        elif name == "platforms":
            cleaned[name] = _platforms(value)
        else:
            cleaned[name] = _non_negative_int(value, name)
    for name in ("monthly_cap_per_anchor", "max_quantity", "decision_days", "content_days"):
        if name in cleaned and not 1 <= cleaned[name] <= 365:
            raise DomainError("须在 1–365 之间 / must be within 1–365", field=name)
    with transaction.atomic():
        rule = SampleRule.objects.select_for_update().filter(product=product).first()
        if rule is None:
            rule = SampleRule(product=product, brand=brand, updated_by=actor)
            changed = {**{k: getattr(rule, k) for k in RULE_FIELDS}, **cleaned}
        else:
            changed = {k: v for k, v in cleaned.items() if getattr(rule, k) != v}
        for name, value in changed.items():
            setattr(rule, name, value)
        rule.updated_by = actor
        rule.save()
        audit_record(actor=actor, action="selection.sample_rule.set", obj=rule, organization_id=brand.pk, changes=changed)
    return rule


def sample_request_create(
    *, actor: User, anchor: Anchor, sku: Sku, platform: str, ship_to: str, quantity: int = 1, note: str = ""
) -> SampleRequest:
    """An anchor asks for a sample. Refused when the product has no active rule, the anchor is not
    eligible on `platform`, or the anchor reached the monthly cap for the product (Asia/Shanghai month,
    counting requests not rejected, expired or cancelled)."""
    _require_manages(actor, anchor)
    sku = catalog.skus().select_related("product").get(pk=sku.pk)
    if sku.product.status != CertificationStatus.APPROVED:
        raise DomainError("商品未上架 / the product is not listed", field="sku")
    if platform not in Platform.values:
        raise DomainError(f"未知平台 / unknown platform {platform!r}", field="platform")
    ship_to = (ship_to or "").strip()
    if not ship_to:
        raise DomainError("须填写收货地址 / a shipping address is required", field="ship_to")
    if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
        raise DomainError("数量须为正整数 / quantity must be a positive integer", field="quantity")
    now = timezone.now()
    with transaction.atomic():
        # The rule row is the lock that makes the monthly count and the insert one step.
        rule = SampleRule.objects.select_for_update().filter(product_id=sku.product_id, is_active=True).first()
        if rule is not None and quantity > rule.max_quantity:
            raise DomainError(f"每次最多 {rule.max_quantity} 件 / at most {rule.max_quantity} per request", field="quantity")
        accounts = list(anchor.accounts.filter(platform=platform).values_list("platform", "fans"))
        used = selectors.samples_used([(anchor.pk, sku.product_id)], now).get((anchor.pk, sku.product_id), 0)
        # The same refusals, worded in the same place, as the eligibility read shows before the form.
        reasons = selectors.sample_refusals(rule=rule, platform=platform, accounts=accounts, used=used)
        if reasons:
            first = reasons[0]
            raise DomainError(first.message, field=selectors.SAMPLE_REFUSAL_FIELD[first.code], code=first.code)
        assert rule is not None
        sample = SampleRequest.objects.create(
            anchor=anchor,
            sku=sku,
            product_id=sku.product_id,
            brand_id=sku.brand_id,
            mcn_id=_mcn_in_force(anchor, now),
            platform=platform,
            quantity=quantity,
            ship_to=ship_to[:200],
            note=(note or "").strip()[:200],
            requested_by=actor,
            created_at=now,
            decide_by=now + timedelta(days=rule.decision_days),
            currency=sku.currency,
        )
        audit_record(
            actor=actor,
            action="selection.sample.create",
            obj=sample,
            organization_id=sku.brand_id,
            changes={"anchor": anchor.pk, "sku": sku.pk, "quantity": quantity, "decide_by": sample.decide_by.isoformat()},
        )
    return sample


def sample_request_approve(*, actor: User, sample: SampleRequest) -> SampleRequest:
    """The brand approves: the sample's cost is frozen, content falls due `content_days` later, and
    the units are held (in supply when the SKU is mapped; see module docstring for the order)."""
    _require_brand_owns(actor, sample.brand_id, "sample")
    if sample.state != SampleState.PENDING:
        raise Conflict(f"申请已处理（{sample.state}）/ the request is already {sample.state}", field="state")
    now = timezone.now()
    if sample.decide_by <= now:
        raise Conflict("已超过审核期限 / the decision deadline has passed", field="decide_by")
    sku = catalog.skus().get(pk=sample.sku_id)
    reservation_id = _supply_reserve(
        sku=sku,
        quantity=sample.quantity,
        purpose=ReservationPurpose.SAMPLE,
        reference=f"selection.sample:{sample.pk}",
        field="quantity",
    )
    try:
        with transaction.atomic():
            sample = SampleRequest.objects.select_for_update().get(pk=sample.pk)
            if sample.state != SampleState.PENDING:
                raise Conflict(f"申请已处理（{sample.state}）/ the request is already {sample.state}", field="state")
            rule = SampleRule.objects.get(product_id=sample.product_id)
            sample.state = SampleState.APPROVED
            sample.decided_by = actor
            sample.decided_at = now
            sample.cost_minor = sku.supply_price_minor * sample.quantity + rule.shipping_cost_minor
            sample.content_due_at = now + timedelta(days=rule.content_days)
            sample.save(update_fields=["state", "decided_by", "decided_at", "cost_minor", "content_due_at"])
            hold = StockHold.objects.create(
                purpose=HoldPurpose.SAMPLE, sku=sku, quantity=sample.quantity, reservation_id=reservation_id, sample=sample
            )
            audit_record(
                actor=actor,
                action="selection.sample.approve",
                obj=sample,
                organization_id=sample.brand_id,
                changes={
                    "cost_minor": sample.cost_minor,
                    "content_due_at": sample.content_due_at.isoformat(),
                    "hold": hold.pk,
                    "reservation": reservation_id,
                },
            )
    except Exception:
        if reservation_id is not None:
            _supply_release([reservation_id])
        raise
    return sample


def sample_request_reject(*, actor: User, sample: SampleRequest, reason: str) -> SampleRequest:
    _require_brand_owns(actor, sample.brand_id, "sample")
    reason = (reason or "").strip()[:200]
    if not reason:
        raise DomainError("拒绝须填写原因 / a rejection needs a reason", field="reason")
    return _sample_close(sample=sample, actor=actor, to=SampleState.REJECTED, reason=reason, action="reject")


def sample_request_cancel(*, actor: User, sample: SampleRequest) -> SampleRequest:
    """The anchor withdraws a request the brand has not decided yet."""
    _require_manages(actor, sample.anchor)
    return _sample_close(sample=sample, actor=actor, to=SampleState.CANCELLED, reason="", action="cancel")


def _sample_close(*, sample: SampleRequest, actor: User | None, to: str, reason: str, action: str) -> SampleRequest:
    now = timezone.now()
    with transaction.atomic():
        sample = SampleRequest.objects.select_for_update().get(pk=sample.pk)
        if sample.state != SampleState.PENDING:
            raise Conflict(f"申请已处理（{sample.state}）/ the request is already {sample.state}", field="state")
        sample.state = to
        sample.decided_by = actor
        sample.decided_at = now
        sample.reason = reason
        sample.save(update_fields=["state", "decided_by", "decided_at", "reason"])
        audit_record(
            actor=actor,
            action=f"selection.sample.{action}",
            obj=sample,
            organization_id=sample.brand_id,
            changes={"reason": reason},
        )
    return sample


def sample_requests_expire(*, now: datetime | None = None) -> list[int]:
    """Expire every pending request whose decision deadline has passed. Idempotent: a second run
    finds nothing pending past its deadline and writes nothing."""
    now = now or timezone.now()
    expired: list[int] = []
    due = list(
        SampleRequest.objects.filter(state=SampleState.PENDING, decide_by__lte=now).order_by("pk").values_list("pk", flat=True)
    )
    for sample_id in due:
        with transaction.atomic():
            sample = (
                SampleRequest.objects.select_for_update(skip_locked=True).filter(pk=sample_id, state=SampleState.PENDING).first()
            )
            if sample is None or sample.decide_by > now:
                continue
            sample.state = SampleState.EXPIRED
            sample.decided_at = now
            sample.reason = "品牌未在期限内处理 / not decided by the deadline"
            sample.save(update_fields=["state", "decided_at", "reason"])
            audit_record(
                actor=None,
                action="selection.sample.expire",
                obj=sample,
                organization_id=sample.brand_id,
                changes={"decide_by": sample.decide_by.isoformat()},
            )
            expired.append(sample.pk)
    return expired


def sample_content_record(*, actor: User, sample: SampleRequest, kind: str, url: str) -> SampleRequest:
    """The anchor records the stream or video that fulfils an approved sample (late is accepted and
    counted as delivered; the rate reads only delivered vs. overdue)."""
    _require_manages(actor, sample.anchor)
    if kind not in ContentKind.values:
        raise DomainError(f"未知内容类型 / unknown content kind {kind!r}", field="kind")
    url = (url or "").strip()
    if not url.startswith(("https://", "http://")) or len(url) > 500:
        raise DomainError("须为 http(s) 链接 / an http(s) link is required", field="url")
    now = timezone.now()
    with transaction.atomic():
        sample = SampleRequest.objects.select_for_update().get(pk=sample.pk)
        if sample.state != SampleState.APPROVED:
            raise Conflict(f"只有已通过的寄样可交付内容（{sample.state}）/ only approved samples take content", field="state")
        sample.state = SampleState.FULFILLED
        sample.content_kind = kind
        sample.content_url = url
        sample.content_recorded_at = now
        sample.save(update_fields=["state", "content_kind", "content_url", "content_recorded_at"])
        audit_record(
            actor=actor,
            action="selection.sample.content",
            obj=sample,
            organization_id=sample.brand_id,
            changes={"kind": kind, "url": url, "late": now > sample.content_due_at if sample.content_due_at else False},
        )
    return sample


def sample_extension_request(*, actor: User, sample: SampleRequest, reason: str) -> SampleRequest:
    """One extension of the content deadline per sample, by the rule's extension_days, asked before the
    deadline passes. Granted at once (the brand set the length in its rule)."""
    _require_manages(actor, sample.anchor)
    reason = (reason or "").strip()[:200]
    if not reason:
        raise DomainError("须说明原因 / a reason is required", field="reason")
    now = timezone.now()
    with transaction.atomic():
        sample = SampleRequest.objects.select_for_update().get(pk=sample.pk)
        if sample.state != SampleState.APPROVED:
            raise Conflict(f"只有待交付的寄样可延期（{sample.state}）/ only approved samples can be extended", field="state")
        if sample.extension_count >= 1:
            raise Conflict("只能延期一次 / only one extension is allowed", field="extension")
        assert sample.content_due_at is not None
        if sample.content_due_at <= now:
            raise Conflict("交付期限已过 / the content deadline has passed", field="content_due_at")
        days = SampleRule.objects.filter(product_id=sample.product_id).values_list("extension_days", flat=True).first() or 7
        before = sample.content_due_at
        sample.content_due_at = before + timedelta(days=days)
        sample.extension_count = 1
        sample.extension_reason = reason
        sample.save(update_fields=["content_due_at", "extension_count", "extension_reason"])
        audit_record(
            actor=actor,
            action="selection.sample.extend",
            obj=sample,
            organization_id=sample.brand_id,
            changes={"from": before.isoformat(), "to": sample.content_due_at.isoformat(), "reason": reason},
        )
    return sample


def _sample_hold_end(
    *, sample_id: int, now: datetime, actor: User | None, changes: dict[str, Any], action: str = "selection.sample.ship"
) -> StockHold | None:
    """End the active hold of a sample (state released, released_at = now) and audit it; None when the
    hold has already ended. The hold row's lock makes this happen once however many callers race."""
    with transaction.atomic():
        hold = StockHold.objects.select_for_update().filter(sample_id=sample_id, state=HoldState.ACTIVE).first()
        if hold is None:
            return None
        _holds_release([hold], now)
        sample = SampleRequest.objects.get(pk=sample_id)
        audit_record(
            actor=actor,
            action=action,
            obj=sample,
            organization_id=sample.brand_id,
            changes={"hold": hold.pk, "reservation": hold.reservation_id, **changes},
        )
    return hold


def sample_request_ship(
    *, actor: User, sample: SampleRequest, carrier: str, tracking_number: str, effective_date: date | None = None
) -> SampleRequest:
    """The approved sample leaves. Units held in supply go out through a supply sample shipment that
    takes the reserved units (operator supply staff; the reservation is consumed there); units held
    only here (the SKU maps to no stock item) are sent by the brand, which records the shipment. Either
    way the sample's hold ends once, so the units are no longer counted as held."""
    sample = SampleRequest.objects.get(pk=sample.pk)
    if sample.state not in (SampleState.APPROVED, SampleState.FULFILLED):
        raise Conflict(f"只有已通过的寄样可以发货（{sample.state}）/ only approved samples ship", field="state")
    hold = StockHold.objects.filter(sample=sample).select_related("reservation").first()
    if hold is None or hold.state != HoldState.ACTIVE:
        raise Conflict("样品已发出 / the sample has already shipped", field="state", code="already_shipped")
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier or not tracking_number:
        raise DomainError(
            "须填承运商和运单号 / carrier and tracking number are required",
            field="tracking_number" if carrier else "carrier",
        )
    changes: dict[str, Any] = {"carrier": carrier, "tracking_number": tracking_number}
    reservation = hold.reservation
    if reservation is None:
        _require_brand_owns(actor, sample.brand_id, "sample")
    elif reservation.state == ReservationState.ACTIVE:
        # Supply's durable transaction first (it locks the reservation: a second shipment of it is refused).
        changes["shipment"] = supply.ship_reserved(
            actor=actor,
            reservation_id=reservation.pk,
            quantity=hold.quantity,
            kind=ShipmentKind.SAMPLE,
            carrier=carrier,
            tracking_number=tracking_number,
            reference=f"selection.sample:{sample.pk}",
            effective_date=effective_date,
        )
    else:
        # Already shipped (or released) in supply: only the hold here is left to end.
        changes["reservation_state"] = reservation.state
    if _sample_hold_end(sample_id=sample.pk, now=timezone.now(), actor=actor, changes=changes) is None:
        raise Conflict("样品已发出 / the sample has already shipped", field="state", code="already_shipped")
    return SampleRequest.objects.get(pk=sample.pk)


def sample_holds_settle() -> list[int]:
    """End the holds of samples whose supply reservation is no longer active: shipped from supply's own
    shipment screen (the reservation consumed) or released there. Idempotent: returns the samples
    whose hold it ended, and a second run ends nothing."""
    due = list(
        StockHold.objects.filter(
            purpose=HoldPurpose.SAMPLE, state=HoldState.ACTIVE, reservation__isnull=False, sample__isnull=False
        )
        .exclude(reservation__state=ReservationState.ACTIVE)
        .order_by("pk")
        .values_list("sample_id", "reservation__state")
    )
    ended = []
    for sample_id, reservation_state in due:
        assert sample_id is not None
        shipped = reservation_state == ReservationState.CONSUMED
        if _sample_hold_end(
            sample_id=sample_id,
            now=timezone.now(),
            actor=None,
            changes={"reservation_state": reservation_state},
            action="selection.sample.ship" if shipped else "selection.sample.hold_release",
        ):
            ended.append(sample_id)
    return ended
