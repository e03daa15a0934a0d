package lifecycle

import (
	"encoding/json"

	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// DetailAAD binds a value sealed in a transaction's details to its purpose,
// merchant and transaction: a blob copied to another row does not open.
func DetailAAD(purpose string, t *store.Txn) []byte {
	return secret.AAD(purpose, t.MerchantID.String(), t.ID.String())
}

// SealDetail seals plain into t's details under key.
func SealDetail(s *secret.Sealer, t *store.Txn, key, purpose string, plain []byte) {
	SetDetail(t, key, s.Seal(plain, DetailAAD(purpose, t)))
}

// OpenDetail opens the value sealed under key in t's details; ok is false
// when there is none.
func OpenDetail(s *secret.Sealer, t *store.Txn, key, purpose string) (plain []byte, ok bool, err error) {
	raw, ok := t.Details[key]
	if !ok {
		return nil, false, nil
	}
	var sealed []byte
	if err := json.Unmarshal(raw, &sealed); err != nil {
		return nil, true, err
	}
	plain, err = s.Open(sealed, DetailAAD(purpose, t))
	return plain, true, err
}

// SetDetail writes v, as JSON, into t's details under key.
func SetDetail(t *store.Txn, key string, v any) {
	if t.Details == nil {
		t.Details = map[string]json.RawMessage{}
	}
	b, _ := json.Marshal(v)
	t.Details[key] = b
}

// SetRawDetail writes raw JSON into t's details, unless it is empty or null.
func SetRawDetail(t *store.Txn, key string, raw json.RawMessage) {
	if len(raw) > 0 && string(raw) != "null" {
		if t.Details == nil {
			t.Details = map[string]json.RawMessage{}
		}
		t.Details[key] = raw
	}
}

// Detail reads t's details under key into v; false when absent or unreadable.
func Detail(t *store.Txn, key string, v any) bool {
	raw, ok := t.Details[key]
	return ok && json.Unmarshal(raw, v) == nil
}
