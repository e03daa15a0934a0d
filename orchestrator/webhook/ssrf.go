package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
)

// blocked are the networks a delivery never reaches unless private
// addresses are allowed (--webhook-allow-private).
var blocked = func() []netip.Prefix {
	var out []netip.Prefix
	for _, s := range []string{
		"0.0.0.0/8",      // "this" network
		"10.0.0.0/8",     // RFC 1918
		"100.64.0.0/10",  // CGNAT (RFC 6598)
		"127.0.0.0/8",    // loopback
		"169.254.0.0/16", // link-local (cloud metadata)
		"172.16.0.0/12",  // RFC 1918
		"192.0.0.0/24",   // IETF protocol assignments
		"192.168.0.0/16", // RFC 1918
		"198.18.0.0/15",  // benchmarking
		"224.0.0.0/4",    // multicast
		"240.0.0.0/4",    // reserved, broadcast
		"::/128",         // unspecified
		"::1/128",        // loopback
		"64:ff9b::/96",   // NAT64 (embeds IPv4)
		"fc00::/7",       // unique local
		"fe80::/10",      // link-local
		"ff00::/8",       // multicast
	} {
		out = append(out, netip.MustParsePrefix(s))
	}
	return out
}()

// Blocked reports whether ip is on a private, loopback, link-local, CGNAT,
// multicast or otherwise non-public network. An IPv4-mapped IPv6 address
// (::ffff:127.0.0.1) is judged as the IPv4 address it carries.
func Blocked(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() {
		return true
	}
	for _, p := range blocked {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// ErrBlocked is wrapped by the errors of a blocked address.
var ErrBlocked = errors.New("address is private, loopback, link-local or otherwise not public")

// DialControl is a net.Dialer Control that refuses a connection to a
// blocked address. It runs after name resolution, on the address actually
// dialled, so DNS rebinding cannot pass it.
func DialControl(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("webhook: dial %s: %w", address, err)
	}
	if Blocked(ap.Addr()) {
		return fmt.Errorf("webhook: dial %s: %w", address, ErrBlocked)
	}
	return nil
}

// Resolver looks a host's addresses up (net.DefaultResolver).
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// CheckURL validates an endpoint URL at registration: absolute http(s),
// a host, no user info, at most 2048 bytes; and, unless allowPrivate, a
// host none of whose addresses is blocked. The dial-time check
// (DialControl) still guards every delivery.
func CheckURL(ctx context.Context, raw string, allowPrivate bool, r Resolver) error {
	if len(raw) > 2048 {
		return errors.New("url is longer than 2048 bytes")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Opaque != "" {
		return errors.New("url must be an absolute http or https URL")
	}
	if u.User != nil {
		return errors.New("url must not carry user information")
	}
	if allowPrivate {
		return nil
	}
	host := strings.TrimSuffix(u.Hostname(), ".")
	if ip, err := netip.ParseAddr(host); err == nil {
		if Blocked(ip) {
			return fmt.Errorf("url host %s: %w", host, ErrBlocked)
		}
		return nil
	}
	addrs, err := r.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return fmt.Errorf("url host %q does not resolve", host)
	}
	for _, a := range addrs {
		if Blocked(a) {
			return fmt.Errorf("url host %q resolves to %s: %w", host, a.Unmap(), ErrBlocked)
		}
	}
	return nil
}

// Dialer returns a dialer for deliveries: with the guard unless
// allowPrivate.
func Dialer(allowPrivate bool) *net.Dialer {
	d := &net.Dialer{}
	if !allowPrivate {
		d.Control = DialControl
	}
	return d
}
