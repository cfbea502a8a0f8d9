-- Enrollment: programs, organizations, their domains and security contacts, the people who use
-- forewarn, the mailboxes they opted in, their credentials, one-time confirmation tokens and the
-- audit log. Times are Unix seconds; lists are JSON arrays in text.

CREATE TABLE programs (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    sectors     TEXT NOT NULL,
    countries   TEXT NOT NULL,
    ends_on     TEXT,
    created_at  BIGINT NOT NULL
);

CREATE TABLE organizations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    sector     TEXT NOT NULL,
    country    TEXT NOT NULL,
    program_id TEXT NOT NULL REFERENCES programs (id),
    language   TEXT NOT NULL,
    status     TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE domains (
    id          TEXT PRIMARY KEY,
    org_id      TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    token       TEXT NOT NULL,
    status      TEXT NOT NULL,
    method      TEXT,
    verified_at BIGINT,
    created_at  BIGINT NOT NULL,
    UNIQUE (org_id, name)
);
-- A domain belongs to at most one organization once verified.
CREATE UNIQUE INDEX domains_verified_name ON domains (name) WHERE status = 'verified';

CREATE TABLE contacts (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    language   TEXT NOT NULL,
    channels   TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX contacts_org ON contacts (org_id);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    org_id        TEXT REFERENCES organizations (id) ON DELETE CASCADE,
    role          TEXT NOT NULL,
    name          TEXT NOT NULL,
    email         TEXT UNIQUE,
    password_hash TEXT,
    status        TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
CREATE INDEX users_org ON users (org_id);

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    address       TEXT,
    status        TEXT NOT NULL,
    terms_version TEXT,
    consented_at  BIGINT,
    revoked_at    BIGINT,
    created_at    BIGINT NOT NULL
);
CREATE INDEX accounts_org ON accounts (org_id);
CREATE INDEX accounts_user ON accounts (user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE confirmations (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    object_id  TEXT NOT NULL,
    org_id     TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE audit_events (
    id          TEXT PRIMARY KEY,
    at          BIGINT NOT NULL,
    actor_id    TEXT,
    org_id      TEXT,
    action      TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id   TEXT NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX audit_events_org ON audit_events (org_id);
