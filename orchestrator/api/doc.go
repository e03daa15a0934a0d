// Package api is the HTTP API of §4 of the contract. Commands sent over HTTP
// take the same path as NATS commands: the handler publishes the command to
// PAY_COMMANDS (Nats-Msg-Id = Idempotency-Key) and waits for intake to commit
// it, then answers with the transaction resource (202), or with an RFC 9457
// problem when the command was rejected. `Prefer: wait=N` (N ≤ 30) waits
// until the transaction leaves its in-flight statuses.
//
// A merchant authenticates with `Authorization: Bearer <API key>`; every read
// and every command is scoped to that merchant, so another merchant's
// transaction is answered 404, exactly as one that does not exist.
//
// Webhook endpoints (§5) are not commands: POST /v1/webhook-endpoints
// writes the endpoint to PostgreSQL at once and answers 201 with its
// secret, which no other answer shows. Its Idempotency-Key names the
// endpoint (its id is derived from the merchant and the key), so a repeat
// finds it and answers it again; the endpoint keeps the hash of the request
// that made it to tell a repeat from a reuse of the key (422).
//
// Two routes are not commands of a merchant. POST
// /v1/provider-callbacks/{provider} takes a provider's callback: the
// provider's ProviderCallback (Config.Callbacks, implemented beside its
// connector) authenticates it and makes the internal command, applied by
// engine.HandleProviderCommand (callback.go). GET /v1/codes/{id}/qr is the
// QR image (PNG or SVG) of a payment code's provider code (qr.go).
package api
