package utility

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/switchyard/switchyard/workers/provider"
)

const millisecond = time.Millisecond

// vendOutcome interprets the answer to a purchase or retry:
//
//	2xx with a body          success
//	2xx with an unreadable body, 500, 502, 503, 504
//	                         KindUnknown (tokens may exist: use Retry)
//	400                      KindDeclined, Code = errorType
//	404 with an errorType    KindDeclined (e.g. retry of a purchase never received)
//	401, 403, 404 otherwise, 501, other statuses
//	                         KindFailed (nothing was vended)
func (c *Client) vendOutcome(op string, r *provider.Response) (*PurchaseResponse, error) {
	if r.Status >= 200 && r.Status < 300 {
		var out PurchaseResponse
		if err := json.Unmarshal(r.Body, &out); err != nil || len(out.Tokens) == 0 {
			return nil, &provider.Error{Kind: provider.KindUnknown, Provider: ProviderName, Op: op,
				Status: r.Status, Message: "answer without readable tokens", Err: err}
		}
		return &out, nil
	}
	detail := decodeDetail(r)
	kind := provider.KindFailed
	switch r.Status {
	case http.StatusBadRequest:
		kind = provider.KindDeclined
	case http.StatusNotFound:
		if detail.ErrorType != "" {
			kind = provider.KindDeclined
		}
	case http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		kind = provider.KindUnknown
	}
	return nil, statusError(op, r, kind, detail)
}

// adviceOutcome interprets the answer to an advice: 2xx is done, 400 is a
// final KindDeclined, anything else is KindRetryLater (send it again; an
// advice is idempotent).
func (c *Client) adviceOutcome(op string, r *provider.Response) error {
	if r.Status >= 200 && r.Status < 300 {
		return nil
	}
	detail := decodeDetail(r)
	kind := provider.KindRetryLater
	if r.Status == http.StatusBadRequest {
		kind = provider.KindDeclined
	}
	return statusError(op, r, kind, detail)
}

func decodeDetail(r *provider.Response) ErrorDetail {
	var d ErrorDetail
	_ = json.Unmarshal(r.Body, &d)
	return d
}

func statusError(op string, r *provider.Response, kind provider.Kind, d ErrorDetail) *provider.Error {
	code := d.ErrorType
	if code == "" && kind == provider.KindDeclined {
		code = http.StatusText(r.Status)
	}
	msg := d.ErrorMessage
	if msg == "" {
		msg = "HTTP " + http.StatusText(r.Status)
	}
	return &provider.Error{Kind: kind, Provider: ProviderName, Op: op, Status: r.Status, Code: code, Message: msg}
}
