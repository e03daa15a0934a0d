// Package natsauth is Switchyard's NATS auth callout responder: merchants
// connect to NATS with their merchant id as the user and their API key as
// the password; nats-server asks the responder (on $SYS.REQ.USER.AUTH),
// which checks the key in PostgreSQL on every connect (no cache: a revoked
// or rotated key stops new connections at once) and answers with a user JWT
// for the merchants' account (broker.MerchantAccount, which reaches the
// streams only through service imports), limited to the merchant's own
// subjects and its own durable consumer (see Permissions).
//
// The user JWT expires at the earliest of the key's own expiry (the end of
// a rotation's overlap) and TTL (default 5 minutes): a live connection of a
// key that was revoked is closed by the server within TTL at most; when a
// system-account connection is given, the responder closes it at once,
// when the api_keys notification arrives (see Responder.Changed), and a
// rotated key's when its overlap ends.
//
// Failed authentications are limited per merchant id and per responder
// instance (Limit, default 5 per 10 s); past it, connections of that id are
// refused without a database lookup until the window ends. The outcome of
// every request is counted in switchyard_nats_auth_total{outcome}.
//
// The callout runs once per connection, never per message.
//
// Permissions do not cover a publish's reply subject. Because merchants are
// not in the streams' account, the server maps a merchant's reply and
// JetStream's publish ack is answered in the merchants' account: it can
// never be stored as another merchant's event or command (see
// TestReplyInjection). It can still reach another merchant's live, core
// subscription to its events; the durable consumer is the reliable path.
package natsauth
