package processonesim

import "strings"

// parseAccount checks bank account details; validate applies the seed's
// bank-account validation table (skipped with BypassBankAccountValidation).
func (s *Simulator) parseAccount(d *EftDetails, validate bool) (acctRef, ResponseCode) {
	if d == nil {
		return acctRef{}, CodeInvalidAccountNumber
	}
	a := acctRef{Routing: d.RoutingNumber, Number: d.AccountNumber, Type: d.Type, Name: d.CustomerName}
	switch {
	case strings.TrimSpace(d.CustomerName) == "":
		return a, CodeEFTCustomerNameMissing
	case !abaValid(d.RoutingNumber):
		return a, CodeInvalidRoutingNumber
	case !digits(d.AccountNumber) || len(d.AccountNumber) < 4 || len(d.AccountNumber) > 17:
		return a, CodeInvalidAccountNumber
	case contains(s.opts.BlockedAccounts, d.AccountNumber):
		return a, CodeBlockedBankAccount
	}
	if code, ok := bankValidationCodes[d.AccountNumber]; ok && validate {
		return a, code
	}
	return a, CodeSuccess
}

// eftAccount resolves the account of a debit or credit: the token first.
func (s *Simulator) eftAccount(c call, token *string, d *EftDetails, validate bool) (acctRef, string, ResponseCode) {
	if tok := deref(token); tok != "" {
		t := s.st.tokens[tok]
		if t == nil || t.Key != c.key || t.Type != TokenEft {
			return acctRef{}, "", CodeInvalidAccountNumber
		}
		if contains(s.opts.BlockedAccounts, t.Acct.Number) {
			return *t.Acct, tok, CodeBlockedBankAccount
		}
		return *t.Acct, tok, CodeSuccess
	}
	a, code := s.parseAccount(d, validate)
	return a, "", code
}

// eftTestCode is the seed's answer to a credit or debit.
func eftTestCode(a acctRef, amount Amount) ResponseCode {
	if code, ok := eftAccountCodes[a.Number]; ok {
		return code
	}
	if a.Number == eftAmountAccount {
		if code, ok := eftAmountCodes[amount.StringFixed(2)]; ok {
			return code
		}
	}
	return CodeSuccess
}

func bankName(routing string) *string {
	if b, ok := banks[routing]; ok {
		return &b.BankName
	}
	return ptr("Test Bank")
}

// eftMove is a debit or credit: the shared part of both.
type eftMove struct {
	typ        TransactionType
	amount     Amount
	token      *string
	details    *EftDetails
	validate   bool
	ref        *ClientReferenceData
	callbackID *string
	customerID *string
	group      *string
}

func (s *Simulator) eftMove(c call, m eftMove) (*record, ResponseCode) {
	if s.st.callbackTaken(c.key, m.callbackID) {
		return nil, CodeDuplicateTransaction
	}
	if !m.amount.IsPositive() || !m.amount.Cents() {
		return nil, CodeInvalidEFTAmount
	}
	a, token, code := s.eftAccount(c, m.token, m.details, m.validate)
	if code != CodeSuccess {
		return nil, code
	}
	r := &record{Key: c.key, Type: m.typ, Amount: m.amount.Decimal, At: c.now, CallbackID: deref(m.callbackID),
		Acct: &a, Ref: m.ref, CustomerID: deref(m.customerID), Group: deref(m.group), Token: token}
	code = s.gate(r, eftTestCode(a, m.amount))
	return s.commit(r, code), code
}

func debitType(req *DebitEftRequest) TransactionType {
	switch {
	case req.IsRecurring:
		return TypeRecurringEft
	case !req.ChargeFee:
		return TypeDebitEftNoFee
	}
	return TypeDebitEft
}

func (s *Simulator) eftDebit(c call, req *DebitEftRequest) any {
	r, code := s.eftMove(c, eftMove{typ: debitType(req), amount: req.Amount, token: req.Token, details: req.EftDetails,
		validate: !req.BypassBankAccountValidation, ref: req.ClientReferenceData, callbackID: req.CallbackID,
		customerID: req.CustomerID, group: req.AccountGroupCode})
	resp := &DebitEftResponse{TransactionDate: DateOf(c.now), TimeZone: simTimeZone, Result: result(code)}
	if r == nil {
		return resp
	}
	if code == CodeSuccess && req.Save && r.Token == "" {
		r.Token = s.saveAccount(c, *r.Acct, req.ClientReferenceData, deref(req.CustomerID), "").Token
	}
	resp.Token, resp.TransactionID, resp.BatchNumber = optional(r.Token), &r.ID, r.Batch
	resp.BankName = bankName(r.Acct.Routing)
	return resp
}

