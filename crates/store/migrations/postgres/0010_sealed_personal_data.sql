-- People's names and addresses and their mailboxes' addresses are sealed at rest (see
-- crates/store/src/seal.rs): lookups by address go through a keyed hash of it, the blind
-- index, which is unique for people as their address was. The store fills both columns in
-- for rows written before, when it starts.

ALTER TABLE users ADD COLUMN email_index TEXT;
CREATE UNIQUE INDEX users_email_index ON users (email_index);
ALTER TABLE accounts ADD COLUMN address_index TEXT;
CREATE INDEX accounts_address_index ON accounts (address_index);
