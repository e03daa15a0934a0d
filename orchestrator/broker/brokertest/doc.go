// Package brokertest gives tests a real JetStream: an embedded server on a
// free 127.0.0.1 port with Switchyard's streams declared (Start), client
// connections closed when the test ends (Connect), and a stream read back in
// order (ReadAll). Everything it starts is stopped in t.Cleanup, and every
// failure fails the test that called it.
//
//	url := brokertest.Start(t)
//	_, js := brokertest.Connect(t, url)
//	// … publish, run the code under test …
//	for _, m := range brokertest.ReadAll(t, js, events.StreamEvents) {
//		// m.Subject(), m.Data(), m.Headers()
//	}
package brokertest
