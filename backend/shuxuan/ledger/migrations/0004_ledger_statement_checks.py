from importlib import import_module

from django.db import migrations

# Rule 1 (each entry sums to zero per currency, two or more postings, postings dated as their
# entry, postings written only in the transaction that creates their entry) checked by the posting
# statement itself wherever it can be, instead of once per entry at COMMIT.
#
# Migration 0002 wrote one scratch row per entry and one per (entry, currency) of every statement
# into ledger_entrycheck, and the commit-time check grouped, checked and deleted them all: a third
# of the bulk path's time (docs/decisions/0002-ledger-money-and-balances.md, "Bulk path").
#
# Now the scratch table holds runs of entry ids, a handful of rows per transaction:
#
# * 'r' (registered): after each INSERT statement on entries, the ids it inserted, as runs
#   [first_id, last_id]; one run when the ids are consecutive, as the bulk path's are.
# * 'c' (complete): after each INSERT statement on postings, the entries whose postings *in that
#   statement* already satisfy rule 1 on their own: registered in this transaction, at least two
#   postings, one currency summing to zero, every posting dated as the entry (read from the entry
#   row, found by its primary key). Sums add up, so postings another statement adds to such an entry
#   are judged on their own, by the same test or at COMMIT.
# * 'x' (to recheck): every other entry a posting statement touched (a leg written by itself, an
#   entry in several currencies, postings before their entry, a posting for another transaction's
#   entry). The commit-time check recomputes these entries in full from ledger_posting.
# * 'm' the marker that queues the commit-time check (as in 0002).
#
# At COMMIT `ledger_entries_balanced` refuses the transaction if an 'x' entry was not registered
# in it, has fewer than two postings, a posting dated otherwise than the entry, or a currency whose
# postings do not sum to zero; or if a registered entry is neither 'c' nor 'x' (it has no postings).
#
# The posting statement also groups its postings once by (account, currency, day) for both the
# account/currency/closed-period check and the balance-cache upsert (0002 grouped twice).
SQL = r"""
DROP TRIGGER ledger_entries_balanced ON ledger_entrycheck;
DROP TABLE ledger_entrycheck;
CREATE UNLOGGED TABLE ledger_entrycheck (
    txid bigint NOT NULL,
    kind char(1) NOT NULL CHECK (kind IN ('r', 'c', 'x', 'm')),
    first_id bigint,
    last_id bigint
);

CREATE OR REPLACE FUNCTION ledger_entry_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
    entries bigint;
    lowest bigint;
    highest bigint;
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
    SELECT count(*), min(id), max(id) INTO entries, lowest, highest FROM new_entries;
    IF entries = 0 THEN
        RETURN NULL;  -- e.g. INSERT ... ON CONFLICT DO NOTHING that conflicted
    END IF;
    IF highest - lowest + 1 = entries THEN
        INSERT INTO ledger_entrycheck (txid, kind, first_id, last_id) VALUES (txid_current(), 'r', lowest, highest);
    ELSE
        INSERT INTO ledger_entrycheck (txid, kind, first_id, last_id)
        SELECT txid_current(), 'r', min(id), max(id)
          FROM (SELECT id, id - row_number() OVER (ORDER BY id) AS run FROM new_entries) runs
         GROUP BY run;
    END IF;
    PERFORM ledger_arm_check();
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ledger_posting_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
    xid bigint := txid_current();
    registered int8multirange;
    refused bigint;
    lowest bigint;
    highest bigint;
    whole_entries bigint;
    first_whole bigint;
    last_whole bigint;
    -- Per entry of this statement: whether its postings here satisfy rule 1 on their own.
    -- $2: the entry-id runs registered by this transaction; $3, $4: this statement's entry ids.
    judged_sql constant text := $q$
        WITH per_entry AS (
            SELECT entry_id, count(*) AS postings, sum(amount) AS total,
                   min(currency COLLATE "C") AS first_currency, max(currency COLLATE "C") AS last_currency,
                   min(effective_date) AS first_date, max(effective_date) AS last_date
              FROM new_postings GROUP BY entry_id
        ), judged AS MATERIALIZED (
            SELECT p.entry_id,
                   coalesce(p.entry_id <@ $2 AND p.postings >= 2 AND p.total = 0
                            AND p.first_currency = p.last_currency
                            AND p.first_date = p.last_date AND e.effective_date = p.first_date, false) AS whole
              FROM per_entry p
              LEFT JOIN ledger_journalentry e ON e.id = p.entry_id AND e.id BETWEEN $3 AND $4
        )
    $q$;
BEGIN
    -- Accounts, currencies, closed periods and the balance cache, from one grouping of the postings
    -- by account and day (an account has one currency, so this is also the cache's grouping).
    WITH used AS MATERIALIZED (
        SELECT account_id, effective_date, min(currency COLLATE "C") AS first_currency,
               max(currency COLLATE "C") AS last_currency, sum(amount) AS amount, count(*) AS postings,
               min(entry_id) AS first_entry, max(entry_id) AS last_entry
          FROM new_postings GROUP BY account_id, effective_date
    ), judged AS MATERIALIZED (
        SELECT u.*, (a.id IS NOT NULL AND u.first_currency = a.currency AND u.last_currency = a.currency
                     AND p.period IS NULL) AS valid
          FROM used u
          LEFT JOIN ledger_account a ON a.id = u.account_id
          LEFT JOIN ledger_period p ON p.status = 'closed' AND p.period = to_char(u.effective_date, 'YYYY-MM')
    ), cached AS (
        -- Valid rows only: the statement fails below if any row is not.
        INSERT INTO ledger_accountdaytotal (account_id, day, writer, amount, postings)
        SELECT account_id, effective_date, pg_backend_pid(), amount, postings FROM judged WHERE valid
         ORDER BY account_id, effective_date
        ON CONFLICT ON CONSTRAINT ledger_day_total_unique DO UPDATE
           SET amount = ledger_accountdaytotal.amount + EXCLUDED.amount,
               postings = ledger_accountdaytotal.postings + EXCLUDED.postings
    )
    SELECT count(*) FILTER (WHERE NOT valid), min(first_entry), max(last_entry) INTO refused, lowest, highest FROM judged;
    IF lowest IS NULL THEN
        RETURN NULL;  -- the statement inserted nothing
    END IF;
    IF refused > 0 THEN
        SELECT n.account_id, n.currency, n.effective_date, a.id AS account_id_found, a.currency AS account_currency,
               p.period AS closed_period
          INTO bad
          FROM new_postings n
          LEFT JOIN ledger_account a ON a.id = n.account_id
          LEFT JOIN ledger_period p ON p.status = 'closed' AND p.period = to_char(n.effective_date, 'YYYY-MM')
         WHERE a.id IS NULL OR a.currency <> n.currency OR p.period IS NOT NULL
         LIMIT 1;
        IF bad.account_id_found IS NULL THEN
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

    -- Rule 1 for the entries whose postings this statement wrote whole ('c'); the others are
    -- rechecked at COMMIT ('x'). EXECUTE: planned for this statement's id range and row counts.
    SELECT coalesce(range_agg(int8range(c.first_id, c.last_id, '[]')), '{}') INTO registered
      FROM ledger_entrycheck c WHERE c.txid = xid AND c.kind = 'r';
    EXECUTE judged_sql || $q$
        , recheck AS (
            INSERT INTO ledger_entrycheck (txid, kind, first_id, last_id)
            SELECT $1, 'x', entry_id, entry_id FROM judged WHERE NOT whole
        )
        SELECT count(*), min(entry_id), max(entry_id) FROM judged WHERE whole
    $q$ INTO whole_entries, first_whole, last_whole USING xid, registered, lowest, highest;
    IF whole_entries > 0 AND last_whole - first_whole + 1 = whole_entries THEN
        INSERT INTO ledger_entrycheck (txid, kind, first_id, last_id) VALUES (xid, 'c', first_whole, last_whole);
    ELSIF whole_entries > 0 THEN
        -- Not one run of ids (entries of several transactions interleaved): record each run.
        EXECUTE judged_sql || $q$
            INSERT INTO ledger_entrycheck (txid, kind, first_id, last_id)
            SELECT $1, 'c', min(entry_id), max(entry_id)
              FROM (SELECT entry_id, entry_id - row_number() OVER (ORDER BY entry_id) AS run FROM judged WHERE whole) runs
             GROUP BY run
        $q$ USING xid, registered, lowest, highest;
    END IF;
    PERFORM ledger_arm_check();
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION ledger_check_entries() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bad record;
    xid bigint := txid_current();
    registered int8multirange;
    covered int8multirange;
    missing int8multirange;
BEGIN
    PERFORM set_config('shuxuan.ledger_check_armed', 'off', true);
    SELECT coalesce(range_agg(int8range(first_id, last_id, '[]')) FILTER (WHERE kind = 'r'), '{}'),
           coalesce(range_agg(int8range(first_id, last_id, '[]')) FILTER (WHERE kind IN ('c', 'x')), '{}')
      INTO registered, covered
      FROM ledger_entrycheck WHERE txid = xid AND kind <> 'm';

    -- Entries no statement could settle on its own: each read back whole, through its keys.
    IF EXISTS (SELECT 1 FROM ledger_entrycheck WHERE txid = xid AND kind = 'x') THEN
        SELECT x.entry_id, x.entry_id <@ registered AS is_registered, p.n,
               least(p.first_date, e.effective_date) AS first_date, greatest(p.last_date, e.effective_date) AS last_date
          INTO bad
          FROM (SELECT DISTINCT first_id AS entry_id FROM ledger_entrycheck WHERE txid = xid AND kind = 'x') x
          LEFT JOIN ledger_journalentry e ON e.id = x.entry_id
          CROSS JOIN LATERAL (
              SELECT count(*) AS n, min(effective_date) AS first_date, max(effective_date) AS last_date
                FROM ledger_posting WHERE entry_id = x.entry_id
          ) p
         WHERE NOT x.entry_id <@ registered OR p.n < 2
            OR least(p.first_date, e.effective_date) <> greatest(p.last_date, e.effective_date)
         ORDER BY x.entry_id
         LIMIT 1;
        IF FOUND THEN
            IF NOT bad.is_registered THEN
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
        SELECT x.entry_id, b.currency, b.total INTO bad
          FROM (SELECT DISTINCT first_id AS entry_id FROM ledger_entrycheck WHERE txid = xid AND kind = 'x') x
          CROSS JOIN LATERAL (
              SELECT currency, sum(amount) AS total FROM ledger_posting WHERE entry_id = x.entry_id
               GROUP BY currency HAVING sum(amount) <> 0
          ) b
         ORDER BY x.entry_id, b.currency
         LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'ledger entry % does not balance: its % postings sum to %', bad.entry_id, bad.currency, bad.total
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;

    -- A registered entry that no posting statement touched has no postings at all.
    missing := registered - covered;
    IF NOT isempty(missing) THEN
        RAISE EXCEPTION 'ledger entry % has 0 posting(s): an entry needs at least 2', lower(missing)
            USING ERRCODE = 'check_violation';
    END IF;
    DELETE FROM ledger_entrycheck WHERE txid = xid;
    RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entrycheck
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (NEW.kind = 'm') EXECUTE FUNCTION ledger_check_entries();
"""

# Back to 0002's per-entry scratch rows: its table, functions and triggers, recreated from its SQL.
_RULES_0002 = import_module("shuxuan.ledger.migrations.0002_ledger_rules").SQL
REVERSE = (
    "DROP TRIGGER ledger_entries_balanced ON ledger_entrycheck;"
    " DROP TABLE ledger_entrycheck;"
    " DROP TRIGGER ledger_posting_inserted ON ledger_posting;"
    " DROP TRIGGER ledger_journalentry_inserted ON ledger_journalentry;\n"
    + _RULES_0002[_RULES_0002.index("-- Scratch rows") :].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0003_account_anchor_owner")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
