from django.db import migrations

# The row triggers of 0002 refuse UPDATE and DELETE, but TRUNCATE fires no row trigger: one
# statement (or a TRUNCATE ... CASCADE on the accounts) would have emptied the book of record.
# A statement-level BEFORE TRUNCATE trigger refuses it on every table that holds the ledger's
# history or its controls, unless the session has said it means it by setting
# `shuxuan.allow_truncate` to `on` — which only the test runner does (its flush between
# transactional tests empties every table with one TRUNCATE); shuxuan/testing/plugin.py sets it.
# TRUNCATE ... CASCADE fires the trigger of every table it reaches, so a cascade from a table
# without the guard is refused here too.
TABLES = ("ledger_journalentry", "ledger_posting", "ledger_accountdaytotal", "ledger_account", "ledger_period")

SQL = """
CREATE FUNCTION ledger_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('shuxuan.allow_truncate', true), '') <> 'on' THEN
        RAISE EXCEPTION 'TRUNCATE on % refused: its rows are history, corrected only by new ones (a reversing entry, a return, an adjustment)', TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;
""" + "".join(
    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
    " FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_truncate();\n"
    for table in TABLES
)

REVERSE = "".join(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS ledger_refuse_truncate();\n"
)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0005_entry_source_index_no_dedup")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
