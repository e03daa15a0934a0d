package api_test

import (
	"bytes"
	"crypto/rand"
	"encoding/xml"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/shopspring/decimal"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/switchyard/switchyard/orchestrator/api"
	"github.com/switchyard/switchyard/orchestrator/code"
	"github.com/switchyard/switchyard/orchestrator/engine"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/merchant"
	"github.com/switchyard/switchyard/orchestrator/secret"
	"github.com/switchyard/switchyard/orchestrator/store"
	"github.com/switchyard/switchyard/schema/schematest"
)

// qrAPI is an API over a real database with two merchants.
type qrAPI struct {
	st        *store.Store
	url       string
	keys, ids [2]string
}

func newQRAPI(t *testing.T) *qrAPI {
	t.Helper()
	st, err := store.Open(t.Context(), schematest.NewDB(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	key := make([]byte, secret.KeySize)
	_, _ = rand.Read(key)
	sealer, err := secret.NewSealer(key)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Config{Engine: engine.New(engine.Config{Store: st, Sealer: sealer,
		Lifecycles: lifecycle.NewRegistry(code.New())})}).Handler())
	t.Cleanup(srv.Close)
	q := &qrAPI{st: st, url: srv.URL}
	for i := range q.keys {
		m, err := merchant.Create(t.Context(), st, sealer, merchant.Spec{Name: "Shop"})
		if err != nil {
			t.Fatal(err)
		}
		q.keys[i], q.ids[i] = m.APIKey, m.ID
	}
	return q
}

// txn inserts a transaction of typ for merchant i with provider reference ref.
func (q *qrAPI) txn(t *testing.T, i int, typ, ref string) uuid.UUID {
	t.Helper()
	txn := &store.Txn{ID: uuid.New(), MerchantID: uuid.MustParse(q.ids[i]), Type: typ, Status: "active", Provider: "codes",
		Reference: "ref-" + uuid.NewString()[:8], ProviderReference: ref, Amount: decimal.RequireFromString("10"), Currency: "ZAR",
		Metadata: map[string]string{}, Version: 1, CreatedAt: time.Now().UTC().Truncate(time.Microsecond)}
	err := q.st.InTx(t.Context(), func(tx pgx.Tx) error {
		var b store.Batch
		b.TransactionInsert(txn)
		return b.Send(t.Context(), tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	return txn.ID
}

func (q *qrAPI) get(t *testing.T, i int, path string) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, q.url+path, nil)
	req.Header.Set("Authorization", "Bearer "+q.keys[i])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), b
}

// TestCodeQR: GET /v1/codes/{id}/qr is the QR image of the provider's
// code: PNG by default (exactly go-qrcode's image of the code number at the
// size asked), SVG on request (one square per dark module); another
// merchant's code, a transaction that is not a code and an unknown id are
// 404; a code the provider has not issued yet is 409; a bad format or size
// is 400.
func TestCodeQR(t *testing.T) {
	t.Parallel()
	q := newQRAPI(t)
	const number = "8227541409"
	id := q.txn(t, 0, "code", number)
	path := "/v1/codes/" + id.String() + "/qr"

	status, ctype, body := q.get(t, 0, path)
	want, err := qrcode.Encode(number, qrcode.Medium, 256)
	if err != nil {
		t.Fatal(err)
	}
	if status != 200 || ctype != "image/png" || !bytes.Equal(body, want) {
		t.Fatalf("png: %d %s (%d bytes), want go-qrcode's 256px image of %s", status, ctype, len(body), number)
	}
	status, _, body = q.get(t, 0, path+"?format=png&size=512")
	img, err := png.Decode(bytes.NewReader(body))
	if status != 200 || err != nil || img.Bounds().Dx() != 512 {
		t.Fatalf("png size 512: %d %v", status, err)
	}

	status, ctype, body = q.get(t, 0, path+"?format=svg")
	if status != 200 || ctype != "image/svg+xml" {
		t.Fatalf("svg: %d %s %s", status, ctype, body)
	}
	var svg struct {
		XMLName xml.Name `xml:"svg"`
		Rects   []struct {
			X string `xml:"x,attr"`
			Y string `xml:"y,attr"`
		} `xml:"rect"`
	}
	if err := xml.Unmarshal(body, &svg); err != nil {
		t.Fatalf("svg does not parse: %v", err)
	}
	code, _ := qrcode.New(number, qrcode.Medium)
	dark := 0
	for _, row := range code.Bitmap() {
		for _, on := range row {
			if on {
				dark++
			}
		}
	}
	if len(svg.Rects) != dark+1 { // the white background, then one square per dark module
		t.Fatalf("svg has %d rects, want %d (background + dark modules)", len(svg.Rects), dark+1)
	}

	other := q.txn(t, 1, "code", "1111111111")
	notCode := q.txn(t, 0, "charge", "ch_1")
	pending := q.txn(t, 0, "code", "")
	for _, tc := range []struct {
		path   string
		status int
		says   string
	}{
		{"/v1/codes/" + other.String() + "/qr", 404, "not_found"},
		{"/v1/codes/" + notCode.String() + "/qr", 404, "not_found"},
		{"/v1/codes/" + uuid.NewString() + "/qr", 404, "not_found"},
		{"/v1/codes/not-a-uuid/qr", 404, "not_found"},
		{"/v1/codes/" + pending.String() + "/qr", 409, "invalid_state"},
		{path + "?format=gif", 400, "format"},
		{path + "?size=10", 400, "size"},
		{path + "?size=100000", 400, "size"},
	} {
		status, _, body := q.get(t, 0, tc.path)
		if status != tc.status || !strings.Contains(string(body), tc.says) {
			t.Errorf("%s: %d %s, want %d saying %q", tc.path, status, body, tc.status, tc.says)
		}
	}
	if status, _, _ := q.get(t, 1, path); status != 404 {
		t.Errorf("another merchant's key: %d, want 404", status)
	}
}
