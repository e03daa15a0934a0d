// Package providertest is the behaviour suite every provider connector runs
// against its own simulator: one set of expectations, several
// implementations (as watermill runs one pub/sub suite against every
// backend).
//
// [RunOutcomeSuite] checks how a connector classifies a call that did not
// get a clean answer, the distinction the orchestrator's recovery rules rest
// on (see package provider):
//
//	fault on the simulator's harness       kind          landed
//	delay past the client time-out         KindUnknown   yes
//	drop the connection after acting       KindUnknown   yes
//	lose the request (never act)           KindUnknown   no
//	HTTP 502, 503, 504                     KindUnknown   no
//	HTTP 500                               KindFailed    no   (Case.Statuses may differ)
//	connection refused                     KindFailed    -
//
// Every row also checks that the error is a *provider.Error carrying the
// fault's HTTP status (0 when there was no answer), that the call came back
// within the client's time-out, and that the client sent the request once:
// an outcome that may have happened is never repeated blindly.
//
// Each row starts its own simulator through [Case].Setup, so rows share no
// state and run in parallel.
package providertest
