package main

import (
	"github.com/switchyard/switchyard/orchestrator/charge"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/workers/connector"
	"github.com/switchyard/switchyard/workers/connector/onoconn"
)

// lifecycles registers every transaction lifecycle this binary runs. Adding
// a lifecycle is its package plus one line here: engine, intake, timers,
// executor and API find it by command type or transaction type.
func lifecycles(cfg nodeConfig) *lifecycle.Registry {
	return lifecycle.NewRegistry(
		charge.New(cfg.Policy),
	)
}

// connectors registers every provider connector, each configured by its
// provider's URL flag.
func connectors(deps connector.Deps, cfg nodeConfig) *connector.Registry {
	return connector.NewRegistry(
		onoconn.New(deps, cfg.OnoConnectURL, cfg.ProviderTimeout),
	)
}
