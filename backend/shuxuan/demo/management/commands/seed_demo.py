"""seed_demo [--scale N]: the Sichuan demo world. Idempotent: a second run creates nothing."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from shuxuan.catalog.demo import seed_catalog_demo
from shuxuan.common.credit_code import make_credit_code
from shuxuan.demo.world import (
    ANCHORS,
    BRANDS,
    MCNS,
    OBSERVERS,
    OPERATOR_ORG,
    OPERATOR_USERS,
    SERVICE_PROVIDERS,
    AnchorSeed,
    SeedResult,
)
from shuxuan.ledger.demo import seed_ledger_demo
from shuxuan.orders.demo import seed_orders_demo
from shuxuan.parties import services
from shuxuan.parties.models import Anchor, AnchorAccount, McnBinding, Organization, OrganizationKind, Role, User
from shuxuan.selection.demo import seed_selection_demo
from shuxuan.settlement.demo import seed_settlement_demo
from shuxuan.supply.demo import seed_supply_demo

SHANGHAI = ZoneInfo("Asia/Shanghai")
BINDING_START = datetime(2025, 1, 1, tzinfo=SHANGHAI)


class Command(BaseCommand):
    help = "Load the Sichuan demo world (idempotent). --scale N multiplies brands, MCNs and anchors."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", type=int, default=1, help="multiply the cast N times (default 1)")

    def handle(self, *args: Any, scale: int, **options: Any) -> None:
        if scale < 1:
            self.stdout.write(json.dumps({"ok": False, "error": "--scale must be at least 1"}))
            raise SystemExit(1)
        result = SeedResult()
        with transaction.atomic():
            seed_world(scale=scale, result=result)
            catalog = seed_catalog_demo()
        result.created.update({f"catalog_{key}": value for key, value in catalog.items() if value})
        seed_ledger_demo()
        # Supply services own durable transactions (stock and money together), so they run after.
        supply = seed_supply_demo()
        result.created.update({f"supply_{key}": value for key, value in supply.items() if value})
        selection = seed_selection_demo()
        result.created.update({f"selection_{key}": value for key, value in selection.items() if value})
        # Orders go through the real importer, after the picks and sessions they are attributed to.
        orders = seed_orders_demo()
        result.created.update({f"orders_{key}": value for key, value in orders.items() if value})
        # Settlement last: contracts, payees, and a run up to yesterday over the demo orders.
        settlement = seed_settlement_demo()
        result.created.update({f"settlement_{key}": value for key, value in settlement.items() if value})
        summary = {
            "ok": True,
            "scale": scale,
            "created": result.created,
            "organizations": Organization.objects.count(),
            "users": User.objects.count(),
            "anchors": Anchor.objects.count(),
            "password": settings.SHUXUAN_DEMO_PASSWORD,
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))


def _org(result: SeedResult, *, name: str, kind: str, division: str, serial: int, city: str, county: str) -> Organization:
    code = make_credit_code(division=division, serial=serial, authority="1" if kind == OrganizationKind.OBSERVER else "9")
    org = Organization.objects.filter(credit_code=code).first()
    if org is None:
        org = services.organization_create(actor=None, name=name, kind=kind, credit_code=code, city=city, county=county)
        result.bump("organizations", True)
    return org


def _user(result: SeedResult, *, org: Organization, username: str, display: str, roles: list[str]) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = services.user_create(
            actor=None,
            organization=org,
            username=username,
            password=settings.SHUXUAN_DEMO_PASSWORD,
            roles=roles,
            display_name=display,
        )
        result.bump("users", True)
    return user


def _suffix(copy: int) -> str:
    return "" if copy == 0 else f"（{copy + 1}号）"


def seed_world(*, scale: int, result: SeedResult) -> None:
    """The parties of the demo world: the operator, then `scale` copies of the brands, MCNs and
    anchors, then the service providers and observers (one of each)."""
    operator = _seed_operator(result)
    op_admin = User.objects.get(username="op_admin")
    for copy in range(scale):
        _seed_brands(result, copy=copy)
        mcn_orgs = _seed_mcns(result, copy=copy)
        for seed in ANCHORS:
            _seed_anchor(
                result, seed, copy=copy, home=mcn_orgs[seed.mcn] if seed.mcn else operator, mcn_orgs=mcn_orgs, actor=op_admin
            )
    _seed_providers_and_observers(result)


def _seed_operator(result: SeedResult) -> Organization:
    operator = _org(
        result,
        name=OPERATOR_ORG["name"],
        kind=OrganizationKind.OPERATOR,
        division=OPERATOR_ORG["division"],
        serial=1,
        city=OPERATOR_ORG["city"],
        county=OPERATOR_ORG["county"],
    )
    for username, display, roles in OPERATOR_USERS:
        _user(result, org=operator, username=username, display=display, roles=roles)
    return operator


def _seed_brands(result: SeedResult, *, copy: int) -> None:
    base = 1000 * (copy + 1)
    for index, brand in enumerate(BRANDS):
        org = _org(
            result,
            name=brand.name + _suffix(copy),
            kind=OrganizationKind.BRAND,
            division=brand.division,
            serial=base + 100 + index,
            city=brand.city,
            county=brand.county,
        )
        suffix = "" if copy == 0 else f"_{copy + 1}"
        _user(
            result,
            org=org,
            username=brand.username + suffix,
            display=f"{brand.contact}（{brand.industry}）",
            roles=[Role.OWNER],
        )
        _user(result, org=org, username=f"{brand.username}{suffix}_finance", display=f"{brand.name}财务", roles=[Role.FINANCE])


def _seed_mcns(result: SeedResult, *, copy: int) -> dict[str, Organization]:
    base = 1000 * (copy + 1)
    mcn_orgs: dict[str, Organization] = {}
    for index, (key, mcn) in enumerate(MCNS.items()):
        org = _org(
            result,
            name=mcn["name"] + _suffix(copy),
            kind=OrganizationKind.MCN,
            division=mcn["division"],
            serial=base + 200 + index,
            city=mcn["city"],
            county=mcn["county"],
        )
        suffix = "" if copy == 0 else f"_{copy + 1}"
        _user(result, org=org, username=mcn["username"] + suffix, display=mcn["display"], roles=[Role.OWNER])
        mcn_orgs[key] = org
    return mcn_orgs


def _seed_anchor(
    result: SeedResult, seed: AnchorSeed, *, copy: int, home: Organization, mcn_orgs: dict[str, Organization], actor: User
) -> None:
    """One anchor of the cast registered by `home` (its MCN, or the operator), with its platform
    accounts, its MCN binding and its own login."""
    name = seed.name + _suffix(copy)
    anchor = Anchor.objects.filter(organization=home, name=name).first()
    if anchor is None:
        anchor = services.anchor_create(
            actor=actor,
            organization=home,
            name=name,
            kind=seed.kind,
            city=seed.city,
            county=seed.county,
            main_categories=list(seed.categories),
        )
        result.bump("anchors", True)
    for account in seed.accounts:
        uid = account.uid if copy == 0 else f"{account.uid}_{copy + 1}"
        if not AnchorAccount.objects.filter(platform=account.platform, platform_uid=uid).exists():
            services.anchor_account_add(
                actor=actor,
                anchor=anchor,
                platform=account.platform,
                platform_uid=uid,
                nickname=account.nickname + _suffix(copy),
                fans=account.fans * (100 - 7 * copy) // 100,
                main_categories=list(account.categories),
                city=seed.city,
            )
            result.bump("accounts", True)
    if seed.mcn and not McnBinding.objects.filter(anchor=anchor).exists():
        services.anchor_bind_mcn(
            actor=actor, anchor=anchor, mcn=mcn_orgs[seed.mcn], split_bps=seed.split_bps, valid_from=BINDING_START
        )
        result.bump("bindings", True)
    if seed.username:
        username = seed.username if copy == 0 else f"{seed.username}_{copy + 1}"
        user = _user(result, org=home, username=username, display=name, roles=[Role.STAFF])
        if anchor.user_id is None:
            anchor.user = user
            anchor.save(update_fields=["user"])


def _seed_providers_and_observers(result: SeedResult) -> None:
    for index, (username, display, name, division, city, county) in enumerate(SERVICE_PROVIDERS):
        org = _org(
            result,
            name=name,
            kind=OrganizationKind.SERVICE_PROVIDER,
            division=division,
            serial=300 + index,
            city=city,
            county=county,
        )
        _user(result, org=org, username=username, display=display, roles=[Role.OWNER])
    for index, (username, display, name, division, city, county) in enumerate(OBSERVERS):
        org = _org(
            result, name=name, kind=OrganizationKind.OBSERVER, division=division, serial=400 + index, city=city, county=county
        )
        _user(result, org=org, username=username, display=display, roles=[Role.STAFF])
