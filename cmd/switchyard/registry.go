package main

import (
	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/api"
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/code"
	"github.com/switchyard/switchyard/orchestrator/consent"
	"github.com/switchyard/switchyard/orchestrator/hold"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/payment"
	"github.com/switchyard/switchyard/orchestrator/purchase"
	"github.com/switchyard/switchyard/orchestrator/refund"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/connector/codesconn"
	"github.com/switchyard/switchyard/workers/connector/onepipeconn"
	"github.com/switchyard/switchyard/workers/connector/onoconn"
	"github.com/switchyard/switchyard/workers/connector/processoneconn"
	"github.com/switchyard/switchyard/workers/connector/utilityconn"
)

// lifecycles registers every transaction lifecycle this binary runs. Adding
// a lifecycle is its package plus one line here: engine, intake, timers,
// executor and API find it by command type or transaction type.
func lifecycles(cfg nodeConfig) *lifecycle.Registry {
	return lifecycle.NewRegistry(
		charge.New(cfg.Policy, providers()...),
		refund.New(lifecycle.NewProviders(providers()...)),
		&purchase.Lifecycle{Log: cfg.Log},
		consent.New(),
		hold.New(),
		code.New(),
		payment.New(),
	)
}

// providers are the connectors' declarations of what their providers can
// do; lifecycles branch on them, never on a provider's name.
func providers() []lifecycle.Provider {
	return []lifecycle.Provider{onoconn.Declaration, processoneconn.Declaration, utilityconn.Declaration, onepipeconn.Declaration}
}

// connectors registers every provider connector, each configured by its
// provider's URL flag (an empty URL is refused at start when a merchant has
// an account with the provider: checkMerchantURLs).
func connectors(deps connector.Deps, cfg nodeConfig) *connector.Registry {
	return connector.NewRegistry(
		onoconn.New(deps, cfg.OnoConnectURL, cfg.ProviderTimeout),
		processoneconn.New(deps, cfg.ProcessOneURL, cfg.ProviderTimeout),
		onepipeconn.New(deps, cfg.OnePipeURL, cfg.ProviderTimeout),
		utilityconn.New(deps, cfg.UtilityURL, cfg.ProviderTimeout),
		codesconn.New(deps, cfg.CodesURL, cfg.ProviderTimeout),
	)
}

// callbacks are the providers' own callbacks the API takes at
// POST /v1/provider-callbacks/{provider}, each authenticated by its
// connector.
func callbacks(deps connector.Deps) map[string]api.ProviderCallback {
	return map[string]api.ProviderCallback{events.ProviderCodes: codesconn.Callback(deps)}
}
