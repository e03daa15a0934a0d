package utilitysim

import (
	"encoding/json"
	"regexp"

	"github.com/google/uuid"
)

// msisdnRe is the seed's pattern, anchored at both ends.
var msisdnRe = regexp.MustCompile(`^(\+?[1-9]\d{1,14}|0\d{9})$`)

func formatError(msg string) *ErrorDetail {
	return &ErrorDetail{ErrorType: ErrFormat, ErrorMessage: msg}
}

// parsePurchase decodes and validates a purchase (or retry) request whose
// path names purchase pathID.
func parsePurchase(body []byte, pathID string) (PurchaseRequest, *ErrorDetail) {
	var req PurchaseRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return PurchaseRequest{}, formatError("malformed request: " + err.Error())
	}
	if msg := validatePurchase(&req, pathID); msg != "" {
		return PurchaseRequest{}, formatError(msg)
	}
	return req, nil
}

func validatePurchase(req *PurchaseRequest, pathID string) string {
	switch {
	case req.ID == "":
		return "id is required"
	case req.ID != pathID:
		return "id does not match the purchaseId of the path"
	case uuid.Validate(req.ID) != nil:
		return "id is not a UUID"
	case req.Time.IsZero():
		return "time is required"
	case req.Meter.MeterID == "" && req.Meter.Track2Data == "":
		return "meter.meterId or meter.track2Data is required"
	case req.PurchaseAmount.Amount <= 0:
		return "purchaseAmount.amount must be positive"
	case req.PurchaseAmount.Currency == "":
		return "purchaseAmount.currency is required"
	case req.Originator.Institution.ID == "":
		return "originator.institution.id is required"
	case req.Client.ID == "":
		return "client.id is required"
	case req.ThirdPartyIdentifiers == nil:
		return "thirdPartyIdentifiers is required"
	case req.MSISDN != "" && !msisdnRe.MatchString(req.MSISDN):
		return "msisdn is not a valid phone number"
	}
	return ""
}

// parseAdvice decodes a confirmation or reversal advice into v and checks
// its Advice part against the path.
func parseAdvice(body []byte, v any, a *Advice, purchaseID, adviceID string) *ErrorDetail {
	if err := json.Unmarshal(body, v); err != nil {
		return formatError("malformed advice: " + err.Error())
	}
	switch {
	case a.ID != adviceID:
		return formatError("id does not match the advice id of the path")
	case a.RequestID != purchaseID:
		return formatError("requestId does not match the purchaseId of the path")
	case a.Time.IsZero():
		return formatError("time is required")
	}
	return nil
}

// meterKey is the meter number a purchase is for: meterId, or the PAN part
// of track 2 data.
func meterKey(m Meter) string {
	if m.MeterID != "" {
		return m.MeterID
	}
	for i, c := range m.Track2Data {
		if c == '=' || c == 'D' {
			return m.Track2Data[:i]
		}
	}
	return m.Track2Data
}

// validMeterNumber reports whether id looks like an STS meter number: 11
// or 13 digits.
func validMeterNumber(id string) bool {
	if len(id) != 11 && len(id) != 13 {
		return false
	}
	for _, c := range id {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
