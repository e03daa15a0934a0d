-- Hardening (issue 6, item 8).

-- A timer whose application keeps failing backs off durably: each failure
-- pushes its due_at forward by a growing delay and counts here, so that no
-- instance retries it in a hot loop and the timers due after it still fire.
-- Setting a timer anew (TimerSet) resets the count.
ALTER TABLE timers ADD COLUMN failures integer NOT NULL DEFAULT 0;
