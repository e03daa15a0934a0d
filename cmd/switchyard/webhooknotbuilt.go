package main

import "strings"

// warnWebhooksNotBuilt says, in one warning line at start, that the webhooks
// role and --webhook-allow-private do nothing yet: webhook delivery comes
// with issue #11. Remove it then.
func (n *node) warnWebhooksNotBuilt() {
	var what []string
	if n.cfg.has("webhooks") {
		what = append(what, "the webhooks role delivers nothing")
	}
	if n.cfg.WebhookAllowPrivate {
		what = append(what, "--webhook-allow-private has no effect")
	}
	if len(what) > 0 {
		n.cfg.Log.Warn("webhooks are not built yet (#11): " + strings.Join(what, " and "))
	}
}
