package api

import "net/http"

// knownMethods are the HTTP methods that get a metrics series of their own.
var knownMethods = map[string]bool{
	http.MethodGet: true, http.MethodPost: true, http.MethodPut: true, http.MethodPatch: true,
	http.MethodDelete: true, http.MethodHead: true, http.MethodOptions: true,
}

// methodLabel bounds the method label of the request metrics: a client may
// send any token as a method, and one series per token would grow memory
// without bound.
func methodLabel(method string) string {
	if knownMethods[method] {
		return method
	}
	return "other"
}
