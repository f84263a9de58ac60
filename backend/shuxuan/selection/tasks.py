"""Celery entry points: thin, idempotent (STYLE.md habit 4)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="selection.sample_requests_expire")
def sample_requests_expire() -> list[int]:
    """Beat: expire the sample requests whose decision deadline has passed. Running it twice expires
    nothing the second time."""
    from shuxuan.selection.services import sample_requests_expire as expire

    return expire()


@shared_task(name="selection.commission_signals_refresh_due")
def commission_signals_refresh_due() -> int:
    """Beat: bring the search rows' commission columns in step with plans and rate versions that took
    effect since the last runs (a cut takes effect at midnight without anyone writing). Idempotent."""
    from shuxuan.selection.services import commission_signals_refresh_due as refresh

    return refresh()


@shared_task(name="selection.sample_holds_settle")
def sample_holds_settle() -> list[int]:
    """Beat: end the holds of samples that supply shipped (or released) on its own screens. Idempotent."""
    from shuxuan.selection.services import sample_holds_settle as settle

    return settle()
