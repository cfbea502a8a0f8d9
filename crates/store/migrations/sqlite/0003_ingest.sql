-- Ingestion: the spool (messages a source accepted and no worker has finished yet), the
-- dead-letter list, the analysed messages with the accounts they targeted, and where each IMAP
-- mailbox was read up to. Raw messages live in the spool only until they are analysed, and in
-- `messages.raw` only while the operator's retention window lasts.

CREATE TABLE spool (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    digest      TEXT NOT NULL,
    envelope    TEXT NOT NULL,
    raw         BLOB NOT NULL,
    received_at INTEGER NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    lease_until INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX spool_lease ON spool (lease_until, id);

CREATE TABLE dead_letters (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    digest      TEXT NOT NULL,
    envelope    TEXT NOT NULL,
    raw         BLOB NOT NULL,
    reason      TEXT NOT NULL,
    attempts    INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    failed_at   INTEGER NOT NULL
);
CREATE INDEX dead_letters_org ON dead_letters (org_id);

CREATE TABLE messages (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    digest      TEXT NOT NULL,
    source      TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    analysed_at INTEGER NOT NULL,
    -- Milliseconds from the source's acceptance to this row's commit.
    delay_ms    INTEGER NOT NULL,
    message_id  TEXT,
    sender      TEXT,
    subject     TEXT,
    verdict     TEXT NOT NULL,
    score       INTEGER NOT NULL,
    findings    TEXT NOT NULL,
    raw         BLOB,
    raw_until   INTEGER,
    UNIQUE (org_id, digest)
);
CREATE INDEX messages_org ON messages (org_id, id);
CREATE INDEX messages_raw_until ON messages (raw_until) WHERE raw_until IS NOT NULL;

CREATE TABLE message_accounts (
    message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    PRIMARY KEY (message_id, account_id)
);
CREATE INDEX message_accounts_account ON message_accounts (account_id);

CREATE TABLE imap_positions (
    source       TEXT PRIMARY KEY,
    uid_validity INTEGER NOT NULL,
    last_uid     INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
