"""The default matching rules of every source (matching.DEFAULT_RULES at the time of writing)."""

from django.db import migrations

DEFAULTS = {
    "douyin": [("order_id", 0, 0)],
    "kuaishou": [("order_id", 0, 0)],
    "taobao": [("order_id", 0, 0)],
    "wechat": [("order_id", 0, 0)],
    "bank": [("payout_reference", 0, 0), ("batch_reference", 0, 0), ("request_no", 0, 0), ("amount_date", 0, 3)],
    "stripe": [("transfer_id", 0, 0), ("amount_date", 0, 2)],
}


def create_rules(apps, schema_editor):
    MatchRule = apps.get_model("reconciliation", "MatchRule")
    for source, rules in DEFAULTS.items():
        if MatchRule.objects.filter(source=source).exists():
            continue
        for index, (kind, amount, days) in enumerate(rules, start=1):
            MatchRule.objects.create(
                source=source, kind=kind, priority=index * 10, amount_tolerance_minor=amount, date_tolerance_days=days
            )


class Migration(migrations.Migration):
    dependencies = [("reconciliation", "0002_exception_last_run")]

    operations = [migrations.RunPython(create_rules, migrations.RunPython.noop)]
