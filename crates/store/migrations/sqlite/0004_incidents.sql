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
