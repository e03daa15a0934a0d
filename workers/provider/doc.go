// Package provider holds what every provider connector shares: the typed
// outcome of a call (declined, failed, unknown, retry-later) and a small JSON
// HTTP caller that classifies transport failures.
//
// The distinction matters to the orchestrator. A call that the provider
// answered with a definite "no" ([KindDeclined]) or a definite failure that
// moved no money ([KindFailed]) may be followed by a new attempt or a terminal
// status. A call whose outcome is not known ([KindUnknown]: a time-out, a reset
// connection after the request was sent, a 504) may have happened: it must
// never be repeated blindly, only resolved by the provider's own recovery rule
// (reject by reference, retry with the same id, or query).
package provider
