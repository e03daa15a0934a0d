// Package lifecycletest runs lifecycles against a real PostgreSQL with a
// fake clock and scripted connectors, and no NATS, so that a lifecycle's
// test reads as the steps of a payment:
//
//	h := lifecycletest.New(t, charge.New(charge.Policy{}))
//	id := h.Command(events.ChargeCreate, data)         // engine.HandleCommand
//	h.Provider("onoconnect", charge.OpCharge).Returns(lifecycle.Result{Outcome: lifecycle.OK, ProviderReference: "p1"})
//	h.RunWork()                                        // the executor's real code path
//	h.Advance(15 * time.Minute)
//	h.FireTimers()                                     // the timer service's Pass at the fake time
//	h.ExpectEvents(id, "charge.pending", "charge.authorized", "charge.reversing")
//
// Each test gets its own migrated database (schema/schematest), so the test
// package needs
//
//	func TestMain(m *testing.M) { schematest.Main(m) }
//
// Clocks: the fake clock drives the engine (transition times, the timers a
// transition sets) and the timer service (which timers are due). Work items
// are claimed and leased by PostgreSQL's own clock (now()): a work item is
// due as soon as its transition commits, whatever the fake time, and RunWork
// carries out everything due until nothing is left.
//
// Events are read from transaction_events: the outbox is never relayed.
package lifecycletest
