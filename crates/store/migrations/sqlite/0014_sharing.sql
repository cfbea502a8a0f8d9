-- What forewarn shares over its TAXII server: every version of every object of its
-- collections (the operator's indicators, sightings in members' mail), in the order they were
-- added (seq), with the TLP that decides who may read it. TLP:RED objects are never stored.
-- indicator_sightings counts, per indicator of known intel, the messages it was seen in and
-- when first and last; it names no organization, account or message.

CREATE TABLE shared_objects (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    collection TEXT NOT NULL,
    object_id TEXT NOT NULL,
    object_type TEXT NOT NULL,
    version TEXT NOT NULL,
    created TEXT NOT NULL,
    date_added INTEGER NOT NULL,
    tlp TEXT NOT NULL,
    digest TEXT NOT NULL,
    latest INTEGER NOT NULL DEFAULT 1,
    body TEXT NOT NULL,
    UNIQUE (collection, object_id, version)
);

CREATE INDEX shared_objects_latest ON shared_objects (collection, latest, seq);

CREATE TABLE indicator_sightings (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    count INTEGER NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    PRIMARY KEY (kind, value)
);
