from django.db import migrations

# Stock movements are history (docs/domain.md section 4): the database refuses to change or delete one.
# Mistakes are corrected by new movements (a return, an adjustment). TRUNCATE is refused by 0003.
SQL = """
CREATE FUNCTION supply_stockmovement_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'stock movements are append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER supply_stockmovement_append_only BEFORE UPDATE OR DELETE ON supply_stockmovement
    FOR EACH ROW EXECUTE FUNCTION supply_stockmovement_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS supply_stockmovement_append_only ON supply_stockmovement;
DROP FUNCTION IF EXISTS supply_stockmovement_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("supply", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
