package onepipesim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// ParseRequest decodes and checks a request body as the simulator receives
// it. Unknown fields are accepted (OnePipe's samples carry many); a missing
// request_ref or transaction.transaction_ref is refused, except for options,
// where allowEmpty accepts an empty body (GET).
func ParseRequest(body []byte, allowEmpty bool) (*Request, error) {
	var req Request
	if len(bytes.TrimSpace(body)) == 0 {
		if allowEmpty {
			return &req, nil
		}
		return nil, errors.New("empty body")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&req); err != nil {
		return nil, fmt.Errorf("malformed JSON: %w", err)
	}
	if dec.More() {
		return nil, errors.New("trailing data after JSON object")
	}
	if req.RequestRef == "" && !allowEmpty {
		return nil, errors.New("request_ref is required")
	}
	if req.Transaction.TransactionRef == "" && !allowEmpty {
		return nil, errors.New("transaction.transaction_ref is required")
	}
	if req.Transaction.Amount < 0 {
		return nil, errors.New("transaction.amount must not be negative")
	}
	return &req, nil
}
