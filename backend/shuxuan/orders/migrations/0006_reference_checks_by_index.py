from django.db import migrations

# The reference checks of 0004 probed every row of a statement against its parent, and let the
# planner choose how. PL/pgSQL keeps a statement's plan for the life of the connection, so a plan
# made while orders_orderline was nearly empty (a seq scan of it inside a nested loop) was kept
# as the table grew: quadratic, 215 s instead of about 16 s for a 50,000-line import in CI. Now
# each reference's distinct values are probed through the parent's primary key, with sequential
# scans, hash and merge joins off for the function, so the plan is the same whatever the
# statistics say when it is made.

LINE_REFERENCES = (
    ("anchor_account_id", "parties_anchoraccount"),
    ("anchor_id", "parties_anchor"),
    ("mcn_binding_id", "parties_mcnbinding"),
    ("mcn_id", "parties_organization"),
    ("sku_id", "catalog_sku"),
    ("first_batch_id", "orders_importbatch"),
    ("last_batch_id", "orders_importbatch"),
)
EVENT_REFERENCES = (("line_id", "orders_orderline"), ("batch_id", "orders_importbatch"))


def check_function(name: str, owner: str, references: tuple[tuple[str, str], ...], key: str) -> str:
    """A trigger function raising foreign_key_violation for the first row of the statement with a
    reference that does not resolve.

    Each reference's distinct values are probed through the parent's primary key. The function
    runs with hash and merge joins and sequential scans off: with stale statistics (a table never
    ANALYZEd, or ANALYZEd while empty) the planner would otherwise seq-scan a parent that has
    grown since — once per new row in a nested loop, or once per statement in a hash join."""
    probes = " UNION ALL ".join(
        f"(SELECT '{column}' AS col, d.value FROM (SELECT DISTINCT {column} AS value FROM new_rows"
        f" WHERE {column} IS NOT NULL) d WHERE NOT EXISTS (SELECT 1 FROM {table} p WHERE p.id = d.value) LIMIT 1)"
        for column, table in references
    )
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql
    SET enable_seqscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
    bad record;
    row_id bigint;
BEGIN
    SELECT * INTO bad FROM ({probes}) probes LIMIT 1;
    IF FOUND THEN
        EXECUTE format('SELECT {key} FROM new_rows WHERE %I = $1 LIMIT 1', bad.col) INTO row_id USING bad.value;
        RAISE EXCEPTION '{owner} %: % = % does not exist', row_id, bad.col, bad.value
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NULL;
END $$;
"""


SQL = check_function("orders_orderline_references", "order line", LINE_REFERENCES, "id") + check_function(
    "orders_orderlineevent_references", "order line event of line", EVENT_REFERENCES, "line_id"
)


class Migration(migrations.Migration):
    dependencies = [("orders", "0005_line_unfiltered_indexes_dropped")]
    # Reversed by keeping these functions: 0004's reverse drops them.
    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]
