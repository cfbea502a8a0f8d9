-- Webhook endpoints, retries with back-off, and who is told at once.

-- Where an organization's systems want incidents posted, signed per Standard Webhooks. During
-- a rotation the previous secret signs too, until previous_until.
CREATE TABLE webhook_endpoints (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    url             TEXT NOT NULL,
    description     TEXT NOT NULL,
    secret          TEXT NOT NULL,
    previous_secret TEXT,
    previous_until  BIGINT,
    -- enabled, or disabled (by its owner, or because it answered 410 Gone).
    status          TEXT NOT NULL,
    disabled_reason TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX webhook_endpoints_org ON webhook_endpoints (org_id, id);

-- A failed delivery is tried again from next_attempt_at; one that can never succeed is
-- abandoned.
ALTER TABLE notifications ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX notifications_due ON notifications (status, next_attempt_at);

-- The least severe incident told at once, without waiting for an analyst: critical, high,
-- medium, low, or none (everything waits). An organization's own setting wins over its
-- program's.
ALTER TABLE programs ADD COLUMN notify_at TEXT NOT NULL DEFAULT 'high';
ALTER TABLE organizations ADD COLUMN notify_at TEXT;

-- approved: an analyst let it be told whatever its severity. planned_at: when its
-- notifications were written down, so each incident is planned once. held: the policy keeps
-- it for the analysts, so it is not looked at again until its severity or the policy changes.
ALTER TABLE incidents ADD COLUMN approved BIGINT NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN analyst_note TEXT;
ALTER TABLE incidents ADD COLUMN planned_at BIGINT;
ALTER TABLE incidents ADD COLUMN held BIGINT NOT NULL DEFAULT 0;
CREATE INDEX incidents_status ON incidents (status, id);
