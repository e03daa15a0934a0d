package broker

import (
	"fmt"
	"strings"
)

// Accounts of a NATS server running with auth callout.
const (
	// AppAccount holds Switchyard's streams and the service's user.
	AppAccount = "SWITCHYARD"
	// MerchantAccount holds every merchant connection, each confined by its
	// permissions. It reaches AppAccount only through the imports of
	// MerchantImports: a reply subject a merchant names is then answered
	// in MerchantAccount (the server maps it), so it can never make
	// JetStream store a publish ack in a stream.
	MerchantAccount = "MERCHANTS"
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
// sent to the responder, which places it in MerchantAccount.
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
  %s { jetstream: enabled, users: [ { user: "%s", password: "%s" } ]
    exports: %s }
  %s { imports: %s }
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
`, AppAccount, a.Service.Name, a.Service.Password, merchantExports(), MerchantAccount, merchantImports(AppAccount), AuthAccount, a.Callout.Name, a.Callout.Password,
		SystemAccount, a.System.Name, a.System.Password, SystemAccount, a.Issuer, AuthAccount,
		a.Service.Name, a.Callout.Name, a.System.Name), nil
}

// MerchantServices are what AppAccount exports to MerchantAccount as
// services (requests whose replies the server maps): commands (their
// publish acks), and the JetStream calls a merchant's consumer needs.
// Which merchant may use which is left to each merchant's permissions.
var MerchantServices = []string{
	"pay.cmd.>",
	"$JS.API.INFO",
	"$JS.API.CONSUMER.INFO.PAY_EVENTS.*",
	"$JS.API.CONSUMER.MSG.NEXT.PAY_EVENTS.*", // answered by a stream of messages
	"$JS.ACK.PAY_EVENTS.>",
	"$JS.ACK.*.*.PAY_EVENTS.>", // v2 ack subjects: $JS.ACK.<domain>.<account hash>.<stream>…
}

// MerchantStreams are exported as streams: the live events.
var MerchantStreams = []string{"pay.evt.>"}

func merchantExports() string {
	var b strings.Builder
	b.WriteString("[")
	for _, s := range MerchantServices {
		rt := ""
		if strings.Contains(s, ".MSG.NEXT.") {
			rt = ", response_type: stream"
		}
		fmt.Fprintf(&b, "\n      { service: %q%s }", s, rt)
	}
	for _, s := range MerchantStreams {
		fmt.Fprintf(&b, "\n      { stream: %q }", s)
	}
	return b.String() + "\n    ]"
}

func merchantImports(from string) string {
	var b strings.Builder
	b.WriteString("[")
	for _, s := range MerchantServices {
		fmt.Fprintf(&b, "\n      { service: { account: %s, subject: %q } }", from, s)
	}
	for _, s := range MerchantStreams {
		fmt.Fprintf(&b, "\n      { stream: { account: %s, subject: %q } }", from, s)
	}
	return b.String() + "\n    ]"
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
