import json
from io import StringIO

import pytest
from django.core.management import call_command

from shuxuan.parties.models import Anchor, AnchorAccount, McnBinding, Organization, OrganizationKind, User

pytestmark = pytest.mark.django_db


def _seed(*args: str) -> dict:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_seed_demo_builds_the_world_once():
    first = _seed()
    assert first["ok"] is True
    assert first["created"]["organizations"] == 17
    assert first["created"]["users"] == 36
    assert first["created"]["anchors"] == 8
    kinds = set(Organization.objects.values_list("kind", flat=True))
    assert kinds == set(OrganizationKind.values)
    assert User.objects.get(username="brand_jiu").check_password("shuxuan-demo")
    assert Anchor.objects.filter(kind="digital_human").count() == 1
    assert set(AnchorAccount.objects.values_list("platform", flat=True)) == {
        "douyin",
        "kuaishou",
        "taobao",
        "wechat",
        "xiaohongshu",
    }

    counts = (Organization.objects.count(), User.objects.count(), Anchor.objects.count(), McnBinding.objects.count())
    second = _seed()
    assert second["created"] == {}
    assert counts == (Organization.objects.count(), User.objects.count(), Anchor.objects.count(), McnBinding.objects.count())


def test_scale_multiplies_the_cast():
    _seed("--scale", "2")
    assert Organization.objects.filter(kind=OrganizationKind.BRAND).count() == 24
    assert Organization.objects.filter(kind=OrganizationKind.MCN).count() == 4
    assert Anchor.objects.count() == 16
    assert User.objects.filter(username="brand_jiu_2").exists()


def test_scale_must_be_positive():
    out = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("seed_demo", "--scale", "0", stdout=out)
    assert exit_.value.code == 1
    assert json.loads(out.getvalue().strip().splitlines()[-1]) == {"ok": False, "error": "--scale must be at least 1"}
    assert not Organization.objects.exists()


def test_seeded_demo_shows_no_machine_marker():
    """Issue 16: the demo's titles, notes and names read as a person wrote them, never `demo:orders:…`. Every
    text column of every Shuxuan table is read after a full seed."""
    from django.apps import apps
    from django.db import models
    from django.db.models import Q

    _seed()
    found: dict[str, list[str]] = {}
    checked = 0
    for model in apps.get_models():
        if not model.__module__.startswith("shuxuan.") or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            label = f"{model._meta.label}.{field.name}"
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            checked += 1
            marked = Q(**{f"{field.attname}__istartswith": "demo:"}) | Q(**{f"{field.attname}__iexact": "demo"})
            values = list(model._default_manager.filter(marked).values_list(field.attname, flat=True)[:3])
            if values:
                found[label] = values
    assert checked > 50
    assert found == {}
