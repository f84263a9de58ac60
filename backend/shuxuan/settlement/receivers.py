"""Thin receivers of other contexts' signals: they call a settlement service."""

from __future__ import annotations

from typing import Any


def on_transfer_status_changed(sender: Any, transfer: Any, event_type: str, **kwargs: Any) -> None:
    from shuxuan.settlement.payouts import stripe_transfer_changed

    stripe_transfer_changed(transfer=transfer)
