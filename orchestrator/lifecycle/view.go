package lifecycle

import (
	"net/url"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// View is a read-only HTTP route of a lifecycle ("GET /v1/codes/{id}/qr"):
// the API loads the merchant's transaction {id} of the lifecycle's type
// (another merchant's, or one of another type, is 404) and Render draws
// it. A *events.FieldError from Render is a 400 naming the parameter; an
// error wrapping ErrInvalidState is a 409 (nothing to show yet).
type View struct {
	Pattern string
	Render  func(t *store.Txn, query url.Values) (contentType string, body []byte, err error)
}

// Viewer is a lifecycle with views.
type Viewer interface {
	Views() []View
}

// TypedView is a registered lifecycle's view with its transaction type.
type TypedView struct {
	Type string
	View
}

// Views lists every lifecycle's views, in registration-independent order.
func (r *Registry) Views() []TypedView {
	var out []TypedView
	for _, t := range r.Types() {
		if v, ok := r.byType[t].(Viewer); ok {
			for _, view := range v.Views() {
				out = append(out, TypedView{Type: t, View: view})
			}
		}
	}
	return out
}
