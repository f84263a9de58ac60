"""Two workers sending the same payout at once make one row and one Stripe transfer."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from shuxuan.payments.facade import StripeTransfer, TransferRecord, connect_transfer_create


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_by_two_workers_at_once_makes_one_transfer(stripe_stub):
    barrier = threading.Barrier(4)
    results: list[TransferRecord | BaseException] = []

    def send() -> None:
        try:
            barrier.wait()
            results.append(
                connect_transfer_create(
                    reference="payout-1",
                    destination="acct_1PgafTB7WZ01zgkW",
                    amount_minor=10_000,
                    currency="CNY",
                    transfer_group="run-1",
                    idempotency_key="payout:1:1",
                    metadata={},
                )
            )
        except BaseException as exc:
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(isinstance(r, TransferRecord) for r in results), results
    assert len({r.stripe_transfer_id for r in results if isinstance(r, TransferRecord)}) == 1
    assert StripeTransfer.objects.count() == 1
    assert len(stripe_stub.state.transfers) == 1
