package onoconnect

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/switchyard/switchyard/workers/provider"
)

// Confirm confirms an approved charge (POST /v2/charges/{transactionId}/confirm).
// 200 → nil (also for an already confirmed charge); 409 → KindRetryLater
// (retry with back-off, for up to an hour); 404 → KindFailed with Code
// "not_found"; other 4xx → KindFailed; 5xx, time-out, reset → KindUnknown
// (confirm is idempotent, so it may be repeated).
func (c *Client) Confirm(ctx context.Context, cred Credentials, transactionID string, paymentMethodInfo json.RawMessage) error {
	body := finalizeRequest{TransactionID: transactionID, PaymentMethodInfo: paymentMethodInfo}
	return c.finalize(ctx, "confirm", pathCharges+"/"+url.PathEscape(transactionID)+"/confirm", cred, body)
}

// Reject reverses a charge by its ono//connect id
// (POST /v2/charges/{transactionId}/reject). 200 → nil (also when already
// rejected); 404 → KindFailed Code "not_found"; 409 (already confirmed) →
// KindRetryLater; 5xx, time-out → KindUnknown.
func (c *Client) Reject(ctx context.Context, cred Credentials, transactionID string) error {
	body := finalizeRequest{TransactionID: transactionID}
	return c.finalize(ctx, "reject", pathCharges+"/"+url.PathEscape(transactionID)+"/reject", cred, body)
}

// RejectByReference reverses a charge by the merchant's clientTransactionId,
// for when the charge's answer was never received
// (POST /v2/charges/byClientTransactionId/{clientTransactionId}/reject).
// Outcomes as Reject; a 404 (KindFailed, Code "not_found") means the charge
// never landed, so there is nothing to reverse.
func (c *Client) RejectByReference(ctx context.Context, cred Credentials, clientTransactionID string) error {
	body := finalizeRequest{ClientTransactionID: clientTransactionID}
	return c.finalize(ctx, "reject_by_reference", pathByReference+url.PathEscape(clientTransactionID)+"/reject", cred, body)
}

func (c *Client) finalize(ctx context.Context, op, path string, cred Credentials, body finalizeRequest) error {
	r, err := c.post(ctx, op, path, cred, body)
	if err != nil {
		return err
	}
	switch {
	case r.Status == http.StatusOK:
		return nil
	case r.Status == http.StatusConflict:
		return c.failure(op, r, provider.KindRetryLater, "")
	case r.Status == http.StatusNotFound:
		return c.failure(op, r, provider.KindFailed, codeNotFound)
	case r.Status >= 400 && r.Status < 500:
		return c.failure(op, r, provider.KindFailed, "")
	default:
		return c.failure(op, r, provider.KindUnknown, "")
	}
}
