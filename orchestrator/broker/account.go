package broker

import (
	"fmt"
	"strings"
)

// Accounts of a NATS server running with auth callout.
const (
	// AppAccount holds Switchyard's streams, the service's user and every
	// merchant connection (each confined by its permissions).
	AppAccount = "SWITCHYARD"
	// AuthAccount holds the callout responder's user only.
	AuthAccount = "AUTH"
	// SystemAccount is nats-server's system account.
	SystemAccount = "SYS"
)

// User is a user name and password in the server's configuration.
type User struct{ Name, Password string }

// EmbeddedAuth turns on accounts and auth callout on the embedded server:
// Service in AppAccount (JetStream on), Callout in AuthAccount, System in
// SystemAccount. These three bypass the callout; every other connection is
// sent to the responder, which places it in AppAccount.
type EmbeddedAuth struct {
	Service, Callout, System User
	// Issuer is the public account nkey (A…) whose seed signs the
	// responder's answers.
	Issuer string
}

// config is the nats-server configuration text of a.
func (a *EmbeddedAuth) config() (string, error) {
	for _, u := range []User{a.Service, a.Callout, a.System} {
		if !plainToken(u.Name) || !plainToken(u.Password) {
			return "", fmt.Errorf("nats auth: user names and passwords must be letters, digits, '-' or '_' (user %q)", u.Name)
		}
	}
	if !plainToken(a.Issuer) || !strings.HasPrefix(a.Issuer, "A") {
		return "", fmt.Errorf("nats auth: issuer %q is not a public account nkey", a.Issuer)
	}
	return fmt.Sprintf(`
accounts {
  %s { jetstream: enabled, users: [ { user: "%s", password: "%s" } ] }
  %s { users: [ { user: "%s", password: "%s" } ] }
  %s { users: [ { user: "%s", password: "%s" } ] }
}
system_account: %s
authorization {
  timeout: 3
  auth_callout {
    issuer: "%s"
    account: %s
    auth_users: [ "%s", "%s", "%s" ]
  }
}
`, AppAccount, a.Service.Name, a.Service.Password, AuthAccount, a.Callout.Name, a.Callout.Password,
		SystemAccount, a.System.Name, a.System.Password, SystemAccount, a.Issuer, AuthAccount,
		a.Service.Name, a.Callout.Name, a.System.Name), nil
}

func plainToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		ok := r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
		if !ok {
			return false
		}
	}
	return true
}
