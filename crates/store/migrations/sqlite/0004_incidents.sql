-- Incidents: the suspicious messages of one organization that share an actor, a sender or an
-- indicator within a window, correlated into one thing to act on.

CREATE TABLE incidents (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    severity      TEXT NOT NULL,
    status        TEXT NOT NULL,
    actor         TEXT,
    title         TEXT NOT NULL,
    first_seen    INTEGER NOT NULL,
    last_seen     INTEGER NOT NULL,
    message_count INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX incidents_org ON incidents (org_id, id);

-- What an incident is recognized by: actor:<name>, sender:<address>, indicator:<kind>:<value>,
-- attachment:<sha256>.
CREATE TABLE incident_keys (
    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    org_id      TEXT NOT NULL,
    key         TEXT NOT NULL,
    PRIMARY KEY (incident_id, key)
);
CREATE INDEX incident_keys_lookup ON incident_keys (org_id, key);

CREATE TABLE incident_messages (
    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    message_id  TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    PRIMARY KEY (incident_id, message_id)
);
CREATE INDEX incident_messages_message ON incident_messages (message_id);

-- One delivery of one incident to one recipient over one channel. The idempotency key makes
-- it one row however often the notifier runs, and the text is kept from the first attempt, so
-- a retry after a crash sends the same message (same Message-ID, same words), never a second,
-- different one. Recipients are named by contact id, not address.
CREATE TABLE notifications (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    org_id      TEXT NOT NULL,
    channel     TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    idem_key    TEXT NOT NULL UNIQUE,
    subject     TEXT NOT NULL,
    body_text   TEXT NOT NULL,
    body_html   TEXT NOT NULL,
    status      TEXT NOT NULL,
    attempts    INTEGER NOT NULL,
    -- While one process is sending it, until when; a sender that died lets it run out.
    lease_until INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    created_at  INTEGER NOT NULL,
    sent_at     INTEGER
);
CREATE INDEX notifications_incident ON notifications (incident_id);
