from django.db import migrations

SQL = """
CREATE FUNCTION catalog_certificationdecision_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'certification decisions are append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER catalog_certificationdecision_append_only BEFORE UPDATE OR DELETE ON catalog_certificationdecision
    FOR EACH ROW EXECUTE FUNCTION catalog_certificationdecision_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS catalog_certificationdecision_append_only ON catalog_certificationdecision;
DROP FUNCTION IF EXISTS catalog_certificationdecision_append_only();
"""


def seed_categories(apps, schema_editor):  # type: ignore[no-untyped-def]
    from shuxuan.catalog.categories import categories_ensure

    categories_ensure(apps.get_model("catalog", "Category"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [
        migrations.RunSQL(SQL, REVERSE),
        migrations.RunPython(seed_categories, migrations.RunPython.noop),
    ]
