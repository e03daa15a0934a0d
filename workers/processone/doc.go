// Package processone is the ProcessOne (One Inc) connector: a typed client
// for its REST API. The in-memory simulator of the same API is package
// processonesim; this package does not import it.
//
// # Client
//
// NewClient(Config{BaseURL, AuthenticationKey, Timeout}) returns a Client with
// one method per endpoint (CreditCardCharge, CreditCardVoid, EftDebit,
// TransactionGetByCallbackID, ...). Requests and responses use the
// provider's own field names; AuthenticationKey travels in the body and is
// filled in from Config when the request leaves it empty (the request value
// is modified). Amounts are [Amount] (a shopspring decimal) written as JSON
// numbers from their decimal digits, never through float64; an amount with
// more than two decimals is refused before sending (KindFailed).
//
// Every call goes through a provider.Caller with a time-out. Errors are
// *provider.Error:
//
//   - ResponseCode Success: nil.
//   - InvalidAuthenticationKey, MerchantDisabled, OperationNotSupportedByGateway
//     (our set-up is wrong) and GatewayInternalError ("System is down": the
//     provider answered that it failed): KindFailed, Code set.
//   - NoProcessorResponse ("authorisation timed out in the card network"):
//     KindUnknown, Code set — the issuer may have approved. Resolve it with
//     TransactionGetByCallbackID, never by repeating the call.
//   - Any other non-Success code (Declined, Call, BatchHasBeenClosed,
//     DuplicateTransaction, ...): KindDeclined with the code in Code.
//   - Time-out, reset, truncated answer, 502/503/504, or a 200 whose body
//     cannot be read: KindUnknown. Connection refused / DNS: KindFailed.
//     Other 4xx and 500: KindFailed.
//
// The decoded response is returned with a KindDeclined/KindFailed code error
// too, so the TransactionId of a declined charge can be kept. CodeOf(err)
// gives the ResponseCode; IsNotFound(err) is IncorrectTransactionId, which
// after an unknown outcome means the call never landed. The client logs one
// slog debug line per call (operation, status, ResponseCode, elapsed) and
// never a body: no card number, CVV, account number or key.
//
// Recovery rule for the orchestrator: give every Charge / Debit / Credit /
// Void / Refund a fresh CallbackId; on KindUnknown ask
// TransactionGetByCallbackID: found Successful = it happened, found Failed =
// it did not, IncorrectTransactionId = it never arrived. Reusing a
// CallbackId is answered DuplicateTransaction (package processonesim
// documents the rules it simulates), so a blind retry
// can never charge twice.
package processone
