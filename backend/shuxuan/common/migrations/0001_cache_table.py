from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):  # type: ignore[no-untyped-def]
    # The database cache backs throttling when no Redis is configured; creating it always keeps
    # every database ready for either setting.
    call_command("createcachetable", "shuxuan_cache", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []
    operations = [
        migrations.RunSQL("CREATE EXTENSION IF NOT EXISTS pg_trgm;", migrations.RunSQL.noop),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
