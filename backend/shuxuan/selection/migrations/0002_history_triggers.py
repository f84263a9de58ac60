from django.db import migrations

SQL = """
CREATE FUNCTION selection_planrateversion_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'plan rate versions are append-only: % refused', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER selection_planrateversion_append_only BEFORE UPDATE OR DELETE ON selection_planrateversion
    FOR EACH ROW EXECUTE FUNCTION selection_planrateversion_append_only();

CREATE FUNCTION selection_pick_terms_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'picks are history: DELETE refused' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.frozen_at IS NOT NULL AND (
        NEW.plan_id IS DISTINCT FROM OLD.plan_id OR NEW.version_id IS DISTINCT FROM OLD.version_id
        OR NEW.rate_bps IS DISTINCT FROM OLD.rate_bps OR NEW.ads_rate_bps IS DISTINCT FROM OLD.ads_rate_bps
        OR NEW.plan_type IS DISTINCT FROM OLD.plan_type OR NEW.frozen_at IS DISTINCT FROM OLD.frozen_at
        OR NEW.anchor_id IS DISTINCT FROM OLD.anchor_id OR NEW.sku_id IS DISTINCT FROM OLD.sku_id
    ) THEN
        RAISE EXCEPTION 'a pick''s frozen terms never change (pick %)', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER selection_pick_terms_frozen BEFORE UPDATE OR DELETE ON selection_pick
    FOR EACH ROW EXECUTE FUNCTION selection_pick_terms_frozen();
"""

REVERSE = """
DROP TRIGGER IF EXISTS selection_pick_terms_frozen ON selection_pick;
DROP FUNCTION IF EXISTS selection_pick_terms_frozen();
DROP TRIGGER IF EXISTS selection_planrateversion_append_only ON selection_planrateversion;
DROP FUNCTION IF EXISTS selection_planrateversion_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("selection", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
