package onoconnectsim

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
)

// maxReference bounds the length of a clientTransactionId.
const maxReference = 128

// chargeInput is a parsed POST /v2/charges body.
type chargeInput struct {
	MerchantID          string            `json:"merchantId"`
	AmountInCents       *int64            `json:"amountInCents"`
	Currency            string            `json:"currency"`
	ClientTransactionID string            `json:"clientTransactionId"`
	PaymentMethodInfo   json.RawMessage   `json:"paymentMethodInfo"`
	DeviceInfo          json.RawMessage   `json:"deviceInfo"`
	AppInfo             json.RawMessage   `json:"appInfo"`
	Metadata            map[string]string `json:"metadata"`
}

// parseCharge decodes and validates a charge body. The error text is safe
// to send back: it never quotes the payment method.
func parseCharge(body []byte) (chargeInput, error) {
	var in chargeInput
	if err := json.Unmarshal(body, &in); err != nil {
		return in, errors.New("bad or missing JSON input")
	}
	switch {
	case in.MerchantID == "":
		return in, errors.New("merchantId is required")
	case in.AmountInCents == nil || *in.AmountInCents <= 0:
		return in, errors.New("amountInCents must be a positive integer")
	case !isCurrency(in.Currency):
		return in, errors.New("currency must be an ISO 4217 code")
	case in.ClientTransactionID == "" || len(in.ClientTransactionID) > maxReference:
		return in, errors.New("clientTransactionId is required (at most 128 characters)")
	case !isObject(in.PaymentMethodInfo):
		return in, errors.New("paymentMethodInfo must be an object")
	case !isObject(in.DeviceInfo):
		return in, errors.New("deviceInfo must be an object")
	case !isObject(in.AppInfo):
		return in, errors.New("appInfo must be an object")
	}
	return in, nil
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := range 3 {
		c := s[i] | 0x20 // lower case
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func isObject(m json.RawMessage) bool {
	return len(bytes.TrimSpace(m)) > 0 && bytes.TrimSpace(m)[0] == '{'
}

// charge answers POST /v2/charges.
func (s *Simulator) charge(w http.ResponseWriter, r *http.Request) {
	merchant, ok := s.merchantFrom(w, r)
	if !ok {
		return
	}
	body, err := readBody(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", "bad or missing JSON input")
		return
	}
	in, err := parseCharge(body)
	if err == nil && in.MerchantID != merchant {
		err = errors.New("merchantId does not match X-MerchantId")
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "bad_request", err.Error())
		return
	}
	c, ok := s.createCharge(merchant, in)
	if !ok {
		writeError(w, http.StatusBadRequest, "duplicate_reference", "clientTransactionId already used")
		return
	}
	writeJSON(w, http.StatusOK, chargeResponse(c))
}

// createCharge decides and stores a new charge; false when the merchant
// already used this clientTransactionId.
func (s *Simulator) createCharge(merchant string, in chargeInput) (*simCharge, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.byRef[refKey{merchant, in.ClientTransactionID}] != nil {
		return nil, false
	}
	c := &simCharge{id: s.newID(), merchant: merchant, ref: in.ClientTransactionID,
		amount: *in.AmountInCents, currency: in.Currency, created: s.now(),
		iso: s.cfg.isoFor(*in.AmountInCents), conflictsLeft: s.cfg.confirmConflicts}
	c.status = StatusDeclined
	if c.iso == isoApproved {
		c.status = StatusApproved
	}
	s.st.add(c)
	return c, true
}

func chargeResponse(c *simCharge) chargeReply {
	result := resultDeclined
	if c.iso == isoApproved {
		result = resultApproved
	}
	return chargeReply{TransactionID: c.id, ChargeResult: result, ChargeResultMessage: isoMessage(c.iso),
		IsoResponseCode: c.iso, PaymentInfo: json.RawMessage(`{}`)}
}
