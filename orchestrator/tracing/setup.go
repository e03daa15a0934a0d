package tracing

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// ServiceName is the service.name of every span.
const ServiceName = "switchyard"

// Config configures Setup.
type Config struct {
	// Endpoint is the OTLP/HTTP collector's base URL (--otlp-endpoint,
	// e.g. http://collector:4318): spans go to its /v1/traces, or to the
	// URL as given when it has a path. Empty: the standard
	// OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)
	// when set, else no exporter at all.
	Endpoint string
	// Processors are extra span processors (a test's span recorder).
	Processors []sdktrace.SpanProcessor
	// Getenv reads the environment (default os.Getenv; tests).
	Getenv func(string) string
}

// Provider is the TracerProvider of an instance.
type Provider struct {
	*sdktrace.TracerProvider
	// Exporting says whether spans are exported (an endpoint is configured).
	Exporting bool
}

// Setup returns the instance's TracerProvider: spans and ids always, their
// export over OTLP/HTTP only when configured. Shutdown flushes and stops it.
func Setup(cfg Config) (*Provider, error) {
	if cfg.Getenv == nil {
		cfg.Getenv = os.Getenv
	}
	opts := []sdktrace.TracerProviderOption{
		sdktrace.WithSampler(sdktrace.ParentBased(sdktrace.AlwaysSample())),
		sdktrace.WithResource(resource.NewSchemaless(attribute.String("service.name", ServiceName))),
	}
	exp, err := exporter(cfg)
	if err != nil {
		return nil, err
	}
	if exp != nil {
		opts = append(opts, sdktrace.WithBatcher(exp))
	}
	for _, p := range cfg.Processors {
		opts = append(opts, sdktrace.WithSpanProcessor(p))
	}
	return &Provider{TracerProvider: sdktrace.NewTracerProvider(opts...), Exporting: exp != nil}, nil
}

// exporter is the OTLP/HTTP exporter cfg asks for, or nil (none).
func exporter(cfg Config) (*otlptrace.Exporter, error) {
	var opts []otlptracehttp.Option
	switch {
	case cfg.Endpoint != "":
		u, err := endpointURL(cfg.Endpoint)
		if err != nil {
			return nil, err
		}
		opts = append(opts, otlptracehttp.WithEndpointURL(u))
	case cfg.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "", cfg.Getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "":
		// the exporter reads them itself, as the specification says
	default:
		return nil, nil
	}
	return otlptracehttp.New(context.Background(), opts...)
}

// endpointURL is the traces URL of an --otlp-endpoint: its /v1/traces when
// it is a bare base URL.
func endpointURL(endpoint string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("--otlp-endpoint %q: want an http(s) URL such as http://collector:4318", endpoint)
	}
	if strings.Trim(u.Path, "/") == "" {
		u.Path = "/v1/traces"
	}
	return u.String(), nil
}

// Noop is the provider of a component given none: spans carry on the
// context they are given (a traceparent propagates unchanged) and record
// nothing.
func Noop() trace.TracerProvider { return noop.NewTracerProvider() }
