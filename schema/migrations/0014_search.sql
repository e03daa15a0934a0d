-- Transaction search (issue 14): GET /v1/transactions filters a merchant's
-- transactions by reference, customer_id, type, status, provider, parent_id
-- and a created_at range, newest first (created_at DESC, id DESC), a page at
-- a time by keyset (the last row's (created_at, id), never OFFSET).
--
-- Each filter has an index that leads with merchant_id, then the filtered
-- column, then created_at DESC, id DESC: an equality on the first two gives
-- the rows already in page order, so a page reads its matching rows and
-- stops at the limit, never the merchant's whole history. The unfiltered
-- list and the from/to range use the (merchant_id, created_at DESC, id DESC)
-- one. store's TestTransactionSearchPlans checks every filter's plan over
-- 100k rows.

-- The merchant's customer_id is kept in a charge's details (charge's
-- detailCustomer). A stored generated column copies it out, so every write
-- fills it without the writers knowing, and an update that leaves it alone
-- (details change on every transition) may still be HOT, which an
-- expression index over details would forbid. Adding it rewrites the table
-- once.
ALTER TABLE transactions ADD COLUMN customer_id text GENERATED ALWAYS AS (details ->> 'customer_id') STORED;

-- The unfiltered list: replaces 0001's (merchant_id, created_at DESC, id),
-- whose mixed directions cannot give created_at DESC, id DESC in one scan
-- nor take the keyset (created_at, id) < (…) as an index condition.
CREATE INDEX transactions_merchant_recent ON transactions (merchant_id, created_at DESC, id DESC);
DROP INDEX transactions_merchant_created;

-- Children of a parent in page order: replaces 0006's (merchant_id, parent_id).
CREATE INDEX transactions_parent_recent ON transactions (merchant_id, parent_id, created_at DESC, id DESC)
    WHERE parent_id IS NOT NULL;
DROP INDEX transactions_parent;

-- transactions_reference (merchant_id, type, reference) is unique per type;
-- a search by reference alone names no type, so it gets its own.
CREATE INDEX transactions_reference_recent ON transactions (merchant_id, reference, created_at DESC, id DESC)
    WHERE reference IS NOT NULL;
CREATE INDEX transactions_customer_recent ON transactions (merchant_id, customer_id, created_at DESC, id DESC)
    WHERE customer_id IS NOT NULL;
CREATE INDEX transactions_type_recent ON transactions (merchant_id, type, created_at DESC, id DESC);
CREATE INDEX transactions_status_recent ON transactions (merchant_id, status, created_at DESC, id DESC);
CREATE INDEX transactions_provider_recent ON transactions (merchant_id, provider, created_at DESC, id DESC);
