-- Switchyard schema, version 1: merchants, provider accounts, transactions,
-- their event history, idempotency records, the outbox and durable timers.

CREATE TABLE merchants (
    id               uuid PRIMARY KEY,
    name             text NOT NULL,
    api_key_hash     bytea NOT NULL UNIQUE,       -- sha256 of the API key; the key is shown once
    api_key_prefix   text NOT NULL,               -- first characters, to tell keys apart
    webhook_secret   bytea NOT NULL,              -- sealed (AES-GCM) with the instance secret key
    confirm_deadline interval NOT NULL DEFAULT '15 minutes',
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- Credentials a merchant holds at each provider, sealed with the instance key.
CREATE TABLE provider_accounts (
    merchant_id uuid NOT NULL REFERENCES merchants (id),
    provider    text NOT NULL,
    credentials bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, provider)
);

CREATE TABLE transactions (
    id                 uuid PRIMARY KEY,
    merchant_id        uuid NOT NULL REFERENCES merchants (id),
    type               text NOT NULL,
    status             text NOT NULL,
    provider           text NOT NULL,
    amount             numeric(24, 6) NOT NULL,
    currency           char(3) NOT NULL,
    reference          text,
    parent_id          uuid REFERENCES transactions (id),
    provider_reference text,
    refunded_amount    numeric(24, 6) NOT NULL DEFAULT 0,
    reason             jsonb,                       -- {code, message, provider_code}
    metadata           jsonb NOT NULL DEFAULT '{}',
    details            jsonb NOT NULL DEFAULT '{}',  -- type-specific, never card data or secrets in clear
    version            integer NOT NULL DEFAULT 1,   -- guarded writes: UPDATE ... WHERE version = $n
    event_seq          integer NOT NULL DEFAULT 0,   -- sequence of the last event emitted
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
-- A merchant's reference identifies one charge (it is ono//connect's clientTransactionId).
CREATE UNIQUE INDEX transactions_charge_reference ON transactions (merchant_id, reference)
    WHERE type = 'charge' AND reference IS NOT NULL;
CREATE INDEX transactions_merchant_created ON transactions (merchant_id, created_at DESC, id);
CREATE INDEX transactions_parent ON transactions (parent_id) WHERE parent_id IS NOT NULL;

-- Every event a transaction emitted, in order; sequence is contiguous per transaction.
CREATE TABLE transaction_events (
    transaction_id uuid NOT NULL REFERENCES transactions (id),
    sequence       integer NOT NULL,
    event_id       uuid NOT NULL UNIQUE,
    type           text NOT NULL,
    causation_id   text,
    envelope       jsonb NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (transaction_id, sequence)
);

-- Idempotency records: one row per (merchant, command id), written in the
-- same PostgreSQL transaction as the command's effect.
CREATE TABLE commands (
    merchant_id    uuid NOT NULL,
    id             text NOT NULL,
    type           text NOT NULL,
    data_hash      bytea NOT NULL,
    transaction_id uuid,
    outcome        text NOT NULL,                -- accepted | rejected
    reason_code    text,
    reason_field   text,
    reason_message text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id)
);

-- Transactional outbox. Rows are written with the state change that caused
-- them and deleted once published. partition_key orders publication: rows of
-- one key are published in id order by one relay at a time.
CREATE TABLE outbox (
    id            bigserial PRIMARY KEY,
    partition     smallint NOT NULL,
    partition_key text NOT NULL,
    subject       text NOT NULL,
    msg_id        text NOT NULL,
    payload       bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_partition_id ON outbox (partition, id);

-- One row per outbox partition: a relay holds a partition by locking its row
-- (FOR UPDATE SKIP LOCKED) for the duration of a publish batch.
CREATE TABLE outbox_partitions (
    partition smallint PRIMARY KEY
);
INSERT INTO outbox_partitions SELECT generate_series(0, 15);

-- Durable timers: deadlines and retry schedules that outlive a request.
CREATE TABLE timers (
    transaction_id uuid NOT NULL REFERENCES transactions (id),
    kind           text NOT NULL,
    due_at         timestamptz NOT NULL,
    attempt        integer NOT NULL DEFAULT 0,
    payload        jsonb NOT NULL DEFAULT '{}',
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (transaction_id, kind)
);
CREATE INDEX timers_due ON timers (due_at);

-- Work for the workers: one row per provider call a transition asked for,
-- written in the same transaction as the transition. A worker claims rows
-- (FOR UPDATE SKIP LOCKED), bumping attempt and leasing them until
-- available_at; the transaction that commits the call's result deletes the
-- row. A row claimed again (attempt > 1) is a call that may already have
-- been made: a charge is then never repeated but reversed by reference.
CREATE TABLE work_items (
    id             bigserial PRIMARY KEY,
    transaction_id uuid NOT NULL REFERENCES transactions (id),
    merchant_id    uuid NOT NULL,
    provider       text NOT NULL,
    operation      text NOT NULL,
    by_reference   boolean NOT NULL DEFAULT false,
    version        integer NOT NULL,             -- the transaction's version that asked for it
    attempt        integer NOT NULL DEFAULT 0,
    available_at   timestamptz NOT NULL DEFAULT now(),
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX work_items_available ON work_items (available_at, id);
