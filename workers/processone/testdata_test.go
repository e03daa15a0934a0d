package processone

import (
	"fmt"
	"testing"
	"time"

	"github.com/switchyard/switchyard/workers/processone/processonesim"
)

// The rows below are copied from the seed's TEST DATA section by hand, not
// from the simulator's tables, so each side checks the other.

var seedAmountCards = []string{"4444444444444448", "5431111111111111", "341111111111111", "6011601160116611"}

var seedChargeAmounts = []struct {
	amount string
	code   ResponseCode
}{
	{"1.00", CodeSuccess}, {"42.50", CodeSuccess}, // "1.00 or any not listed amount"
	{"2.00", CodeIncorrectValidationValue}, {"12.00", CodeIncorrectValidationValue},
	{"3.00", CodeDeclined}, {"13.00", CodeDeclined},
	{"4.00", CodeOverMaximumPayment},
	{"5.00", CodeDuplicateTransaction}, {"15.00", CodeDuplicateTransaction},
	{"6.00", CodeGatewayInternalError}, {"16.00", CodeGatewayInternalError},
	{"7.00", CodeInvalidCardNumber}, {"17.00", CodeInvalidCardNumber},
	{"14.00", CodeAvsVerificationFailed},
	{"18.00", CodeCall},
	{"19.00", CodeNoProcessorResponse},
}

func TestSeedChargeByCardAndAmount(t *testing.T) {
	t.Parallel()
	for _, number := range seedAmountCards {
		for _, row := range seedChargeAmounts {
			t.Run(number[len(number)-4:]+"/"+row.amount, func(t *testing.T) {
				t.Parallel()
				b := setup(t, processonesim.Options{})
				resp, err := b.charge(t, number, row.amount, "cb")
				wantCode(t, err, row.code)
				if resp.ResponseCode != row.code {
					t.Fatalf("body ResponseCode %q", resp.ResponseCode)
				}
			})
		}
	}
}

// seedBrandCards is the first table: every card charges, any amount.
func TestSeedBrandCards(t *testing.T) {
	t.Parallel()
	rows := []struct {
		number         string
		brand, pinless CreditCardType
	}{
		{"4111111111111111", CardVisa, CardVisa},
		{"5431111111111111", CardMasterCard, CardMasterCard},
		{"6011601160116611", CardDiscover, CardDiscover},
		{"341111111111111", CardAmex, CardAmex},
		{"4024007167282317", CardVisa, CardStar},
		{"6011172923498605", CardDiscover, CardPulse},
		{"5384483278305365", CardMasterCard, CardNyce},
	}
	for _, row := range rows {
		for _, pinless := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/pinless=%v", row.number, pinless), func(t *testing.T) {
				t.Parallel()
				b := setup(t, processonesim.Options{PinlessDebit: pinless})
				resp, err := b.charge(t, row.number, "1.00", "")
				mustOK(t, err)
				want := row.brand
				if pinless {
					want = row.pinless
				}
				if resp.CreditCardType != want || resp.BaseCardType != row.brand {
					t.Fatalf("type %d base %d, want %d base %d", resp.CreditCardType, resp.BaseCardType, want, row.brand)
				}
			})
		}
	}
}

var seedChargeCards = []struct {
	number string
	code   ResponseCode
}{
	{"4444444444444125", CodeSuccess},
	{"4444444444444133", CodeIncorrectValidationValue},
	{"4444444444444141", CodeDeclined},
	{"4444444444444158", CodeOverMaximumPayment},
	{"4444444444444166", CodeDuplicateTransaction},
	{"4444444444444174", CodeGatewayInternalError},
	{"4444444444444182", CodeInvalidCardNumber},
	{"4444444444444190", CodeSuccess},
	{"4444444444444208", CodeIncorrectValidationValue},
	{"4444444444444216", CodeDeclined},
	{"4444444444444224", CodeAvsVerificationFailed},
	{"4444444444444232", CodeDuplicateTransaction},
	{"4444444444444240", CodeGatewayInternalError},
	{"4444444444444257", CodeInvalidCardNumber},
	{"4444444444444265", CodeCall},
	{"4444444444444273", CodeNoProcessorResponse},
}

func TestSeedChargeByCard(t *testing.T) {
	t.Parallel()
	b := setup(t, processonesim.Options{})
	for i, row := range seedChargeCards {
		for _, amount := range []string{"1.00", "3.00", "250.75"} {
			_, err := b.charge(t, row.number, amount, fmt.Sprintf("cb-%d-%s", i, amount))
			if CodeOf(err) != row.code && !(row.code == CodeSuccess && err == nil) {
				t.Errorf("%s %s: code %q (%v), want %q", row.number, amount, CodeOf(err), err, row.code)
			}
		}
	}
}

func TestSeedSave(t *testing.T) {
	t.Parallel()
	b := setup(t, processonesim.Options{})
	resp, err := b.client.CreditCardSave(b.ctx, &SaveCreditCardRequest{CreditCard: card("4444444444444117")})
	mustOK(t, err)
	if resp.Token == "" {
		t.Fatal("no token")
	}
}

