"""Reads of the payments context: what an organization may see (docs/domain.md section 2)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from shuxuan.payments.models import BrandCharge, ConnectedAccount, StripeTransfer


def connected_accounts_of(organization_id: int) -> QuerySet[ConnectedAccount]:
    """A payee organization's own account and those of the anchors it manages."""
    return ConnectedAccount.objects.filter(Q(organization_id=organization_id) | Q(anchor__organization_id=organization_id))


def charges_of(organization_id: int) -> QuerySet[BrandCharge]:
    return BrandCharge.objects.filter(brand_id=organization_id)


def transfers_of(organization_id: int) -> QuerySet[StripeTransfer]:
    """Transfers paid into the organization's connected accounts."""
    return StripeTransfer.objects.filter(destination__in=connected_accounts_of(organization_id).values("stripe_account_id"))
