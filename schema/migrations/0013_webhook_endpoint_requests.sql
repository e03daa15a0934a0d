-- The request that created a webhook endpoint (issue 13). POST
-- /v1/webhook-endpoints takes an Idempotency-Key and derives the endpoint's
-- id from it; request_hash is the SHA-256 of the request as understood (its
-- URL, description, filters and limits after defaults), so that a repeat
-- with the same body answers the same endpoint and a reuse of the key with
-- another body is refused (422 idempotency_conflict). Rows made before it
-- have none (NULL: no repeat of theirs is recognised as the same request).
ALTER TABLE webhook_endpoints ADD COLUMN request_hash bytea;
