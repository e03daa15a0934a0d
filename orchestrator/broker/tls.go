package broker

import (
	"errors"

	"github.com/nats-io/nats.go"
)

// TLS names the files of a TLS connection to NATS. A tls:// URL alone makes
// nats.go use TLS and verify the server against the system's roots; CA adds
// a private CA, and Cert + Key present a client certificate (for a server
// with verify: true).
type TLS struct {
	CA, Cert, Key string
}

// Options are the nats.go options for t: none when t is empty.
func (t TLS) Options() ([]nats.Option, error) {
	if (t.Cert == "") != (t.Key == "") {
		return nil, errors.New("nats tls: --nats-cert and --nats-key go together")
	}
	var opts []nats.Option
	if t.CA != "" {
		opts = append(opts, nats.RootCAs(t.CA))
	}
	if t.Cert != "" {
		opts = append(opts, nats.ClientCert(t.Cert, t.Key))
	}
	return opts, nil
}
