// Package simulator is the shared harness of the provider simulators: fault
// knobs reachable over HTTP and a request log, wrapped around each provider's
// own http.Handler.
//
// Control endpoints, relative to the simulator's root (e.g. /processone):
//
//	POST   /_sim/faults    {"path":"/api/CreditCard/Charge","status":503,"count":2}
//	                       {"path":"/v2/charges","delay_ms":3000,"count":1}      act, then answer late
//	                       {"path":"/v2/charges","drop":true,"count":1}          act, then close the connection
//	                       {"path":"/v2/charges","lose":true,"count":1}          never act, hang until the client gives up
//	GET    /_sim/faults    the faults still armed
//	DELETE /_sim/faults    disarm all faults
//	GET    /_sim/requests  the request log (secrets and card numbers masked)
//	DELETE /_sim/requests  clear the request log
//
// Any other /_sim/ path is passed to the provider's handler, for knobs of its
// own (e.g. POST /_sim/config).
//
// A fault matches when its path is a prefix of the request path (empty
// matches all) or, when it holds a '*', a path.Match pattern such as
// /v2/charges/*/confirm, and fires for the next count requests (count 0 means 1).
package simulator
