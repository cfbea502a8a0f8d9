-- A password someone else chose (the first operator's one-time password) must be replaced by
-- its owner before anything else is done with the account.

ALTER TABLE users ADD COLUMN password_change_due BIGINT NOT NULL DEFAULT 0;
