-- Early warning across member organizations. A program says whether its organizations take
-- part, from how many organizations hit a count is told (k), within what window incidents are
-- linked, and who is warned (the same sector, country or program). A campaign is what the
-- incidents of two or more organizations share (an indicator, a sender, an attachment, a link
-- destination) within the window; the analysts see it with the organizations hit
-- (campaign_orgs), the warned organizations never do. campaign_warnings is one warning of one
-- organization, claimed by the notifier that sends it.

ALTER TABLE programs ADD COLUMN warn_enabled BIGINT NOT NULL DEFAULT 1;
ALTER TABLE programs ADD COLUMN warn_k BIGINT NOT NULL DEFAULT 3;
ALTER TABLE programs ADD COLUMN warn_window_hours BIGINT NOT NULL DEFAULT 72;
ALTER TABLE programs ADD COLUMN warn_scope TEXT NOT NULL DEFAULT 'sector';

CREATE TABLE campaigns (
    id TEXT PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT,
    indicators TEXT NOT NULL,
    orgs_hit BIGINT NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE campaign_orgs (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, org_id)
);

CREATE TABLE campaign_warnings (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    org_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    due_at BIGINT NOT NULL,
    sent_at BIGINT,
    PRIMARY KEY (campaign_id, org_id)
);

CREATE INDEX campaign_warnings_due ON campaign_warnings (sent_at, due_at);