func (s *Simulator) eftCredit(c call, req *CreditEftRequest) any {
	r, code := s.eftMove(c, eftMove{typ: TypeCreditBankAccount, amount: req.Amount, token: req.Token,
		details: req.EftDetails, validate: true, ref: req.ClientReferenceData, callbackID: req.CallbackID,
		customerID: req.CustomerID, group: req.AccountGroupCode})
	resp := &CreditEftResponse{TransactionDate: DateOf(c.now), TimeZone: simTimeZone, Result: result(code)}
	if r != nil {
		resp.TransactionID, resp.BatchNumber, resp.BankName = &r.ID, r.Batch, bankName(r.Acct.Routing)
	}
	return resp
}

func (s *Simulator) saveAccount(c call, a acctRef, ref *ClientReferenceData, customerID, saveTxn string) *savedToken {
	t := &savedToken{Token: s.opts.NewToken(), Key: c.key, Type: TokenEft, Acct: &a, Ref: ref,
		CustomerID: customerID, SaveTxn: saveTxn}
	s.st.tokens[t.Token] = t
	return t
}

func (s *Simulator) eftSave(c call, req *SaveEftRequest) any {
	resp := &SaveEftResponse{}
	if s.st.callbackTaken(c.key, req.CallbackID) {
		resp.Result = result(CodeDuplicateTransaction)
		return resp
	}
	a, code := s.parseAccount(req.EftDetails, !req.BypassBankAccountValidation)
	if code != CodeSuccess {
		resp.Result = result(code)
		return resp
	}
	if saved, found := eftSaveCodes[a.Number]; found {
		code = saved
	}
	r := s.commit(&record{Key: c.key, Type: TypeSaveEft, At: c.now, CallbackID: deref(req.CallbackID), Acct: &a,
		Ref: req.ClientReferenceData, CustomerID: deref(req.CustomerID), Group: deref(req.AccountGroupCode)}, code)
	if code == CodeSuccess {
		t := s.saveAccount(c, a, req.ClientReferenceData, deref(req.CustomerID), r.ID)
		r.Token, resp.Token = t.Token, t.Token
		resp.TokenCreationTime, resp.TimeZone, resp.BankName = DateOf(c.now), ptr(simTimeZone), bankName(a.Routing)
	}
	resp.Result = result(code)
	return resp
}

func (s *Simulator) eftVoid(c call, req *VoidEftRequest) any {
	r, code := s.void(c, req.TransactionID, req.CallbackID, famEft)
	resp := &VoidEftResponse{Result: result(code)}
	if r != nil {
		resp.TransactionID = &r.ID
	}
	return resp
}

func (s *Simulator) eftRefund(c call, req *RefundEftRequest) any {
	r, code := s.refund(c, req.TransactionID, req.CallbackID, req.PartialRefundAmount, famEft)
	resp := &RefundEftResponse{Result: result(code)}
	if r != nil {
		resp.TransactionID, resp.BatchNumber = &r.ID, r.Batch
	}
	return resp
}

func (s *Simulator) eftVerify(c call, req *VerifyBankAccountRequest) any {
	a, token, code := s.eftAccount(c, req.Token, req.EftDetails, true)
	if code == CodeSuccess && token != "" {
		if v, found := bankValidationCodes[a.Number]; found {
			code = v
		}
	}
	if req.EftDetails != nil || token != "" {
		s.commit(&record{Key: c.key, Type: TypeVerifyBankAccount, At: c.now, Acct: &a, Ref: req.ClientReferenceData,
			CustomerID: deref(req.CustomerID), Token: token}, code)
	}
	return &VerifyBankAccountResponse{Result: result(code)}
}

func (s *Simulator) eftBankData(_ call, req *GetBankDataRequest) any {
	if !abaValid(req.RoutingNumber) {
		return &GetBankDataResponse{Result: result(CodeInvalidRoutingNumber)}
	}
	b, found := banks[req.RoutingNumber]
	if !found {
		b = GetBankDataResponse{BankName: "Test Bank", BankAddress: "test address", BankCity: "Test city", BankState: "State"}
	}
	b.Result = okResult()
	return &b
}

func (s *Simulator) eftFee(_ call, req *ConvenienceFeeRequest) any {
	if !req.Amount.IsPositive() {
		return &ConvenienceFeeResponse{Result: result(CodeInvalidEFTAmount)}
	}
	return &ConvenienceFeeResponse{ConvenienceFee: AmountOf(s.opts.EftFeeFlat).Ptr(), CalculationType: ptr("FlatRate"),
		FlatRate: AmountOf(s.opts.EftFeeFlat).Ptr(), Result: okResult()}
}
