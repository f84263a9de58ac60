from django.db import migrations

# Settled legs are the settlement sub-ledger: append-only like the ledger's postings (a mistake is
# corrected by a later run's difference, never by editing a posted leg).
SQL = r"""
CREATE FUNCTION settlement_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: settled legs are append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER settlement_settledleg_append_only BEFORE UPDATE OR DELETE ON settlement_settledleg
    FOR EACH ROW EXECUTE FUNCTION settlement_refuse_change();
-- Every run advances settled_basis_minor on its lines: room on each page keeps those updates HOT.
ALTER TABLE settlement_lineterms SET (fillfactor = 80);
"""

REVERSE = r"""
DROP TRIGGER settlement_settledleg_append_only ON settlement_settledleg;
DROP FUNCTION settlement_refuse_change();
"""

# Defaults a finance user can change: the platform's service fee when its order data reports none,
# and the after-sale window after confirmed receipt.
PLATFORMS = [("douyin", 500, 7), ("kuaishou", 500, 7), ("taobao", 600, 7), ("wechat", 300, 7), ("xiaohongshu", 500, 7)]


def seed_terms(apps, schema_editor):
    PlatformTerms = apps.get_model("settlement", "PlatformTerms")
    for platform, fee, days in PLATFORMS:
        PlatformTerms.objects.get_or_create(platform=platform, defaults={"service_fee_bps": fee, "after_sale_days": days})


class Migration(migrations.Migration):
    dependencies = [("settlement", "0001_initial")]

    operations = [
        migrations.RunSQL(SQL, REVERSE),
        migrations.RunPython(seed_terms, migrations.RunPython.noop),
    ]
