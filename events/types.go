package events

// Command types.
const (
	ChargeCreate  = "charge.create"
	ChargeConfirm = "charge.confirm"
	ChargeReject  = "charge.reject"
	RefundCreate  = "refund.create"
)

// Transaction types.
const (
	TypeCharge = "charge"
	TypeRefund = "refund"
)

// Transaction statuses (§3 of the contract).
const (
	StatusPending           = "pending"
	StatusAuthorized        = "authorized"
	StatusConfirming        = "confirming"
	StatusConfirmed         = "confirmed"
	StatusReversing         = "reversing"
	StatusReversed          = "reversed"
	StatusSucceeded         = "succeeded"
	StatusSettled           = "settled"
	StatusDeclined          = "declined"
	StatusFailed            = "failed"
	StatusVoided            = "voided"
	StatusRefunded          = "refunded"
	StatusPartiallyRefunded = "partially_refunded"
	// A refund's own statuses besides pending, succeeded and failed.
	StatusVoiding   = "voiding"
	StatusRefunding = "refunding"
	StatusDeferred  = "deferred"
)

// A consent's own statuses besides pending and failed.
const (
	// StatusAwaitingOTP: the provider sent the customer an OTP
	// (WaitingForOTP); consent.validate supplies it.
	StatusAwaitingOTP = "awaiting_otp"
	// StatusAwaitingValidation: the provider asks for another answer
	// (PendingValidation); consent.validate supplies it as value.
	StatusAwaitingValidation = "awaiting_validation"
	// StatusGranted: the provider gave a token for later holds (kept
	// sealed, never shown) until token_expires_at.
	StatusGranted = "granted"
)

// A hold's own statuses besides pending, failed and expired.
const (
	StatusHeld      = "held"
	StatusReleasing = "releasing"
	StatusReleased  = "released"
	StatusCapturing = "capturing"
	StatusCaptured  = "captured"
	// StatusExpired: a hold still open at hold_expires_at, released at the
	// provider.
	StatusExpired = "expired"
)

// ReasonHoldExpired: a hold was released because it reached
// hold_expires_at.
const ReasonHoldExpired = "hold_expired"

// How a refund was carried out (Transaction.Method).
const (
	MethodVoid   = "void"
	MethodRefund = "refund"
)

// Payment method types of charge.create.
const (
	PaymentCard        = "card"
	PaymentToken       = "token"
	PaymentBankAccount = "bank_account"
)

// WebhookEndpointDisabled is the event type of a webhook endpoint disabled
// by its health (410 Gone, or failing too long); its data is
// {"webhook_endpoint": {"id", "url", "status", "disabled_reason"}}.
const WebhookEndpointDisabled = "webhook_endpoint.disabled"

// CommandRejected is the event type of a command that had no effect.
const CommandRejected = "command.rejected"

// Reason codes of command.rejected and of transaction reasons.
const (
	ReasonInvalidRequest        = "invalid_request"
	ReasonNotFound              = "not_found"
	ReasonInvalidState          = "invalid_state"
	ReasonIdempotencyConflict   = "idempotency_conflict"
	ReasonDuplicateReference    = "duplicate_reference"
	ReasonAmountExceedsRefund   = "amount_exceeds_refundable"
	ReasonUnsupportedByProvider = "unsupported_by_provider"
	ReasonConsentExpired        = "consent_expired"
	ReasonUnauthorized          = "unauthorized"
	ReasonProviderTimeout       = "provider_timeout"
	ReasonConfirmDeadline       = "confirm_deadline_exceeded"
	ReasonProviderDeclined      = "provider_declined"
	ReasonProviderError         = "provider_error"
	ReasonMerchantRejected      = "merchant_rejected"
	ReasonRetriesExhausted      = "retries_exhausted"
	ReasonUndeliverableCommand  = "undeliverable_command"
	// ReasonLateSuccess: the provider approved a charge after it had been
	// given up; it is reversed again by the provider's id.
	ReasonLateSuccess = "late_success"
)

// EventType is the event type of a transaction type in a status.
func EventType(txType, status string) string { return txType + "." + status }

// Providers.
const (
	ProviderOnoConnect = "onoconnect"
	ProviderProcessOne = "processone"
	ProviderOnePipe    = "onepipe"
	ProviderUtility    = "utility"
	ProviderCodes      = "codes"
)
