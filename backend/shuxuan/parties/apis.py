"""HTTP for the parties context: authentication, organizations, users, anchors, invitations."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth import authenticate, login, logout
from django.db.models import QuerySet
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect, ensure_csrf_cookie
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, mixins, permissions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from shuxuan.common.tenancy import OrgScopedViewSet, RoleRules, current_organization, current_user
from shuxuan.parties import login_guard, selectors, services
from shuxuan.parties.models import Anchor, Invitation, McnBinding, Organization, OrganizationKind, Role, User
from shuxuan.parties.serializers import (
    AnchorAccountSerializer,
    AnchorCreateSerializer,
    AnchorSerializer,
    BindMcnSerializer,
    InvitationAcceptSerializer,
    InvitationPublicSerializer,
    InvitationSerializer,
    LoginSerializer,
    McnBindingSerializer,
    MeSerializer,
    OrganizationCreateSerializer,
    OrganizationSerializer,
    UserCreateSerializer,
    UserRolesSerializer,
    UserSerializer,
)

OPERATOR_ADMIN: dict[str, Any] = {"kinds": {OrganizationKind.OPERATOR}, "roles": {Role.OWNER, Role.STAFF}}
OWNER: dict[str, Any] = {"roles": {Role.OWNER}}


class CsrfView(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(responses={204: None}, summary="Set the csrftoken cookie")
    @method_decorator(ensure_csrf_cookie)
    def get(self, request: Request) -> Response:
        return Response(status=status.HTTP_204_NO_CONTENT)


class LoginRefused(exceptions.Throttled):
    """429 with Retry-After and the guard's own bilingual message (not DRF's translated suffix)."""

    wait: int | None

    def __init__(self, wait: int) -> None:
        super().__init__(detail=login_guard.refusal_message(wait))
        self.wait = wait


def _guarded_authenticate(request: Request) -> User | None:
    """The user the credentials name, or None; 429 while login_guard holds this attempt back."""
    payload = LoginSerializer(data=request.data)
    payload.is_valid(raise_exception=True)
    username, address = payload.validated_data["username"], login_guard.client_address(request)
    wait = login_guard.login_refusal(username=username, address=address)
    if wait is not None:
        raise LoginRefused(wait)
    user = authenticate(request, **payload.validated_data)
    if user is None:
        login_guard.login_failed(username=username, address=address)
        return None
    login_guard.login_succeeded(username=username, address=address)
    return user  # type: ignore[return-value]


def _wrong_credentials() -> Response:
    return Response(
        {"detail": "用户名或密码错误 / wrong username or password", "code": "invalid_credentials"},
        status=status.HTTP_400_BAD_REQUEST,
    )


@method_decorator(csrf_protect, name="dispatch")
class LoginView(APIView):
    """Session login for the SPA. CSRF is enforced here too (DRF only enforces it for
    already-authenticated sessions), so a cross-site page cannot log a victim into its account."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(request=LoginSerializer, responses={200: MeSerializer}, summary="Session login (SPA)")
    def post(self, request: Request) -> Response:
        user = _guarded_authenticate(request)
        if user is None:
            return _wrong_credentials()
        login(request._request, user)
        return Response(MeSerializer(user).data)


class TokenView(APIView):
    """Exchange credentials for an API token (for scripts and integrations)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=LoginSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
        summary="Obtain an API token",
    )
    def post(self, request: Request) -> Response:
        user = _guarded_authenticate(request)
        if user is None:
            return _wrong_credentials()
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class LogoutView(APIView):
    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(current_user(request)).data)


class OrganizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, OrgScopedViewSet):
    queryset = Organization.objects.order_by("id")
    serializer_class = OrganizationSerializer
    filterset_fields = ["kind"]
    ordering_fields = ["id", "name", "created_at"]
    required_roles: ClassVar[RoleRules] = {"create": OPERATOR_ADMIN, "update": OWNER, "partial_update": OWNER}

    def scope(self, queryset: QuerySet[Organization], user: User) -> QuerySet[Organization]:
        return queryset.filter(pk=user.organization_id or 0)

    @extend_schema(request=OrganizationCreateSerializer, responses={201: OrganizationSerializer})
    def create(self, request: Request) -> Response:
        payload = OrganizationCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        org = services.organization_create(actor=request.user, **payload.validated_data)  # type: ignore[arg-type]
        return Response(OrganizationSerializer(org).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: Any) -> None:
        services.organization_update(actor=self.request.user, organization=serializer.instance, data=serializer.validated_data)  # type: ignore[arg-type]


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    """Members of the caller's organization. The operator sees everyone."""

    queryset = User.objects.filter(organization__isnull=False).order_by("id")
    serializer_class = UserSerializer
    filterset_fields = ["is_active"]
    required_roles: ClassVar[RoleRules] = {"create": OWNER, "set_roles": OWNER}

    def scope(self, queryset: QuerySet[User], user: User) -> QuerySet[User]:
        return queryset.filter(organization_id=user.organization_id or 0)

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer})
    def create(self, request: Request) -> Response:
        payload = UserCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        user = services.user_create(
            actor=current_user(request), organization=current_organization(request), **payload.validated_data
        )  # type: ignore[arg-type]
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=UserRolesSerializer, responses=UserSerializer)
    @action(detail=True, methods=["post"], url_path="roles")
    def set_roles(self, request: Request, pk: str | None = None) -> Response:
        target = self.get_object()
        if target.organization_id != current_user(request).organization_id:
            # The operator may read every member but only its own owners manage its own members.
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        payload = UserRolesSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        user = services.user_set_roles(actor=request.user, user=target, roles=payload.validated_data["roles"])  # type: ignore[arg-type]
        return Response(UserSerializer(user).data)


class AnchorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    serializer_class = AnchorSerializer
    filterset_fields = ["kind", "city"]
    ordering_fields = ["id", "name", "created_at"]
    required_roles: ClassVar[RoleRules] = {
        "create": {"kinds": {OrganizationKind.MCN, OrganizationKind.OPERATOR}, "roles": {Role.OWNER, Role.STAFF}},
        "add_account": {"kinds": {OrganizationKind.MCN, OrganizationKind.OPERATOR}, "roles": {Role.OWNER, Role.STAFF}},
        "bind_mcn": {"kinds": {OrganizationKind.OPERATOR}, "roles": {Role.OWNER, Role.STAFF}},
    }

    def base_queryset(self) -> QuerySet[Anchor]:
        return selectors.anchor_queryset().order_by("id")

    def scope(self, queryset: QuerySet[Anchor], user: User) -> QuerySet[Anchor]:
        assert user.organization_id is not None
        return queryset.filter(selectors.anchors_visible_q(user.organization_id)).distinct()

    @extend_schema(request=AnchorCreateSerializer, responses={201: AnchorSerializer})
    def create(self, request: Request) -> Response:
        payload = AnchorCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        anchor = services.anchor_create(
            actor=current_user(request), organization=current_organization(request), **payload.validated_data
        )  # type: ignore[arg-type]
        return Response(AnchorSerializer(selectors.anchor_queryset().get(pk=anchor.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnchorAccountSerializer, responses={201: AnchorAccountSerializer})
    @action(detail=True, methods=["post"], url_path="accounts")
    def add_account(self, request: Request, pk: str | None = None) -> Response:
        anchor = self.get_object()
        payload = AnchorAccountSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        account = services.anchor_account_add(actor=request.user, anchor=anchor, **payload.validated_data)  # type: ignore[arg-type]
        return Response(AnchorAccountSerializer(account).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BindMcnSerializer, responses={201: McnBindingSerializer})
    @action(detail=True, methods=["post"], url_path="bind")
    def bind_mcn(self, request: Request, pk: str | None = None) -> Response:
        anchor = self.get_object()
        payload = BindMcnSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        binding = services.anchor_bind_mcn(actor=request.user, anchor=anchor, **payload.validated_data)  # type: ignore[arg-type]
        return Response(McnBindingSerializer(binding).data, status=status.HTTP_201_CREATED)


class McnBindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    """Binding history. An MCN sees its own bindings; the registering organization sees its anchors'."""

    queryset = McnBinding.objects.select_related("mcn").order_by("anchor_id", "valid_from")
    serializer_class = McnBindingSerializer
    filterset_fields = ["anchor", "mcn"]

    def scope(self, queryset: QuerySet[McnBinding], user: User) -> QuerySet[McnBinding]:
        from django.db.models import Q

        return queryset.filter(Q(mcn_id=user.organization_id) | Q(anchor__organization_id=user.organization_id))


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrgScopedViewSet):
    queryset = Invitation.objects.order_by("-id")
    serializer_class = InvitationSerializer
    required_roles: ClassVar[RoleRules] = {
        "*": OPERATOR_ADMIN,
        "list": OPERATOR_ADMIN,
        "retrieve": OPERATOR_ADMIN,
        "create": OPERATOR_ADMIN,
    }

    def scope(self, queryset: QuerySet[Invitation], user: User) -> QuerySet[Invitation]:
        return queryset.none()

    def create(self, request: Request) -> Response:
        payload = InvitationSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        invitation = services.invitation_create(
            actor=request.user,  # type: ignore[arg-type]
            kind=data["kind"],
            organization_name=data["organization_name"],
            credit_code=data["credit_code"],
            email=data["email"],
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


@method_decorator(csrf_protect, name="dispatch")
class PublicInvitationView(APIView):
    """Meant to be public: the invitee has no account yet. The unguessable token is the credential.
    Accepting creates the organization and its owner and logs the owner in (so CSRF is enforced,
    as on login)."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "invitation"

    @extend_schema(responses=InvitationPublicSerializer)
    def get(self, request: Request, token: str) -> Response:
        from django.utils import timezone

        invitation = Invitation.objects.filter(token=token, accepted_at__isnull=True, expires_at__gt=timezone.now()).first()
        if invitation is None:
            return Response({"detail": "邀请链接无效或已过期 / invitation invalid or expired"}, status=status.HTTP_404_NOT_FOUND)
        return Response(InvitationPublicSerializer(invitation).data)

    @extend_schema(request=InvitationAcceptSerializer, responses={201: MeSerializer})
    def post(self, request: Request, token: str) -> Response:
        payload = InvitationAcceptSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        user = services.invitation_accept(token=token, **payload.validated_data)
        login(request._request, user, backend="django.contrib.auth.backends.ModelBackend")
        return Response(MeSerializer(user).data, status=status.HTTP_201_CREATED)
