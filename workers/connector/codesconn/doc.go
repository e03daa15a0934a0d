// Package codesconn is the payment-codes connector (provider "codes").
// New builds, per merchant, a paycode.Client from the --codes-url base URL
// and the merchant's sealed provider account
// {"username": "...", "password": "..."} (sent as HTTP Basic authentication
// on every call), and keeps it; the connector's Prepare loads the account,
// so a merchant without one fails before anything is recorded as sent.
//
// It registers no operation yet: the payment-codes lifecycle (issue #8's
// follow-ups) brings them. Each will declare the rule below, which comes
// from the provider (shared seed 002 and package paycode):
//
//	operation  call                                     recovery
//	create     Create (POST /code/create)               Repeat
//	update     Update / UpdateAmount (PUT /code/{code}) Repeat
//	block      Block (PUT /code/{code}/block)           Repeat
//	unblock    Unblock (PUT /code/{code}/unblock)       Repeat
//	delete     Delete (DELETE /code/{code})             Repeat
//
// No call of this provider moves money: a consumer pays a code, and the
// provider says so in a payment notification (a webhook, issue #11), which
// a GET /code/{code} (status USED) confirms.
//
// Create is Repeat although the provider has no idempotency key: a create
// whose outcome is unknown may have left a code that nobody was shown, and
// the seed has no query by merchantReference, so the only recovery is to
// create another. That orphan can never be paid (its number was never
// shown) and dies at its expiry, so the lifecycle always sets an
// expiryDate (never 0, "never expires").
//
// Update, block, unblock and delete set the code to a state the call
// names, so repeating one changes nothing more. A repeated delete is
// answered 431 (code does not exist): after an unknown first attempt, the
// lifecycle reads that as done.
package codesconn
