package processonesim

import "strings"

// The test tables re-keyed by BIN + last four.
var (
	testCardsByKey      = map[string]testCard{}
	amountCardKeys      = map[string]bool{}
	saveCardByKey       = byCardKey(saveCardCodes)
	chargeCardByKey     = byCardKey(chargeCardCodes)
	voidRefundCardByKey = byCardKey(voidRefundCardCodes)
)

func init() {
	for n, tc := range testCards {
		testCardsByKey[cardKey(n)] = tc
	}
	for _, n := range amountCards {
		amountCardKeys[cardKey(n)] = true
	}
}

func byCardKey(m map[string]ResponseCode) map[string]ResponseCode {
	out := make(map[string]ResponseCode, len(m))
	for n, c := range m {
		out[cardKey(n)] = c
	}
	return out
}

// isTestCard reports whether a key is in any test table (those skip Luhn:
// the simulator answers them as the seed says even if a digit is garbled).
func isTestCard(key string) bool {
	_, a := testCardsByKey[key]
	_, b := chargeCardByKey[key]
	_, c := saveCardByKey[key]
	return a || b || c
}

// parseCard checks a card in clear and reduces it to a cardRef. The number
// itself goes no further than this function.
func (s *Simulator) parseCard(d *CreditCardDetails, c call) (cardRef, ResponseCode) {
	if d == nil {
		return cardRef{}, CodeInvalidCardNumber
	}
	number := strings.NewReplacer(" ", "", "-", "").Replace(d.Number)
	key := cardKey(number)
	if !isTestCard(key) && !luhn(number) {
		return cardRef{}, CodeInvalidCardNumber
	}
	ref := s.cardType(number)
	ref.ExpMonth, ref.ExpYear = d.ExpirationMonth, d.ExpirationYear
	switch {
	case d.Holder == nil || strings.TrimSpace(d.Holder.Name) == "":
		return ref, CodeCreditCardCustomerNameMiss
	case expiryCode(d.ExpirationMonth, d.ExpirationYear, c.now) != CodeSuccess:
		return ref, expiryCode(d.ExpirationMonth, d.ExpirationYear, c.now)
	case !zipValid(d.Holder.Zip):
		return ref, CodeInvalidZipcode
	case !cvvValid(d.ValidationValue, ref.Base):
		return ref, CodeIncorrectValidationValue
	case !s.opts.accepts(ref.Brand):
		return ref, CodeCardTypeNotAccepted
	}
	return ref, CodeSuccess
}

// cardType tells brand and network of a number, from the test table first.
func (s *Simulator) cardType(number string) cardRef {
	ref := cardRef{BIN: number[:min(6, len(number))], Last4: number[max(0, len(number)-4):]}
	tc, ok := testCardsByKey[cardKey(number)]
	if !ok {
		tc = testCard{brand: brandOf(number), network: NetworkCredit}
	}
	ref.Brand, ref.Base, ref.Network = tc.brand, tc.brand, tc.network
	if tc.pinless != 0 && s.opts.PinlessDebit {
		ref.Brand = tc.pinless
	}
	return ref
}

// chargeTestCode is the seed's answer to a charge (or verify) of card.
func chargeTestCode(card cardRef, amount Amount) ResponseCode {
	if code, ok := chargeCardByKey[card.key()]; ok {
		return code
	}
	if amountCardKeys[card.key()] {
		if code, ok := chargeAmountCodes[amount.StringFixed(2)]; ok {
			return code
		}
	}
	return CodeSuccess
}

// voidRefundTestCode is the seed's answer to a void or refund of orig.
func voidRefundTestCode(orig *record) ResponseCode {
	switch {
	case orig.Card != nil:
		if code, ok := voidRefundCardByKey[orig.Card.key()]; ok {
			return code
		}
	case orig.Acct != nil:
		if code, ok := eftVoidRefundAccountCodes[orig.Acct.Number]; ok {
			return code
		}
		if orig.Acct.Number == eftAmountAccount {
			if code, ok := eftVoidRefundAmountCodes[orig.Amount.StringFixed(2)]; ok {
				return code
			}
		}
	}
	return CodeSuccess
}

// cardFromToken returns the instance's saved card.
func (s *Simulator) cardFromToken(c call, token string) (*savedToken, ResponseCode) {
	t := s.st.tokens[token]
	if t == nil || t.Key != c.key || t.Type != TokenCreditCard {
		return nil, CodeInvalidCardNumber
	}
	if code := expiryCode(t.Card.ExpMonth, t.Card.ExpYear, c.now); code != CodeSuccess {
		return t, CodeCardExpired
	}
	return t, CodeSuccess
}
