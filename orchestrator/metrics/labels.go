package metrics

import (
	"errors"
	"fmt"
	"slices"

	dto "github.com/prometheus/client_model/go"
)

var errOddLabels = errors.New("labels are not key, value pairs")

// labelNames returns the keys of key, value pairs.
func labelNames(pairs []string) ([]string, error) {
	if len(pairs)%2 != 0 {
		return nil, errOddLabels
	}
	names := make([]string, len(pairs)/2)
	for i := range names {
		names[i] = pairs[2*i]
	}
	return names, nil
}

// labelValues orders the values of key, value pairs as names; the pairs may
// come in any order but must name exactly names.
func labelValues(names, pairs []string) ([]string, error) {
	if len(pairs) != 2*len(names) {
		return nil, mismatch(names, pairs)
	}
	values := make([]string, len(names))
	for i, name := range names {
		if pairs[2*i] == name { // the usual case: the declared order
			values[i] = pairs[2*i+1]
			continue
		}
		j := pairIndex(pairs, name)
		if j < 0 {
			return nil, mismatch(names, pairs)
		}
		values[i] = pairs[j+1]
	}
	return values, nil
}

// pairIndex is the index of key name in pairs, or -1.
func pairIndex(pairs []string, name string) int {
	for j := 0; j+1 < len(pairs); j += 2 {
		if pairs[j] == name {
			return j
		}
	}
	return -1
}

func mismatch(names, pairs []string) error {
	got, err := labelNames(pairs)
	if err != nil {
		return err
	}
	return fmt.Errorf("label names %v, the metric has %v", got, names)
}

// sameLabels reports whether a collected series has values for names.
func sameLabels(got []*dto.LabelPair, names, values []string) bool {
	if len(got) != len(names) {
		return false
	}
	for _, lp := range got {
		i := slices.Index(names, lp.GetName())
		if i < 0 || values[i] != lp.GetValue() {
			return false
		}
	}
	return true
}
