"""Live sessions (直播排期) and their lineups, which reserve stock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import Conflict, DomainError
from shuxuan.common.money import to_major_str
from shuxuan.parties.facade import Anchor
from shuxuan.parties.models import Platform, User
from shuxuan.selection.models import (
    HoldPurpose,
    HoldState,
    LiveSession,
    LiveSessionItem,
    LiveSessionState,
    Pick,
    PickState,
    StockHold,
)
from shuxuan.selection.services._shared import _mcn_in_force, _non_negative_int, _require_manages
from shuxuan.selection.services.holds import _holds_release, _supply_release, _supply_reserve
from shuxuan.supply.facade import ReservationPurpose


@dataclass(frozen=True)
class LineupInput:
    pick_id: int
    live_price_minor: int
    stock_quantity: int = 0
    slot_fee_minor: int | None = None


def _check_lineup(anchor: Anchor, lineup: list[LineupInput]) -> list[tuple[LineupInput, Pick]]:
    picks = Pick.objects.select_related("sku").in_bulk([line.pick_id for line in lineup])
    seen: set[int] = set()
    checked = []
    for index, line in enumerate(lineup):
        pick = picks.get(line.pick_id)
        if pick is None or pick.anchor_id != anchor.pk or pick.state != PickState.ACTIVE:
            raise DomainError("不是该主播货盘中的有效商品 / not an active pick of this anchor", field=f"lineup[{index}].pick")
        if pick.sku_id in seen:
            raise DomainError("同一 SKU 重复 / the SKU appears twice", field=f"lineup[{index}].pick")
        seen.add(pick.sku_id)
        sku = pick.sku
        price = line.live_price_minor
        if (
            not isinstance(price, int)
            or isinstance(price, bool)
            or not sku.min_live_price_minor <= price <= sku.max_live_price_minor
        ):
            low, high = (f"¥{to_major_str(v, sku.currency)}" for v in (sku.min_live_price_minor, sku.max_live_price_minor))
            raise DomainError(
                f"直播价须在该 SKU 的 {low}–{high} 之间 / the live price must be within the SKU's {low}–{high}",
                field=f"lineup[{index}].live_price_minor",
            )
        _non_negative_int(line.stock_quantity, f"lineup[{index}].stock_quantity")
        if line.slot_fee_minor is not None:
            _non_negative_int(line.slot_fee_minor, f"lineup[{index}].slot_fee_minor")
        checked.append((line, pick))
    return checked


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise DomainError("结束须晚于开始 / ends_at must be after starts_at", field="ends_at")
    if ends_at - starts_at > timedelta(hours=24):
        raise DomainError("单场直播不超过 24 小时 / a session lasts at most 24 hours", field="ends_at")


def _reserve_lineup(
    checked: list[tuple[LineupInput, Pick]], reference: str, skip_skus: set[int] | frozenset[int] = frozenset()
) -> dict[int, int | None]:
    """Reserve supply stock for each line that asks for units (outside any transaction). On a failure
    the reservations already made are released and the error names the line."""
    made: dict[int, int | None] = {}
    try:
        for index, (line, pick) in enumerate(checked):
            if line.stock_quantity > 0 and pick.sku_id not in skip_skus:
                made[index] = _supply_reserve(
                    sku=pick.sku,
                    quantity=line.stock_quantity,
                    purpose=ReservationPurpose.LIVE_SESSION,
                    reference=reference,
                    field=f"lineup[{index}].stock_quantity",
                )
    except Exception:
        _supply_release([r for r in made.values() if r is not None])
        raise
    return made


def _write_lineup(
    session: LiveSession,
    checked: list[tuple[LineupInput, Pick]],
    reservations: dict[int, int | None],
    kept: dict[int, int] | None = None,
) -> list[dict[str, Any]]:
    """Create the lineup items and their holds; a hold in `kept` (sku -> hold) moves to the new item."""
    kept = kept or {}
    written = []
    for index, (line, pick) in enumerate(checked):
        item = LiveSessionItem.objects.create(
            session=session,
            pick=pick,
            sku=pick.sku,
            brand_id=pick.brand_id,
            position=index,
            live_price_minor=line.live_price_minor,
            currency=pick.sku.currency,
            stock_quantity=line.stock_quantity,
            slot_fee_minor=line.slot_fee_minor,
        )
        if line.stock_quantity > 0 and pick.sku_id in kept:
            StockHold.objects.filter(pk=kept[pick.sku_id]).update(session_item=item)
        elif line.stock_quantity > 0:
            StockHold.objects.create(
                purpose=HoldPurpose.LIVE_SESSION,
                sku=pick.sku,
                quantity=line.stock_quantity,
                reservation_id=reservations.get(index),
                session=session,
                session_item=item,
            )
        written.append(
            {"sku": pick.sku_id, "price": line.live_price_minor, "units": line.stock_quantity, "slot_fee": line.slot_fee_minor}
        )
    return written


def _overlap_conflict(*, anchor_id: int, starts_at: datetime, ends_at: datetime, exclude_id: int | None = None) -> Conflict:
    """Names the session in the way, so the person can find it: its title and its times (Asia/Shanghai)."""
    overlapping = LiveSession.objects.filter(
        anchor_id=anchor_id, state=LiveSessionState.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude_id is not None:
        overlapping = overlapping.exclude(pk=exclude_id)
    other = overlapping.order_by("starts_at", "id").first()
    if other is None:
        return Conflict("该主播此时段已有直播 / the anchor has another session at that time", field="starts_at", code="overlap")
    start, end = timezone.localtime(other.starts_at), timezone.localtime(other.ends_at)
    when = f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}" if start.date() == end.date() else f"{start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"
    return Conflict(
        f"该主播此时段已有直播「{other.title}」（{when}）/ the anchor already has the session "
        f'"{other.title}" ({when}) at that time',
        field="starts_at",
        code="overlap",
    )


def session_create(
    *, actor: User, anchor: Anchor, platform: str, title: str, starts_at: datetime, ends_at: datetime, lineup: list[LineupInput]
) -> LiveSession:
    _require_manages(actor, anchor)
    if platform not in Platform.values:
        raise DomainError(f"未知平台 / unknown platform {platform!r}", field="platform")
    title = (title or "").strip()
    if not title:
        raise DomainError("须填写标题 / a title is required", field="title")
    _check_times(starts_at, ends_at)
    checked = _check_lineup(anchor, lineup)
    overlapping = LiveSession.objects.filter(
        anchor=anchor, state=LiveSessionState.SCHEDULED, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if overlapping.exists():
        raise _overlap_conflict(anchor_id=anchor.pk, starts_at=starts_at, ends_at=ends_at)
    reservations = _reserve_lineup(checked, reference=f"selection.session:{anchor.pk}:{starts_at.isoformat()}")
    try:
        with transaction.atomic():
            session = LiveSession.objects.create(
                anchor=anchor,
                mcn_id=_mcn_in_force(anchor, starts_at),
                platform=platform,
                title=title[:80],
                starts_at=starts_at,
                ends_at=ends_at,
                created_by=actor,
            )
            written = _write_lineup(session, checked, reservations)
            audit_record(
                actor=actor,
                action="selection.session.create",
                obj=session,
                organization_id=anchor.organization_id,
                changes={
                    "starts_at": starts_at.isoformat(),
                    "ends_at": ends_at.isoformat(),
                    "platform": platform,
                    "lineup": written,
                },
            )
    except IntegrityError as exc:
        _supply_release([r for r in reservations.values() if r is not None])
        if "selection_session_no_overlap" in str(exc):
            raise _overlap_conflict(anchor_id=anchor.pk, starts_at=starts_at, ends_at=ends_at) from None
        raise
    except Exception:
        _supply_release([r for r in reservations.values() if r is not None])
        raise
    return session


def _check_session_fields(data: dict[str, Any]) -> None:
    """A session's editable fields: title (not blank), platform (a known one), starts_at, ends_at."""
    unknown = sorted(set(data) - {"title", "platform", "starts_at", "ends_at"})
    if unknown:
        raise DomainError(f"不可修改的字段 / field cannot be changed: {unknown[0]}", field=unknown[0])
    if "platform" in data and data["platform"] not in Platform.values:
        raise DomainError(f"未知平台 / unknown platform {data['platform']!r}", field="platform")
    if "title" in data and not str(data["title"] or "").strip():
        raise DomainError("须填写标题 / a title is required", field="title")


