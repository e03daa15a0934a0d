-- Settlement at each merchant's daily batch cut-off (issue 9): one timer per
-- merchant (owner_kind 'merchant', kind 'batch_cutoff') lists, when it fires,
-- the merchant's charges still succeeded and its deferred refunds. These
-- partial indexes hold only those rows, so a firing reads its batch and not
-- the merchant's whole history.
CREATE INDEX transactions_succeeded_charges ON transactions (merchant_id, created_at, id)
    WHERE type = 'charge' AND status = 'succeeded';
CREATE INDEX transactions_deferred ON transactions (merchant_id, created_at, id)
    WHERE status = 'deferred';
