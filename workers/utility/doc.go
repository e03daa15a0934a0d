// Package utility is the connector for prepaid utility token purchases
// (electricity, water, gas): a typed client of the provider's API (shared
// seed 003). The in-memory simulator of the same API is package utilitysim;
// this package does not import it.
//
// # API
//
//	POST /tokenPurchases/{purchaseId}                                 → 201 PurchaseResponse
//	POST /tokenPurchases/{purchaseId}/retry                           → 202 PurchaseResponse
//	POST /tokenPurchases/{purchaseId}/confirmations/{confirmationId}  → 202
//	POST /tokenPurchases/{purchaseId}/reversals/{reversalId}          → 202
//
// Every call carries the merchant's credentials in the X-Client-Id
// (client_id) and X-Api-Key (api_key) headers. Neither is ever logged:
// [Credentials] redacts itself in String, GoString and LogValue, and the
// client logs only the operation, purchase id, status and outcome kind.
//
// # Outcomes
//
// Purchase and Retry: 2xx with tokens is success. 400 is [provider.KindDeclined]
// with Code = the provider's errorType ([ErrMeterBlocked], [ErrUnknownMeter],
// [ErrAmountTooSmall], [ErrDuplicate], ...); 404 with an errorType is declined
// too (a retry of a purchase the provider never received, when it declines
// those). A time-out, a reset, 500, 502, 503, 504 and a 2xx whose tokens
// cannot be read are [provider.KindUnknown]: tokens may exist, and the
// orchestrator recovers by calling Retry with the same request, which returns
// the tokens already issued. Connection refused, 401/403, 501 and a 404
// without an errorType are [provider.KindFailed]: nothing was vended.
//
// Advices (Confirm, Reverse): 2xx is done; 400 is a final
// [provider.KindDeclined]; every other status is [provider.KindRetryLater], and
// transport errors keep the Caller's classification. The provider wants an
// advice repeated until it answers 202 or 400: [RepeatAdvice],
// [Client.ConfirmUntilFinal] and [Client.ReverseUntilFinal] do that with a
// back-off.
//
// # Choices where the seed is silent or garbled
//
//   - Amounts: the seed shows "amount": 0 without a unit. LedgerAmount.Amount
//     is an integer in the currency's minor unit (cents), as in the
//     Electrum-style APIs this seed comes from; a fractional number is
//     rejected. [NewLedgerAmount] and [LedgerAmount.Major] convert exactly
//     with shopspring/decimal and refuse to round or to guess the exponent of
//     an unknown currency. Currency may be ISO 4217 alphabetic ("ZAR") or
//     numeric ("710").
//   - Token units, tariff rates, tax rates and slip scale factors are
//     decimals ([Number]), written as bare JSON numbers. Tax and amount in a
//     token's TaxedAmount are minor units; taxRate is a percentage.
//   - The seed's body only documents the retry; its schema is used for the
//     purchase too (the retry body is "the original token purchase request").
//     The response of both is the seed's response schema.
//   - Required fields follow the seed: id (any RFC 4122 UUID is accepted, not
//     only version 4), time, meter (meterId or track2Data), purchaseAmount,
//     originator (institution.id), client (id) and thirdPartyIdentifiers
//     (may be empty, must be present). The body id must equal {purchaseId}.
//     The msisdn pattern of the seed is unanchored at its end; the simulator
//     (utilitysim) anchors it: ^(\+?[1-9]\d{1,14}|0\d{9})$.
//   - Error bodies are not in the seed: they are [ErrorDetail]
//     {errorType, errorMessage, id, originalId, detailMessage} and the codes
//     are the Err* constants of this package.
//   - Advice bodies are not in the seed: [Advice] {id, requestId, time,
//     thirdPartyIdentifiers, transactionLabels}, plus tenders/paymentMethods for
//     a confirmation and reversalReason (TIMED_OUT, CANCELLED, FAULTY_DEVICE)
//     for a reversal. id must equal the advice id of the path and requestId
//     the purchase id.
//   - A second POST /tokenPurchases/{id} for a known id is declined with
//     DUPLICATE_RECORD (use /retry); a retry whose meter or amount differs
//     from the original is FORMAT_ERROR.
//   - A retry of a declined purchase repeats the decline. A retry of a
//     purchase never received issues new tokens, or — with the
//     retryOfUnknown=decline knob — answers 404 UNABLE_TO_LOCATE_RECORD,
//     which the client reports as declined, and keeps answering so until a
//     purchase with that id arrives: it remembers nothing of the declined
//     retry, so the purchase sent again with the same id is vended (and the
//     original, arriving later, is then a duplicate).
//   - Advices: the same advice id twice is 202 twice. Confirming a reversed
//     or declined purchase, and reversing a confirmed one, is 400
//     INVALID_ADVICE. Confirming an unknown purchase is 404 (the client keeps
//     repeating: the purchase may still arrive). Reversing an unknown purchase
//     is 202 and is remembered: the purchase or its retry arriving later is
//     declined with PURCHASE_REVERSED, and no tokens are issued.
//   - 500 on a purchase is treated as unknown rather than failed: a vend is
//     cheap to recover with Retry and expensive to get wrong.
package utility
