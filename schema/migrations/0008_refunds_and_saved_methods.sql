-- ProcessOne sales, refunds and saved payment methods (issue 9).

-- A work item whose operation may already have reached the provider through
-- an earlier item (its result was unknown): the first claim follows the
-- operation's recovery rule (query before acting) instead of calling.
ALTER TABLE work_items ADD COLUMN recover boolean NOT NULL DEFAULT false;

-- What refunds in progress (pending, deferred, voiding, refunding) hold of a
-- charge. A refund reserves its amount on its parent when it is created and
-- moves it to refunded_amount when it succeeds, or gives it back when it
-- fails; the sum never exceeds what was charged, whatever the concurrency
-- (the parent's row lock orders the writers, this check refuses the excess).
ALTER TABLE transactions ADD COLUMN reserved_amount numeric NOT NULL DEFAULT 0;
ALTER TABLE transactions DROP CONSTRAINT transactions_refunded_within_amount;
ALTER TABLE transactions ADD CONSTRAINT transactions_refunded_within_amount
    CHECK (refunded_amount >= 0 AND reserved_amount >= 0 AND refunded_amount + reserved_amount <= amount);

-- Saved cards and bank accounts: our own id (pm_…), what may be shown of
-- it, and the provider's token sealed (bound to the merchant and the id).
-- The provider's token is never shown.
CREATE TABLE payment_methods (
    merchant_id    uuid NOT NULL REFERENCES merchants (id),
    id             text NOT NULL,
    provider       text NOT NULL,
    type           text NOT NULL,            -- card | bank_account
    customer_id    text NOT NULL DEFAULT '',
    shown          jsonb NOT NULL,           -- events.PaymentMethod: bin, last4, brand, expiry, holder
    token_sealed   bytea NOT NULL,
    transaction_id uuid NOT NULL,            -- the charge that saved it
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, id)
);

-- Each merchant's daily batch cut-off, in its time zone: a sale made before
-- it settles at it (ProcessOne closes the batch then).
ALTER TABLE merchants ADD COLUMN batch_cutoff text NOT NULL DEFAULT '00:00';   -- HH:MM, local
ALTER TABLE merchants ADD COLUMN batch_time_zone text NOT NULL DEFAULT 'UTC';  -- IANA name
