package onoconnect

import (
	"context"
	"net/http"

	"github.com/switchyard/switchyard/workers/provider"
)

// Charge creates a charge (POST /v2/charges).
//
// Outcomes: approved (ISO "00") → (resp, nil); answered but not approved →
// (resp, KindDeclined with Code = isoResponseCode); 400/401 and other 4xx →
// KindFailed; 500, 502, 503, 504, time-out, reset or an unreadable 200 →
// KindUnknown. An unknown charge must never be repeated: reverse it with
// RejectByReference.
func (c *Client) Charge(ctx context.Context, cred Credentials, req ChargeRequest) (*ChargeResponse, error) {
	const op = "charge"
	r, err := c.post(ctx, op, pathCharges, cred, req)
	if err != nil {
		return nil, err
	}
	if r.Status != http.StatusOK {
		return nil, c.failure(op, r, chargeStatusKind(r.Status), "")
	}
	var resp ChargeResponse
	if err := r.Decode(&resp); err != nil || resp.TransactionID == "" || resp.IsoResponseCode == "" {
		return nil, &provider.Error{Kind: provider.KindUnknown, Provider: providerName, Op: op,
			Status: r.Status, Message: "unreadable charge result", Err: err}
	}
	if !resp.Approved() {
		return &resp, &provider.Error{Kind: provider.KindDeclined, Provider: providerName, Op: op,
			Status: r.Status, Code: resp.IsoResponseCode, Message: resp.ChargeResultMessage}
	}
	return &resp, nil
}

// chargeStatusKind classifies a non-200 charge answer. Any 5xx (500 included:
// the seed says "do not retry", so it may have been applied) and any status
// outside 4xx are unknown; 4xx were refused before anything moved.
func chargeStatusKind(status int) provider.Kind {
	if status >= 400 && status < 500 {
		return provider.KindFailed
	}
	return provider.KindUnknown
}
