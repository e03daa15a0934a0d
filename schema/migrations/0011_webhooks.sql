-- Merchant webhooks (issue 13, contract §5): endpoints with their own
-- secrets, one delivery per (event, endpoint), every attempt logged.
--
-- Secrets belong to endpoints, not merchants: the merchant-level secret of
-- 0001 is no longer made (existing rows keep theirs, unused).
ALTER TABLE merchants ALTER COLUMN webhook_secret DROP NOT NULL;

-- An endpoint of a merchant. The secret (whsec_…) is sealed with the instance
-- key; during a rotation the previous one is kept, sealed, until
-- previous_secret_expires_at, and both signatures are sent. event_types are
-- the filters ("charge.*", "refund.succeeded"); empty means every event.
-- A deleted endpoint keeps its row (deliveries and attempts refer to it) and
-- is neither listed nor delivered to.
CREATE TABLE webhook_endpoints (
    merchant_id                uuid NOT NULL REFERENCES merchants (id),
    id                         uuid NOT NULL,
    url                        text NOT NULL,
    description                text NOT NULL DEFAULT '',
    event_types                text[] NOT NULL DEFAULT '{}',
    secret_sealed              bytea NOT NULL,
    previous_secret_sealed     bytea,
    previous_secret_expires_at timestamptz,
    status                     text NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
    disabled_reason            text NOT NULL DEFAULT '',
    -- Set by the first failed attempt after a success (or ever), cleared by
    -- a success: 5 days of it disables the endpoint.
    failing_since              timestamptz,
    max_in_flight              integer NOT NULL DEFAULT 4 CHECK (max_in_flight > 0),
    rate_per_second            integer NOT NULL DEFAULT 20 CHECK (rate_per_second > 0),
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now(),
    deleted_at                 timestamptz,
    PRIMARY KEY (merchant_id, id)
);
CREATE INDEX webhook_endpoints_live ON webhook_endpoints (merchant_id) WHERE deleted_at IS NULL;

-- One delivery per (event, endpoint): a redelivered event finds its row.
-- payload is the event envelope exactly as published (the body sent).
-- status: pending (an attempt is due at next_attempt_at), delivered, failed
-- (the schedule ran out; replayable).
CREATE TABLE webhook_deliveries (
    merchant_id     uuid NOT NULL,
    id              uuid NOT NULL,
    endpoint_id     uuid NOT NULL,
    event_id        uuid NOT NULL,
    event_type      text NOT NULL,
    transaction_id  uuid,
    payload         bytea NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    last_status     integer,
    last_error      text NOT NULL DEFAULT '',
    event_time      timestamptz NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    PRIMARY KEY (merchant_id, id),
    CONSTRAINT webhook_deliveries_once UNIQUE (merchant_id, endpoint_id, event_id),
    FOREIGN KEY (merchant_id, endpoint_id) REFERENCES webhook_endpoints (merchant_id, id)
);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (merchant_id, event_id);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (merchant_id, endpoint_id, created_at DESC);
CREATE INDEX webhook_deliveries_failed ON webhook_deliveries (merchant_id, endpoint_id, created_at) WHERE status = 'failed';

-- Every attempt of a delivery: HTTP status (NULL when no answer came),
-- latency, the first 1 KiB of the response (valid UTF-8), or the error.
CREATE TABLE webhook_attempts (
    merchant_id   uuid NOT NULL,
    delivery_id   uuid NOT NULL,
    attempt       integer NOT NULL,
    started_at    timestamptz NOT NULL,
    latency_ms    integer NOT NULL,
    status_code   integer,
    response_head text NOT NULL DEFAULT '',
    error         text NOT NULL DEFAULT '',
    PRIMARY KEY (merchant_id, delivery_id, attempt),
    FOREIGN KEY (merchant_id, delivery_id) REFERENCES webhook_deliveries (merchant_id, id)
);
