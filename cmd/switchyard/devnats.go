package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/nats-io/nkeys"

	"github.com/switchyard/switchyard/orchestrator/broker"
	"github.com/switchyard/switchyard/orchestrator/secret"
)

// devNATSAuth is what dev's embedded NATS server needs for auth callout,
// kept in <data-dir>/nats-auth.json (0600) so that it survives restarts.
type devNATSAuth struct {
	IssuerSeed      string `json:"issuer_seed"` // account nkey seed (SA…) signing the callout's answers
	ServicePassword string `json:"service_password"`
	CalloutPassword string `json:"callout_password"`
	SystemPassword  string `json:"system_password"`
}

// Users of dev's embedded NATS server.
const (
	devServiceUser = "switchyard"
	devCalloutUser = "switchyard-auth"
	devSystemUser  = "sys"
)

func loadOrCreateNATSAuth(path string) (*devNATSAuth, error) {
	var a devNATSAuth
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &a); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return &a, nil
	}
	kp, err := nkeys.CreateAccount()
	if err != nil {
		return nil, err
	}
	seed, err := kp.Seed()
	if err != nil {
		return nil, err
	}
	a = devNATSAuth{IssuerSeed: string(seed), ServicePassword: secret.NewToken(), CalloutPassword: secret.NewToken(),
		SystemPassword: secret.NewToken()}
	b, _ := json.MarshalIndent(a, "", "  ")
	return &a, os.WriteFile(path, b, 0o600)
}

// embedded is the embedded server's auth configuration.
func (a *devNATSAuth) embedded() (*broker.EmbeddedAuth, error) {
	kp, err := nkeys.FromSeed([]byte(a.IssuerSeed))
	if err != nil {
		return nil, fmt.Errorf("nats-auth.json: issuer_seed: %w", err)
	}
	pub, err := kp.PublicKey()
	if err != nil {
		return nil, err
	}
	return &broker.EmbeddedAuth{Issuer: pub, Service: broker.User{Name: devServiceUser, Password: a.ServicePassword},
		Callout: broker.User{Name: devCalloutUser, Password: a.CalloutPassword},
		System:  broker.User{Name: devSystemUser, Password: a.SystemPassword}}, nil
}

// creds are the node's NATS credentials: the service, the auth role and
// the system user.
func (a *devNATSAuth) creds() natsCreds {
	return natsCreds{User: devServiceUser, Password: a.ServicePassword, AuthUser: devCalloutUser,
		AuthPassword: a.CalloutPassword, IssuerSeed: a.IssuerSeed, SystemUser: devSystemUser, SystemPassword: a.SystemPassword}
}
