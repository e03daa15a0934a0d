package webhook

import (
	"fmt"
	"regexp"
	"strings"
)

// MaxFilters bounds an endpoint's event-type filters.
const MaxFilters = 50

// filterRe is an event type ("refund.succeeded", "webhook_endpoint.disabled")
// or a type's wildcard ("charge.*"), or "*".
var filterRe = regexp.MustCompile(`^(\*|[a-z][a-z0-9_]{0,39}\.(\*|[a-z][a-z0-9_]{0,39}))$`)

// CheckFilters validates an endpoint's filters; the error names the bad one.
func CheckFilters(filters []string) error {
	if len(filters) > MaxFilters {
		return fmt.Errorf("at most %d event-type filters", MaxFilters)
	}
	for i, f := range filters {
		if !filterRe.MatchString(f) {
			return fmt.Errorf("event_types[%d]: %q is not an event type (\"refund.succeeded\") or a wildcard (\"charge.*\", \"*\")", i, bound(f))
		}
	}
	return nil
}

// Matches reports whether an event of eventType goes to an endpoint with
// filters: no filter means every event.
func Matches(filters []string, eventType string) bool {
	if len(filters) == 0 {
		return true
	}
	for _, f := range filters {
		if f == "*" || f == eventType {
			return true
		}
		if prefix, ok := strings.CutSuffix(f, "*"); ok && strings.HasPrefix(eventType, prefix) {
			return true
		}
	}
	return false
}

func bound(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
