from django.db import migrations

# Bindings are history. The only change the database accepts is ending an open binding (setting
# valid_to once); the MCN, split and start are never rewritten, and no binding is deleted.
SQL = """
CREATE FUNCTION parties_mcnbinding_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'mcn bindings are history: DELETE refused (binding %)', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.valid_to IS NOT NULL
       OR NEW.anchor_id <> OLD.anchor_id OR NEW.mcn_id <> OLD.mcn_id
       OR NEW.split_bps <> OLD.split_bps OR NEW.valid_from <> OLD.valid_from
       OR NEW.created_by_id <> OLD.created_by_id OR NEW.created_at <> OLD.created_at THEN
        RAISE EXCEPTION 'mcn bindings are history: only ending an open binding is allowed (binding %)', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER parties_mcnbinding_guard BEFORE UPDATE OR DELETE ON parties_mcnbinding
    FOR EACH ROW EXECUTE FUNCTION parties_mcnbinding_guard();
"""

REVERSE = """
DROP TRIGGER IF EXISTS parties_mcnbinding_guard ON parties_mcnbinding;
DROP FUNCTION IF EXISTS parties_mcnbinding_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("parties", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
