"""Factories for tests in every context."""

from __future__ import annotations

import itertools

import factory

from shuxuan.common.credit_code import make_credit_code
from shuxuan.parties.models import Anchor, AnchorAccount, Organization, OrganizationKind, Role, User

_serial = itertools.count(90_000)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试机构{n}有限公司")
    kind = OrganizationKind.BRAND
    credit_code = factory.LazyFunction(lambda: make_credit_code(division="510100", serial=next(_serial)))
    city = "成都市"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    organization = factory.SubFactory(OrganizationFactory)
    roles = factory.LazyFunction(lambda: [Role.OWNER])
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):  # type: ignore[no-untyped-def]
        if create:
            instance.save()


class AnchorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Anchor

    organization = factory.SubFactory(OrganizationFactory, kind=OrganizationKind.MCN)
    name = factory.Sequence(lambda n: f"主播{n}")


class AnchorAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnchorAccount

    anchor = factory.SubFactory(AnchorFactory)
    platform = "douyin"
    platform_uid = factory.Sequence(lambda n: f"dy_{n:08d}")
    nickname = factory.Sequence(lambda n: f"抖音号{n}")
    fans = 1000
