package metrics

// Metric names that more than one package uses, or that must be spelled
// exactly: call sites use these constants. Each is declared below with its
// help, its label names and, for a histogram, its buckets; a use with other
// label names is dropped (see the package doc).
const (
	// ProviderCallSeconds is one provider call's duration.
	// Labels: provider, operation, outcome.
	ProviderCallSeconds = "switchyard_provider_call_duration_seconds"
	// CommandFirstEventSeconds runs from a command's receipt to the first
	// event it causes. Labels: type (the command type).
	CommandFirstEventSeconds = "switchyard_command_first_event_seconds"
	// CommandFinalEventSeconds runs from the command that created a
	// transaction to its final event. Labels: lifecycle.
	CommandFinalEventSeconds = "switchyard_command_final_event_seconds"
	// OutboxLagSeconds runs from an outbox row's creation to its
	// publication (the relay's commit after the PubAck). No labels.
	OutboxLagSeconds = "switchyard_outbox_lag_seconds"
	// TimerLagSeconds runs from a timer's due time to its successful
	// application. Labels: kind.
	TimerLagSeconds = "switchyard_timer_lag_seconds"

	// TransitionsTotal counts committed transitions. Labels: lifecycle,
	// status (the status entered).
	TransitionsTotal = "switchyard_transitions_total"
	// OutboxDeadTotal counts outbox rows moved to outbox_dead. Labels: cause.
	OutboxDeadTotal = "switchyard_outbox_dead_total"
	// PurchaseRetriesExhaustedTotal counts utility purchases failed
	// retries_exhausted: no certain answer within their retry horizon, so
	// tokens may exist at the provider (an operator must check). No labels.
	PurchaseRetriesExhaustedTotal = "switchyard_purchase_retries_exhausted_total"
	// DroppedTotal counts misused updates (see the package doc). Labels: metric.
	DroppedTotal = "switchyard_metrics_dropped_total"
)

// Buckets, in seconds.
var (
	// callBuckets: a provider call or a command's first event, 5 ms to 30 s.
	callBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}
	// finalBuckets: a command's final event, which may wait for a provider's
	// callback or a retry, 10 ms to 5 min.
	finalBuckets = []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300}
	// outboxBuckets: commit to PubAck, 1 ms to 30 s.
	outboxBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}
	// timerBuckets: the timer service polls every 200 ms and backs off
	// failing timers for up to 5 min, 10 ms to 10 min.
	timerBuckets = []float64{.01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600}
)

// spec declares a metric: a histogram when it has buckets, else a counter.
type spec struct {
	name, help string
	labels     []string
	buckets    []float64
}

var declared = []spec{
	{ProviderCallSeconds, "Provider call duration, by provider, operation and outcome.",
		[]string{"provider", "operation", "outcome"}, callBuckets},
	{CommandFirstEventSeconds, "Time from a command's receipt to the first event it causes, by command type.",
		[]string{"type"}, callBuckets},
	{CommandFinalEventSeconds, "Time from the command that created a transaction to its final event, by lifecycle.",
		[]string{"lifecycle"}, finalBuckets},
	{OutboxLagSeconds, "Time from an outbox row's creation to its publication to JetStream.", nil, outboxBuckets},
	{TimerLagSeconds, "Time from a timer's due time to its successful application, by timer kind.",
		[]string{"kind"}, timerBuckets},
	{TransitionsTotal, "Committed transitions, by lifecycle and the status entered.",
		[]string{"lifecycle", "status"}, nil},
	{OutboxDeadTotal, "Outbox rows moved to outbox_dead: cause=failed (cannot be published), held (behind one of its transaction).",
		[]string{"cause"}, nil},
	{PurchaseRetriesExhaustedTotal, "Utility purchases failed retries_exhausted: no certain answer within their retry horizon; tokens may exist at the provider.",
		nil, nil},
	{DroppedTotal, "Metric updates dropped for misuse (label names that differ from the metric's, a negative increment, an undeclared histogram), by metric.",
		[]string{"metric"}, nil},
}
