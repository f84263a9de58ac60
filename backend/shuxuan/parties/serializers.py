from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from shuxuan.parties.models import (
    Anchor,
    AnchorAccount,
    AnchorKind,
    Invitation,
    McnBinding,
    Organization,
    OrganizationKind,
    Platform,
    Role,
    User,
)


class OrganizationBriefSerializer(serializers.ModelSerializer[Organization]):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind"]


class OrganizationSerializer(serializers.ModelSerializer[Organization]):
    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "credit_code", "city", "county", "contact_email", "is_active", "created_at"]
        read_only_fields = ["kind", "credit_code", "is_active", "created_at"]


class OrganizationCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)
    credit_code = serializers.CharField(max_length=18, min_length=18)
    city = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    county = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")


class MeSerializer(serializers.ModelSerializer[User]):
    organization = OrganizationBriefSerializer(read_only=True)
    home = serializers.SerializerMethodField()
    anchor = serializers.SerializerMethodField(help_text="the anchor this login is (an anchor's own login), else null")

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "organization", "roles", "home", "language", "anchor"]

    def get_anchor(self, user: User) -> int | None:
        return Anchor.objects.filter(user=user).values_list("id", flat=True).first()

    def get_home(self, user: User) -> str:
        from shuxuan.parties.homes import home_of

        return home_of(user)


class UserSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "roles", "is_active", "last_login", "date_joined"]
        read_only_fields = ["username", "is_active", "last_login", "date_joined"]


class UserCreateSerializer(serializers.Serializer[Any]):
    username = serializers.RegexField(r"^[A-Za-z0-9_.@-]{3,150}$")
    password = serializers.CharField(write_only=True, min_length=10, style={"input_type": "password"})
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), min_length=1)
    display_name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")


class UserRolesSerializer(serializers.Serializer[Any]):
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices), min_length=1)


class AnchorAccountSerializer(serializers.ModelSerializer[AnchorAccount]):
    platform = serializers.ChoiceField(choices=Platform.choices)

    class Meta:
        model = AnchorAccount
        fields = ["id", "platform", "platform_uid", "nickname", "fans", "main_categories", "city"]
        # Uniqueness is checked by the service (409 naming the field), not by a pre-query here.
        validators: list[object] = []


class McnBindingSerializer(serializers.ModelSerializer[McnBinding]):
    mcn = OrganizationBriefSerializer(read_only=True)

    class Meta:
        model = McnBinding
        fields = ["id", "anchor", "mcn", "split_bps", "valid_from", "valid_to", "created_at"]


class AnchorSerializer(serializers.ModelSerializer[Anchor]):
    organization = OrganizationBriefSerializer(read_only=True)
    accounts = AnchorAccountSerializer(many=True, read_only=True)
    current_binding = serializers.SerializerMethodField()
    total_fans = serializers.SerializerMethodField()

    class Meta:
        model = Anchor
        fields = [
            "id",
            "name",
            "kind",
            "organization",
            "city",
            "county",
            "main_categories",
            "accounts",
            "current_binding",
            "total_fans",
            "created_at",
        ]

    @extend_schema_field(McnBindingSerializer(allow_null=True))
    def get_current_binding(self, anchor: Anchor) -> dict[str, Any] | None:
        bindings = getattr(anchor, "current_bindings", None)
        if not bindings:
            return None
        return McnBindingSerializer(bindings[0]).data

    def get_total_fans(self, anchor: Anchor) -> int:
        return sum(account.fans for account in anchor.accounts.all())


class AnchorCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=64)
    kind = serializers.ChoiceField(choices=AnchorKind.choices, default=AnchorKind.PERSON)
    city = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    county = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    main_categories = serializers.ListField(child=serializers.CharField(max_length=32), required=False, default=list)
    accounts = AnchorAccountSerializer(many=True, required=False, default=list)


class BindMcnSerializer(serializers.Serializer[Any]):
    mcn = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.filter(kind=OrganizationKind.MCN))
    split_bps = serializers.IntegerField(min_value=0, max_value=10_000)
    valid_from = serializers.DateTimeField()


class InvitationSerializer(serializers.ModelSerializer[Invitation]):
    invite_url = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "kind",
            "organization_name",
            "credit_code",
            "email",
            "created_at",
            "expires_at",
            "accepted_at",
            "organization",
            "invite_url",
        ]
        read_only_fields = ["created_at", "expires_at", "accepted_at", "organization", "invite_url"]

    def get_invite_url(self, invitation: Invitation) -> str:
        return f"/invite/{invitation.token}"


class InvitationPublicSerializer(serializers.ModelSerializer[Invitation]):
    class Meta:
        model = Invitation
        fields = ["kind", "organization_name", "email", "expires_at"]


class InvitationAcceptSerializer(serializers.Serializer[Any]):
    username = serializers.RegexField(r"^[A-Za-z0-9_.@-]{3,150}$")
    password = serializers.CharField(write_only=True, min_length=10)
    display_name = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class LoginSerializer(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, style={"input_type": "password"})
