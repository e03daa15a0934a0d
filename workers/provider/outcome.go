package provider

import (
	"errors"
	"fmt"
)

// Kind classifies the outcome of a provider call that did not succeed.
type Kind int

const (
	// KindDeclined: the provider answered and said no (issuer decline,
	// validation, business rule). Code holds the provider's own code.
	KindDeclined Kind = iota + 1
	// KindFailed: the provider failed in a way that is known to have moved
	// nothing (connection refused before sending, 5xx documented as not
	// applied, 401). Not retried blindly either, but safe to report as failed.
	KindFailed
	// KindUnknown: the call may or may not have taken effect (time-out after
	// the request was sent, connection reset, 504). Recover by the provider's
	// rule, never by repeating the call.
	KindUnknown
	// KindRetryLater: the provider asked to try again later (e.g. a 409 on an
	// ono//connect confirm). Nothing happened; the same call may be repeated
	// after back-off.
	KindRetryLater
)

func (k Kind) String() string {
	switch k {
	case KindDeclined:
		return "declined"
	case KindFailed:
		return "failed"
	case KindUnknown:
		return "unknown"
	case KindRetryLater:
		return "retry_later"
	default:
		return fmt.Sprintf("kind(%d)", int(k))
	}
}

// Error is the error every connector returns when a call did not succeed.
// It never carries secrets or card data: Message is the provider's own text.
type Error struct {
	Kind     Kind
	Provider string // "onoconnect", "processone", ...
	Op       string // "charge", "confirm", ...
	Status   int    // HTTP status, 0 when there was no response
	Code     string // provider code (ISO response code, ResponseCode, ...)
	Message  string
	Err      error // underlying transport error, if any
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s %s: %s", e.Provider, e.Op, e.Kind)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Code != "" {
		s += " code=" + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of err, or 0 when err is nil or not a *Error.
func KindOf(err error) Kind {
	var pe *Error
	if errors.As(err, &pe) {
		return pe.Kind
	}
	return 0
}

// IsUnknown reports whether err says the call may have taken effect.
// Any error that is not a classified *Error is treated as unknown: when in
// doubt, assume the money may have moved.
func IsUnknown(err error) bool {
	if err == nil {
		return false
	}
	k := KindOf(err)
	return k == 0 || k == KindUnknown
}

// IsDeclined reports whether the provider definitely said no.
func IsDeclined(err error) bool { return KindOf(err) == KindDeclined }

// IsFailed reports whether the provider definitely failed without effect.
func IsFailed(err error) bool { return KindOf(err) == KindFailed }

// IsRetryLater reports whether the provider asked for a later retry.
func IsRetryLater(err error) bool { return KindOf(err) == KindRetryLater }

// CodeNotFound is the Code of a KindFailed error that says the provider does
// not know the transaction (an HTTP 404 on a lookup or reversal).
const CodeNotFound = "not_found"
