-- Indicators an analyst judged false positives, from an incident: left out of every
-- organization's matcher from the next rebuild on, with who decided it, why, and when.

CREATE TABLE indicator_revocations (
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    incident_id TEXT,
    revoked_by TEXT,
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (kind, value)
);
