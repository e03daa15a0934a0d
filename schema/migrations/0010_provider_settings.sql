-- Per-merchant provider settings (issue 10), keyed by provider name: what a
-- lifecycle may vary per merchant and is not secret (the utility provider's
-- retry schedule, resend_on_not_found, dual_message). Credentials stay
-- sealed in provider_accounts. The purchase lifecycle snapshots its
-- provider's settings into each purchase when it is created.
ALTER TABLE merchants ADD COLUMN provider_settings jsonb NOT NULL DEFAULT '{}';
