package utilityconn

import (
	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Declaration is what the utility connector can do: token purchases, which
// the purchase lifecycle takes; it has no charge, void or refund.
var Declaration = lifecycle.Provider{Name: events.ProviderUtility}
