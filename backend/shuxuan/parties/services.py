"""Writes of the parties context. Each service owns its transaction and writes its audit row in it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shuxuan.audit.facade import audit_record
from shuxuan.common.credit_code import validate_credit_code
from shuxuan.common.exceptions import Conflict, DomainError
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

INVITATION_VALIDITY = timedelta(days=14)


def _check_credit_code(code: str) -> str:
    code = code.strip().upper()
    reason = validate_credit_code(code)
    if reason:
        raise DomainError(reason, field="credit_code")
    if Organization.objects.filter(credit_code=code).exists():
        raise Conflict("该统一社会信用代码已注册 / an organization with this credit code exists", field="credit_code")
    return code


def _check_roles(roles: list[str]) -> list[str]:
    unknown = sorted(set(roles) - set(Role.values))
    if unknown:
        raise DomainError(f"未知角色 / unknown roles: {', '.join(unknown)}", field="roles")
    if not roles:
        raise DomainError("至少需要一个角色 / at least one role is required", field="roles")
    return sorted(set(roles))


def organization_create(
    *, actor: User | None, name: str, kind: str, credit_code: str, city: str = "", county: str = "", contact_email: str = ""
) -> Organization:
    if kind not in OrganizationKind.values:
        raise DomainError(f"未知机构类型 / unknown organization kind {kind!r}", field="kind")
    with transaction.atomic():
        org = Organization.objects.create(
            name=name.strip(),
            kind=kind,
            credit_code=_check_credit_code(credit_code),
            city=city,
            county=county,
            contact_email=contact_email,
        )
        audit_record(actor=actor, action="organization.create", obj=org, organization_id=org.pk, changes={"kind": kind})
    return org


def organization_update(*, actor: User, organization: Organization, data: dict[str, Any]) -> Organization:
    allowed = {"name", "city", "county", "contact_email"}
    changes = {k: v for k, v in data.items() if k in allowed and getattr(organization, k) != v}
    with transaction.atomic():
        for field, value in changes.items():
            setattr(organization, field, value)
        if changes:
            organization.save(update_fields=list(changes))
            audit_record(
                actor=actor, action="organization.update", obj=organization, organization_id=organization.pk, changes=changes
            )
    return organization


def user_create(
    *,
    actor: User | None,
    organization: Organization,
    username: str,
    password: str,
    roles: list[str],
    display_name: str = "",
    email: str = "",
) -> User:
    roles = _check_roles(roles)
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict("用户名已存在 / username is taken", field="username")
    candidate = User(username=username, email=email, display_name=display_name, organization=organization)
    try:
        validate_password(password, user=candidate)
    except DjangoValidationError as exc:
        raise DomainError(" ".join(exc.messages), field="password") from None
    with transaction.atomic():
        user = User.objects.create_user(
            username=username,
            password=password,
            email=email,
            organization=organization,
            roles=roles,
            display_name=display_name or username,
        )
        audit_record(actor=actor, action="user.create", obj=user, organization_id=organization.pk, changes={"roles": roles})
    return user


def user_set_roles(*, actor: User, user: User, roles: list[str]) -> User:
    roles = _check_roles(roles)
    if user.pk == actor.pk and Role.OWNER in user.roles and Role.OWNER not in roles:
        raise DomainError("不能撤销自己的负责人角色 / you cannot remove your own owner role", field="roles")
    with transaction.atomic():
        before = list(user.roles)
        user.roles = roles
        user.save(update_fields=["roles"])
        audit_record(
            actor=actor,
            action="user.set_roles",
            obj=user,
            organization_id=user.organization_id,
            changes={"from": before, "to": roles},
        )
    return user


def invitation_create(*, actor: User, kind: str, organization_name: str, credit_code: str, email: str) -> Invitation:
    if kind not in OrganizationKind.values or kind == OrganizationKind.OPERATOR:
        raise DomainError(f"不能邀请此类型机构 / cannot invite kind {kind!r}", field="kind")
    code = _check_credit_code(credit_code)
    if Invitation.objects.filter(credit_code=code, accepted_at__isnull=True, expires_at__gt=timezone.now()).exists():
        raise Conflict("该机构已有未使用的邀请 / an open invitation exists for this credit code", field="credit_code")
    with transaction.atomic():
        invitation = Invitation.objects.create(
            kind=kind,
            organization_name=organization_name.strip(),
            credit_code=code,
            email=email,
            invited_by=actor,
            expires_at=timezone.now() + INVITATION_VALIDITY,
        )
        audit_record(
            actor=actor,
            action="invitation.create",
            obj=invitation,
            organization_id=actor.organization_id,
            changes={"kind": kind, "organization_name": organization_name},
        )
    return invitation


def invitation_accept(*, token: str, username: str, password: str, display_name: str = "") -> User:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token=token).first()
        if invitation is None or invitation.accepted_at is not None or invitation.expires_at <= timezone.now():
            raise DomainError("邀请链接无效或已过期 / the invitation is invalid, used or expired", field="token")
        org = organization_create(
            actor=None,
            name=invitation.organization_name,
            kind=invitation.kind,
            credit_code=invitation.credit_code,
            contact_email=invitation.email,
        )
        user = user_create(
            actor=None,
            organization=org,
            username=username,
            password=password,
            roles=[Role.OWNER],
            display_name=display_name,
            email=invitation.email,
        )
        invitation.accepted_at = timezone.now()
        invitation.organization = org
        invitation.save(update_fields=["accepted_at", "organization"])
        audit_record(actor=user, action="invitation.accept", obj=invitation, organization_id=org.pk)
    return user


def anchor_create(
    *,
    actor: User | None,
    organization: Organization,
    name: str,
    kind: str = AnchorKind.PERSON,
    city: str = "",
    county: str = "",
    main_categories: list[str] | None = None,
    accounts: list[dict[str, Any]] | None = None,
) -> Anchor:
    if kind not in AnchorKind.values:
        raise DomainError(f"未知主播类型 / unknown anchor kind {kind!r}", field="kind")
    if organization.kind not in (OrganizationKind.MCN, OrganizationKind.OPERATOR):
        raise DomainError("只有 MCN 或运营方可登记主播 / only an MCN or the operator registers anchors", field="organization")
    with transaction.atomic():
        anchor = Anchor.objects.create(
            organization=organization,
            name=name.strip(),
            kind=kind,
            city=city,
            county=county,
            main_categories=main_categories or [],
        )
        for index, account in enumerate(accounts or []):
            anchor_account_add(actor=actor, anchor=anchor, field_prefix=f"accounts[{index}].", **account)
        audit_record(actor=actor, action="anchor.create", obj=anchor, organization_id=organization.pk)
    return anchor


def anchor_account_add(
    *,
    actor: User | None,
    anchor: Anchor,
    platform: str,
    platform_uid: str,
    nickname: str,
    fans: int = 0,
    main_categories: list[str] | None = None,
    city: str = "",
    field_prefix: str = "",
) -> AnchorAccount:
    if platform not in Platform.values:
        raise DomainError(f"未知平台 / unknown platform {platform!r}", field=f"{field_prefix}platform")
    platform_uid = platform_uid.strip()
    if not platform_uid:
        raise DomainError("平台账号ID不能为空 / platform_uid is required", field=f"{field_prefix}platform_uid")
    if fans < 0:
        raise DomainError("粉丝数不能为负 / fans cannot be negative", field=f"{field_prefix}fans")
    try:
        with transaction.atomic():
            account = AnchorAccount.objects.create(
                anchor=anchor,
                platform=platform,
                platform_uid=platform_uid,
                nickname=nickname,
                fans=fans,
                main_categories=main_categories or [],
                city=city,
            )
            audit_record(
                actor=actor,
                action="anchor_account.add",
                obj=account,
                organization_id=anchor.organization_id,
                changes={"platform": platform, "platform_uid": platform_uid},
            )
    except IntegrityError:
        raise Conflict(
            f"该平台账号已登记 / {platform} account {platform_uid} is already registered", field=f"{field_prefix}platform_uid"
        ) from None
    return account


def anchor_bind_mcn(*, actor: User, anchor: Anchor, mcn: Organization, split_bps: int, valid_from: datetime) -> McnBinding:
    """Bind an anchor to an MCN from `valid_from`. The binding in force then is ended at that
    moment (its end date is set; nothing else of it changes). A binding that starts later than
    `valid_from` cannot be rewritten: history is appended, not edited."""
    if mcn.kind != OrganizationKind.MCN:
        raise DomainError("绑定对象必须是 MCN 机构 / the binding must be to an MCN", field="mcn")
    if not 0 <= split_bps <= 10_000:
        raise DomainError("分成比例应在 0–10000 基点之间 / split_bps must be within 0–10000", field="split_bps")
    with transaction.atomic():
        # Lock the anchor row: bindings of one anchor are written one at a time.
        Anchor.objects.select_for_update().get(pk=anchor.pk)
        if McnBinding.objects.filter(anchor=anchor, valid_from__gte=valid_from).exists():
            raise Conflict("已有更晚开始的绑定 / a later binding exists; bindings are history", field="valid_from")
        current = (
            McnBinding.objects.filter(anchor=anchor, valid_to__isnull=True).first()
            or McnBinding.objects.filter(anchor=anchor, valid_to__gt=valid_from).first()
        )
        if current is not None:
            current.valid_to = valid_from
            current.save(update_fields=["valid_to"])
            audit_record(
                actor=actor,
                action="mcn_binding.end",
                obj=current,
                organization_id=current.mcn_id,
                changes={"valid_to": valid_from.isoformat()},
            )
        binding = McnBinding.objects.create(anchor=anchor, mcn=mcn, split_bps=split_bps, valid_from=valid_from, created_by=actor)
        audit_record(
            actor=actor,
            action="mcn_binding.create",
            obj=binding,
            organization_id=mcn.pk,
            changes={"anchor": anchor.pk, "split_bps": split_bps, "valid_from": valid_from.isoformat()},
        )
    return binding
