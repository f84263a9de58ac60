"""The home page's shape, typed so the OpenAPI schema (and the SPA's client) is exact."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from shuxuan.common.serializers import MoneySerializer

HOMES = ["brand", "mcn", "operator", "finance", "observer", "service_provider"]


class HomeOrganizationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()


class HomeCardSerializer(serializers.Serializer[Any]):
    """One figure: a count, an amount or a text (exactly one is set), and the page it comes from."""

    key = serializers.CharField()
    group = serializers.CharField(help_text="sales, queue, earnings, payables, payouts, exceptions, supply, organization")
    label_zh = serializers.CharField()
    label_en = serializers.CharField()
    count = serializers.IntegerField(allow_null=True)
    amount = MoneySerializer(allow_null=True)
    text = serializers.CharField(allow_null=True)
    link = serializers.CharField(allow_null=True, help_text="the SPA page showing the same figure")


class HomeChartPointSerializer(serializers.Serializer[Any]):
    # The point's label (a platform, organization kind, age bucket or YYYY-MM-DD day: label_kind).
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField(allow_null=True)
    amount = MoneySerializer(allow_null=True)


class HomeChartSerializer(serializers.Serializer[Any]):
    """One measure per chart: every point is a count, or every point is an amount."""

    key = serializers.CharField()
    label_zh = serializers.CharField()
    label_en = serializers.CharField()
    unit = serializers.ChoiceField(choices=["count", "money"])
    label_kind = serializers.ChoiceField(choices=["platform", "org_kind", "age", "date"])
    points = HomeChartPointSerializer(many=True)


class HomeSessionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    anchor_name = serializers.CharField()
    platform = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    items = serializers.IntegerField(help_text="products in the lineup")


class CloseItemSerializer(serializers.Serializer[Any]):
    key = serializers.ChoiceField(choices=["reconciled", "bills", "blocking", "pending"])
    ok = serializers.ChoiceField(choices=["ok", "warn", "fail"])
    count = serializers.IntegerField()
    total = serializers.IntegerField()
    sources = serializers.ListField(child=serializers.CharField())


class CloseStatusSerializer(serializers.Serializer[Any]):
    period = serializers.CharField()
    closed = serializers.BooleanField()
    items = CloseItemSerializer(many=True)


class HomeActivitySerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_null=True)
    action = serializers.CharField()
    object_type = serializers.CharField(allow_blank=True, help_text="app_label.model of the object, e.g. parties.organization")
    object_id = serializers.CharField(allow_blank=True)
    object_repr = serializers.CharField(allow_blank=True)


class HomeSerializer(serializers.Serializer[Any]):
    home = serializers.ChoiceField(choices=HOMES)
    organization = HomeOrganizationSerializer()
    cards = HomeCardSerializer(many=True)
    charts = HomeChartSerializer(many=True)
    sessions = HomeSessionSerializer(many=True, help_text="scheduled sessions in the next 7 days (anchor and MCN homes)")
    close = CloseStatusSerializer(allow_null=True, help_text="the current month's close checklist (finance home)")
    recent_activity = HomeActivitySerializer(many=True)
