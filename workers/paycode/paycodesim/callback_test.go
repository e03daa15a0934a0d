package paycodesim_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/paycode/paycodesim"
)

// received is one callback a receiver got.
type received struct {
	path, signature string
	body            []byte
}

// receiver is a callback endpoint recording what it gets.
type receiver struct {
	mu  sync.Mutex
	got []received
	srv *httptest.Server
}

func newReceiver(t *testing.T) *receiver {
	rc := &receiver{}
	rc.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, received{path: r.URL.Path, signature: r.Header.Get("X-Codes-Signature"), body: b})
		rc.mu.Unlock()
	}))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) all() []received {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]received(nil), rc.got...)
}

// createCode creates a code as user over HTTP and returns its number.
func createCode(t *testing.T, url, user, pass string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/code/create",
		strings.NewReader(`{"amount":10,"merchantReference":"ref-`+user+`","shortDescription":"Basket of goods"}`))
	req.SetBasicAuth(user, pass)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		Code json.Number `json:"code"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 {
		t.Fatalf("create: %d %v", resp.StatusCode, err)
	}
	return out.Code.String()
}

func post(t *testing.T, url, body string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("POST %s: %d %s", url, resp.StatusCode, b)
	}
}

// TestAccountCallbacks: a code's payment notification goes to its
// account's callback URL, signed with its account's secret
// (X-Codes-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
// "<t>.<body>")>); an account without its own goes to the simulator-wide
// URL, unsigned. Accounts are set over /_sim/config and by
// SetAccountCallback.
func TestAccountCallbacks(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 28, 12, 0, 0, 0, time.UTC)
	sim := paycodesim.New(paycodesim.Options{Now: func() time.Time { return now }})
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	one, two, global := newReceiver(t), newReceiver(t), newReceiver(t)
	post(t, srv.URL+"/_sim/config", `{"callback_url":"`+global.srv.URL+`/global",`+
		`"accounts":{"merchant1":{"callback_url":"`+one.srv.URL+`/one","callback_secret":"s3cret-one"}}}`)
	sim.SetAccountCallback("nolimits", two.srv.URL+"/two", "s3cret-two")

	for _, tc := range []struct {
		user, pass string
		rc         *receiver
		secret     string
	}{
		{"merchant1", "secret1", one, "s3cret-one"},
		{"nolimits", "secret", two, "s3cret-two"},
		{"merchant2", "secret2", global, ""},
	} {
		code := createCode(t, srv.URL, tc.user, tc.pass)
		post(t, srv.URL+"/_sim/pay", `{"code":"`+code+`"}`)
		got := tc.rc.all()
		if len(got) != 1 || !strings.Contains(string(got[0].body), code) {
			t.Fatalf("%s: receiver got %+v, want the notification of %s", tc.user, got, code)
		}
		if tc.secret == "" {
			if got[0].signature != "" {
				t.Fatalf("%s: signed %q without a secret", tc.user, got[0].signature)
			}
			continue
		}
		ts := strconv.FormatInt(now.Unix(), 10)
		mac := hmac.New(sha256.New, []byte(tc.secret))
		mac.Write([]byte(ts + "." + string(got[0].body)))
		if want := "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil)); got[0].signature != want {
			t.Fatalf("%s: signature %q, want %q", tc.user, got[0].signature, want)
		}
	}

	resp, err := http.Get(srv.URL + "/_sim/config")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if !strings.Contains(string(b), one.srv.URL+"/one") || strings.Contains(string(b), "s3cret") {
		t.Fatalf("GET /_sim/config %s: want the accounts' URLs, never their secrets", b)
	}
}
