package processone

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/switchyard/switchyard/workers/processone/processonesim"
)

func TestTokenLifecycle(t *testing.T) {
	t.Parallel()
	b := setup(t, processonesim.Options{})
	saved, err := b.client.CreditCardSave(b.ctx, &SaveCreditCardRequest{CreditCard: card("4444444444444141"),
		ClientReferenceData: refs("POL-9"), CustomerID: optional("cust-1"), CallbackID: optional("save-1")})
	mustOK(t, err)
	// Charging the token applies the saved card's test data (Declined).
	_, err = b.client.CreditCardCharge(b.ctx, &ChargeCreditCardRequest{Amount: dollars("10.00"), Token: &saved.Token})
	wantCode(t, err, CodeDeclined)

	ok, err := b.client.CreditCardSave(b.ctx, &SaveCreditCardRequest{CreditCard: card("4444444444444117")})
	mustOK(t, err)
	ch, err := b.client.CreditCardCharge(b.ctx, &ChargeCreditCardRequest{Amount: dollars("10.00"), Token: &ok.Token,
		CreditCard: card("4444444444444141")}) // both sent: the token wins
	mustOK(t, err)
	if deref(ch.Token) != ok.Token || ch.HolderName != "John Stevens" {
		t.Fatalf("charge by token %+v", ch)
	}

	info, err := b.client.PaymentTokenGetInfo(b.ctx, &GetInfoRequest{Token: saved.Token})
	mustOK(t, err)
	if info.TokenType != TokenCreditCard || info.CreditCard.LastFourDigits != "4141" || info.ClientReferenceData.Ref1() != "POL-9" {
		t.Fatalf("info %+v", info)
	}
	batch, err := b.client.PaymentTokenGetTokenInfoBatch(b.ctx, &GetTokenInfoBatchRequest{PaymentTokens: []string{saved.Token, ok.Token, "nope"}})
	mustOK(t, err)
	if len(batch.TokenInfoResults) != 2 {
		t.Fatalf("%d results", len(batch.TokenInfoResults))
	}
	_, err = b.client.CreditCardUpdate(b.ctx, &UpdateCreditCardRequest{Token: ok.Token, ExpirationMonth: 1, ExpirationYear: 2031, ZipCode: optional("99999")})
	mustOK(t, err)
	_, err = b.client.CreditCardUpdate(b.ctx, &UpdateCreditCardRequest{Token: ok.Token, ExpirationMonth: 13, ExpirationYear: 2031})
	wantCode(t, err, CodeInvalidExpirationDate)
	_, err = b.client.CreditCardUpdate(b.ctx, &UpdateCreditCardRequest{Token: ok.Token, ZipCode: optional("12")})
	wantCode(t, err, CodeInvalidZipcode)

	_, err = b.client.PaymentTokenRemove(b.ctx, &RemovePaymentTokenRequest{Token: ok.Token})
	mustOK(t, err)
	_, err = b.client.PaymentTokenGetInfo(b.ctx, &GetInfoRequest{Token: ok.Token})
	wantCode(t, err, CodeIncorrectTransactionID)
	_, err = b.client.CreditCardCharge(b.ctx, &ChargeCreditCardRequest{Amount: dollars("10.00"), Token: &ok.Token})
	wantCode(t, err, CodeInvalidCardNumber)
}

func TestChargeWithSaveAndEftToken(t *testing.T) {
	t.Parallel()
	b := setup(t, processonesim.Options{})
	ch, err := b.client.CreditCardCharge(b.ctx, &ChargeCreditCardRequest{Amount: dollars("12.34"), CreditCard: card("4111111111111111"), Save: true})
	mustOK(t, err)
	if deref(ch.Token) == "" {
		t.Fatal("Save: no token")
	}
	d, err := b.client.EftDebit(b.ctx, &DebitEftRequest{Amount: dollars("5.00"), EftDetails: account("123456789"), Save: true})
	mustOK(t, err)
	if deref(d.Token) == "" {
		t.Fatal("EFT Save: no token")
	}
	d2, err := b.client.EftDebit(b.ctx, &DebitEftRequest{Amount: dollars("6.00"), Token: d.Token})
	mustOK(t, err)
	info, err := b.client.PaymentTokenGetInfo(b.ctx, &GetInfoRequest{Token: *d.Token})
	mustOK(t, err)
	if info.TokenType != TokenEft || info.Eft.LastFourDigits != "6789" || info.Eft.RoutingNumber != "121042882" {
		t.Fatalf("eft info %+v", info.Eft)
	}
	tx, err := b.client.TransactionGetByID(b.ctx, &GetTransactionByIDRequest{TransactionID: *d2.TransactionID})
	mustOK(t, err)
	if tx.TransactionInformation.AccountNumber != "****6789" || deref(tx.TransactionInformation.ProcessOneToken) != *d.Token {
		t.Fatalf("eft tx %+v", tx.TransactionInformation)
	}
	_, err = b.client.EftVerifyBankAccount(b.ctx, &VerifyBankAccountRequest{Token: d.Token})
	mustOK(t, err)
}

// TestNoCardNumberLeaves: no response and no request-log entry carries a
// full card number or CVV.
func TestNoCardNumberLeaves(t *testing.T) {
	t.Parallel()
	b := setup(t, processonesim.Options{})
	const pan = "4444444444444125"
	saved, err := b.client.CreditCardSave(b.ctx, &SaveCreditCardRequest{CreditCard: card(pan)})
	mustOK(t, err)
	ch, err := b.client.CreditCardCharge(b.ctx, &ChargeCreditCardRequest{Amount: dollars("9.99"), CreditCard: card(pan), CallbackID: optional("x")})
	mustOK(t, err)
	var bodies []any
	bodies = append(bodies, saved, ch)
	info, _ := b.client.PaymentTokenGetInfo(b.ctx, &GetInfoRequest{Token: saved.Token})
	tx, _ := b.client.TransactionGetByCallbackID(b.ctx, &GetTransactionByCallbackIDRequest{CallbackID: "x"})
	list, _ := b.client.TransactionGetByType(b.ctx, &GetTransactionsByTypeRequest{})
	bodies = append(bodies, info, tx, list)
	raw, _ := json.Marshal(bodies)
	logged, _ := json.Marshal(b.sim.Harness().Log().Entries())
	for _, s := range []string{string(raw), string(logged)} {
		if strings.Contains(s, pan) || strings.Contains(s, processonesim.DevAuthenticationKey) {
			t.Fatalf("a card number or key leaked: %s", s)
		}
	}
	if !strings.Contains(string(raw), `"LastFourDigits":"4125"`) {
		t.Fatalf("last four missing: %s", raw)
	}
}
