// Package utilityconn is the prepaid utility (token purchase) connector.
// New builds, per merchant, a utility.Client from the --utility-url base URL
// and the merchant's sealed provider account
// {"client_id": "...", "api_key": "..."} (sent as the X-Client-Id and
// X-Api-Key headers), and keeps it; the connector's Prepare loads the
// account, so a merchant without one fails before anything is recorded as
// sent.
//
// It registers no operation yet: the retry-purchase lifecycle (issue #8's
// follow-ups) brings them. Each will declare the rule below, which comes
// from the provider (shared seed 003 and package utility):
//
//	operation  call                                            recovery
//	purchase   Purchase (POST /tokenPurchases/{id})            RetrySameID
//	confirm    Confirm  (…/{id}/confirmations/{adviceId})      Repeat
//	reverse    Reverse  (…/{id}/reversals/{adviceId})          Repeat
//
// RetrySameID: the purchase id is the transaction's (never the attempt's),
// and every field of the request, its time included, is derived from the
// transaction row, so that Recover can resubmit the identical request. When
// an earlier attempt was recorded as sent, Recover calls Retry
// (POST /tokenPurchases/{id}/retry) with it: the provider answers the
// tokens it already issued, or issues them now if the purchase never
// arrived (or, when it declines those, answers UNABLE_TO_LOCATE_RECORD, a
// decline). A second POST /tokenPurchases/{id} would be declined
// DUPLICATE_RECORD, so the purchase itself is never repeated.
//
// Confirm and reverse are advices the provider wants repeated until it
// answers 202 or 400: Repeat, with the same advice id (the same advice twice
// is 202 twice). Reversing a purchase the provider never received is
// remembered, so a purchase arriving late is declined PURCHASE_REVERSED.
package utilityconn
