"""The bank rail of payouts: a batch-transfer file of sent payouts for the bank, and the bank's result
file read back (成功 → paid, posted then; 失败 → failed, retryable). The payout rules themselves are
`payouts.py` (`payout_mark` is what a result row applies)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.exceptions import DomainError
from shuxuan.common.money import to_major_str
from shuxuan.common.spreadsheets import csv_text
from shuxuan.common.uploads import UploadLimits, check_size, csv_rows, excerpt, shorten
from shuxuan.parties.models import User
from shuxuan.settlement.models import Payee, Payout, PayoutBatch, PayoutState, Rail
from shuxuan.settlement.payouts import payout_mark

BANK_FILE_HEADER = ["业务参考号", "收款户名", "收款账号", "开户行", "金额", "币种", "用途"]
RESULT_HEADER = ["业务参考号", "状态", "银行流水号", "说明"]
PAID_WORDS = {"成功", "success", "paid", "succeeded"}
FAILED_WORDS = {"失败", "failed", "failure", "rejected", "退回"}


def bank_batch_create(*, actor: User, payout_ids: list[int] | None = None) -> PayoutBatch:
    """Put pending bank payouts (all, or those given) in one batch and mark them sent."""
    with transaction.atomic(durable=True):
        payouts = Payout.objects.select_for_update().filter(rail=Rail.BANK, state=PayoutState.PENDING).order_by("id")
        if payout_ids is not None:
            payouts = payouts.filter(pk__in=payout_ids)
        chosen = list(payouts)
        if not chosen:
            raise DomainError("没有待发送的银行付款 / no pending bank payouts", field="payouts")
        batch = PayoutBatch.objects.create(created_by=actor)
        Payout.objects.filter(pk__in=[p.pk for p in chosen]).update(
            batch=batch, state=PayoutState.SENT, updated_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="settlement.bank_batch_created",
            obj=batch,
            organization_id=actor.organization_id,
            changes={"payouts": len(chosen), "amount_minor": sum(p.amount_minor for p in chosen)},
        )
    return batch


def bank_batch_file(batch: PayoutBatch) -> str:
    """The batch-transfer CSV (UTF-8 with BOM so the bank's Excel template opens it)."""
    return csv_text(_bank_file_rows(batch))


def _bank_file_rows(batch: PayoutBatch) -> Iterator[list[Any]]:
    yield BANK_FILE_HEADER
    payouts = batch.payouts.select_related("statement").order_by("id")
    payees = {
        (p.organization_id, p.anchor_id): p
        for p in Payee.objects.filter(
            organization_id__in=[x.statement.organization_id for x in payouts if x.statement.organization_id]
        )
        | Payee.objects.filter(anchor_id__in=[x.statement.anchor_id for x in payouts if x.statement.anchor_id])
    }
    for payout in payouts:
        payee = payees.get((payout.statement.organization_id, payout.statement.anchor_id))
        yield [
            payout.idempotency_key,
            payee.bank_account_name if payee else "",
            payee.bank_account_number if payee else "",
            payee.bank_name if payee else "",
            to_major_str(payout.amount_minor, payout.currency),
            payout.currency,
            f"结算单{payout.statement_id}",
        ]


@dataclass(frozen=True, slots=True)
class ResultRejection:
    """A bad row of a bank result file: its line in the file (the header is line 1), the column at
    fault as the file names it (业务参考号 or 状态), and why."""

    line: int
    field: str
    reason: str


@dataclass
class ResultReport:
    batch: int
    paid: int = 0
    failed: int = 0
    unchanged: int = 0
    rejected: list[ResultRejection] = field(default_factory=list)


class ResultFileRefused(DomainError):
    """A result file with bad rows is refused whole: no payout was marked and the batch keeps no
    hash of the file. `rejected` names every bad row, in file order."""

    def __init__(self, rejected: list[ResultRejection]) -> None:
        super().__init__(
            "回单文件有错误行，未做任何更改 / the result file has bad rows; nothing was changed: "
            + "; ".join(f"第{r.line}行 {r.reason}" for r in rejected[:20]),
            field="file",
            code="bad_rows",
        )
        self.rejected = rejected


REFERENCE_COLUMN, STATUS_COLUMN = RESULT_HEADER[0], RESULT_HEADER[1]


def bank_results_import(*, batch_id: int, content: bytes, actor: User) -> ResultReport:
    """Apply the bank's result file: each row names a payout (业务参考号) and 成功 / 失败.

    Every row is checked first; a file with a bad row (a reference empty, not in this batch or
    given twice; a status other than 成功 / 失败) changes nothing and raises `ResultFileRefused`
    naming each bad row and its column. Importing the same file again changes nothing."""
    limits = UploadLimits.of("bank_results")
    check_size(len(content), limits)
    text = _decode(content)
    reader = csv_rows(io.StringIO(text, newline=""), limits)
    header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
    if header[:2] != RESULT_HEADER[:2]:
        found = [shorten(h) for h in header[:4]]
        raise DomainError(
            f"不是银行回单文件：表头应为 {','.join(RESULT_HEADER)} / not a bank result file (header {found})", field="file"
        )
    report = ResultReport(batch=batch_id)
    with transaction.atomic(durable=True):
        batch = PayoutBatch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None:
            raise DomainError("付款批次不存在 / no such batch", field="batch")
        payouts = {p.idempotency_key: p for p in Payout.objects.select_for_update().filter(batch=batch)}
        decisions: list[tuple[Payout, bool, str, str]] = []
        seen: dict[str, int] = {}
        for number, row in enumerate(reader, start=2):
            if not any(cell.strip() for cell in row):
                continue
            cells = [c.strip() for c in row] + [""] * 4
            reference, status_word, serial, message = cells[:4]
            payout = payouts.get(reference)
            word = status_word.lower()
            problems: list[ResultRejection] = []
            if not reference:
                problems.append(ResultRejection(number, REFERENCE_COLUMN, "业务参考号为空 / the reference is empty"))
            elif payout is None:
                problems.append(
                    ResultRejection(number, REFERENCE_COLUMN, f"业务参考号 {excerpt(reference)} 不在本批次 / not in this batch")
                )
            elif reference in seen:
                problems.append(
                    ResultRejection(
                        number,
                        REFERENCE_COLUMN,
                        f"业务参考号 {excerpt(reference)} 与第{seen[reference]}行重复 / "
                        f"given again (first on line {seen[reference]})",
                    )
                )
            if word not in PAID_WORDS and word not in FAILED_WORDS:
                unknown = f"未知状态 {excerpt(status_word)} / unknown status (成功/失败)"
                problems.append(ResultRejection(number, STATUS_COLUMN, unknown))
            if reference:
                seen.setdefault(reference, number)
            if problems:
                report.rejected += problems
            elif payout is not None:
                decisions.append((payout, word in PAID_WORDS, serial, message))
        if report.rejected:
            raise ResultFileRefused(report.rejected)
        for payout, paid, serial, message in decisions:
            if payout.state in (PayoutState.PAID, PayoutState.FAILED):
                report.unchanged += 1
                continue
            payout_mark(payout=payout, paid=paid, external_id=serial, reason=message, actor=actor)
            if paid:
                report.paid += 1
            else:
                report.failed += 1
        batch.result_sha256 = hashlib.sha256(content).hexdigest()
        batch.save(update_fields=["result_sha256"])
    return report


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError("文件编码无法识别（应为 UTF-8 或 GB18030）/ the file is neither UTF-8 nor GB18030", field="file")


# The Stripe Connect rail ---------------------------------------------------------------------------
