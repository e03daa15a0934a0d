-- Work items are fenced by their claim: every claim bumps attempt, and a
-- worker records "sent" (sent_attempt = its attempt) in the same statement
-- that checks the claim is still its own, just before the provider call.
-- sent_attempt = 0 means no attempt ever reached the point of sending, so
-- the call is certain not to have been made: it can be cancelled (a reject
-- that arrives first) or simply made by the next claim. Only a call marked
-- sent is recovered by the operation's rule (e.g. reversed by reference).
ALTER TABLE work_items ADD COLUMN sent_attempt integer NOT NULL DEFAULT 0;
CREATE INDEX work_items_transaction ON work_items (transaction_id, operation);