def session_update(
    *,
    actor: User,
    session: LiveSession,
    data: dict[str, Any],
    lineup: list[LineupInput] | None = None,
) -> LiveSession:
    """Change title, platform or times, and/or replace the lineup. A line that keeps a SKU with the
    same number of units keeps its hold; the others reserve their stock first, and the old holds
    they replace are released once the change is recorded (so while switching, the new units must be
    available on top of the old ones)."""
    _require_manages(actor, session.anchor)
    if session.state != LiveSessionState.SCHEDULED:
        raise Conflict("直播已取消 / the session is cancelled", field="state")
    if session.ends_at <= timezone.now():
        # What aired is history: orders are attributed to it and its slot fees are released.
        raise Conflict("直播已结束，不能修改 / the session has ended and cannot be changed", field="state")
    _check_session_fields(data)
    starts_at = data.get("starts_at", session.starts_at)
    ends_at = data.get("ends_at", session.ends_at)
    _check_times(starts_at, ends_at)
    checked = _check_lineup(session.anchor, lineup) if lineup is not None else None
    kept: dict[int, int] = {}  # sku -> hold kept as it is
    if checked is not None:
        wanted = {pick.sku_id: line.stock_quantity for line, pick in checked}
        for hold in StockHold.objects.filter(session=session, state=HoldState.ACTIVE):
            if wanted.get(hold.sku_id) == hold.quantity:
                kept[hold.sku_id] = hold.pk
    reservations = (
        _reserve_lineup(checked, reference=f"selection.session:{session.pk}", skip_skus=set(kept)) if checked is not None else {}
    )
    old_reservations: list[int] = []
    try:
        with transaction.atomic():
            session = LiveSession.objects.select_for_update().get(pk=session.pk)
            if session.state != LiveSessionState.SCHEDULED:
                raise Conflict("直播已取消 / the session is cancelled", field="state")
            changed = {k: v for k, v in data.items() if getattr(session, k) != v}
            if "title" in changed:
                changed["title"] = str(changed["title"]).strip()[:80]
            for name, value in changed.items():
                setattr(session, name, value)
            if changed:
                session.save(update_fields=list(changed))
            audit_changes: dict[str, Any] = {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in changed.items()}
            if checked is not None:
                holds = list(StockHold.objects.select_for_update().filter(session=session, state=HoldState.ACTIVE).order_by("pk"))
                if set(kept.values()) - {h.pk for h in holds}:
                    raise Conflict("排期已被同时修改 / the session changed meanwhile; try again", field="lineup")
                replaced = [h for h in holds if h.pk not in kept.values()]
                old_reservations = [h.reservation_id for h in replaced if h.reservation_id]
                _holds_release(replaced, timezone.now())
                # The old items go (their released holds stay as history, no longer naming an item).
                LiveSessionItem.objects.filter(session=session).delete()
                audit_changes["lineup"] = _write_lineup(session, checked, reservations, kept=kept)
            if audit_changes:
                audit_record(
                    actor=actor,
                    action="selection.session.update",
                    obj=session,
                    organization_id=session.anchor.organization_id,
                    changes=audit_changes,
                )
    except IntegrityError as exc:
        _supply_release([r for r in reservations.values() if r is not None])
        if "selection_session_no_overlap" in str(exc):
            raise _overlap_conflict(
                anchor_id=session.anchor_id, starts_at=starts_at, ends_at=ends_at, exclude_id=session.pk
            ) from None
        raise
    except Exception:
        _supply_release([r for r in reservations.values() if r is not None])
        raise
    _supply_release(old_reservations)
    return session


