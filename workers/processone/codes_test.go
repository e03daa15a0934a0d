package processone

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/switchyard/switchyard/workers/processone/processonesim"
	"github.com/switchyard/switchyard/workers/provider"
)

// TestEveryResponseCode drives the simulator to each code the seed defines.
func TestEveryResponseCode(t *testing.T) {
	t.Parallel()
	expired := card("4111111111111111")
	expired.ExpirationYear = 2020
	noName := card("4111111111111111")
	noName.Holder.Name = ""
	badZip := card("4111111111111111")
	badZip.Holder.Zip = "ABC"
	badMonth := card("4111111111111111")
	badMonth.ExpirationMonth = 0
	unknownBrand := card("9999999999999995")
	noEftName := account("123456789")
	noEftName.CustomerName = ""
	closedRefund := func(b *bundle, number string, partial *Amount) error {
		c, err := b.charge(t, number, "10.00", "")
		if err != nil {
			return err
		}
		b.sim.CloseBatch()
		_, err = b.client.CreditCardRefund(b.ctx, &RefundCreditCardRequest{TransactionID: *c.TransactionID, PartialRefundAmount: partial})
		return err
	}
	scenarios := map[ResponseCode]struct {
		opts processonesim.Options
		run  func(b *bundle) error
	}{
		CodeSuccess: {run: func(b *bundle) error { _, err := b.client.HealthCheck(b.ctx); return err }},
		CodeInvalidAuthenticationKey: {opts: processonesim.Options{AuthenticationKeys: []string{"other"}},
			run: func(b *bundle) error { _, err := b.client.HealthCheck(b.ctx); return err }},
		CodeMerchantDisabled: {opts: processonesim.Options{DisabledKeys: []string{processonesim.DevAuthenticationKey}},
			run: func(b *bundle) error { _, err := b.client.HealthCheck(b.ctx); return err }},
		CodeIncorrectValidationValue: {run: func(b *bundle) error { _, err := b.charge(t, "4444444444444133", "1.00", ""); return err }},
		CodeAvsVerificationFailed:    {run: func(b *bundle) error { _, err := b.charge(t, "4444444444444224", "1.00", ""); return err }},
		CodeIncorrectTransactionID: {run: func(b *bundle) error {
			_, err := b.client.CreditCardVoid(b.ctx, &VoidCreditCardRequest{TransactionID: "1"})
			return err
		}},
		CodeInvalidCardNumber: {run: func(b *bundle) error { _, err := b.charge(t, "4111111111111112", "1.00", ""); return err }},
		CodeCardExpired: {run: func(b *bundle) error {
			_, err := b.client.CreditCardCharge(b.ctx, &ChargeCreditCardRequest{Amount: dollars("1.00"), CreditCard: expired})
			return err
		}},
		CodeMaxAllowablePaymentsExceeded: {opts: processonesim.Options{MaxPaymentsPerPolicy: 1}, run: func(b *bundle) error {
			if _, err := b.charge(t, "4111111111111111", "1.00", ""); err != nil {
				return err
			}
			_, err := b.charge(t, "4111111111111111", "2.50", "")
			return err
		}},
		CodeCardTypeNotAccepted: {run: func(b *bundle) error {
			_, err := b.client.CreditCardCharge(b.ctx, &ChargeCreditCardRequest{Amount: dollars("1.00"), CreditCard: unknownBrand})
			return err
		}},
		CodeDeclined:             {run: func(b *bundle) error { _, err := b.charge(t, "4444444444444141", "1.00", ""); return err }},
		CodeCall:                 {run: func(b *bundle) error { _, err := b.charge(t, "4444444444444265", "1.00", ""); return err }},
		CodeGatewayInternalError: {run: func(b *bundle) error { _, err := b.charge(t, "4444444444444174", "1.00", ""); return err }},
		CodeInvalidRoutingNumber: {run: func(b *bundle) error {
			_, err := b.client.EftGetBankData(b.ctx, &GetBankDataRequest{RoutingNumber: "123456789"})
			return err
		}},
		CodeInvalidAccountNumber: {run: func(b *bundle) error { _, err := b.debit(t, "12AB", "1.00", ""); return err }},
		CodeBlockedBankAccount: {opts: processonesim.Options{BlockedAccounts: []string{"123456789"}},
			run: func(b *bundle) error { _, err := b.debit(t, "123456789", "1.00", ""); return err }},
		CodeInvalidEFTAmount: {run: func(b *bundle) error { _, err := b.debit(t, "123456789", "0.00", ""); return err }},
		CodeEFTCustomerNameMissing: {run: func(b *bundle) error {
			_, err := b.client.EftDebit(b.ctx, &DebitEftRequest{Amount: dollars("1.00"), EftDetails: noEftName})
			return err
		}},
		CodeCreditCardCustomerNameMiss: {run: func(b *bundle) error {
			_, err := b.client.CreditCardSave(b.ctx, &SaveCreditCardRequest{CreditCard: noName})
			return err
		}},
		CodeACHTransactionFailed: {run: func(b *bundle) error { _, err := b.debit(t, "1234567893", "1.00", ""); return err }},
		CodeCreditCardVoidFailed: {run: func(b *bundle) error {
			c, _ := b.charge(t, "4111111111111111", "1.00", "")
			b.client.CreditCardVoid(b.ctx, &VoidCreditCardRequest{TransactionID: *c.TransactionID})
			_, err := b.client.CreditCardVoid(b.ctx, &VoidCreditCardRequest{TransactionID: *c.TransactionID})
			return err
		}},
		CodeBatchHasBeenClosed: {run: func(b *bundle) error {
			c, _ := b.charge(t, "4111111111111111", "1.00", "")
			b.sim.CloseBatch()
			_, err := b.client.CreditCardVoid(b.ctx, &VoidCreditCardRequest{TransactionID: *c.TransactionID})
			return err
		}},
		CodeOverMaximumPayment:      {run: func(b *bundle) error { _, err := b.charge(t, "4111111111111111", "10000.01", ""); return err }},
		CodeInvalidCreditCardAmount: {run: func(b *bundle) error { _, err := b.charge(t, "4111111111111111", "0.00", ""); return err }},
		CodeDuplicateTransaction:    {run: func(b *bundle) error { _, err := b.charge(t, "4444444444444166", "1.00", ""); return err }},
		CodeInvalidZipcode: {run: func(b *bundle) error {
			_, err := b.client.CreditCardVerify(b.ctx, &VerifyCreditCardRequest{CreditCard: badZip})
			return err
		}},
		CodeInvalidExpirationDate: {run: func(b *bundle) error {
			_, err := b.client.CreditCardVerify(b.ctx, &VerifyCreditCardRequest{CreditCard: badMonth})
			return err
		}},
		CodeUnableToRefundTransaction: {run: func(b *bundle) error {
			if err := closedRefund(b, "4111111111111111", nil); err != nil {
				return err
			}
			_, err := b.client.CreditCardRefund(b.ctx, &RefundCreditCardRequest{TransactionID: "100001"})
			return err
		}},
		CodePartialRefundIsNotAllowed: {opts: processonesim.Options{PartialRefundsDisabled: true},
			run: func(b *bundle) error { return closedRefund(b, "4111111111111111", dollars("1.00").Ptr()) }},
		CodeInvalidPartialRefundAmount: {run: func(b *bundle) error { return closedRefund(b, "4111111111111111", dollars("10.01").Ptr()) }},
		CodeBatchHasNotBeenClosed: {run: func(b *bundle) error {
			c, _ := b.charge(t, "4111111111111111", "1.00", "")
			_, err := b.client.CreditCardRefund(b.ctx, &RefundCreditCardRequest{TransactionID: *c.TransactionID})
			return err
		}},
		CodeNoProcessorResponse: {run: func(b *bundle) error { _, err := b.charge(t, "4111111111111111", "19.00", ""); return err }},
		CodeOperationNotSupported: {opts: processonesim.Options{VerifyUnsupported: true}, run: func(b *bundle) error {
			_, err := b.client.CreditCardVerify(b.ctx, &VerifyCreditCardRequest{CreditCard: card("4111111111111111")})
			return err
		}},
	}
	// 4111... is not an amount card: 19.00 there is a success. Use an amount card.
	scenarios[CodeNoProcessorResponse] = struct {
		opts processonesim.Options
		run  func(b *bundle) error
	}{run: func(b *bundle) error { _, err := b.charge(t, "5431111111111111", "19.00", ""); return err }}
	for _, code := range AllCodes {
		sc, found := scenarios[code]
		if !found {
			t.Errorf("no scenario for %s", code)
			continue
		}
		t.Run(code, func(t *testing.T) {
			t.Parallel()
			wantCode(t, sc.run(setup(t, sc.opts)), code)
		})
	}
}

