"""What other contexts may import from payments (the Stripe side of payouts and brand charges).

- `connect_transfer_create` / `connect_transfer_reverse` → `TransferRecord` / `ReversalRecord`:
  move money to a payee's connected account and back, idempotent by the caller's key. They post
  nothing to the ledger: the caller posts. Stripe's refusal raises `PaymentRailError` (a
  DomainError) after the failure is stored.
- `connect_transfer_refresh`: read a transfer back from Stripe and apply it (a missed webhook).
- `transfer_status_changed`: sent after commit when a Stripe event changes a transfer's status or
  records a reversal; receivers get `transfer` (a `StripeTransfer`) and `event_type`.
- `ConnectedAccount`: payees' Stripe accounts, to find where a payee is paid.
- `BrandCharge`, `ChargeState`: what brands paid through PaymentIntents (reconciliation matches
  Stripe's charge and refund lines with them).
- `stripe_client`: the configured Stripe client (STRIPE_API_BASE), for any other Stripe call.
"""

from shuxuan.payments.models import (
    BrandCharge,
    ChargeState,
    ConnectedAccount,
    StripeTransfer,
    StripeTransferReversal,
    TransferStatus,
)
from shuxuan.payments.rail import PaymentRailError, stripe_client
from shuxuan.payments.signals import transfer_status_changed
from shuxuan.payments.transfers import (
    ReversalRecord,
    TransferRecord,
    connect_transfer_create,
    connect_transfer_refresh,
    connect_transfer_reverse,
)

__all__ = [
    "BrandCharge",
    "ChargeState",
    "ConnectedAccount",
    "PaymentRailError",
    "ReversalRecord",
    "StripeTransfer",
    "StripeTransferReversal",
    "TransferRecord",
    "TransferStatus",
    "connect_transfer_create",
    "connect_transfer_refresh",
    "connect_transfer_reverse",
    "stripe_client",
    "transfer_status_changed",
]
