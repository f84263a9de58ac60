from django.db import migrations

# An order line's events are its history (docs/domain.md sections 4 and 5): the database refuses to
# change or delete one, whichever way the statement arrives. A correction is a new event.
# TRUNCATE stays possible for the test runner's flush (it needs table ownership).
SQL = """
CREATE FUNCTION orders_orderlineevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'order line events are append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER orders_orderlineevent_append_only BEFORE UPDATE OR DELETE ON orders_orderlineevent
    FOR EACH ROW EXECUTE FUNCTION orders_orderlineevent_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS orders_orderlineevent_append_only ON orders_orderlineevent;
DROP FUNCTION IF EXISTS orders_orderlineevent_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
