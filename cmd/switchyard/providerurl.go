package main

import (
	"fmt"
	"net/url"
	"slices"
)

// providerURL is one provider base URL flag of serve.
type providerURL struct {
	flag  string
	value string
	// connector: this instance has a connector for the provider, so its
	// workers role cannot run without the URL.
	connector bool
}

func (c *commonFlags) providerURLs() []providerURL {
	return []providerURL{
		{"onoconnect-url", c.onoURL, true},
		{"processone-url", c.processoneURL, false},
		{"onepipe-url", c.onepipeURL, false},
		{"utility-url", c.utilityURL, false},
		{"codes-url", c.codesURL, false},
	}
}

// checkProviderURLs refuses, in one line, an empty URL of a provider the
// workers role has a connector for, and any given URL that is not an
// absolute http(s) URL: a bad base URL would otherwise show only as failed
// charges once payments flow.
func (c *commonFlags) checkProviderURLs(roles []string) error {
	workers := slices.Contains(roles, "workers")
	for _, p := range c.providerURLs() {
		if p.value == "" {
			if p.connector && workers {
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
