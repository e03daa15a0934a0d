-- The timeline (issue 14) lists a transaction's commands: the command
-- records that name it, found by (merchant, transaction).
CREATE INDEX commands_transaction ON commands (merchant_id, transaction_id, created_at) WHERE transaction_id IS NOT NULL;
