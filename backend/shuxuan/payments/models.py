"""The Stripe side of payouts and brand charges: connected accounts, Connect transfers and their
reversals, brand charges through PaymentIntents, the operator's own bank payouts, and every webhook
event as received. Every row written because of an outside call carries a unique idempotency key or
the unique Stripe id it mirrors."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from shuxuan.parties.models import Organization
from shuxuan.selection.facade import LiveSession


class ConnectedAccount(models.Model):
    """A payee's Stripe Connect account (acct_…): an organization or an anchor, exactly one."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="stripe_connected_accounts"
    )
    anchor = models.ForeignKey(
        "parties.Anchor", on_delete=models.PROTECT, null=True, blank=True, related_name="stripe_connected_accounts"
    )
    stripe_account_id = models.CharField(max_length=64, unique=True)
    charges_enabled = models.BooleanField(default=False)
    payouts_enabled = models.BooleanField(default=False)
    details_submitted = models.BooleanField(default=False)
    country = models.CharField(max_length=2, blank=True)
    default_currency = models.CharField(max_length=3, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(organization__isnull=False) & Q(anchor__isnull=True))
                | (Q(organization__isnull=True) & Q(anchor__isnull=False)),
                name="payments_account_one_payee",
            ),
            models.CheckConstraint(condition=Q(stripe_account_id__startswith="acct_"), name="payments_account_id_shape"),
        ]

    def __str__(self) -> str:
        return self.stripe_account_id


class TransferStatus(models.TextChoices):
    PENDING = "pending", "处理中 Pending"
    PAID = "paid", "已到账 Paid"
    FAILED = "failed", "失败 Failed"
    REVERSED = "reversed", "已冲回 Reversed"


class StripeTransfer(models.Model):
    """One Connect transfer (tr_…) to a payee. `pending` from the request until Stripe's answer (or,
    after a lost response, its `transfer.created` event), then `paid`: Stripe moves the funds when it
    creates the transfer (ADR 0011). The row exists before the call so that a lost response can be
    matched by the idempotency key."""

    idempotency_key = models.CharField(max_length=200, unique=True)
    reference = models.CharField(max_length=200, help_text="the caller's reference, e.g. a payout id")
    stripe_transfer_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    destination = models.CharField(max_length=64)
    amount_minor = models.BigIntegerField()
    amount_reversed_minor = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    transfer_group = models.CharField(max_length=200, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    failure_code = models.CharField(max_length=64, blank=True)
    failure_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["destination", "created_at"], name="payments_transfer_dest")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payments_transfer_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount_reversed_minor__gte=0) & Q(amount_reversed_minor__lte=models.F("amount_minor")),
                name="payments_transfer_reversed_within_amount",
            ),
            models.CheckConstraint(condition=Q(status__in=TransferStatus.values), name="payments_transfer_status_valid"),
        ]

    def __str__(self) -> str:
        return self.stripe_transfer_id or f"transfer {self.pk} ({self.status})"


class StripeTransferReversal(models.Model):
    """A reversal (trr_…) of part or all of a transfer: `reversed` once Stripe made it."""

    idempotency_key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    reference = models.CharField(max_length=200, blank=True)
    transfer = models.ForeignKey(StripeTransfer, on_delete=models.PROTECT, related_name="reversals")
    stripe_reversal_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING)
    failure_code = models.CharField(max_length=64, blank=True)
    failure_message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payments_reversal_amount_positive"),
            models.CheckConstraint(condition=Q(status__in=TransferStatus.values), name="payments_reversal_status_valid"),
            # A reversal we asked for carries our key; one first seen in a Stripe event carries its id.
            models.CheckConstraint(
                condition=Q(idempotency_key__isnull=False) | Q(stripe_reversal_id__isnull=False),
                name="payments_reversal_key_or_stripe_id",
            ),
        ]

    def __str__(self) -> str:
        return self.stripe_reversal_id or f"reversal {self.pk} ({self.status})"


class ChargeKind(models.TextChoices):
    SLOT_FEE = "slot_fee", "坑位费 Slot fee"
    SERVICE_FEE = "service_fee", "服务费 Service fee"
    SAMPLE_SHIPPING = "sample_shipping", "寄样运费 Sample shipping"


class ChargeState(models.TextChoices):
    REQUIRES_PAYMENT = "requires_payment", "待支付 Requires payment"
    SUCCEEDED = "succeeded", "已支付 Succeeded"
    HELD = "held", "代收中 Held"
    RELEASED = "released", "已结给主播 Released"
    REFUNDED = "refunded", "已退款 Refunded"
    FAILED = "failed", "失败 Failed"


class BrandCharge(models.Model):
    """What a brand pays the platform, collected by a PaymentIntent (pi_…). A slot fee is `held`
    (deposits held) from payment until its live session airs (`released` to the anchor) or is
    cancelled (`refunded`); the other kinds are fee income once `succeeded`."""

    brand = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="stripe_charges")
    kind = models.CharField(max_length=16, choices=ChargeKind.choices)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3, default="CNY")
    live_session = models.ForeignKey(LiveSession, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    description = models.CharField(max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    payment_intent_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    client_secret = models.CharField(max_length=200, blank=True)
    refund_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    state = models.CharField(max_length=20, choices=ChargeState.choices, default=ChargeState.REQUIRES_PAYMENT)
    failure_message = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, help_text="released or refunded")

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["brand", "state"], name="payments_charge_brand_state")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="payments_charge_amount_positive"),
            models.CheckConstraint(condition=Q(kind__in=ChargeKind.values), name="payments_charge_kind_valid"),
            models.CheckConstraint(condition=Q(state__in=ChargeState.values), name="payments_charge_state_valid"),
            models.CheckConstraint(
                condition=Q(kind=ChargeKind.SLOT_FEE, live_session_id__isnull=False) | ~Q(kind=ChargeKind.SLOT_FEE),
                name="payments_charge_slot_fee_has_session",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=[ChargeState.HELD, ChargeState.RELEASED]) | Q(kind=ChargeKind.SLOT_FEE),
                name="payments_charge_only_slot_fees_held",
            ),
        ]

    def __str__(self) -> str:
        return f"charge {self.pk} {self.kind} ({self.state})"


class StripePayout(models.Model):
    """The operator's own payouts (po_…) from its Stripe balance to its bank, as Stripe reports them."""

    stripe_payout_id = models.CharField(max_length=64, unique=True)
    amount_minor = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16)
    arrival_date = models.DateField(null=True, blank=True)
    failure_code = models.CharField(max_length=64, blank=True)
    failure_message = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.stripe_payout_id


class WebhookEvent(models.Model):
    """A Stripe event as received, once per event id; processed after the commit that stored it."""

    event_id = models.CharField(max_length=64, unique=True)
    type = models.CharField(max_length=64)
    account = models.CharField(max_length=64, blank=True, help_text="the connected account of a Connect event")
    livemode = models.BooleanField(default=False)
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    result = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["type", "received_at"], name="payments_event_type")]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
