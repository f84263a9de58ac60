from django.db import migrations

# docs/domain.md section 4, enforced by PostgreSQL whichever way rows arrive (ORM, COPY, raw SQL).
#
# Every check is set-based, once per statement, never once per row: the bulk path writes a
# million entries of four postings each, and one plpgsql call or foreign-key probe per row would
# cost more than the insert itself (docs/decisions/0002-ledger-money-and-balances.md).
#
# * Append-only: entries and postings refuse UPDATE and DELETE; accounts are never deleted and
#   never change owner, type or currency.
# * After each INSERT statement on postings (transition table): every posting's account exists
#   and has the posting's currency; no posting falls in a closed period; the balance cache
#   (ledger_accountdaytotal) is brought up to date in the same statement.
# * Rule 1 (each entry sums to zero per currency, two or more postings, postings dated as their
#   entry, postings only added in the transaction that creates their entry) is checked at COMMIT
#   by the DEFERRABLE INITIALLY DEFERRED constraint trigger `ledger_entries_balanced`. The
#   statement triggers record what each statement inserted (entry ids; per entry and currency:
#   sum and count of postings) in ledger_entrycheck, a scratch table whose rows never outlive
#   their transaction, plus one marker row per transaction; the constraint trigger fires for the
#   marker only (WHEN kind = 'm'), so a transaction pays for one set-based check at commit however
#   many rows it wrote.
# * A closing period takes SHARE ROW EXCLUSIVE on ledger_posting (services.period_close): it waits
#   for transactions that are posting and keeps new ones out until the close commits.
SQL = r"""
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: the ledger is append-only, post a reversing entry instead', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER ledger_journalentry_append_only BEFORE UPDATE OR DELETE ON ledger_journalentry
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_posting_append_only BEFORE UPDATE OR DELETE ON ledger_posting
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();

CREATE FUNCTION ledger_account_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger account % cannot be deleted', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF NEW.id <> OLD.id OR NEW.currency <> OLD.currency OR NEW.type <> OLD.type
       OR NEW.organization_id IS DISTINCT FROM OLD.organization_id
       OR NEW.owner_platform IS DISTINCT FROM OLD.owner_platform THEN
        RAISE EXCEPTION 'ledger account %: owner, type and currency never change', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER ledger_account_guard BEFORE UPDATE OR DELETE ON ledger_account
    FOR EACH ROW EXECUTE FUNCTION ledger_account_guard();

-- Scratch rows of the commit-time check. kind: 'e' an entry inserted, 'p' postings inserted
-- (per entry, currency and date), 'm' the marker that queues the check. Unlogged: the rows are
-- deleted by the check in the transaction that wrote them, so they never need to survive a crash.
CREATE UNLOGGED TABLE ledger_entrycheck (
    txid bigint NOT NULL,
    kind char(1) NOT NULL CHECK (kind IN ('e', 'p', 'm')),
    entry_id bigint,
    currency varchar(3),
    effective_date date,
    amount numeric NOT NULL DEFAULT 0,
    postings bigint NOT NULL DEFAULT 0
);

CREATE FUNCTION ledger_arm_check() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('shuxuan.ledger_check_armed', true) IS DISTINCT FROM 'on' THEN
        INSERT INTO ledger_entrycheck (txid, kind) VALUES (txid_current(), 'm');
        PERFORM set_config('shuxuan.ledger_check_armed', 'on', true);
    END IF;
END $$;

CREATE FUNCTION ledger_entry_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    SELECT n.id, n.reverses_id INTO bad FROM new_entries n
     WHERE n.reverses_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM ledger_journalentry e WHERE e.id = n.reverses_id AND e.id <> n.id)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger entry % reverses unknown entry %', bad.id, bad.reverses_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT n.id, n.created_by_id INTO bad FROM new_entries n
     WHERE n.created_by_id IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM parties_user u WHERE u.id = n.created_by_id)
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger entry % created by unknown user %', bad.id, bad.created_by_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    INSERT INTO ledger_entrycheck (txid, kind, entry_id, effective_date)
    SELECT txid_current(), 'e', id, effective_date FROM new_entries;
    PERFORM ledger_arm_check();
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_journalentry_inserted AFTER INSERT ON ledger_journalentry
    REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_inserted();

CREATE FUNCTION ledger_posting_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    WITH used AS (SELECT account_id, currency, effective_date FROM new_postings GROUP BY 1, 2, 3)
    SELECT u.account_id, u.currency, u.effective_date, a.id AS found, a.currency AS account_currency,
           p.period AS closed_period
      INTO bad
      FROM used u
      LEFT JOIN ledger_account a ON a.id = u.account_id
      LEFT JOIN ledger_period p ON p.status = 'closed' AND p.period = to_char(u.effective_date, 'YYYY-MM')
     WHERE a.id IS NULL OR a.currency <> u.currency OR p.period IS NOT NULL
     LIMIT 1;
    IF FOUND THEN
        IF bad.found IS NULL THEN
            RAISE EXCEPTION 'posting to unknown ledger account %', bad.account_id
                USING ERRCODE = 'foreign_key_violation';
        ELSIF bad.account_currency <> bad.currency THEN
            RAISE EXCEPTION 'posting currency % differs from the currency % of ledger account %',
                bad.currency, bad.account_currency, bad.account_id USING ERRCODE = 'check_violation';
        ELSE
            RAISE EXCEPTION 'posting dated % falls in closed period %', bad.effective_date, bad.closed_period
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;

    INSERT INTO ledger_accountdaytotal (account_id, day, writer, amount, postings)
    SELECT account_id, effective_date, pg_backend_pid(), sum(amount), count(*)
      FROM new_postings GROUP BY account_id, effective_date ORDER BY account_id, effective_date
    ON CONFLICT ON CONSTRAINT ledger_day_total_unique DO UPDATE
       SET amount = ledger_accountdaytotal.amount + EXCLUDED.amount,
           postings = ledger_accountdaytotal.postings + EXCLUDED.postings;

    INSERT INTO ledger_entrycheck (txid, kind, entry_id, currency, effective_date, amount, postings)
    SELECT txid_current(), 'p', entry_id, currency, effective_date, sum(amount), count(*)
      FROM new_postings GROUP BY entry_id, currency, effective_date;
    PERFORM ledger_arm_check();
    RETURN NULL;
END $$;
CREATE TRIGGER ledger_posting_inserted AFTER INSERT ON ledger_posting
    REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION ledger_posting_inserted();

CREATE FUNCTION ledger_check_entries() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
    xid bigint := txid_current();
BEGIN
    PERFORM set_config('shuxuan.ledger_check_armed', 'off', true);
    SELECT entry_id, bool_or(kind = 'e') AS registered, sum(postings) AS n,
           min(effective_date) AS first_date, max(effective_date) AS last_date
      INTO bad
      FROM ledger_entrycheck WHERE txid = xid AND kind <> 'm'
     GROUP BY entry_id
    HAVING NOT bool_or(kind = 'e') OR sum(postings) < 2 OR min(effective_date) <> max(effective_date)
     LIMIT 1;
    IF FOUND THEN
        IF NOT bad.registered THEN
            RAISE EXCEPTION 'postings for ledger entry % must be written in the transaction that creates the entry', bad.entry_id
                USING ERRCODE = 'integrity_constraint_violation';
        ELSIF bad.n < 2 THEN
            RAISE EXCEPTION 'ledger entry % has % posting(s): an entry needs at least 2', bad.entry_id, bad.n
                USING ERRCODE = 'check_violation';
        ELSE
            RAISE EXCEPTION 'ledger entry %: postings must carry the entry''s effective date (% <> %)',
                bad.entry_id, bad.first_date, bad.last_date USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    SELECT entry_id, currency, sum(amount) AS total INTO bad
      FROM ledger_entrycheck WHERE txid = xid AND kind = 'p'
     GROUP BY entry_id, currency HAVING sum(amount) <> 0
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'ledger entry % does not balance: its % postings sum to %', bad.entry_id, bad.currency, bad.total
            USING ERRCODE = 'check_violation';
    END IF;
    DELETE FROM ledger_entrycheck WHERE txid = xid;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entrycheck
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.kind = 'm') EXECUTE FUNCTION ledger_check_entries();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS ledger_posting_inserted ON ledger_posting;
DROP TRIGGER IF EXISTS ledger_journalentry_inserted ON ledger_journalentry;
DROP TRIGGER IF EXISTS ledger_posting_append_only ON ledger_posting;
DROP TRIGGER IF EXISTS ledger_journalentry_append_only ON ledger_journalentry;
DROP TRIGGER IF EXISTS ledger_account_guard ON ledger_account;
DROP TABLE IF EXISTS ledger_entrycheck;
DROP FUNCTION IF EXISTS ledger_check_entries();
DROP FUNCTION IF EXISTS ledger_posting_inserted();
DROP FUNCTION IF EXISTS ledger_entry_inserted();
DROP FUNCTION IF EXISTS ledger_arm_check();
DROP FUNCTION IF EXISTS ledger_account_guard();
DROP FUNCTION IF EXISTS ledger_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial"), ("parties", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
