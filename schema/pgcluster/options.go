package pgcluster

import (
	"errors"
	"log/slog"
	"path/filepath"
)

// Options configure Start.
type Options struct {
	// Dir is the data directory; initialised when Dir/PG_VERSION is missing.
	Dir string
	// Port is the TCP port on 127.0.0.1; 0 picks a free one, remembered in
	// Dir so that restarts reuse it.
	Port int
	// Settings override the defaults (see DefaultSettings) in the server's
	// configuration, e.g. {"fsync": "off"}.
	Settings map[string]string
	// Log receives start/stop lines at Info; nil discards them.
	Log *slog.Logger
}

// DefaultSettings are the server settings Start writes unless
// Options.Settings overrides them. listen_addresses, port and
// unix_socket_directories are always set by Start.
func DefaultSettings() map[string]string {
	return map[string]string{
		"max_connections":    "200",
		"shared_buffers":     "128MB",
		"synchronous_commit": "on",
		"fsync":              "on",
	}
}

func (o Options) withDefaults() (Options, error) {
	if o.Dir == "" {
		return o, errors.New("pgcluster: Options.Dir is required")
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return o, err
	}
	o.Dir = dir
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	settings := DefaultSettings()
	for k, v := range o.Settings {
		settings[k] = v
	}
	o.Settings = settings
	return o, nil
}
