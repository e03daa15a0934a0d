-- Keys ready for distribution by merchant, and one work queue keyed by kind
-- (issue 8).
--
-- Every table that grows with payments carries merchant_id, and every
-- primary, unique and foreign key of it includes merchant_id, so that the
-- store can later be distributed by merchant (e.g. Citus, with merchant_id
-- as the distribution column) without a rewrite. Queries name the merchant
-- as well, so each is routed to one shard. schema's TestPaymentTablesKeyedByMerchant
-- lists the keys and fails on one that lacks merchant_id.

-- Foreign keys to transactions (id) go first: they depend on its primary key.
ALTER TABLE transactions       DROP CONSTRAINT transactions_parent_id_fkey;
ALTER TABLE transaction_events DROP CONSTRAINT transaction_events_transaction_id_fkey;
ALTER TABLE timers             DROP CONSTRAINT timers_transaction_id_fkey;
ALTER TABLE work_items         DROP CONSTRAINT work_items_transaction_id_fkey;

-- transactions: (merchant_id, id).
ALTER TABLE transactions DROP CONSTRAINT transactions_pkey;
ALTER TABLE transactions ADD PRIMARY KEY (merchant_id, id);
ALTER TABLE transactions ADD FOREIGN KEY (merchant_id, parent_id) REFERENCES transactions (merchant_id, id);
-- A child may change its parent in the same commit (a refund adds to its
-- charge's refunded_amount): the sum never exceeds what was charged.
ALTER TABLE transactions ADD CONSTRAINT transactions_refunded_within_amount
    CHECK (refunded_amount >= 0 AND refunded_amount <= amount);
DROP INDEX transactions_parent;
CREATE INDEX transactions_parent ON transactions (merchant_id, parent_id) WHERE parent_id IS NOT NULL;
-- A merchant's reference identifies one transaction of its type (for a
-- charge it is ono//connect's clientTransactionId). A lifecycle whose
-- references need not be unique leaves the column empty.
DROP INDEX transactions_charge_reference;
CREATE UNIQUE INDEX transactions_reference ON transactions (merchant_id, type, reference)
    WHERE reference IS NOT NULL;

-- transaction_events: (merchant_id, transaction_id, sequence).
ALTER TABLE transaction_events ADD COLUMN merchant_id uuid;
UPDATE transaction_events e SET merchant_id = t.merchant_id FROM transactions t WHERE t.id = e.transaction_id;
ALTER TABLE transaction_events ALTER COLUMN merchant_id SET NOT NULL;
ALTER TABLE transaction_events DROP CONSTRAINT transaction_events_pkey;
ALTER TABLE transaction_events ADD PRIMARY KEY (merchant_id, transaction_id, sequence);
ALTER TABLE transaction_events DROP CONSTRAINT transaction_events_event_id_key;
ALTER TABLE transaction_events ADD CONSTRAINT transaction_events_event_id_key UNIQUE (merchant_id, event_id);
ALTER TABLE transaction_events ADD FOREIGN KEY (merchant_id, transaction_id) REFERENCES transactions (merchant_id, id);

-- timers: owned by a transaction, a merchant (a daily settlement cut-off)
-- or a webhook endpoint. owner_kind says which; owner_id is its id;
-- transaction_id is set (and checked) for a transaction's timers only.
ALTER TABLE timers ADD COLUMN merchant_id uuid;
UPDATE timers m SET merchant_id = t.merchant_id FROM transactions t WHERE t.id = m.transaction_id;
ALTER TABLE timers ALTER COLUMN merchant_id SET NOT NULL;
ALTER TABLE timers ADD COLUMN owner_kind text NOT NULL DEFAULT 'transaction';
ALTER TABLE timers ADD COLUMN owner_id uuid;
UPDATE timers SET owner_id = transaction_id;
ALTER TABLE timers ALTER COLUMN owner_id SET NOT NULL;
ALTER TABLE timers DROP CONSTRAINT timers_pkey;
ALTER TABLE timers ADD PRIMARY KEY (merchant_id, owner_id, kind);
ALTER TABLE timers ALTER COLUMN transaction_id DROP NOT NULL;
ALTER TABLE timers ADD CONSTRAINT timers_transaction_owner
    CHECK ((owner_kind = 'transaction') = (transaction_id IS NOT NULL AND transaction_id = owner_id));
ALTER TABLE timers ADD FOREIGN KEY (merchant_id, transaction_id) REFERENCES transactions (merchant_id, id);

-- work_items: one queue keyed by kind (provider_call now, webhook_delivery
-- next), (merchant_id, id). A provider call belongs to a transaction; other
-- kinds carry what they need in payload.
ALTER TABLE work_items ADD COLUMN kind text NOT NULL DEFAULT 'provider_call';
ALTER TABLE work_items ADD COLUMN payload jsonb NOT NULL DEFAULT '{}';
ALTER TABLE work_items ALTER COLUMN transaction_id DROP NOT NULL;
ALTER TABLE work_items ALTER COLUMN provider SET DEFAULT '';
ALTER TABLE work_items ALTER COLUMN operation SET DEFAULT '';
ALTER TABLE work_items ALTER COLUMN version SET DEFAULT 0;
ALTER TABLE work_items ADD CONSTRAINT work_items_provider_call_transaction
    CHECK (kind <> 'provider_call' OR transaction_id IS NOT NULL);
ALTER TABLE work_items DROP CONSTRAINT work_items_pkey;
ALTER TABLE work_items ADD PRIMARY KEY (merchant_id, id);
ALTER TABLE work_items ADD FOREIGN KEY (merchant_id, transaction_id) REFERENCES transactions (merchant_id, id);
DROP INDEX work_items_available;
CREATE INDEX work_items_available ON work_items (kind, available_at, id);
DROP INDEX work_items_transaction;
CREATE INDEX work_items_transaction ON work_items (merchant_id, transaction_id, operation);

-- outbox: (merchant_id, id). The relay deletes published rows by
-- (partition, id), through outbox_partition_id.
ALTER TABLE outbox ADD COLUMN merchant_id uuid;
UPDATE outbox SET merchant_id = split_part(subject, '.', 3)::uuid;
ALTER TABLE outbox ALTER COLUMN merchant_id SET NOT NULL;
ALTER TABLE outbox DROP CONSTRAINT outbox_pkey;
ALTER TABLE outbox ADD PRIMARY KEY (merchant_id, id);

-- outbox_dead: (merchant_id, id).
UPDATE outbox_dead SET merchant_id = split_part(subject, '.', 3)::uuid WHERE merchant_id IS NULL;
ALTER TABLE outbox_dead ALTER COLUMN merchant_id SET NOT NULL;
ALTER TABLE outbox_dead DROP CONSTRAINT outbox_dead_pkey;
ALTER TABLE outbox_dead ADD PRIMARY KEY (merchant_id, id);
CREATE INDEX outbox_dead_id ON outbox_dead (id);

-- commands: transaction_id, when set, is the merchant's transaction.
-- (Not a foreign key: a rejected create records the id it would have had.)

-- Every provider call, from now on: operation, attempt, latency, outcome,
-- and the request and response with card data, secrets and credentials
-- redacted (workers/provider.Redact). Written in the same commit as the
-- call's result. The timeline reads it.
CREATE TABLE provider_calls (
    merchant_id    uuid NOT NULL,
    id             bigserial,
    transaction_id uuid NOT NULL,
    provider       text NOT NULL,
    operation      text NOT NULL,
    attempt        integer NOT NULL,
    started_at     timestamptz NOT NULL,
    latency_ms     integer NOT NULL,
    outcome        text NOT NULL,
    code           text NOT NULL DEFAULT '',
    exchanges      json NOT NULL DEFAULT '[]',    -- [{method, path, status, request, response, latency_ms, error}]; json, not jsonb: kept as written, cheaper to insert
    created_at     timestamptz NOT NULL DEFAULT now(),
    -- (merchant_id, id) is unique on its own; the key leads with the
    -- transaction so that it also serves the timeline's reads, with one
    -- index to write per call.
    -- No foreign key: a row is only ever written in the commit of its
    -- transaction's result, under that transaction's row lock, and the check
    -- would cost a lookup per call.
    PRIMARY KEY (merchant_id, transaction_id, id)
);
