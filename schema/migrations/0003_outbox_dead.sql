-- Dead letters of the outbox: rows the relay could not publish because of a
-- permanent error (e.g. over the server's max payload), and the later rows of
-- the same transaction, held behind them so that the transaction's sequence
-- never shows a gap. An operator moves them back with
-- `switchyard outbox retry`; they keep their outbox id, so they are published
-- in their original order.
CREATE TABLE outbox_dead (
    id              bigint PRIMARY KEY,          -- the row's id in the outbox
    partition       smallint NOT NULL,
    partition_key   text NOT NULL,               -- transaction id, or merchant id for a rejection of no transaction
    merchant_id     uuid,                        -- from the subject (pay.evt.<merchant_id>.<type>)
    subject         text NOT NULL,
    msg_id          text NOT NULL,
    payload         bytea NOT NULL,
    error           text NOT NULL,               -- the publish error, or which row it is held behind
    held_behind     bigint,                      -- id of the dead row of its transaction it waits for
    holds           boolean NOT NULL,            -- an event with a sequence: later rows of its key wait behind it
    created_at      timestamptz NOT NULL,        -- when the row was written to the outbox
    first_failed_at timestamptz NOT NULL,        -- when it first moved here (kept over retries)
    failed_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_dead_holding ON outbox_dead (partition_key) WHERE holds;
CREATE INDEX outbox_dead_merchant ON outbox_dead (merchant_id, id);

-- A row moved back by a retry keeps the time it first failed.
ALTER TABLE outbox ADD COLUMN first_failed_at timestamptz;
