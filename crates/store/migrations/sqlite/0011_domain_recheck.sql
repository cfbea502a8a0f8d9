-- Verified domains are checked again now and then (the TXT record, or a fresh postmaster
-- link): when they were last found proved, and when a postmaster link for that was mailed.
-- A domain that fails is 'lapsed', and mail on it is refused until it is verified again.

ALTER TABLE domains ADD COLUMN checked_at INTEGER;
ALTER TABLE domains ADD COLUMN recheck_requested_at INTEGER;
UPDATE domains SET checked_at = verified_at WHERE status = 'verified';
