package processonesim

import (
	"bytes"
	"encoding/json"
	"time"
)

// DateLayout is how ProcessOne writes dates: local merchant time, no offset.
const DateLayout = "2006-01-02T15:04:05"

// Date is a ProcessOne date ("2019-11-19T10:52:07"); null is the zero Date.
type Date struct{ time.Time }

// DateOf wraps t.
func DateOf(t time.Time) Date { return Date{t} }

// MarshalJSON writes null for the zero Date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.Format(DateLayout))
}

// UnmarshalJSON accepts null, the ProcessOne layout and RFC 3339.
func (d *Date) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		d.Time = time.Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == "" {
		d.Time = time.Time{}
		return nil
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		t, err = time.Parse(time.RFC3339Nano, s)
	}
	d.Time = t
	return err
}
