// Package utilitysim is an in-memory prepaid utility token provider: the API
// of package utility's client. It decodes and encodes with its own copy of
// the wire types (wire_*.go), never the client's, so that a drift in the
// client's JSON fails the client's tests against it. Production packages do
// not import it; the simulator host (workers/simhost) and tests do.
//
// [New] serves the API of package utility, wrapped with the shared fault
// harness (workers/simulator). It vends 11- or 13-digit meter numbers at
// UnitPrice (2.50 incl. 15% VAT per unit by default), units truncated to one
// decimal, 20-digit tokens derived from the purchase id and receipt number
// (reproducible), and sequential receipt numbers. The test meters of
// [TestMeters] decline, recover debt or fault the first attempt of each
// purchase id; POST /_sim/config changes the knobs of [Config] at run time
// (fields it names are merged, meters are added), DELETE /_sim/config
// restores them, GET /_sim/purchases/{id} shows a [PurchaseState] and DELETE
// /_sim/purchases forgets every purchase. A swallowed or lost request is held
// until the client disconnects, at most Options.Hold; the "drop" rule
// aborts the connection, so that request is missing from /_sim/requests.
package utilitysim