def session_cancel(*, actor: User, session: LiveSession, reason: str = "") -> LiveSession:
    """Cancel a scheduled session and release every unit held for it."""
    _require_manages(actor, session.anchor)
    if session.state != LiveSessionState.SCHEDULED:
        raise Conflict("直播已取消 / the session is already cancelled", field="state")
    if session.ends_at <= timezone.now():
        raise Conflict("直播已结束，不能取消 / the session has ended and cannot be cancelled", field="state")
    reservation_ids = list(
        StockHold.objects.filter(session=session, state=HoldState.ACTIVE, reservation__isnull=False).values_list(
            "reservation_id", flat=True
        )
    )
    _supply_release(reservation_ids)
    now = timezone.now()
    with transaction.atomic():
        session = LiveSession.objects.select_for_update().get(pk=session.pk)
        if session.state != LiveSessionState.SCHEDULED:
            raise Conflict("直播已取消 / the session is already cancelled", field="state")
        holds = list(StockHold.objects.select_for_update().filter(session=session, state=HoldState.ACTIVE).order_by("pk"))
        released = _holds_release(holds, now)
        session.state = LiveSessionState.CANCELLED
        session.cancelled_at = now
        session.cancel_reason = (reason or "").strip()[:200]
        session.save(update_fields=["state", "cancelled_at", "cancel_reason"])
        audit_record(
            actor=actor,
            action="selection.session.cancel",
            obj=session,
            organization_id=session.anchor.organization_id,
            changes={"reason": session.cancel_reason, "holds_released": released, "reservations_released": reservation_ids},
        )
    return session
