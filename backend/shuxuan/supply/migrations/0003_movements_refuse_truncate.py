from django.db import migrations

# 0002 refuses UPDATE and DELETE on stock movements, but TRUNCATE fires no row trigger. Like the
# money ledger (ledger 0006), the stock ledger refuses TRUNCATE unless the session set
# `shuxuan.allow_truncate` to `on`, which only the test runner's flush does.
SQL = """
CREATE TRIGGER supply_stockmovement_no_truncate BEFORE TRUNCATE ON supply_stockmovement
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();
"""

REVERSE = "DROP TRIGGER IF EXISTS supply_stockmovement_no_truncate ON supply_stockmovement;"


class Migration(migrations.Migration):
    dependencies = [("supply", "0002_movements_append_only"), ("ledger", "0006_refuse_truncate")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
