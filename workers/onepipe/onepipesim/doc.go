// Package onepipesim is an in-memory OnePipe "hold funds" service: the
// /v2/transact, /validate, /query, /reverse and /options calls of package
// onepipe's client, served by [Simulator.Handler] and wrapped with the shared
// fault harness (workers/simulator: /_sim/faults, /_sim/requests). It
// decodes and encodes with its own copy of the wire types, and decrypts
// auth.secure and checks the Signature header with its own code, never the
// client's, so that a drift in the client fails the client's tests against
// it. Production packages do not import it; the simulator host
// (workers/simhost) and tests do.
//
// Knobs of its own: POST /_sim/config ([Config]), GET /_sim/config,
// POST /_sim/clock {"advance_seconds":N}, DELETE /_sim/state. The readings
// of the seed it follows are listed in package onepipe's documentation.
//
// # Lifecycle
//
//	consent (card | bank.account | wallet) ──> WaitingForOTP | PendingValidation
//	    validate(OTP ok)  ──> Successful + provider_token (+ hold of the consent amount for hold_funds)
//	    validate(OTP bad) ──> Failed 55 (final)
//	hold_funds + provider_token ──> Held ──reverse──> Released
//	                                 │  └──collect with transaction_ref_parent──> Captured
//	                                 └──hold_expiry passes──> Expired
//	collect + provider_token ──> Collected ──reverse──> Reversed
package onepipesim
