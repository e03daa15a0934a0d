package engine

import (
	"context"
	"fmt"

	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// ResealLegacy binds values sealed before sealing took associated data to
// their rows: each value that opens only without associated data is sealed
// again with it. Values that are already bound are left alone, so it is
// cheap to run at every start; it returns how many it re-sealed.
func (e *Engine) ResealLegacy(ctx context.Context) (int, error) {
	aads := map[string]func(store.SealedValue) []byte{
		"provider_accounts": func(v store.SealedValue) []byte { return secret.ProviderAccountAAD(v.MerchantID.String(), v.Key) },
		"webhook_secret":    func(v store.SealedValue) []byte { return secret.WebhookSecretAAD(v.MerchantID.String()) },
		"payment_method":    func(v store.SealedValue) []byte { return secret.AAD("payment_method", v.MerchantID.String(), v.Key) },
	}
	n := 0
	for kind, aad := range aads {
		vals, err := e.cfg.Store.SealedValues(ctx, kind)
		if err != nil {
			return n, fmt.Errorf("reseal %s: %w", kind, err)
		}
		for _, v := range vals {
			if _, err := e.cfg.Sealer.Open(v.Sealed, aad(v)); err == nil {
				continue
			}
			plain, err := e.cfg.Sealer.Open(v.Sealed, nil)
			if err != nil {
				e.cfg.Log.Error("sealed value opens neither bound nor unbound: another key, or tampered", "kind", kind, "merchant", v.MerchantID)
				continue
			}
			if err := e.cfg.Store.SealedValueReplace(ctx, kind, v, e.cfg.Sealer.Seal(plain, aad(v))); err != nil {
				return n, fmt.Errorf("reseal %s: %w", kind, err)
			}
			n++
		}
	}
	return n, nil
}