func TestAmountJSONIsExact(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"20": "20.00", "0.1": "0.10", "12345678901234.99": "12345678901234.99", "1.005": "1.005"} {
		b, err := AmountOf(decimal.RequireFromString(in)).MarshalJSON()
		mustOK(t, err)
		if string(b) != want {
			t.Errorf("%s marshals to %s, want %s", in, b, want)
		}
	}
	var a Amount
	mustOK(t, a.UnmarshalJSON([]byte("0.30000000000000004")))
	if a.String() != "0.30000000000000004" {
		t.Fatalf("read %s", a.String())
	}
	b := setup(t, processonesim.Options{})
	_, err := b.charge(t, "4111111111111111", "1.005", "")
	wantKind(t, err, provider.KindFailed) // refused before sending
	if n := b.sim.Harness().Log().Count("POST", "/api/CreditCard/Charge"); n != 0 {
		t.Fatal("a sub-cent amount was sent")
	}
}

func TestConvenienceFees(t *testing.T) {
	t.Parallel()
	b := setup(t, processonesim.Options{})
	for amount, want := range map[string]string{"100.00": "1.00", "250.00": "2.50", "10.00": "1.00"} {
		f, err := b.client.CreditCardGetConvenienceFee(b.ctx, &ConvenienceFeeRequest{Amount: dollars(amount)})
		mustOK(t, err)
		if f.ConvenienceFee.StringFixed(2) != want {
			t.Errorf("card fee on %s = %s, want %s", amount, f.ConvenienceFee, want)
		}
	}
	f, err := b.client.EftGetConvenienceFee(b.ctx, &ConvenienceFeeRequest{Amount: dollars("1.00")})
	mustOK(t, err)
	if f.ConvenienceFee.StringFixed(2) != "1.00" {
		t.Fatalf("eft fee %s", f.ConvenienceFee)
	}
	acc, err := b.client.CreditCardGetAcceptedCardTypes(b.ctx, &GetAcceptedCardTypesRequest{})
	mustOK(t, err)
	if len(acc.AcceptedCardTypes) != 4 {
		t.Fatalf("accepted %v", acc.AcceptedCardTypes)
	}
	cd, err := b.client.CreditCardGetCardData(b.ctx, &GetCardDataRequest{CreditCardNumber: "4444444444444448"})
	mustOK(t, err)
	if cd.BaseCardType != CardVisa || cd.CreditCardNetworkType != NetworkDebit {
		t.Fatalf("card data %+v", cd)
	}
	bank, err := b.client.EftGetBankData(b.ctx, &GetBankDataRequest{RoutingNumber: "123123123"})
	mustOK(t, err)
	if bank.BankName != "Test Bank" {
		t.Fatalf("bank %+v", bank)
	}
}
