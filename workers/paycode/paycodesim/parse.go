package paycodesim

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/shopspring/decimal"
)

// maxRequestBody bounds what the simulator reads of a request.
const maxRequestBody = 64 << 10

// apiError is an answer with one of the provider's statuses.
type apiError struct {
	Status  int
	Field   string
	Message string
}

func (e *apiError) Error() string { return e.Message }

func badRequest(field, msg string) *apiError {
	return &apiError{Status: StatusBadRequest, Field: field, Message: msg}
}

func invalid(field, msg string) *apiError {
	return &apiError{Status: StatusValidation, Field: field, Message: field + ": " + msg}
}

// listField is a notification list: the seed's comma-separated string, or
// (as its samples show) a JSON array of strings or numbers.
type listField []string

func (l *listField) UnmarshalJSON(b []byte) error {
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		*l = nil
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*l = splitList(s)
		return nil
	}
	var arr []flexString
	if err := json.Unmarshal(b, &arr); err != nil {
		return err
	}
	out := make([]string, 0, len(arr))
	for _, a := range arr {
		out = append(out, strings.TrimSpace(string(a)))
	}
	*l = out
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// basketIn is a limitBasket entry as received.
type basketIn struct {
	Destination flexString          `json:"destination"`
	ItemType    string              `json:"itemType"`
	Amount      decimal.NullDecimal `json:"amount"`
}

// basketField is limitBasket: a JSON array, or (the seed types it String) a
// string holding one.
type basketField []basketIn

func (f *basketField) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		if strings.TrimSpace(s) == "" {
			*f = nil
			return nil
		}
		b = []byte(s)
	}
	var items []basketIn
	if err := json.Unmarshal(b, &items); err != nil {
		return err
	}
	*f = items
	return nil
}

// createIn is POST /code/create as received.
type createIn struct {
	Amount                decimal.NullDecimal `json:"amount"`
	MerchantReference     *flexString         `json:"merchantReference"`
	ExpiryDate            *int64              `json:"expiryDate"`
	UseOnce               *bool               `json:"useOnce"`
	LimitBasket           basketField         `json:"limitBasket"`
	ShortDescription      *string             `json:"shortDescription"`
	RequestPartialPayment bool                `json:"requestPartialPayment"`
	RequestTip            bool                `json:"requestTip"`
	SubMerchantName       string              `json:"subMerchantName"`
	TerminalID            string              `json:"terminalId"`
	SMSNotify             listField           `json:"smsNotify"`
	EmailNotify           listField           `json:"emailNotify"`
	RRN2                  string              `json:"rrn2"`
}

// updateIn is PUT /code/{code} as received.
type updateIn struct {
	Amount            decimal.NullDecimal `json:"amount"`
	MerchantReference *flexString         `json:"merchantReference"`
	ExpiryDate        *int64              `json:"expiryDate"`
	UseOnce           *bool               `json:"useOnce"`
	ShortDescription  *string             `json:"shortDescription"`
	ProductURL        string              `json:"productURL"`
	LimitBasket       basketField         `json:"limitBasket"`
}

// amountIn is PUT /code/{code}/amount as received.
type amountIn struct {
	Amount     decimal.NullDecimal `json:"amount"`
	ExpiryDate *int64              `json:"expiryDate"`
}

// decodeBody reads one JSON object; anything else is a 400.
func decodeBody(b []byte, v any) *apiError {
	if len(bytes.TrimSpace(b)) == 0 {
		return badRequest("", "empty body")
	}
	if err := json.Unmarshal(b, v); err != nil {
		return badRequest("", "not valid JSON: "+err.Error())
	}
	return nil
}

func parseCreate(b []byte) (createIn, *apiError) {
	var in createIn
	if e := decodeBody(b, &in); e != nil {
		return in, e
	}
	switch {
	case !in.Amount.Valid:
		return in, badRequest("amount", "amount is mandatory")
	case in.MerchantReference == nil || *in.MerchantReference == "":
		return in, badRequest("merchantReference", "merchantReference is mandatory")
	case in.ShortDescription == nil || *in.ShortDescription == "":
		return in, badRequest("shortDescription", "shortDescription is mandatory")
	}
	return in, nil
}

func parseUpdate(b []byte) (updateIn, *apiError) {
	var in updateIn
	if e := decodeBody(b, &in); e != nil {
		return in, e
	}
	switch {
	case in.MerchantReference == nil || *in.MerchantReference == "":
		return in, badRequest("merchantReference", "merchantReference is mandatory")
	case in.ShortDescription == nil || *in.ShortDescription == "":
		return in, badRequest("shortDescription", "shortDescription is mandatory")
	}
	return in, nil
}

func parseAmount(b []byte) (amountIn, *apiError) {
	var in amountIn
	if e := decodeBody(b, &in); e != nil {
		return in, e
	}
	if !in.Amount.Valid {
		return in, badRequest("amount", "amount is mandatory")
	}
	return in, nil
}
