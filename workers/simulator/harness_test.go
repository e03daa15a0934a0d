package simulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// rig is a harness around an inner handler that counts the calls it gets.
type rig struct {
	h     *Harness
	srv   *httptest.Server
	inner atomic.Int64
}

// newRig serves Wrap(inner) on 127.0.0.1. The inner handler answers 200
// {"inner":"<path>"}; under /_sim/ it answers 418 so a test can tell who
// answered.
func newRig(t *testing.T, mod func(*Harness)) *rig {
	t.Helper()
	rg := &rig{}
	inner := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rg.inner.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Inner", "yes")
		if strings.HasPrefix(r.URL.Path, "/_sim/") {
			w.WriteHeader(http.StatusTeapot)
		}
		_, _ = fmt.Fprintf(w, `{"inner":%q}`, r.URL.Path)
	})
	rg.h = Wrap(inner)
	if mod != nil {
		mod(rg.h)
	}
	rg.srv = httptest.NewServer(rg.h)
	t.Cleanup(rg.srv.Close)
	return rg
}

// client returns a client with its own transport, so that no test reuses a
// connection another request left behind (a reused connection would let the
// transport replay an idempotent request after a drop).
func (rg *rig) client(t *testing.T, timeout time.Duration) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: timeout}
}

// send makes one request and returns status and body.
func (rg *rig) send(c *http.Client, method, path, body string) (int, string, error) {
	var rdr io.Reader
	if body != "" {
		rdr = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, rg.srv.URL+path, rdr)
	if err != nil {
		return 0, "", err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// must sends with a 5 s client and fails the test on a transport error.
func (rg *rig) must(t *testing.T, method, path, body string) (int, string) {
	t.Helper()
	st, b, err := rg.send(rg.client(t, 5*time.Second), method, path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return st, b
}

func (rg *rig) arm(t *testing.T, f string) {
	t.Helper()
	if st, b := rg.must(t, http.MethodPost, "/_sim/faults", f); st != http.StatusCreated {
		t.Fatalf("arm %s: HTTP %d %s", f, st, b)
	}
}

func (rg *rig) faults(t *testing.T) []Fault {
	t.Helper()
	st, b := rg.must(t, http.MethodGet, "/_sim/faults", "")
	if st != http.StatusOK {
		t.Fatalf("GET /_sim/faults: HTTP %d %s", st, b)
	}
	var fs []Fault
	if err := json.Unmarshal([]byte(b), &fs); err != nil {
		t.Fatalf("GET /_sim/faults: %v in %s", err, b)
	}
	return fs
}

func (rg *rig) entries(t *testing.T) []Entry {
	t.Helper()
	st, b := rg.must(t, http.MethodGet, "/_sim/requests", "")
	if st != http.StatusOK {
		t.Fatalf("GET /_sim/requests: HTTP %d %s", st, b)
	}
	var es []Entry
	if err := json.Unmarshal([]byte(b), &es); err != nil {
		t.Fatalf("GET /_sim/requests: %v in %s", err, b)
	}
	return es
}

// waitInner polls until the inner handler has run n times.
func (rg *rig) waitInner(t *testing.T, n int64) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for rg.inner.Load() != n {
		if time.Now().After(deadline) {
			t.Fatalf("inner handler ran %d times, want %d", rg.inner.Load(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// closeWithin stops the server and fails unless every handler has returned
// within d: a handler must not outlive the client that gave up on it.
func (rg *rig) closeWithin(t *testing.T, d time.Duration) {
	t.Helper()
	done := make(chan struct{})
	go func() { rg.srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("a handler still runs %v after its client gave up", d)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

type call struct {
	method, path string
	status       int // answer expected
}

func TestStatusFault(t *testing.T) {
	t.Parallel()
	post := func(p string, st int) call { return call{http.MethodPost, p, st} }
	tests := []struct {
		name  string
		fault string
		calls []call
		inner int64 // calls the inner handler must have seen
	}{
		{"fires count times then normal", `{"path":"/v2/charges","status":503,"count":2}`,
			[]call{post("/v2/charges", 503), post("/v2/charges", 503), post("/v2/charges", 200)}, 1},
		{"count 0 fires once", `{"path":"/v2/charges","status":500}`,
			[]call{post("/v2/charges", 500), post("/v2/charges", 200)}, 1},
		{"path is a prefix", `{"path":"/v2/charges","status":502,"count":2}`,
			[]call{post("/v2/refunds", 200), post("/v2/charges/abc/confirm", 502), post("/v2/chargesX", 502)}, 1},
		{"empty path matches all", `{"status":504,"count":2}`,
			[]call{post("/a", 504), {http.MethodGet, "/b/c", 504}, post("/a", 200)}, 1},
		{"glob matches confirm only", `{"path":"/v2/charges/*/confirm","status":409,"count":2}`,
			[]call{post("/v2/charges", 200), post("/v2/charges/abc/reject", 200), post("/v2/charges/abc/confirm/x", 200),
				post("/v2/charges/abc/confirm", 409), post("/v2/charges/def/confirm", 409), post("/v2/charges/ghi/confirm", 200)}, 4},
		{"method filter", `{"path":"/x","method":"get","status":503}`,
			[]call{post("/x", 200), {http.MethodDelete, "/x", 200}, {http.MethodGet, "/x", 503}, {http.MethodGet, "/x", 200}}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rg := newRig(t, nil)
			rg.arm(t, tc.fault)
			for i, c := range tc.calls {
				st, body := rg.must(t, c.method, c.path, `{"amount":"1.00"}`)
				if st != c.status {
					t.Fatalf("call %d %s %s: HTTP %d, want %d (%s)", i, c.method, c.path, st, c.status, body)
				}
				if st == 200 && body != fmt.Sprintf(`{"inner":%q}`, c.path) {
					t.Fatalf("call %d: body %s, want the inner handler's", i, body)
				}
				if st != 200 && !strings.Contains(body, `"status":`+strconv.Itoa(st)) {
					t.Fatalf("call %d: fault body %s does not name status %d", i, body, st)
				}
			}
			if got := rg.inner.Load(); got != tc.inner {
				t.Fatalf("inner handler ran %d times, want %d", got, tc.inner)
			}
			if fs := rg.faults(t); len(fs) != 0 {
				t.Fatalf("faults still armed after firing: %+v", fs)
			}
		})
	}
}

func TestStatusFaultBodyAndHeaders(t *testing.T) {
	t.Parallel()
	rg := newRig(t, nil)
	rg.arm(t, `{"path":"/pay","status":400,"body":"{\"code\":\"E42\"}"}`)
	resp, err := rg.client(t, 5*time.Second).Post(rg.srv.URL+"/pay", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 400 || string(b) != `{"code":"E42"}` {
		t.Fatalf("HTTP %d %s, want 400 with the configured body", resp.StatusCode, b)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q", ct)
	}
	if resp.Header.Get("X-Inner") != "" {
		t.Fatal("a status fault let the inner handler answer")
	}
	if rg.inner.Load() != 0 {
		t.Fatalf("inner ran %d times", rg.inner.Load())
	}
}

func TestFaultControlEndpoints(t *testing.T) {
	t.Parallel()
	rg := newRig(t, nil)
	if st, b := rg.must(t, http.MethodPost, "/_sim/faults", `{"path":`); st != http.StatusBadRequest {
		t.Fatalf("bad fault JSON: HTTP %d %s, want 400", st, b)
	}
	rg.arm(t, `{"path":"/a","method":"POST","status":503,"count":3}`)
	rg.arm(t, `{"path":"/b/*/c","delay_ms":10}`)
	want := []Fault{
		{Path: "/a", Method: "POST", Status: 503, Count: 3},
		{Path: "/b/*/c", DelayMS: 10, Count: 1},
	}
	if got := rg.faults(t); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("GET /_sim/faults = %+v, want %+v", got, want)
	}
	if st, _ := rg.must(t, http.MethodPost, "/a", ""); st != 503 {
		t.Fatalf("HTTP %d, want 503", st)
	}
	if got := rg.faults(t); len(got) != 2 || got[0].Count != 2 {
		t.Fatalf("after one firing: %+v, want /a with count 2", got)
	}
	if st, _ := rg.must(t, http.MethodDelete, "/_sim/faults", ""); st != http.StatusNoContent {
		t.Fatalf("DELETE /_sim/faults: HTTP %d", st)
	}
	if got := rg.faults(t); len(got) != 0 {
		t.Fatalf("after DELETE: %+v", got)
	}
	if st, _ := rg.must(t, http.MethodPost, "/a", ""); st != 200 {
		t.Fatalf("after DELETE: HTTP %d, want 200", st)
	}
	if n := rg.inner.Load(); n != 1 {
		t.Fatalf("inner ran %d times, want 1 (control calls must not reach it)", n)
	}
}

func TestOtherSimPathsReachInner(t *testing.T) {
	t.Parallel()
	rg := newRig(t, nil)
	for _, c := range []call{{http.MethodPost, "/_sim/config", 418}, {http.MethodGet, "/_sim/charges/x", 418},
		{http.MethodPut, "/_sim/faults", 418}, {http.MethodPost, "/_sim/requests", 418}} {
		st, b := rg.must(t, c.method, c.path, "")
		if st != c.status || b != fmt.Sprintf(`{"inner":%q}`, c.path) {
			t.Fatalf("%s %s: HTTP %d %s, want the inner handler's 418", c.method, c.path, st, b)
		}
	}
	if n := rg.inner.Load(); n != 4 {
		t.Fatalf("inner ran %d times, want 4", n)
	}
	if es := rg.entries(t); len(es) != 0 {
		t.Fatalf("control calls were logged: %+v", es)
	}
}

func TestDelayFault(t *testing.T) {
	t.Parallel()
	t.Run("answers late", func(t *testing.T) {
		t.Parallel()
		rg := newRig(t, nil)
		rg.arm(t, `{"path":"/pay","delay_ms":300}`)
		start := time.Now()
		st, b, err := rg.send(rg.client(t, 5*time.Second), http.MethodPost, "/pay", `{}`)
		if err != nil || st != 200 || b != `{"inner":"/pay"}` {
			t.Fatalf("HTTP %d %s %v, want the inner handler's 200", st, b, err)
		}
		if el := time.Since(start); el < 300*time.Millisecond {
			t.Fatalf("answered after %v, want >= 300ms", el)
		}
		if rg.inner.Load() != 1 {
			t.Fatalf("inner ran %d times, want 1", rg.inner.Load())
		}
	})
	t.Run("acts then client times out", func(t *testing.T) {
		t.Parallel()
		rg := newRig(t, nil)
		rg.arm(t, `{"path":"/pay","delay_ms":30000}`)
		_, _, err := rg.send(rg.client(t, 300*time.Millisecond), http.MethodPost, "/pay", `{}`)
		if !isTimeout(err) {
			t.Fatalf("err = %v, want a client time-out", err)
		}
		rg.waitInner(t, 1)
		es := rg.entries(t)
		if len(es) != 1 || es[0].Status != 200 || es[0].Fault != "delay 30000ms" {
			t.Fatalf("log %+v, want one entry status 200 fault delay", es)
		}
		rg.closeWithin(t, 5*time.Second)
	})
}

func TestDropFault(t *testing.T) {
	t.Parallel()
	rg := newRig(t, nil)
	rg.arm(t, `{"path":"/pay","drop":true}`)
	st, _, err := rg.send(rg.client(t, 5*time.Second), http.MethodPost, "/pay", `{}`)
	if err == nil || isTimeout(err) {
		t.Fatalf("HTTP %d err %v, want a connection error that is not a time-out", st, err)
	}
	rg.waitInner(t, 1)
	es := rg.entries(t)
	if len(es) != 1 || es[0].Fault != "drop" || es[0].Status != 200 {
		t.Fatalf("log %+v, want one entry status 200 fault drop", es)
	}
	if st, _ := rg.must(t, http.MethodPost, "/pay", `{}`); st != 200 {
		t.Fatalf("after the drop: HTTP %d", st)
	}
}

func TestLoseFault(t *testing.T) {
	t.Parallel()
	rg := newRig(t, nil)
	rg.arm(t, `{"path":"/pay","lose":true}`)
	start := time.Now()
	_, _, err := rg.send(rg.client(t, 300*time.Millisecond), http.MethodPost, "/pay", `{}`)
	if !isTimeout(err) {
		t.Fatalf("err = %v, want a client time-out", err)
	}
	if el := time.Since(start); el < 300*time.Millisecond {
		t.Fatalf("gave up after %v", el)
	}
	es := rg.entries(t)
	if len(es) != 1 || es[0].Fault != "lose" || es[0].Status != 0 {
		t.Fatalf("log %+v, want one entry status 0 fault lose", es)
	}
	if st, _ := rg.must(t, http.MethodPost, "/pay", `{}`); st != 200 {
		t.Fatalf("after the lose: HTTP %d", st)
	}
	if n := rg.inner.Load(); n != 1 {
		t.Fatalf("inner ran %d times, want 1 (only the call after the lost one)", n)
	}
	rg.closeWithin(t, 5*time.Second)
}

func TestLoseFaultHoldsAtMostLost(t *testing.T) {
	t.Parallel()
	rg := newRig(t, func(h *Harness) { h.Lost = 100 * time.Millisecond })
	rg.arm(t, `{"lose":true}`)
	_, _, err := rg.send(rg.client(t, 10*time.Second), http.MethodGet, "/q", "")
	if err == nil || isTimeout(err) {
		t.Fatalf("err = %v, want the connection closed after Lost", err)
	}
	if n := rg.inner.Load(); n != 0 {
		t.Fatalf("inner ran %d times, want 0", n)
	}
}

func TestRequestLogOverHTTP(t *testing.T) {
	t.Parallel()
	rg := newRig(t, nil)
	secrets := map[string]string{
		"cvv": "cvv-v4l", "ValidationValue": "vv-v4l", "password": "pw-v4l", "secret": "sec-v4l", "otp": "otp-v4l",
		"pin": "pin-v4l", "AuthenticationKey": "ak-v4l", "api_key": "apikey-v4l", "token": "tok-v4l",
	}
	fields := []string{`"number":"4111111111111111"`, `"reference":"ref-clear"`, `"amount":"10.00"`}
	for k, v := range secrets {
		fields = append(fields, fmt.Sprintf("%q:%q", k, v))
	}
	body := `{"card":{` + strings.Join(fields, ",") + `},"pin":1234}`
	if st, _ := rg.must(t, http.MethodPost, "/pay", body); st != 200 {
		t.Fatalf("HTTP %d", st)
	}
	rg.arm(t, `{"path":"/pay","status":503}`)
	if st, _ := rg.must(t, http.MethodPost, "/pay?x=1", `{}`); st != 503 {
		t.Fatalf("HTTP %d", st)
	}

	es := rg.entries(t)
	if len(es) != 2 {
		t.Fatalf("log has %d entries, want 2: %+v", len(es), es)
	}
	first, second := es[0], es[1]
	if first.Method != "POST" || first.Path != "/pay" || first.Status != 200 || first.Fault != "" || first.Time.IsZero() {
		t.Fatalf("first entry %+v", first)
	}
	if second.Status != 503 || second.Fault != "status 503" || second.Query != "x=1" {
		t.Fatalf("second entry %+v", second)
	}
	logged := first.Body
	if strings.Contains(logged, "4111111111111111") || !strings.Contains(logged, `"411111******1111"`) {
		t.Fatalf("card number not masked to BIN+******+last4: %s", logged)
	}
	for k, v := range secrets {
		if strings.Contains(logged, v) || !strings.Contains(logged, fmt.Sprintf(`%q:"***"`, k)) {
			t.Fatalf("%s not masked: %s", k, logged)
		}
	}
	if strings.Contains(logged, "1234") || !strings.Contains(logged, `"pin":"***"}`) {
		t.Fatalf("numeric pin not masked: %s", logged)
	}
	if !strings.Contains(logged, `"reference":"ref-clear"`) || !strings.Contains(logged, `"amount":"10.00"`) {
		t.Fatalf("plain fields were masked: %s", logged)
	}
	if n := rg.h.Log().Count(http.MethodPost, "/pay"); n != 2 {
		t.Fatalf("Count = %d, want 2", n)
	}

	if st, _ := rg.must(t, http.MethodDelete, "/_sim/requests", ""); st != http.StatusNoContent {
		t.Fatalf("DELETE /_sim/requests: HTTP %d", st)
	}
	if es := rg.entries(t); len(es) != 0 {
		t.Fatalf("after DELETE: %+v", es)
	}
	if n := rg.h.Log().Count(http.MethodPost, "/pay"); n != 0 {
		t.Fatalf("Count after DELETE = %d", n)
	}
}

func TestRequestLogKeepsMax(t *testing.T) {
	t.Parallel()
	rg := newRig(t, func(h *Harness) { h.log = NewRequestLog(3) })
	for i := 1; i <= 5; i++ {
		rg.must(t, http.MethodGet, "/r/"+strconv.Itoa(i), "")
	}
	var paths []string
	for _, e := range rg.entries(t) {
		paths = append(paths, e.Path)
	}
	if got := strings.Join(paths, " "); got != "/r/3 /r/4 /r/5" {
		t.Fatalf("log paths %q, want the last three, oldest first", got)
	}
}

func TestRequestLogDirect(t *testing.T) {
	t.Parallel()
	l := NewRequestLog(3)
	if es := l.Entries(); len(es) != 0 {
		t.Fatalf("new log: %+v", es)
	}
	for i := 1; i <= 100; i++ {
		l.add(Entry{Method: "GET", Path: "/p" + strconv.Itoa(i%2)})
		es := l.Entries()
		if want := min(i, 3); len(es) != want {
			t.Fatalf("after %d adds: %d entries, want %d", i, len(es), want)
		}
		if es[len(es)-1].Path != "/p"+strconv.Itoa(i%2) {
			t.Fatalf("after %d adds: newest is %s", i, es[len(es)-1].Path)
		}
	}
	es := l.Entries()
	es[0].Path = "/changed"
	if l.Entries()[0].Path == "/changed" {
		t.Fatal("Entries returned the log's own slice")
	}
	l.Clear()
	l.add(Entry{Method: "GET", Path: "/a"})
	l.add(Entry{Method: "POST", Path: "/a"})
	l.add(Entry{Method: "GET", Path: "/a"})
	if n := l.Count("GET", "/a"); n != 2 {
		t.Fatalf("Count(GET /a) = %d, want 2", n)
	}
	if n := l.Count("POST", "/a"); n != 1 {
		t.Fatalf("Count(POST /a) = %d, want 1", n)
	}
	if n := l.Count("GET", "/b"); n != 0 {
		t.Fatalf("Count(GET /b) = %d, want 0", n)
	}
}

func TestMask(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{`{"pan":"5500005555555559"}`, `{"pan":"550000******5559"}`},
		{`{"pan":"4111111111111"}`, `{"pan":"411111******1111"}`},          // 13 digits
		{`{"pan":"4111111111111111111"}`, `{"pan":"411111******1111"}`},    // 19 digits
		{`{"id":"41111111111111111111"}`, `{"id":"41111111111111111111"}`}, // 20: not a card number
		{`{"id":"411111111111"}`, `{"id":"411111111111"}`},                 // 12
		{`{"CVV2" : "123"}`, `{"CVV2" : "***"}`},
		{`{"cardNumber":"4111111111111111"}`, `{"cardNumber":"***"}`},
		{`{"amount":"10.00","reference":"abc"}`, `{"amount":"10.00","reference":"abc"}`},
		{`not json 4111111111111111 end`, `not json 411111******1111 end`},
	}
	for _, tc := range tests {
		if got := Mask([]byte(tc.in)); got != tc.want {
			t.Errorf("Mask(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// luhnPAN builds a 16-digit number with a valid Luhn check digit from seed.
func luhnPAN(seed uint64) string {
	d := make([]byte, 16)
	d[0] = "3456"[seed%4]
	seed /= 4
	for i := 1; i < 15; i++ {
		d[i] = byte('0' + seed%10)
		seed = seed/10 ^ seed*2654435761
	}
	sum := 0
	for i := 14; i >= 0; i-- {
		n := int(d[i] - '0')
		if (14-i)%2 == 0 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	d[15] = byte('0' + (10-sum%10)%10)
	return string(d)
}

func FuzzMask(f *testing.F) {
	f.Add([]byte(`{"cvv":"123"}`), "number", "note", uint64(0))
	f.Add([]byte(`4111111111111111`), "token", `"pan":`, uint64(42))
	f.Add([]byte(`{"a":"\"}`), `x"y`, `\`, uint64(1<<63))
	f.Add([]byte{0xff, '"', ':', '1'}, "", "4111111111111111", uint64(7))
	f.Fuzz(func(t *testing.T, raw []byte, key, other string, seed uint64) {
		_ = Mask(raw) // never panics

		pan := luhnPAN(seed)
		if strings.Contains(key, pan) || strings.Contains(other, pan) {
			t.Skip("the PAN also appears outside the value")
		}
		if key == "note" {
			key = "k"
		}
		in, err := json.Marshal(map[string]string{key: pan, "note": other})
		if err != nil {
			t.Skip()
		}
		out := Mask(in)
		if strings.Contains(out, pan) {
			t.Fatalf("PAN %s in clear: Mask(%s) = %s", pan, in, out)
		}
	})
}
