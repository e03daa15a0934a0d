// Package webhook is the domain of merchant webhooks (contract §5, Standard
// Webhooks): endpoint secrets (whsec_…), signatures, event-type filters and
// the guard that keeps deliveries off private networks. It does no I/O but
// name resolution (CheckURL); the endpoints API (orchestrator/api) and the
// dispatcher and delivery workers (workers/webhook) build on it.
package webhook
