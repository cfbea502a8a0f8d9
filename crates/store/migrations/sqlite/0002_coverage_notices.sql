-- Which organizations were told that their program's coverage ends, for which end date: each
-- is told once per end date, however often the check runs.
CREATE TABLE coverage_notices (
    org_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    ends_on TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (org_id, ends_on)
);
