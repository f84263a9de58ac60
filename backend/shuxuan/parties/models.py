"""Parties: organizations, their users and roles, anchors, platform accounts and MCN bindings."""

from __future__ import annotations

import secrets

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import F, Func, Q


class OrganizationKind(models.TextChoices):
    BRAND = "brand", "品牌商 Brand"
    MCN = "mcn", "MCN 机构 MCN"
    SERVICE_PROVIDER = "service_provider", "服务商 Service provider"
    OPERATOR = "operator", "运营方 Operator"
    OBSERVER = "observer", "观察员 Observer"


class Role(models.TextChoices):
    OWNER = "owner", "负责人 Owner"
    STAFF = "staff", "员工 Staff"
    FINANCE = "finance", "财务 Finance"
    REVIEWER = "reviewer", "审核 Reviewer"
    SUPPLY = "supply", "供应链 Supply"


class Platform(models.TextChoices):
    DOUYIN = "douyin", "抖音 Douyin"
    KUAISHOU = "kuaishou", "快手 Kuaishou"
    TAOBAO = "taobao", "淘宝 Taobao"
    WECHAT = "wechat", "微信视频号 WeChat Channels"
    XIAOHONGSHU = "xiaohongshu", "小红书 Xiaohongshu"


class Organization(models.Model):
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=32, choices=OrganizationKind.choices)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    city = models.CharField(max_length=32, blank=True)
    county = models.CharField(max_length=32, blank=True)
    contact_email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["kind", "name"])]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OrganizationKind.values), name="organization_kind_valid"),
            models.CheckConstraint(
                condition=Q(credit_code__regex=r"^[0-9A-HJ-NPQRTUWXY]{18}$"), name="organization_credit_code_shape"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in. Belongs to exactly one organization (none only for Django superusers)."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="members", null=True, blank=True)
    roles = ArrayField(models.CharField(max_length=16, choices=Role.choices), default=list, blank=True)
    display_name = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=8, default="zh-hans", choices=[("zh-hans", "中文"), ("en", "English")])

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=False) | Q(is_superuser=True),
                name="user_has_organization_unless_superuser",
            ),
            models.CheckConstraint(condition=Q(roles__contained_by=Role.values), name="user_roles_valid"),
        ]

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def org_kind(self) -> str | None:
        return self.organization.kind if self.organization_id else None  # type: ignore[union-attr]


class AnchorKind(models.TextChoices):
    PERSON = "person", "真人 Person"
    DIGITAL_HUMAN = "digital_human", "数字人 Digital human"


class Anchor(models.Model):
    """A live-stream host. `organization` is the party that registered and manages the record
    (the anchor's own studio or their MCN); the MCN that shares the commission is a binding."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="anchors")
    user = models.OneToOneField(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="anchor")
    name = models.CharField(max_length=64)
    kind = models.CharField(max_length=16, choices=AnchorKind.choices, default=AnchorKind.PERSON)
    city = models.CharField(max_length=32, blank=True)
    county = models.CharField(max_length=32, blank=True)
    main_categories = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["organization", "name"])]

    def __str__(self) -> str:
        return self.name


class AnchorAccount(models.Model):
    """An anchor's account on one sales platform; platform ids are what order files carry."""

    anchor = models.ForeignKey(Anchor, on_delete=models.CASCADE, related_name="accounts")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    platform_uid = models.CharField(max_length=64)
    nickname = models.CharField(max_length=64)
    fans = models.PositiveBigIntegerField(default=0)
    main_categories = ArrayField(models.CharField(max_length=32), default=list, blank=True)
    city = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "platform_uid"], name="anchor_account_platform_uid_unique"),
            models.CheckConstraint(condition=Q(platform__in=Platform.values), name="anchor_account_platform_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.nickname}"


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class McnBinding(models.Model):
    """An anchor's contract with an MCN. History: a new binding ends the previous one; the MCN,
    split and start of a binding are never edited. Overlap is refused by the database."""

    anchor = models.ForeignKey(Anchor, on_delete=models.PROTECT, related_name="bindings")
    mcn = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="mcn_bindings")
    split_bps = models.PositiveIntegerField(help_text="MCN share of the anchor's commission, basis points")
    valid_from = models.DateTimeField()
    valid_to = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["anchor_id", "valid_from"]
        indexes = [models.Index(fields=["mcn", "valid_from"])]
        constraints = [
            models.CheckConstraint(condition=Q(split_bps__lte=10_000), name="mcn_binding_split_at_most_100pct"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="mcn_binding_valid_range",
            ),
            ExclusionConstraint(
                name="mcn_binding_no_overlap",
                expressions=[
                    ("anchor", RangeOperators.EQUAL),
                    (TsTzRange("valid_from", "valid_to"), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.anchor_id}→{self.mcn_id} {self.split_bps}bp from {self.valid_from:%Y-%m-%d}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """The operator invites a brand, MCN, service provider or observer; accepting creates the
    organization and its owner user."""

    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    kind = models.CharField(max_length=32, choices=OrganizationKind.choices)
    organization_name = models.CharField(max_length=120)
    credit_code = models.CharField(max_length=18)
    email = models.EmailField()
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="operator"), name="invitation_not_for_operator"),
        ]

    def __str__(self) -> str:
        return f"邀请 {self.organization_name}"
