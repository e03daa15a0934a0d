package api

import (
	"net/http"

	"github.com/switchyard/switchyard/events"
)

// ReasonMethodNotAllowed is the problem code of a known path asked with a
// method it does not serve.
const ReasonMethodNotAllowed = "method_not_allowed"

// problemRoutes answers requests that match no route as problems, like every
// other error of the API: 404 not_found for an unknown path, 405
// method_not_allowed (with the mux's Allow header) for a known path with
// another method. The mux itself would answer them in plain text.
func problemRoutes(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, pattern := mux.Handler(r); pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		rec := &unmatched{header: http.Header{}}
		mux.ServeHTTP(rec, r) // the mux's own answer: its status and Allow header
		if rec.status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", rec.header.Get("Allow"))
			problem(w, http.StatusMethodNotAllowed, ReasonMethodNotAllowed, "",
				"this method is not allowed here; allowed: "+rec.header.Get("Allow"))
			return
		}
		problem(w, http.StatusNotFound, events.ReasonNotFound, "", "no such endpoint")
	})
}

// unmatched records the mux's answer to a request no route matched.
type unmatched struct {
	header http.Header
	status int
}

func (u *unmatched) Header() http.Header         { return u.header }
func (u *unmatched) Write(b []byte) (int, error) { return len(b), nil }
func (u *unmatched) WriteHeader(status int)      { u.status = status }

// routeMux is a ServeMux that remembers its patterns (API.Patterns), so a
// test can hold the OpenAPI document to every route served.
type routeMux struct {
	*http.ServeMux
	patterns []string
}

func (m *routeMux) Handle(pattern string, h http.Handler) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.Handle(pattern, h)
}

func (m *routeMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.HandleFunc(pattern, h)
}
