"""Multi-phase settlement (分阶段结算): a pre-sale line's deposit (定金) and balance (尾款) settle on
their own days.

Operator finance splits a line's basis into phases, each with the day it becomes settleable. A run
then settles only the phases due by its cut-off (see `chunks.CANDIDATES_SQL`): the deposit in one
run, the balance in a later one, each through the same proportional split, so the legs of the two
runs sum to the legs of the whole line. A refund still caps what is settleable.

Phases can be set or removed only while nothing of the line has been settled: once a run has
posted legs at some basis, changing the schedule under it would re-time money already paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import DomainError, NotFound
from shuxuan.orders.facade import OrderLine
from shuxuan.parties.models import User
from shuxuan.settlement.models import LineTerms, SettlementPhase
from shuxuan.settlement.terms import line_full_basis

MAX_PHASES = 12


@dataclass(frozen=True, slots=True)
class PhaseIn:
    basis_minor: int
    currency: str
    settleable_on: date


@dataclass(frozen=True, slots=True)
class LinePhases:
    line: OrderLine
    full_basis_minor: int
    settled_basis_minor: int
    phases: list[SettlementPhase]


def _full_basis(line: OrderLine, terms: LineTerms | None) -> int:
    # The frozen basis when the run has frozen the line's terms, else what freezing would take.
    return terms.full_basis_minor if terms is not None else line_full_basis(line)


def _line(line_id: int) -> OrderLine:
    line = OrderLine.objects.filter(pk=line_id).first()
    if line is None:
        raise NotFound(f"订单行 {line_id} 不存在 / order line {line_id} does not exist")
    return line


def line_phases(*, line_id: int) -> LinePhases:
    line = _line(line_id)
    terms = LineTerms.objects.filter(line_id=line_id).first()
    return LinePhases(
        line=line,
        full_basis_minor=_full_basis(line, terms),
        settled_basis_minor=terms.settled_basis_minor if terms is not None else 0,
        phases=list(SettlementPhase.objects.filter(line_id=line_id).order_by("phase")),
    )


def _lock_unsettled(line_id: int) -> tuple[OrderLine, LineTerms | None]:
    """The line and its terms, locked against a run's chunk; refused once anything is settled."""
    line = _line(line_id)
    terms = LineTerms.objects.select_for_update().filter(line_id=line_id).first()
    if terms is not None and terms.settled_basis_minor != 0:
        raise DomainError(
            "订单行已有结算，不能再改分期 / the line has already been (partly) settled; its phases cannot change",
            field="phases",
            code="already_settled",
        )
    return line, terms


def phases_set(*, line_id: int, phases: list[PhaseIn], actor: User | None) -> LinePhases:
    """Replace the line's phases. Every phase must be positive and in the line's currency, the days
    strictly increasing, and the phases must add up to the line's full basis exactly."""
    if not 2 <= len(phases) <= MAX_PHASES:
        raise DomainError(f"分期须为 2–{MAX_PHASES} 期 / give 2 to {MAX_PHASES} phases", field="phases")
    with transaction.atomic():
        line, terms = _lock_unsettled(line_id)
        full = _full_basis(line, terms)
        for index, phase in enumerate(phases):
            if phase.currency != line.currency:
                raise DomainError(
                    f"币种须为 {line.currency} / the currency must be the line's ({line.currency})",
                    field=f"phases[{index}].amount.currency",
                )
            if phase.basis_minor <= 0:
                raise DomainError("每期金额须大于 0 / each phase must be more than 0", field=f"phases[{index}].amount")
            if index and phase.settleable_on <= phases[index - 1].settleable_on:
                raise DomainError(
                    "各期可结算日须逐期递增 / each phase must become settleable after the one before",
                    field=f"phases[{index}].settleable_on",
                )
        total = sum(p.basis_minor for p in phases)
        if total != full:
            raise DomainError(
                f"各期合计 {total} 分不等于订单行结算基数 {full} 分 / the phases add up to {total}, "
                f"the line's basis is {full} (minor units)",
                field="phases",
            )
        before = list(SettlementPhase.objects.filter(line_id=line_id).order_by("phase").values("basis_minor", "settleable_on"))
        SettlementPhase.objects.filter(line_id=line_id).delete()
        created = SettlementPhase.objects.bulk_create(
            SettlementPhase(line_id=line_id, phase=number, basis_minor=p.basis_minor, settleable_on=p.settleable_on)
            for number, p in enumerate(phases, start=1)
        )
        audit_record(
            actor=actor,
            action="settlement.line_phases_set",
            obj=line,
            organization_id=getattr(actor, "organization_id", None),
            changes={
                "before": [[b["basis_minor"], b["settleable_on"].isoformat()] for b in before],
                "after": [[p.basis_minor, p.settleable_on.isoformat()] for p in phases],
            },
        )
    return LinePhases(line=line, full_basis_minor=full, settled_basis_minor=0, phases=created)


def phases_clear(*, line_id: int, actor: User | None) -> None:
    """Remove the line's phases: it settles as one again (after its after-sale window)."""
    with transaction.atomic():
        line, _terms = _lock_unsettled(line_id)
        removed, _ = SettlementPhase.objects.filter(line_id=line_id).delete()
        if removed:
            audit_record(
                actor=actor,
                action="settlement.line_phases_cleared",
                obj=line,
                organization_id=getattr(actor, "organization_id", None),
                changes={"phases_removed": removed},
            )
