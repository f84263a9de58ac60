"""What the payments context tells others. Receivers run after the commit that made the change.

`transfer_status_changed(sender=StripeTransfer, transfer: StripeTransfer, event_type: str)` is sent
when a Stripe event changes a transfer's status or records a reversal of it; `event_type` is the
Stripe event's type ("transfer.created", "transfer.reversed", …). The settlement context marks
its payout paid, failed or reversed from `transfer.status` and `transfer.reference`.
"""

from __future__ import annotations

import django.dispatch

transfer_status_changed = django.dispatch.Signal()
