package onoconnect

import (
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/onoconnect/onoconnectsim"
)

// BenchmarkChargeConfirm drives charge + confirm pairs through the client and
// the simulator over real HTTP, in parallel.
func BenchmarkChargeConfirm(b *testing.B) {
	bd := setup(b, onoconnectsim.Options{})
	bd.client = NewClient(bd.srv.URL, 5*time.Second)
	var n atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ref := "bench-" + strconv.FormatInt(n.Add(1), 10)
			resp, err := bd.client.Charge(b.Context(), bd.cred, chargeReq(ref, 1000))
			if err != nil {
				b.Errorf("charge: %v", err)
				return
			}
			if err := bd.client.Confirm(b.Context(), bd.cred, resp.TransactionID, nil); err != nil {
				b.Errorf("confirm: %v", err)
				return
			}
		}
	})
}
