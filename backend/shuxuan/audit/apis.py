from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from rest_framework import mixins, serializers

from shuxuan.audit.models import AuditEntry
from shuxuan.common.tenancy import OrgScopedViewSet

if TYPE_CHECKING:  # audit sits below parties; the user type is only for annotations
    from shuxuan.parties.models import User


class AuditEntrySerializer(serializers.ModelSerializer[AuditEntry]):
    actor = serializers.CharField(source="actor.username", default=None, read_only=True, allow_null=True)

    class Meta:
        model = AuditEntry
        fields = ["id", "at", "actor", "organization", "action", "object_type", "object_id", "object_repr", "changes"]


class AuditEntryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = AuditEntry.objects.select_related("actor").order_by("-at", "-id")
    serializer_class = AuditEntrySerializer
    filterset_fields = ["action", "object_type", "object_id"]

    def scope(self, queryset: QuerySet[AuditEntry], user: User) -> QuerySet[AuditEntry]:
        return queryset.filter(organization_id=user.organization_id or 0)
