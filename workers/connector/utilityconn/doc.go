// Package utilityconn is the prepaid utility (token purchase) connector.
// New builds, per merchant, a utility.Client from the --utility-url base URL
// and the merchant's sealed provider account
// {"client_id": "...", "api_key": "..."} (sent as the X-Client-Id and
// X-Api-Key headers), and keeps it; the connector's Prepare loads the
// account, so a merchant without one fails before anything is recorded as
// sent.
//
// Its operations, on a purchase transaction, each declare the rule below,
// which comes from the provider (shared seed 003 and package utility):
//
//	operation  call                                            recovery
//	purchase   Purchase (POST /tokenPurchases/{id})            RetrySameID
//	confirm    Confirm  (…/{id}/confirmations/{adviceId})      Repeat
//	reverse    Reverse  (…/{id}/reversals/{adviceId})          Repeat
//
// RetrySameID: the purchase id is the transaction's (never the attempt's),
// and every field of the request, its time included, is built from the
// PurchaseDetail the purchase lifecycle wrote at Create (details key
// "purchase"; a meter given by its track2 data has it sealed under
// "purchase_track2", never in clear) and the row's id, merchant and
// reference, so that Recover can resubmit the identical request. When
// an earlier attempt was recorded as sent, Recover calls Retry
// (POST /tokenPurchases/{id}/retry) with it: the provider answers the
// tokens it already issued, or issues them now if the purchase never
// arrived (or, when it declines those, answers UNABLE_TO_LOCATE_RECORD, a
// decline). A second POST /tokenPurchases/{id} would be declined
// DUPLICATE_RECORD, so the purchase itself is never repeated; should a Call
// get that answer all the same, it is answered by the retry (the purchase
// exists there), never taken as a decline.
//
// Outcomes (outcome.go, the one table):
//
//	purchase  2xx with tokens                 OK, Data = JSON of []Token, reference = first receipt
//	          400, 404 with an errorType      Declined, Code = errorType
//	          400 DUPLICATE_RECORD            answered by the retry
//	          time-out, reset, 5xx but 501,
//	          2xx without readable tokens     Unknown
//	          refused, 401/403, 501,
//	          404 without an errorType        Failed (nothing was vended)
//	retry     2xx with tokens                 OK, as above
//	          404 with an errorType           NotFound, Code = errorType (never received)
//	          400                             Declined, Code = errorType
//	          anything else                   Unknown: a retry that did not reach the
//	                                          provider says nothing of the purchase
//	advices   2xx OK; 400 Declined; anything else RetryLater
//
// A request that cannot be built from the transaction (no detail, an amount
// the currency cannot hold) never could have been sent by any attempt:
// Failed with code invalid_purchase. The track2 data appears in no result
// and no log; the provider-call record redacts track2Data
// (provider.Redact).
//
// Confirm and reverse are advices the provider wants repeated until it
// answers 202 or 400: Repeat, with the same advice id, AdviceID(t, op) (the
// same advice twice is 202 twice). A reversal's reason is TIMED_OUT.
// Reversing a purchase the provider never received is remembered, so a
// purchase arriving late is declined PURCHASE_REVERSED.
package utilityconn
