// Package processoneconn is the ProcessOne connector. New builds, per
// merchant, a processone.Client from the --processone-url base URL and the
// merchant's sealed provider account {"authentication_key": "..."}, and
// keeps it; the connector's Prepare loads the account, so a merchant without
// one fails before anything is recorded as sent.
//
// It registers no operation yet: the ProcessOne lifecycle (charge, then
// refund or void, issue #8's follow-ups) brings them. Each will declare the
// rule below, which comes from the provider (shared seed and package
// processone):
//
//	operation  call                          recovery
//	charge     CreditCardCharge / EftDebit   QueryFirst
//	void       CreditCardVoid / EftVoid      QueryFirst
//	refund     CreditCardRefund / EftRefund  QueryFirst
//
// QueryFirst, the ProcessOne way: every attempt of an operation sends the
// same CallbackId, derived from the transaction and the operation (never
// from the attempt), so that ProcessOne itself refuses a second one
// (DuplicateTransaction): a blind repeat cannot charge twice. When an
// earlier attempt was recorded as sent, Recover asks
// TransactionGetByCallbackID with that CallbackId before acting:
//
//   - found, Successful: it happened; the result is approved, with the
//     found TransactionId as the provider reference;
//   - found, Failed: it did not; the result is the found decline;
//   - IncorrectTransactionId (processone.IsNotFound): it never arrived;
//     Recover makes the call (same CallbackId);
//   - anything else (time-out, 5xx): unknown, asked again on the next claim.
//
// NoProcessorResponse (the card network timed out) is unknown too, and is
// resolved by the same query, never by repeating the call.
package processoneconn
