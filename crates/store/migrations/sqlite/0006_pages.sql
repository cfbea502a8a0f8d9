-- What the operator's dashboard reads: the notifications of the last days.

CREATE INDEX notifications_created ON notifications (created_at);
