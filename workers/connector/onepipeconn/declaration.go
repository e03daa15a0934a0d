package onepipeconn

import (
	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
)

// Declaration is what the OnePipe connector can do: consents and holds,
// which the consent and hold lifecycles take; it has no charge, void or
// refund.
var Declaration = lifecycle.Provider{Name: events.ProviderOnePipe}
