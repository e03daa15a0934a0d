package processonesim

import (
	"strings"
	"time"
)

// cardRef is all the simulator keeps of a card: BIN, last four, brand.
type cardRef struct {
	BIN      string
	Last4    string
	Brand    CreditCardType
	Base     CreditCardType
	Network  CreditCardNetworkType
	ExpMonth int
	ExpYear  int
}

// key identifies a test card without its full number.
func (c cardRef) key() string { return c.BIN + "|" + c.Last4 }

// cardKey is BIN + last four of a number of at least 10 digits.
func cardKey(number string) string {
	if len(number) < 10 {
		return ""
	}
	return number[:6] + "|" + number[len(number)-4:]
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// luhn reports whether number passes the Luhn check.
func luhn(number string) bool {
	if !digits(number) || len(number) < 12 || len(number) > 19 {
		return false
	}
	sum, double := 0, false
	for i := len(number) - 1; i >= 0; i-- {
		d := int(number[i] - '0')
		if double {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

// brandOf guesses the card brand from its leading digits.
func brandOf(number string) CreditCardType {
	p := func(prefixes ...string) bool {
		for _, x := range prefixes {
			if strings.HasPrefix(number, x) {
				return true
			}
		}
		return false
	}
	switch {
	case p("4"):
		return CardVisa
	case p("51", "52", "53", "54", "55", "22", "23", "24", "25", "26", "27"):
		return CardMasterCard
	case p("34", "37"):
		return CardAmex
	case p("6011", "65", "644", "645", "646", "647", "648", "649"):
		return CardDiscover
	}
	return CardOther
}

// abaValid reports whether routing is a 9-digit ABA number with a valid
// check digit.
func abaValid(routing string) bool {
	if len(routing) != 9 || !digits(routing) {
		return false
	}
	w := []int{3, 7, 1, 3, 7, 1, 3, 7, 1}
	sum := 0
	for i := range 9 {
		sum += w[i] * int(routing[i]-'0')
	}
	return sum%10 == 0
}

// zipValid accepts empty, 5 digits, 9 digits, or 5+4 with a hyphen.
func zipValid(zip string) bool {
	z := strings.ReplaceAll(zip, "-", "")
	return zip == "" || (digits(z) && (len(z) == 5 || len(z) == 9))
}

// expiryCode checks month/year against now.
func expiryCode(month, year int, now time.Time) ResponseCode {
	if month < 1 || month > 12 || year < 1000 || year > 9999 {
		return CodeInvalidExpirationDate
	}
	y, m, _ := now.Date()
	if year < y || (year == y && month < int(m)) {
		return CodeCardExpired
	}
	return CodeSuccess
}

// cvvValid: empty (token-like use) or 3 digits, 4 for American Express.
func cvvValid(cvv string, brand CreditCardType) bool {
	if cvv == "" {
		return true
	}
	want := 3
	if brand == CardAmex {
		want = 4
	}
	return digits(cvv) && len(cvv) == want
}
