-- Threat-intel feeds the operator manages through the API: where each is read from, how
-- often, under which TLP and confidence, its credentials (sealed), how its last reads went,
-- and, for TAXII collections, how far the collection has been read. What a feed last read
-- successfully is kept in feed_objects (one row per STIX object of a TAXII collection, one
-- row for a whole document), so a feed that starts failing keeps its indicators.

CREATE TABLE feeds (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    credentials TEXT,
    every_minutes INTEGER NOT NULL,
    tlp TEXT NOT NULL,
    confidence INTEGER NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    changed_at INTEGER NOT NULL,
    revision INTEGER NOT NULL DEFAULT 0,
    due_at INTEGER NOT NULL,
    last_attempt_at INTEGER,
    last_success_at INTEGER,
    last_error TEXT,
    objects_read INTEGER NOT NULL DEFAULT 0,
    indicators TEXT NOT NULL DEFAULT '{}',
    rejected TEXT NOT NULL DEFAULT '[]',
    position TEXT
);

CREATE TABLE feed_objects (
    feed_id TEXT NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
    object_id TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (feed_id, object_id)
);
