package webhook

import (
	"context"
	"errors"
	"net/netip"
	"testing"
)

func TestBlocked(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1": true, "10.1.2.3": true, "172.16.0.1": true, "172.31.255.255": true, "192.168.1.1": true,
		"169.254.169.254": true, "100.64.0.1": true, "0.0.0.0": true, "224.0.0.1": true, "::1": true,
		"fc00::1": true, "fd12::1": true, "fe80::1": true, "::ffff:127.0.0.1": true, "::ffff:10.0.0.1": true, "ff02::1": true,
		"8.8.8.8": false, "172.32.0.1": false, "100.128.0.1": false, "2001:4860:4860::8888": false, "::ffff:8.8.8.8": false,
	} {
		if got := Blocked(netip.MustParseAddr(addr)); got != want {
			t.Errorf("Blocked(%s) = %v, want %v", addr, got, want)
		}
	}
}

func TestDialControl(t *testing.T) {
	if err := DialControl("tcp4", "127.0.0.1:443", nil); !errors.Is(err, ErrBlocked) {
		t.Errorf("127.0.0.1: %v", err)
	}
	if err := DialControl("tcp6", "[::ffff:169.254.169.254]:80", nil); !errors.Is(err, ErrBlocked) {
		t.Errorf("mapped metadata address: %v", err)
	}
	if err := DialControl("tcp4", "93.184.216.34:443", nil); err != nil {
		t.Errorf("public: %v", err)
	}
}

func TestCheckURL(t *testing.T) {
	ctx := context.Background()
	r := fakeResolver{"localhost": {"127.0.0.1"}, "rebind.example": {"93.184.216.34", "10.0.0.1"}, "shop.example": {"93.184.216.34"}}
	for raw, wantBlocked := range map[string]bool{
		"https://localhost/hook": true, "http://127.0.0.1:8080/": true, "https://[::1]/": true,
		"https://rebind.example/": true, "https://shop.example/webhooks": false, "https://8.8.8.8/": false,
	} {
		err := CheckURL(ctx, raw, false, r)
		if got := errors.Is(err, ErrBlocked); got != wantBlocked {
			t.Errorf("CheckURL(%s) = %v, want blocked %v", raw, err, wantBlocked)
		}
		if err := CheckURL(ctx, raw, true, r); err != nil {
			t.Errorf("CheckURL(%s) with private allowed: %v", raw, err)
		}
	}
	for _, raw := range []string{"ftp://shop.example/", "/relative", "https://user:pw@shop.example/", "https:///nohost"} {
		if err := CheckURL(ctx, raw, true, r); err == nil {
			t.Errorf("CheckURL(%s) accepted", raw)
		}
	}
}

type fakeResolver map[string][]string

func (f fakeResolver) LookupNetIP(_ context.Context, _, host string) ([]netip.Addr, error) {
	var out []netip.Addr
	for _, s := range f[host] {
		out = append(out, netip.MustParseAddr(s))
	}
	if len(out) == 0 {
		return nil, errors.New("no such host")
	}
	return out, nil
}

func TestMatches(t *testing.T) {
	for _, c := range []struct {
		filters []string
		typ     string
		want    bool
	}{
		{nil, "charge.pending", true},
		{[]string{"charge.*"}, "charge.confirmed", true},
		{[]string{"charge.*"}, "chargeback.opened", false},
		{[]string{"refund.succeeded"}, "refund.failed", false},
		{[]string{"refund.succeeded", "code.*"}, "code.paid", true},
		{[]string{"*"}, "webhook_endpoint.disabled", true},
	} {
		if got := Matches(c.filters, c.typ); got != c.want {
			t.Errorf("Matches(%q, %s) = %v", c.filters, c.typ, got)
		}
	}
	if err := CheckFilters([]string{"charge.*", "refund.succeeded", "*"}); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{"", "charge", "charge.**", "Charge.pending", "*.pending"} {
		if CheckFilters([]string{bad}) == nil {
			t.Errorf("filter %q accepted", bad)
		}
	}
}

func TestSecretAndSignature(t *testing.T) {
	s, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	key, err := SecretKey(s)
	if err != nil || len(key) != SecretBytes {
		t.Fatalf("SecretKey(%s) = %d bytes, %v", s, len(key), err)
	}
	// The Standard Webhooks specification's example.
	key, _ = SecretKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	got := Signature(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, []byte(`{"test": 2432232314}`))
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("signature %s, want %s", got, want)
	}
	if _, err := SecretKey("whsec_short"); err == nil {
		t.Error("short secret accepted")
	}
}
