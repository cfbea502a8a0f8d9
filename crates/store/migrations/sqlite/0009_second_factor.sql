-- A second factor for signing in: passkeys (WebAuthn public keys) and authenticator apps
-- (TOTP), with one-time recovery codes kept as SHA-256 digests. A session remembers whether
-- its second factor was given and holds the one challenge a passkey must sign. A program may
-- require a second factor of its organizations' people; the operator's staff always need one.

CREATE TABLE second_factors (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    label         TEXT NOT NULL,
    credential_id TEXT UNIQUE,
    secret        TEXT NOT NULL,
    counter       INTEGER NOT NULL DEFAULT 0,
    confirmed     INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    last_used_at  INTEGER
);
CREATE INDEX second_factors_user ON second_factors (user_id);

CREATE TABLE recovery_codes (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    digest  TEXT NOT NULL,
    PRIMARY KEY (user_id, digest)
);

ALTER TABLE sessions ADD COLUMN second_factor_passed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN challenge TEXT;
ALTER TABLE programs ADD COLUMN second_factor_required INTEGER NOT NULL DEFAULT 0;
