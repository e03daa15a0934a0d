// Package simhost serves every provider simulator on one listener, each under
// its own path prefix:
//
//	/onoconnect   ono//connect      (/onoconnect/v2/charges, …)
//	/processone   ProcessOne        (/processone/api/CreditCard/Charge, …)
//	/onepipe      OnePipe           (/onepipe/v2/transact, …)
//	/utility      utility purchases (/utility/tokenPurchases/{id}, …)
//	/codes        payment codes     (/codes/code/create, …)
//
// Each simulator's fault knobs and request log are under its prefix, e.g.
// POST /onoconnect/_sim/faults. GET / lists the prefixes.
//
// It imports only the simulator packages (workers/<provider>/<provider>sim),
// never a client; deps_test.go checks that no production package imports a
// simulator, this host or the fault harness.
package simhost

import (
	"encoding/json"
	"net/http"

	"github.com/switchyard/switchyard/workers/onepipe/onepipesim"
	"github.com/switchyard/switchyard/workers/onoconnect/onoconnectsim"
	"github.com/switchyard/switchyard/workers/paycode/paycodesim"
	"github.com/switchyard/switchyard/workers/processone/processonesim"
	"github.com/switchyard/switchyard/workers/utility/utilitysim"
)

// Prefixes of the simulators.
const (
	OnoConnect = "/onoconnect"
	ProcessOne = "/processone"
	OnePipe    = "/onepipe"
	Utility    = "/utility"
	Codes      = "/codes"
)

// Host holds one simulator of each provider.
type Host struct {
	OnoConnect *onoconnectsim.Simulator
	ProcessOne *processonesim.Simulator
	OnePipe    *onepipesim.Simulator
	Utility    *utilitysim.Simulator
	Codes      *paycodesim.Simulator
}

// New builds every simulator with its default options.
func New() *Host {
	return &Host{
		OnoConnect: onoconnectsim.New(onoconnectsim.Options{}),
		ProcessOne: processonesim.New(processonesim.Options{}),
		OnePipe:    onepipesim.New(onepipesim.Options{}),
		Utility:    utilitysim.New(utilitysim.Options{}),
		Codes:      paycodesim.New(paycodesim.Options{}),
	}
}

// Handler mounts every simulator under its prefix.
func (h *Host) Handler() http.Handler {
	mux := http.NewServeMux()
	mounts := map[string]http.Handler{
		OnoConnect: h.OnoConnect.Handler(), ProcessOne: h.ProcessOne.Handler(), OnePipe: h.OnePipe.Handler(),
		Utility: h.Utility.Handler(), Codes: h.Codes.Handler(),
	}
	for prefix, handler := range mounts {
		mux.Handle(prefix+"/", http.StripPrefix(prefix, handler))
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"simulators": []string{OnoConnect, ProcessOne, OnePipe, Utility, Codes}})
	})
	return mux
}

// URLs maps each provider name to its base URL under root (http://host:port).
func URLs(root string) map[string]string {
	return map[string]string{
		"onoconnect": root + OnoConnect, "processone": root + ProcessOne, "onepipe": root + OnePipe,
		"utility": root + Utility, "codes": root + Codes,
	}
}
