package charge

import (
	"encoding/json"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// SealForTest fills a charge's details the way Create does for what a
// connector reads (PaymentMethod, Method, SaveAs), so that a connector's
// tests can build a charge without the engine: pm sealed, its type (and
// pm_ id for a token), and saveAs ("": no save). For tests only.
func SealForTest(s *secret.Sealer, t *store.Txn, pm json.RawMessage, saveAs string) {
	lifecycle.SealDetail(s, t, detailSealedPM, PurposePaymentMethod, pm)
	m := methodRef{Type: events.PaymentMethodType(pm)}
	if m.Type == events.PaymentToken {
		var tm events.TokenMethod
		_ = json.Unmarshal(pm, &tm)
		m.PMID = tm.Token
	}
	lifecycle.SetDetail(t, detailMethod, m)
	if saveAs != "" {
		lifecycle.SetDetail(t, detailSaveAs, saveAs)
	}
}