var seedVoidRefundCards = []struct {
	number string
	code   ResponseCode
}{
	{"4444444444444299", CodeInvalidCardNumber},
	{"4444444444444307", CodeIncorrectValidationValue},
	{"4444444444444315", CodeDeclined},
	{"4444444444444323", CodeInvalidCreditCardAmount},
	{"4444444444444331", CodeDuplicateTransaction},
	{"4444444444444349", CodeGatewayInternalError},
	{"4444444444444356", CodeAvsVerificationFailed},
	{"4444444444444364", CodeCardTypeNotAccepted},
	{"4444444444444372", CodeCardExpired},
	{"4444444444444380", CodeCall},
	{"4444444444444398", CodeNoProcessorResponse},
	{"4444444444444505", CodeSuccess},
	{"4444444444444513", CodeSuccess},
}

func TestSeedVoidRefundByCard(t *testing.T) {
	t.Parallel()
	for _, row := range seedVoidRefundCards {
		t.Run(row.number, func(t *testing.T) {
			t.Parallel()
			b := setup(t, processonesim.Options{})
			// The charge for a subsequent void / refund is approved.
			v, err := b.charge(t, row.number, "10.00", "charge-v")
			mustOK(t, err)
			r, err := b.charge(t, row.number, "20.00", "charge-r")
			mustOK(t, err)
			_, err = b.client.CreditCardVoid(b.ctx, &VoidCreditCardRequest{TransactionID: *v.TransactionID})
			wantCode(t, err, row.code)
			b.sim.CloseBatch()
			_, err = b.client.CreditCardRefund(b.ctx, &RefundCreditCardRequest{TransactionID: *r.TransactionID})
			wantCode(t, err, row.code)
		})
	}
}

func TestSeedEftDebitCredit(t *testing.T) {
	t.Parallel()
	rows := []struct {
		account, amount string
		code            ResponseCode
	}{
		{"123456789", "25.00", CodeSuccess}, // the seed's plain test account
		{"1234567890", "1.00", CodeSuccess},
		{"1234567890", "2.00", CodeACHTransactionFailed},
		{"1234567890", "3.00", CodeGatewayInternalError},
		{"1234567890", "4.00", CodeNoProcessorResponse},
		{"1234567892", "3.00", CodeSuccess},
		{"1234567893", "1.00", CodeACHTransactionFailed},
		{"1234567894", "1.00", CodeGatewayInternalError},
		{"1234567895", "1.00", CodeNoProcessorResponse},
		{"1234567896", "2.00", CodeSuccess},
		{"1234567897", "2.00", CodeSuccess},
		{"1234567898", "2.00", CodeSuccess},
	}
	for _, row := range rows {
		t.Run(row.account+"/"+row.amount, func(t *testing.T) {
			t.Parallel()
			b := setup(t, processonesim.Options{})
			_, err := b.debit(t, row.account, row.amount, "")
			wantCode(t, err, row.code)
			_, err = b.client.EftCredit(b.ctx, &CreditEftRequest{Amount: dollars(row.amount), EftDetails: account(row.account)})
			wantCode(t, err, row.code)
		})
	}
}

func TestSeedEftSave(t *testing.T) {
	t.Parallel()
	b := setup(t, processonesim.Options{})
	for _, acct := range []string{"1234567891", "1234567890"} {
		resp, err := b.client.EftSave(b.ctx, &SaveEftRequest{EftDetails: account(acct)})
		mustOK(t, err)
		if resp.Token == "" {
			t.Fatalf("%s: no token", acct)
		}
	}
}

func TestSeedEftVoidRefund(t *testing.T) {
	t.Parallel()
	rows := []struct {
		account, amount string
		code            ResponseCode
	}{
		{"1234567890", "11.00", CodeACHTransactionFailed},
		{"1234567890", "12.00", CodeGatewayInternalError},
		{"1234567890", "13.00", CodeNoProcessorResponse},
		{"1234567890", "10.00", CodeSuccess},
		{"1234567896", "5.00", CodeACHTransactionFailed},
		{"1234567897", "5.00", CodeGatewayInternalError},
		{"1234567898", "5.00", CodeNoProcessorResponse},
	}
	for _, row := range rows {
		t.Run(row.account+"/"+row.amount, func(t *testing.T) {
			t.Parallel()
			b := setup(t, processonesim.Options{})
			v, err := b.debit(t, row.account, row.amount, "")
			mustOK(t, err)
			_, err = b.client.EftVoid(b.ctx, &VoidEftRequest{TransactionID: *v.TransactionID})
			wantCode(t, err, row.code)
			b.clock.Advance(3 * time.Minute) // past the duplicate window
			r, err := b.debit(t, row.account, row.amount, "")
			mustOK(t, err)
			b.sim.CloseBatch()
			_, err = b.client.EftRefund(b.ctx, &RefundEftRequest{TransactionID: *r.TransactionID})
			wantCode(t, err, row.code)
		})
	}
}

func TestSeedBankAccountValidation(t *testing.T) {
	t.Parallel()
	rows := []struct {
		account string
		code    ResponseCode
	}{
		{"1234567890", CodeSuccess},
		{"2234567890", CodeInvalidAccountNumber},
		{"3234567890", CodeInvalidRoutingNumber},
		{"4234567890", CodeGatewayInternalError},
	}
	b := setup(t, processonesim.Options{})
	for _, row := range rows {
		for _, routing := range []string{"121042882", "123123123", "122199983"} {
			d := account(row.account)
			d.RoutingNumber = routing
			_, err := b.client.EftVerifyBankAccount(b.ctx, &VerifyBankAccountRequest{EftDetails: d})
			if CodeOf(err) != row.code && !(row.code == CodeSuccess && err == nil) {
				t.Errorf("%s via %s: %v, want %s", row.account, routing, err, row.code)
			}
		}
	}
}
