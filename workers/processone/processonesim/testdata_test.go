package processonesim

import "testing"

func TestSeedCardsPassLuhn(t *testing.T) {
	t.Parallel()
	for n := range testCards {
		if !luhn(n) {
			t.Errorf("%s fails Luhn", n)
		}
	}
	for _, m := range []map[string]ResponseCode{chargeCardCodes, voidRefundCardCodes, saveCardCodes} {
		for n := range m {
			if !luhn(n) {
				t.Errorf("%s fails Luhn", n)
			}
		}
	}
}
