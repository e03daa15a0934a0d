// Package codesconn is the payment-codes connector (provider "codes").
// New builds, per merchant, a paycode.Client from the --codes-url base URL
// and the merchant's sealed provider account
// {"username": "...", "password": "...", "callback_secret": "..."}
// (username and password sent as HTTP Basic authentication on every call),
// and keeps it; the connector's Prepare loads the account, so a merchant
// without one fails before anything is recorded as sent.
//
// Operations, on a code transaction (orchestrator/code; what the code is
// asked to become is code.Pending, its number the transaction's provider
// reference) and on a payment (orchestrator/payment; its callback data is
// payment.Data):
//
//	operation   on       call                                  recovery
//	create      code     Create (POST /code/create)            ReportUnknown
//	update      code     Update (PUT /code/{code})             Repeat
//	set_amount  code     UpdateAmount (PUT /code/{code}/amount) Repeat
//	block       code     Block (PUT /code/{code}/block)        Repeat
//	unblock     code     Unblock (PUT /code/{code}/unblock)    Repeat
//	delete      code     Delete (DELETE /code/{code})          Repeat (431 = done)
//	verify      payment  Get (GET /code/{code}), read-only     Repeat
//
// Results. create OK: the provider reference is the code, Data
// {"code": "...", "expires_at": RFC 3339 | null (never)}. update and
// set_amount OK: Data {"expires_at": ...}. The provider's error statuses
// 400, 403, 431, 439, 440, 512 and 513 are Declined with the status as code
// ("431") and a sentence of its own (outcome.go); a time-out, a dropped
// connection, 500 and 502-504 are Unknown. verify is OK when GET /code/{code}
// agrees with the callback (the merchant's code, same merchant reference and
// currency, USED if use-once), Declined "not_confirmed" saying what
// disagrees, Unknown without an answer (403 and 512 included).
//
// Create is never repeated (connector.ReportUnknown): the provider has no
// idempotency key and the seed has no query by merchantReference, so a
// create whose answer was lost reports Unknown on the next claim without
// calling, and the lifecycle ends the code failed (provider_timeout). An
// orphan code the lost attempt may have left was never shown to anyone, so
// it cannot be paid, and it dies at its expiry: create always sends the
// expiry the lifecycle resolved (30 minutes by default), and 0 only when
// the merchant asked for a code that never expires.
//
// Update, set_amount, block, unblock and delete set the code to a state the
// call names, so repeating one changes nothing more. A repeated delete is
// answered 431 (code does not exist): read as done.
//
// No call of this provider moves money: a consumer pays a code, and the
// provider says so in a payment notification POSTed to
// /v1/provider-callbacks/codes?merchant=<merchant id>, signed with the
// merchant's callback_secret (callback.go); the payment it records is then
// verified against GET /code/{code}.
package codesconn
