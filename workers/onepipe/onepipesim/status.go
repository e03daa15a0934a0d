package onepipesim

// Status is OnePipe's response status.
type Status string

// The statuses of this service.
const (
	StatusSuccessful        Status = "Successful"
	StatusFailed            Status = "Failed"
	StatusWaitingForOTP     Status = "WaitingForOTP"
	StatusPendingValidation Status = "PendingValidation"
)

// Provider response codes (data.provider_response_code). "00" and "T0"
// appear in the seed; the others are the simulator's (ISO 8583-like) and
// documented in package onepipe's doc.go.
const (
	CodeSuccess           = "00"
	CodeWaitingForOTP     = "T0"
	CodePendingValidation = "T1"
	CodeInvalidToken      = "14"
	CodeInvalidAmount     = "13"
	CodeInvalidState      = "12"
	CodeNotFound          = "25"
	CodeFormat            = "30"
	CodeInsufficientFunds = "51"
	CodeExpired           = "54"
	CodeWrongOTP          = "55"
	CodeNotPermitted      = "57"
	CodeDuplicate         = "94"
	CodeUnauthorized      = "401"
)

// Values of provider_response.transaction_status (query and reverse).
const (
	StatePending   = "Pending"
	StateHeld      = "Held"
	StateReleased  = "Released"
	StateExpired   = "Expired"
	StateCaptured  = "Captured"
	StateCollected = "Collected"
	StateReversed  = "Reversed"
	StateFailed    = "Failed"
)
