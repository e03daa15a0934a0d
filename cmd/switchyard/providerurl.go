package main

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// providerURL is one provider base URL flag of serve.
type providerURL struct {
	provider string // events.Provider*
	flag     string
	value    string
	// always: the workers role cannot run without it, whatever accounts the
	// merchants have (ono//connect, the provider of the charge lifecycle).
	// The others are required once a merchant has an account with their
	// provider (checkMerchantURLs).
	always bool
}

// providerURLs lists the provider URL flags with their values.
func providerURLs(ono, processone, onepipe, utility, codes string) []providerURL {
	return []providerURL{
		{events.ProviderOnoConnect, "onoconnect-url", ono, true},
		{events.ProviderProcessOne, "processone-url", processone, false},
		{events.ProviderOnePipe, "onepipe-url", onepipe, false},
		{events.ProviderUtility, "utility-url", utility, false},
		{events.ProviderCodes, "codes-url", codes, false},
	}
}

func (c *commonFlags) providerURLs() []providerURL {
	return providerURLs(c.onoURL, c.processoneURL, c.onepipeURL, c.utilityURL, c.codesURL)
}

func (c *nodeConfig) providerURLs() []providerURL {
	return providerURLs(c.OnoConnectURL, c.ProcessOneURL, c.OnePipeURL, c.UtilityURL, c.CodesURL)
}

// checkProviderURLs refuses, in one line, an empty URL the workers role
// always needs, and any given URL that is not an absolute http(s) URL: a
// bad base URL would otherwise show only as failed charges once payments
// flow.
func (c *commonFlags) checkProviderURLs(roles []string) error {
	workers := slices.Contains(roles, "workers")
	for _, p := range c.providerURLs() {
		if p.value == "" {
			if p.always && workers {
				return fmt.Errorf("--%s (%s) is required with the workers role: the provider's base URL, such as https://host/path", p.flag, envName(p.flag))
			}
			continue
		}
		if err := checkBaseURL(p.value); err != nil {
			return fmt.Errorf("--%s (%s) %s", p.flag, envName(p.flag), err) // the value is not echoed: it may hold credentials
		}
	}
	return nil
}

// checkMerchantURLs refuses, in one line, to run the workers role without
// the base URL of a provider some merchant has an account with: its calls
// would otherwise fail, one payment at a time, once they flow.
func checkMerchantURLs(ctx context.Context, st *store.Store, urls []providerURL) error {
	counts, err := st.ProviderAccountCounts(ctx)
	if err != nil {
		return err
	}
	var missing []string
	for _, p := range urls {
		if n := counts[p.provider]; p.value == "" && n > 0 {
			missing = append(missing, fmt.Sprintf("--%s (%s): %s an account at %s", p.flag, envName(p.flag), merchants(n), p.provider))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("the workers role needs the base URL of every provider merchants have accounts with; missing %s",
			strings.Join(missing, "; "))
	}
	return nil
}

// merchants is "1 merchant has" or "n merchants have".
func merchants(n int) string {
	if n == 1 {
		return "1 merchant has"
	}
	return fmt.Sprintf("%d merchants have", n)
}

func checkBaseURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return fmt.Errorf("is not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("must be an absolute http:// or https:// URL")
	case u.Host == "":
		return fmt.Errorf("has no host")
	case u.RawQuery != "" || u.Fragment != "":
		return fmt.Errorf("must be a base URL, without query or fragment")
	}
	return nil
}
