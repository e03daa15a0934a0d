package onepipeconn

import (
	"errors"

	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Codes of a call that cannot be made from what its transaction holds, now
// or ever: Failed, nothing sent.
const (
	codeInvalidAuth    = "invalid_auth"      // a consent without readable, complete auth details
	codeNoOTP          = "otp_unavailable"   // a validate without its OTP
	codeNoToken        = "token_unavailable" // a hold or capture whose consent holds no token
	codeInvalidCapture = "invalid_capture"   // a capture without a positive amount
)

// refusal is a call that cannot be built from its transaction.
type refusal struct{ code, msg string }

func (e *refusal) Error() string { return e.code + ": " + e.msg }

func refuse(code, msg string) error { return &refusal{code: code, msg: msg} }

// refused is op's Failed result for a refusal, when err is one.
func refused(op string, err error) (lifecycle.Result, bool) {
	var r *refusal
	if !errors.As(err, &r) {
		return lifecycle.Result{}, false
	}
	return lifecycle.Result{Op: op, Outcome: lifecycle.Failed, Code: r.code, Message: r.msg}, true
}
