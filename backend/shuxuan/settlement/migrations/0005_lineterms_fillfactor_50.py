from django.db import migrations

# Each run rewrites every line it settles (settled_basis_minor, settled_run_id: neither indexed),
# all lines of a page in one chunk's UPDATE. The old versions are still visible to that UPDATE's
# own transaction, so a HOT update needs room on the page for a second version of every row:
# at fillfactor 80 only about 30% of the updates stayed on their page, the rest moved to another
# page and added an entry to each of the table's four indexes. At 50 every row's second version
# fits (the versions are the same size). Existing pages are not rewritten; new ones are filled to
# half. docs/decisions/0005-settlement-subledger.md has the figures.
SQL = "ALTER TABLE settlement_lineterms SET (fillfactor = 50);"
REVERSE = "ALTER TABLE settlement_lineterms SET (fillfactor = 80);"


class Migration(migrations.Migration):
    dependencies = [("settlement", "0004_leg_indexes_partial_brin")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
