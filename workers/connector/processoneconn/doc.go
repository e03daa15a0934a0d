// Package processoneconn is the ProcessOne connector. New builds, per
// merchant, a processone.Client from the --processone-url base URL and the
// merchant's sealed provider account {"authentication_key": "..."}, and
// keeps it; the connector's Prepare loads the account, so a merchant without
// one fails before anything is recorded as sent. Declaration is what it
// can do (lifecycle.Provider): sales of a card, a saved method (token) or a
// bank account, saving them, void and refund.
//
// Its operations, and the rule each declares, which comes from the
// provider (shared seed and package processone):
//
//	operation  on                  call                          recovery
//	charge     a charge            CreditCardCharge / EftDebit   QueryFirst
//	void       a refund (child)    CreditCardVoid / EftVoid      QueryFirst
//	refund     a refund (child)    CreditCardRefund / EftRefund  QueryFirst
//
// charge reads the payment method the merchant sent (sealed on the
// charge): a card → CreditCard/Charge, a bank account → Eft/Debit, both
// with Save when the charge asked to save it (charge.SaveAs); a token (our
// pm_ id) → the payment_methods row, its provider token unsealed, charged
// with CreditCard/Charge or Eft/Debit by the row's type. An unknown pm_ id
// is Failed, payment_method_not_found, before anything is sent. A charge
// that saved its method writes the row (the token sealed to merchant and
// pm_ id, secret.PaymentMethodTokenAAD) before its result is returned. void
// and refund act on the refund's parent charge by its ProviderReference,
// the card or EFT call chosen by how the charge was paid; a refund of less
// than the charge sends PartialRefundAmount.
//
// Every answer goes through one table of ResponseCodes (outcome.go):
// Success is approved; issuer, validation and ProcessOne's rule refusals
// are declined with the code kept; gateway and configuration errors fail;
// NoProcessorResponse is unknown; BatchHasBeenClosed and
// BatchHasNotBeenClosed are declines that also say the sale's batch has
// closed or not (lifecycle.Result.Batch). A call without a ProcessOne answer
// (time-out, reset, 5xx) is classed by connector.ResultOf.
//
// QueryFirst, the ProcessOne way: every attempt of an operation sends the
// same CallbackId, <transaction id>:<operation> (CallbackID), never one
// derived from the attempt, so that ProcessOne itself refuses a second one
// (DuplicateTransaction): a blind repeat cannot charge twice, and a void
// then a refund of one refund never collide. When an earlier attempt may
// have reached ProcessOne, Recover asks TransactionGetByCallbackID with that
// CallbackId before acting:
//
//   - found, Successful (or since voided, returned, reversed): it happened;
//     approved, with the found TransactionId as the provider reference
//     (and, for a charge that saves, the found token saved);
//   - found, Failed or Canceled: it did not; declined (the record keeps no
//     ResponseCode: code Declined);
//   - found, in process: unknown;
//   - IncorrectTransactionId (processone.IsNotFound): it never arrived;
//     Recover makes the call (same CallbackId);
//   - anything else (time-out, 5xx): unknown, asked again on the next claim.
//
// A DuplicateTransaction answer to a call is answered by the same query,
// never as a decline of this call: found is the result as above (a failed
// one keeps the code DuplicateTransaction: the seed's duplicate test rows),
// not found is a decline (a duplicate of another payment).
// NoProcessorResponse (the card network timed out) is unknown, and is
// resolved by the query, never by repeating the call.
package processoneconn
