package onepipesim

import (
	"bytes"
	"crypto/md5" //nolint:gosec // OnePipe's signature scheme
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// FuzzParseRequest feeds arbitrary bodies to the simulator's parser and to
// its handler: neither may panic, a parsed request has its required refs,
// and every answer is a JSON envelope with a known status.
func FuzzParseRequest(f *testing.F) {
	seeds := []string{
		`{"request_ref":"r1","request_type":"hold_funds","auth":{"type":"bank.account","secure":"VakmirmvAC0kU3farB9rvbw/Zwm/2eAj","auth_provider":"Beeceptor","route_mode":null},"transaction":{"mock_mode":"live","transaction_ref":"t1","transaction_desc":"A random transaction","transaction_ref_parent":"","amount":10000,"customer":{"customer_ref":"c","firstname":"Uju","surname":"Usmanu","email":"ujuusmanu@gmail.com","mobile_no":"234802343132"},"meta":{"a_key":"a_meta_value_1"},"details":null}}`,
		`{"request_ref":"r2","request_type":"hold_funds","auth":{"secure":"p9rpP0oLy1Y=","auth_provider":"Beeceptor"},"transaction":{"transaction_ref":"t1"}}`,
		`{"request_ref":"r3","request_type":"collect","auth":{"type":"provider_token","secure":"x"},"transaction":{"transaction_ref":"t2","transaction_ref_parent":"t1","amount":1}}`,
		`{"request_ref":"r4","transaction":{"transaction_ref":"t1","amount":-1}}`,
		`{"request_ref":"r5","transaction":{"transaction_ref":"t1","amount":1.5}}`,
		`{"request_ref":"r6"} {"trailing":1}`,
		`{"request_ref":"","transaction":{}}`,
		`[]`, `null`, ``, `{`,
	}
	for _, s := range seeds {
		f.Add([]byte(s), uint8(0))
	}
	t0 := time.Date(2025, 2, 25, 15, 43, 18, 0, time.UTC)
	sim := New(Options{Now: func() time.Time { return t0 }})
	h := sim.Handler()
	paths := []string{PathTransact, PathValidate, PathQuery, PathReverse, PathOptions}
	f.Fuzz(func(t *testing.T, body []byte, which uint8) {
		path := paths[int(which)%len(paths)]
		req, err := ParseRequest(body, path == PathOptions)
		if err == nil && path != PathOptions && (req.RequestRef == "" || req.Transaction.TransactionRef == "") {
			t.Fatalf("parsed without refs: %q", body)
		}
		r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
		r.Header.Set(headerAuthorization, "Bearer "+DefaultSimAPIKey)
		if err == nil {
			sum := md5.Sum([]byte(req.RequestRef + ";" + DefaultSimSecret)) //nolint:gosec // provider-mandated
			r.Header.Set(headerSignature, hex.EncodeToString(sum[:]))
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		var resp Response
		if jerr := json.Unmarshal(w.Body.Bytes(), &resp); jerr != nil || !known(Status(resp.Status)) {
			t.Fatalf("HTTP %d answer %q is not an envelope (%v)", w.Code, w.Body.String(), jerr)
		}
		if err != nil && w.Code != http.StatusBadRequest {
			t.Fatalf("unparsable body answered HTTP %d", w.Code)
		}
	})
}

func known(s Status) bool {
	switch s {
	case StatusSuccessful, StatusFailed, StatusWaitingForOTP, StatusPendingValidation:
		return true
	}
	return false
}
