-- The schema of the last release before migrations (cb14a39), as its databases hold it.
-- Every statement is IF NOT EXISTS: on a database that release made, this changes
-- nothing; on a new one it creates everything. Never edit: add a migration instead.

CREATE TABLE IF NOT EXISTS players (
    name          TEXT PRIMARY KEY COLLATE NOCASE,
    display       TEXT NOT NULL,
    role          TEXT NOT NULL DEFAULT 'player' CHECK (role IN ('player','builder','admin')),
    created_ms    INTEGER NOT NULL,
    password_hash TEXT,
    screenreader  INTEGER NOT NULL DEFAULT 0,
    room          TEXT,
    last_login_ms INTEGER
) STRICT;

CREATE TABLE IF NOT EXISTS player_keys (
    fingerprint TEXT PRIMARY KEY,
    account     TEXT NOT NULL REFERENCES players(name),
    public_key  TEXT NOT NULL,
    added_ms    INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS inventory (
    account TEXT NOT NULL REFERENCES players(name),
    item    TEXT NOT NULL,
    count   INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (account, item)
) STRICT;

CREATE TABLE IF NOT EXISTS room_items (
    room  TEXT NOT NULL,
    item  TEXT NOT NULL,
    count INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (room, item)
) STRICT;

CREATE TABLE IF NOT EXISTS key_links (
    account    TEXT PRIMARY KEY REFERENCES players(name),
    code_hash  TEXT NOT NULL,
    expires_ms INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS world_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS ledger_meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS accounts (
        id             INTEGER PRIMARY KEY,
        name           TEXT    NOT NULL UNIQUE CHECK (length(name) BETWEEN 3 AND 120),
        kind           TEXT    NOT NULL CHECK (kind IN ('system', 'player')),
        ledger         INTEGER NOT NULL DEFAULT 1,
        allow_negative INTEGER NOT NULL DEFAULT 0 CHECK (allow_negative IN (0, 1)),
        debits_posted  INTEGER NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
        credits_posted INTEGER NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
        balance        INTEGER NOT NULL DEFAULT 0,
        created_at     INTEGER NOT NULL,
        CONSTRAINT balance_matches_posted CHECK (balance = credits_posted - debits_posted),
        CONSTRAINT no_overdraft CHECK (allow_negative = 1 OR balance >= 0)
    ) STRICT;

CREATE TABLE IF NOT EXISTS transfers (
        id                INTEGER PRIMARY KEY,
        idem_key          TEXT    NOT NULL UNIQUE CHECK (length(idem_key) BETWEEN 1 AND 200),
        debit_account_id  INTEGER NOT NULL REFERENCES accounts(id),
        credit_account_id INTEGER NOT NULL REFERENCES accounts(id),
        amount            INTEGER NOT NULL CHECK (amount > 0 AND amount <= 1000000000000000),
        ledger            INTEGER NOT NULL DEFAULT 1,
        code              INTEGER NOT NULL CHECK (code BETWEEN 100 AND 999),
        ts                INTEGER NOT NULL,
        correlation_id    TEXT,
        memo              TEXT    NOT NULL DEFAULT '' CHECK (length(memo) <= 500),
        reverses          INTEGER REFERENCES transfers(id),
        CHECK (debit_account_id <> credit_account_id),
        CONSTRAINT reversal_code CHECK ((code = 901) = (reverses IS NOT NULL))
    ) STRICT;

CREATE TABLE IF NOT EXISTS tiers (
        account       TEXT    PRIMARY KEY,
        premium_until INTEGER,
        quota_day     INTEGER NOT NULL DEFAULT 0,
        quota_used    INTEGER NOT NULL DEFAULT 0 CHECK (quota_used >= 0)
    ) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS player_skills (
    player TEXT NOT NULL COLLATE NOCASE,
    skill  TEXT NOT NULL,
    xp     INTEGER NOT NULL DEFAULT 0 CHECK (xp >= 0),
    PRIMARY KEY (player, skill)
) STRICT;

CREATE TABLE IF NOT EXISTS player_unlocks (
    player     TEXT NOT NULL COLLATE NOCASE,
    unlock     TEXT NOT NULL,
    reason     TEXT NOT NULL,
    source     TEXT NOT NULL,
    granted_ms INTEGER NOT NULL,
    PRIMARY KEY (player, unlock)
) STRICT;

CREATE TABLE IF NOT EXISTS audit_log (
    id      INTEGER PRIMARY KEY,
    ts_ms   INTEGER NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    target  TEXT NOT NULL DEFAULT '',
    reason  TEXT NOT NULL DEFAULT '',
    detail  TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE IF NOT EXISTS bans (
    kind     TEXT NOT NULL CHECK (kind IN ('account','key','address')),
    value    TEXT NOT NULL COLLATE NOCASE,
    reason   TEXT NOT NULL,
    by       TEXT NOT NULL,
    ts_ms    INTEGER NOT NULL,
    until_ms INTEGER,
    PRIMARY KEY (kind, value)
) STRICT;

CREATE TABLE IF NOT EXISTS mutes (
    account  TEXT PRIMARY KEY COLLATE NOCASE,
    reason   TEXT NOT NULL,
    by       TEXT NOT NULL,
    ts_ms    INTEGER NOT NULL,
    until_ms INTEGER
) STRICT;

CREATE TABLE IF NOT EXISTS activity (
        id       INTEGER PRIMARY KEY,
        ts       INTEGER NOT NULL,
        player   TEXT    NOT NULL,
        verb     TEXT    NOT NULL,
        room     TEXT    NOT NULL DEFAULT '',
        category TEXT    NOT NULL,
        tokens   INTEGER NOT NULL DEFAULT 0,
        ok       INTEGER NOT NULL DEFAULT 1,
        cost_ms  REAL    NOT NULL DEFAULT 0
    ) STRICT;

CREATE TABLE IF NOT EXISTS refl_cursor (
        name    TEXT PRIMARY KEY,
        last_id INTEGER NOT NULL
    ) STRICT;

CREATE TABLE IF NOT EXISTS refl_flows_daily (
        day INTEGER NOT NULL, code INTEGER NOT NULL,
        n INTEGER NOT NULL, total INTEGER NOT NULL,
        PRIMARY KEY (day, code)
    ) STRICT;

CREATE TABLE IF NOT EXISTS refl_player_daily (
        player TEXT NOT NULL, day INTEGER NOT NULL,
        actions INTEGER NOT NULL DEFAULT 0, earned INTEGER NOT NULL DEFAULT 0,
        spent INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (player, day)
    ) STRICT;

CREATE TABLE IF NOT EXISTS refl_player (
        player TEXT PRIMARY KEY, actions INTEGER NOT NULL DEFAULT 0,
        first_ts INTEGER, last_ts INTEGER
    ) STRICT;

CREATE TABLE IF NOT EXISTS refl_player_verbs (
        player TEXT NOT NULL, verb TEXT NOT NULL, category TEXT NOT NULL, n INTEGER NOT NULL,
        PRIMARY KEY (player, verb)
    ) STRICT;

CREATE TABLE IF NOT EXISTS refl_player_rooms (
        player TEXT NOT NULL, room TEXT NOT NULL,
        PRIMARY KEY (player, room)
    ) STRICT, WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS refl_hourly (
        hour INTEGER PRIMARY KEY, actions INTEGER NOT NULL, cost_ms REAL NOT NULL
    ) STRICT;

CREATE TABLE IF NOT EXISTS refl_milestones (
        player TEXT NOT NULL, milestone TEXT NOT NULL, cycle_id TEXT NOT NULL,
        reached_ms INTEGER NOT NULL,
        PRIMARY KEY (player, milestone)
    ) STRICT;

CREATE TABLE IF NOT EXISTS refl_milestone_counts (
        milestone TEXT PRIMARY KEY, n INTEGER NOT NULL
    ) STRICT;

CREATE TABLE IF NOT EXISTS refl_week (
        player TEXT PRIMARY KEY, earned INTEGER NOT NULL, spent INTEGER NOT NULL,
        cohort INTEGER NOT NULL
    ) STRICT;

CREATE TABLE IF NOT EXISTS refl_reports (
        cycle_id TEXT NOT NULL, analyst TEXT NOT NULL, created_ms INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (cycle_id, analyst)
    ) STRICT;

CREATE TABLE IF NOT EXISTS refl_insights (
        player TEXT PRIMARY KEY, cycle_id TEXT NOT NULL, body TEXT NOT NULL,
        style TEXT NOT NULL, last_ts INTEGER NOT NULL, median_gap REAL NOT NULL,
        days INTEGER NOT NULL
    ) STRICT;

CREATE TABLE IF NOT EXISTS refl_actions (
        cycle_id TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL,
        detail TEXT NOT NULL, applied_ms INTEGER,
        PRIMARY KEY (cycle_id, kind, target)
    ) STRICT;

CREATE TABLE IF NOT EXISTS refl_multipliers (
        code INTEGER PRIMARY KEY, value REAL NOT NULL, cycle_id TEXT NOT NULL
    ) STRICT;

CREATE TABLE IF NOT EXISTS refl_tuning_log (
        id INTEGER PRIMARY KEY, cycle_id TEXT NOT NULL, code INTEGER NOT NULL,
        old REAL NOT NULL, new REAL NOT NULL, reason TEXT NOT NULL, ts INTEGER NOT NULL
    ) STRICT;

CREATE TABLE IF NOT EXISTS player_forms ( player TEXT PRIMARY KEY COLLATE NOCASE, form TEXT NOT NULL CHECK (form IN ('text', 'visual')), changed_ms INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS quest_state (
    player     TEXT NOT NULL COLLATE NOCASE,
    quest      TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('active', 'done')),
    progress   TEXT NOT NULL DEFAULT '{}',
    started_ms INTEGER NOT NULL,
    done_ms    INTEGER,
    PRIMARY KEY (player, quest)
) STRICT;

CREATE INDEX IF NOT EXISTS player_keys_account ON player_keys(account);

CREATE INDEX IF NOT EXISTS transfers_ts ON transfers(ts);

CREATE INDEX IF NOT EXISTS transfers_debit_ts
        ON transfers(debit_account_id, ts, amount);

CREATE INDEX IF NOT EXISTS transfers_credit_ts
        ON transfers(credit_account_id, ts, amount);

CREATE UNIQUE INDEX IF NOT EXISTS transfers_reverses
        ON transfers(reverses) WHERE reverses IS NOT NULL;

CREATE INDEX IF NOT EXISTS audit_log_target ON audit_log(target COLLATE NOCASE);

CREATE INDEX IF NOT EXISTS activity_ts ON activity(ts);

CREATE INDEX IF NOT EXISTS refl_player_daily_day ON refl_player_daily(day);

CREATE INDEX IF NOT EXISTS refl_player_last ON refl_player(last_ts);

CREATE INDEX IF NOT EXISTS refl_insights_standing
        ON refl_insights(last_ts, style, median_gap, days, player);

CREATE TRIGGER IF NOT EXISTS transfers_post AFTER INSERT ON transfers BEGIN
        UPDATE accounts SET debits_posted = debits_posted + NEW.amount,
                            balance = balance - NEW.amount
         WHERE id = NEW.debit_account_id;
        UPDATE accounts SET credits_posted = credits_posted + NEW.amount,
                            balance = balance + NEW.amount
         WHERE id = NEW.credit_account_id;
    END;

CREATE TRIGGER IF NOT EXISTS transfers_reversal_mirrors BEFORE INSERT ON transfers
    WHEN NEW.reverses IS NOT NULL BEGIN
        SELECT RAISE(ABORT, 'a reversal must mirror a transfer that is not a reversal')
         WHERE NOT EXISTS (
            SELECT 1 FROM transfers o
             WHERE o.id = NEW.reverses AND o.reverses IS NULL AND o.amount = NEW.amount
               AND o.debit_account_id = NEW.credit_account_id
               AND o.credit_account_id = NEW.debit_account_id);
    END;

CREATE TRIGGER IF NOT EXISTS transfers_no_update BEFORE UPDATE ON transfers
    BEGIN SELECT RAISE(ABORT, 'transfers are append-only'); END;

CREATE TRIGGER IF NOT EXISTS transfers_no_delete BEFORE DELETE ON transfers
    BEGIN SELECT RAISE(ABORT, 'transfers are append-only'); END;

CREATE TRIGGER IF NOT EXISTS accounts_no_delete BEFORE DELETE ON accounts
    BEGIN SELECT RAISE(ABORT, 'accounts cannot be deleted'); END;

CREATE TRIGGER IF NOT EXISTS accounts_immutable
    BEFORE UPDATE OF id, name, kind, ledger, allow_negative, created_at ON accounts
    BEGIN SELECT RAISE(ABORT, 'account identity is immutable'); END;

CREATE TRIGGER IF NOT EXISTS accounts_posted_monotone
    BEFORE UPDATE OF debits_posted, credits_posted ON accounts
    WHEN NEW.debits_posted < OLD.debits_posted OR NEW.credits_posted < OLD.credits_posted
    BEGIN SELECT RAISE(ABORT, 'posted totals only grow'); END;

CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
