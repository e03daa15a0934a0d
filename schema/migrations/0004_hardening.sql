-- Hardening (issue 6, item 8).

-- A timer whose application keeps failing backs off durably: each failure
-- pushes its due_at forward by a growing delay and counts here, so that no
-- instance retries it in a hot loop and the timers due after it still fire.
-- Setting a timer anew (TimerSet) resets the count.
ALTER TABLE timers ADD COLUMN failures integer NOT NULL DEFAULT 0;

-- Merchants' API keys, so that a key can be rotated (with an overlap during
-- which the old key still works) and revoked. Only the SHA-256 of a key is
-- kept; prefix (its first characters, shown with it once) names it for
-- revocation. A key is valid while revoked_at IS NULL and expires_at is NULL
-- or in the future. Every change NOTIFYs switchyard_api_keys in its own
-- transaction, so that every API instance drops its cached keys.
CREATE TABLE api_keys (
    merchant_id uuid NOT NULL REFERENCES merchants (id),
    key_hash    bytea NOT NULL,
    prefix      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz,
    revoked_at  timestamptz,
    PRIMARY KEY (merchant_id, key_hash)
);
CREATE UNIQUE INDEX api_keys_key_hash ON api_keys (key_hash);
CREATE UNIQUE INDEX api_keys_merchant_prefix ON api_keys (merchant_id, prefix);

INSERT INTO api_keys (merchant_id, key_hash, prefix, created_at)
    SELECT id, api_key_hash, api_key_prefix, created_at FROM merchants;

-- The keys now live in api_keys. The old columns stay (nullable, no longer
-- written or read) so that an instance of the previous version still running
-- during a rolling upgrade keeps working; a later migration drops them.
ALTER TABLE merchants ALTER COLUMN api_key_hash DROP NOT NULL,
                      ALTER COLUMN api_key_prefix DROP NOT NULL,
                      DROP CONSTRAINT merchants_api_key_hash_key;
