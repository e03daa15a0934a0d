package payment

import "github.com/switchyard/switchyard/orchestrator/code"

// Policy holds a payment's retry timings for verifications whose outcome is
// unknown: the same as a code's for its changes.
type Policy = code.Policy
