package utilitysim

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"net/http"
	"strings"

	"github.com/shopspring/decimal"
)

var hundred = decimal.NewFromInt(100)

// vend decides a new purchase: a decline by meter or amount, or tokens.
// Callers hold s.mu.
func (s *Simulator) vend(req PurchaseRequest) *purchase {
	p := newPurchase(req)
	if code, msg := s.declineFor(req); code != "" {
		p.decline = &ErrorDetail{ErrorType: code, ErrorMessage: msg, ID: req.ID}
		p.declineStatus = http.StatusBadRequest
		s.opts.Logger.Info("utility sim: purchase declined", "purchase_id", req.ID, "code", code)
		return p
	}
	p.resp = s.issue(req)
	p.issued = 1
	s.opts.Logger.Info("utility sim: tokens issued", "purchase_id", req.ID, "meter", meterKey(req.Meter))
	return p
}

// declineFor returns the errorType and message of a decline, or "".
func (s *Simulator) declineFor(req PurchaseRequest) (string, string) {
	meter := meterKey(req.Meter)
	rule := s.cfg.Meters[meter]
	amt := req.PurchaseAmount
	minAmt := s.cfg.MinAmount
	if rule.MinAmount > 0 {
		minAmt = rule.MinAmount
	}
	switch {
	case !validMeterNumber(meter):
		return ErrUnknownMeter, "meter number must have 11 or 13 digits"
	case rule.Decline != "":
		return rule.Decline, "declined for meter " + meter
	case !knownCurrency(amt.Currency):
		return ErrFormat, "unknown currency " + amt.Currency
	case amt.Amount < minAmt:
		return ErrAmountTooSmall, fmt.Sprintf("minimum purchase is %d minor units", minAmt)
	case amt.Amount > s.cfg.MaxAmount:
		return ErrAmountTooLarge, fmt.Sprintf("maximum purchase is %d minor units", s.cfg.MaxAmount)
	case amt.Amount <= rule.Debt:
		return ErrAmountTooSmall, "amount does not cover the debt recovered"
	}
	return "", ""
}

func knownCurrency(c string) bool { _, ok := MinorExponent(c); return ok }

// issue builds the response of a successful vend: debt recovered first,
// the rest bought as units at UnitPrice (VAT inclusive).
func (s *Simulator) issue(req PurchaseRequest) *PurchaseResponse {
	amt := req.PurchaseAmount
	exp, _ := MinorExponent(amt.Currency)
	debt := s.cfg.Meters[meterKey(req.Meter)].Debt
	value := decimal.New(amt.Amount-debt, -exp)
	units := value.Div(s.opts.UnitPrice).Truncate(1)
	tax := value.Mul(s.opts.VATRate).Div(s.opts.VATRate.Add(hundred)).Round(exp)
	receipt := s.nextReceipt()
	tok := Token{
		TokenType:  TokenStandard,
		Units:      NewNumber(units),
		Amount:     &TaxedAmount{Tax: tax.Shift(exp).IntPart(), TaxType: "VAT", TaxRate: NewNumber(s.opts.VATRate), Amount: amt.Amount - debt, Currency: amt.Currency},
		ReceiptNum: receipt,
		Token:      tokenDigits(req.ID, receipt),
		TariffCalc: []TariffCalc{{Units: NewNumber(units), Rate: NewNumber(s.opts.UnitPrice)}},
	}
	resp := s.responseFor(req, receipt)
	resp.Tokens = []Token{tok}
	resp.TaxTotal = &LedgerAmount{Amount: tok.Amount.Tax, Currency: amt.Currency}
	if debt > 0 {
		resp.DebtRecoveryCharges = []DebtRecoveryCharge{{
			Amount:      &TaxedAmount{Amount: debt, Currency: amt.Currency, TaxRate: NewNumber(decimal.Zero)},
			Description: "Arrears recovery",
			Balance:     &LedgerAmount{Amount: 0, Currency: amt.Currency},
			ReceiptNum:  receipt + "D",
		}}
	}
	resp.SlipData = slipFor(tok, req.UtilityType)
	return resp
}

// responseFor copies the request's echoed fields into a response.
func (s *Simulator) responseFor(req PurchaseRequest, receipt string) *PurchaseResponse {
	amt := req.PurchaseAmount
	approved := LedgerAmount{Amount: amt.Amount, Currency: amt.Currency, LedgerIndicator: Debit}
	meter := req.Meter
	return &PurchaseResponse{
		ID: req.ID, Time: s.opts.Now().UTC().Truncate(millisecond), TransactionLabels: req.TransactionLabels,
		PurchaseTotal: &approved,
		Amounts:       &Amounts{RequestAmount: &amt, ApprovedAmount: &approved},
		Meter:         &meter,
		Customer:      &Customer{FirstName: "Test", LastName: "Customer", Address: "1 Simulator Street", Status: "ACTIVE"},
		Utility:       &Utility{Name: "Switchyard Test Utility", VATRegNum: "4000000000", ClientID: req.Client.ID, Message: "Simulated token"},
		UtilityType:   req.UtilityType, VATInvoiceNumber: "INV" + receipt,
		Originator: req.Originator, Client: req.Client, SettlementEntity: req.SettlementEntity, Receiver: req.Receiver,
		ThirdPartyIdentifiers: append(append([]ThirdPartyIdentifier{}, req.ThirdPartyIdentifiers...),
			ThirdPartyIdentifier{InstitutionID: "utility-sim", TransactionIdentifier: receipt}),
		BasketRef: req.BasketRef, TranType: req.TranType, SrcAccType: req.SrcAccType, DestAccType: req.DestAccType,
		Stan: req.Stan, RRN: req.RRN,
	}
}

func (s *Simulator) nextReceipt() string {
	s.receipts++
	return fmt.Sprintf("%012d", s.receipts)
}

// tokenDigits derives a 20-digit STS-like token from the purchase id and
// receipt, so runs are reproducible.
func tokenDigits(purchaseID, receipt string) string {
	h := sha256.Sum256([]byte(purchaseID + "/" + receipt))
	return fmt.Sprintf("%020d", binary.BigEndian.Uint64(h[:8]))
}

func slipFor(t Token, utilityType string) *SlipData {
	unit := "units"
	if utilityType == "" || strings.EqualFold(utilityType, "electricity") {
		unit = "kWh"
	}
	var g []string
	for i := 0; i < len(t.Token); i += 4 {
		g = append(g, t.Token[i:min(i+4, len(t.Token))])
	}
	return &SlipData{SlipWidth: 40, IssuerReference: t.ReceiptNum, MessageLines: []MessageLine{
		{Text: "PREPAID " + strings.ToUpper(unit) + " TOKEN"},
		{Text: strings.Join(g, " ")},
		{Text: "UNITS: " + t.Units.String() + " " + unit},
		{Text: "RECEIPT: " + t.ReceiptNum},
		{Cut: true},
	}}
}
