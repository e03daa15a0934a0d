package paycodesim

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/shopspring/decimal"
)

// PayRequest is the body of POST /_sim/pay: a consumer paying a code.
type PayRequest struct {
	Code   string              `json:"code"`
	Amount decimal.NullDecimal `json:"amount"` // omitted = the code's amount
	Tip    decimal.NullDecimal `json:"tip"`
}

// PayResult is the answer to POST /_sim/pay.
type PayResult struct {
	Notification Notification    `json:"notification"`
	Callback     *CallbackResult `json:"callback,omitempty"`
}

// CallbackResult says how the notification's delivery went (one attempt).
type CallbackResult struct {
	URL    string `json:"url"`
	Status int    `json:"status,omitempty"`
	Error  string `json:"error,omitempty"`
}

// PayError is a refused payment: 404 unknown code, 409 code used, expired
// or blocked, 400 bad amount or tip.
type PayError struct {
	Status  int    `json:"status"`
	Message string `json:"error"`
}

func (e *PayError) Error() string { return fmt.Sprintf("pay: %d %s", e.Status, e.Message) }

// Pay records a payment on a code and, when a callback URL is configured,
// POSTs the notification to it before returning.
func (s *Simulator) Pay(ctx context.Context, req PayRequest) (*PayResult, error) {
	n, cb, at, err := s.recordPayment(req)
	if err != nil {
		return nil, err
	}
	res := &PayResult{Notification: n}
	if cb.URL != "" {
		res.Callback = s.deliver(ctx, cb, at, n)
	}
	return res, nil
}

// recordPayment checks and books the payment under the lock; it returns the
// notification, where it goes (the code's account's callback, else the
// simulator-wide URL) and the simulator's time.
func (s *Simulator) recordPayment(req PayRequest) (Notification, AccountCallback, time.Time, error) {
	var none AccountCallback
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	c, ok := s.codes[req.Code]
	if !ok {
		return Notification{}, none, now, &PayError{Status: http.StatusNotFound, Message: "no such code"}
	}
	if st := c.status(now); st != CodeActive {
		return Notification{}, none, now, &PayError{Status: http.StatusConflict, Message: "code is " + st}
	}
	amt, tip, err := payAmounts(c, req)
	if err != nil {
		return Notification{}, none, now, err
	}
	c.Payments++
	s.seq++
	m := s.merchants[c.Merchant]
	return Notification{
		Type: EventCodePaid, TransactionID: s.opts.NewID(), Code: c.Code,
		MerchantReference: c.MerchantReference, MerchantName: m.Name,
		Amount: amt, Tip: tip, Currency: m.Currency, UseOnce: c.UseOnce, CodeStatus: c.status(now),
		RRN: fmt.Sprintf("%012d", s.seq), RRN2: c.RRN2, SubMerchantName: c.SubMerchantName,
		TerminalID: c.TerminalID, PaidAt: now.UnixMilli(),
	}, s.callbackFor(c.Merchant), now, nil
}

// payAmounts: a variable code needs an amount; a fixed one takes its own
// unless partial payment lets the consumer edit it; a tip needs requestTip.
func payAmounts(c *codeState, req PayRequest) (decimal.Decimal, decimal.Decimal, error) {
	amt, tip := c.Amount, decimal.Zero
	if req.Amount.Valid {
		amt = req.Amount.Decimal
	}
	if req.Tip.Valid {
		tip = req.Tip.Decimal
	}
	bad := func(msg string) error { return &PayError{Status: http.StatusBadRequest, Message: msg} }
	switch {
	case !amt.IsPositive() || checkAmount("amount", amt) != nil:
		return amt, tip, bad("amount must be positive with at most two decimals")
	case !c.Amount.IsZero() && !amt.Equal(c.Amount) && !c.RequestPartialPayment:
		return amt, tip, bad("amount must equal the code's amount")
	case tip.IsNegative() || checkAmount("tip", tip) != nil:
		return amt, tip, bad("tip must not be negative, at most two decimals")
	case tip.IsPositive() && !c.RequestTip:
		return amt, tip, bad("the code does not accept a tip")
	}
	return amt, tip, nil
}

// deliver POSTs the notification once to cb, within CallbackTimeout,
// signed at at when cb has a secret.
func (s *Simulator) deliver(ctx context.Context, cb AccountCallback, at time.Time, n Notification) *CallbackResult {
	url := cb.URL
	res := &CallbackResult{URL: url}
	body, _ := json.Marshal(n)
	ctx, cancel := context.WithTimeout(ctx, s.opts.CallbackTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		res.Error = err.Error()
		return res
	}
	req.Header.Set("Content-Type", "application/json")
	if cb.Secret != "" {
		req.Header.Set(SignatureHeader, sign(cb.Secret, at, body))
	}
	start := time.Now()
	resp, err := s.opts.HTTPClient.Do(req)
	if err != nil {
		res.Error = err.Error()
		s.opts.Logger.Warn("paycode sim: callback failed", "code", n.Code, "error", err)
		return res
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	res.Status = resp.StatusCode
	s.opts.Logger.Debug("paycode sim: callback", "code", n.Code, "status", resp.StatusCode, "duration", time.Since(start))
	return res
}
