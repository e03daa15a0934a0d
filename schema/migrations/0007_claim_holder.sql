-- A claim names its holder: the executor instance that made it, by the id
-- of the session-level advisory lock, pg_advisory_lock(class, holder), that
-- the instance holds on a connection of its own for as long as it lives.
-- When that lock is free, the holder's session is gone (its process died,
-- or its host did and TCP keepalives ended the session), and its claims are
-- made available at once instead of when their lease runs out. The lock is
-- only a hint on top of the lease and the fencing token (attempt): the next
-- claim still bumps attempt, so a holder that is in fact alive changes
-- nothing with its stale claim, and a call it had marked sent is recovered
-- by its operation's rule, never repeated.
-- NULL: held by no named holder (never claimed, handed back for later, or
-- claimed before this migration); such an item waits for its lease.
ALTER TABLE work_items ADD COLUMN claimed_by integer;
-- The pass over gone holders' claims reads the claimed items only: few (the
-- calls in flight), however long the queue.
CREATE INDEX work_items_claimed ON work_items (claimed_by) WHERE claimed_by IS NOT NULL;
