-- The first finished answer to an HTTP command request, kept so that a
-- repeat with the same Idempotency-Key and the same body gets that answer
-- back verbatim (contract §4: "a repeat of a finished request returns the
-- first answer"), not the transaction as it is by then.
--
-- "Finished" means the command is committed (it has its row in commands):
-- the answer is its rejection, or the transaction as the API showed it
-- (after Prefer: wait, when asked). A 202 "accepted, not committed yet" is
-- not kept: a repeat of it gets the first finished answer instead.
--
-- The body is the API's own JSON (a problem or the transaction resource),
-- which never holds card data; it is bounded so that a row stays small.
CREATE TABLE http_answers (
    merchant_id     uuid NOT NULL,
    idempotency_key text NOT NULL,
    status          smallint NOT NULL,
    content_type    text NOT NULL,
    location        text NOT NULL DEFAULT '',
    body            bytea NOT NULL CHECK (octet_length(body) <= 262144),
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, idempotency_key),
    FOREIGN KEY (merchant_id, idempotency_key) REFERENCES commands (merchant_id, id) ON DELETE CASCADE
);
