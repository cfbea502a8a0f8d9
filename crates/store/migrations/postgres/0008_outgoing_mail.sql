-- The mail forewarn sends on a person's request (confirmation links, invitations, postmaster
-- mail, test notifications), counted per organization and per destination so that no one
-- makes it mail without limit; and the destinations it must not mail at all because they
-- bounced or complained. A destination is the SHA-256 of the lower-case address: neither
-- table holds an address.

CREATE TABLE mail_sent (
    org_id      TEXT,
    destination TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    sent_at     BIGINT NOT NULL
);
CREATE INDEX mail_sent_org ON mail_sent (org_id, sent_at);
CREATE INDEX mail_sent_destination ON mail_sent (destination, sent_at);

CREATE TABLE suppressions (
    destination TEXT PRIMARY KEY,
    reason      TEXT NOT NULL,
    added_at    BIGINT NOT NULL
);
