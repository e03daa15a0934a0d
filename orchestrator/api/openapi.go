package api

import (
	_ "embed"
	"net/http"
)

// OpenAPI is the OpenAPI 3.1 document of the whole HTTP API, served at
// GET /openapi.yaml. cmd/switchyard's TestOpenAPI sends real requests and
// checks them and their answers against it, and checks that every route
// the API serves is in it, so that it cannot drift from the code.
//
//go:embed openapi.yaml
var OpenAPI []byte

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/yaml")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(OpenAPI)
}
