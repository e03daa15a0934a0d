package processonesim

const simTimeZone = "UTC"

func chargeType(req *ChargeCreditCardRequest) TransactionType {
	switch {
	case req.IsRecurring:
		return TypeRecurringChargeCreditCard
	case req.ChargeFee != nil && !*req.ChargeFee:
		return TypeChargeCreditCardNoFee
	}
	return TypeChargeCreditCard
}

// chargeCard resolves the card of a charge: the token when one is given.
func (s *Simulator) chargeCard(c call, req *ChargeCreditCardRequest) (cardRef, *Customer, string, ResponseCode) {
	if tok := deref(req.Token); tok != "" {
		t, code := s.cardFromToken(c, tok)
		if t == nil {
			return cardRef{}, nil, "", code
		}
		return *t.Card, t.Holder, tok, code
	}
	ref, code := s.parseCard(req.CreditCard, c)
	if req.CreditCard == nil {
		return ref, nil, "", code
	}
	return ref, req.CreditCard.Holder, "", code
}

func (s *Simulator) ccCharge(c call, req *ChargeCreditCardRequest) any {
	resp := &ChargeCreditCardResponse{TransactionDate: DateOf(c.now), TimeZone: simTimeZone}
	if s.st.callbackTaken(c.key, req.CallbackID) {
		resp.Result = result(CodeDuplicateTransaction)
		return resp
	}
	if !req.Amount.IsPositive() || !req.Amount.Cents() {
		resp.Result = result(CodeInvalidCreditCardAmount)
		return resp
	}
	card, holder, token, code := s.chargeCard(c, req)
	if code != CodeSuccess {
		resp.Result = result(code)
		return resp
	}
	r := &record{Key: c.key, Type: chargeType(req), Amount: req.Amount.Decimal, At: c.now,
		CallbackID: deref(req.CallbackID), Card: &card, Holder: holder, Ref: req.ClientReferenceData,
		CustomerID: deref(req.CustomerID), Group: deref(req.AccountGroupCode), Token: token}
	code = s.gate(r, chargeTestCode(card, req.Amount))
	if code == CodeSuccess && req.Save && token == "" {
		r.Token = s.saveCard(c, card, holder, req.ClientReferenceData, deref(req.CustomerID), "").Token
	}
	s.commit(r, code)
	resp.Token, resp.TransactionID, resp.BatchNumber = optional(r.Token), &r.ID, r.Batch
	resp.CreditCardType, resp.BaseCardType = card.Brand, card.Base
	if code == CodeSuccess {
		resp.AuthorizationCode = &r.AuthCode
	}
	if holder != nil {
		resp.HolderName, resp.HolderZip = holder.Name, holder.Zip
	}
	resp.Result = result(code)
	return resp
}

// saveCard stores a token for card.
func (s *Simulator) saveCard(c call, card cardRef, holder *Customer, ref *ClientReferenceData, customerID, saveTxn string) *savedToken {
	t := &savedToken{Token: s.opts.NewToken(), Key: c.key, Type: TokenCreditCard, Card: &card,
		Holder: holder, Ref: ref, CustomerID: customerID, SaveTxn: saveTxn}
	s.st.tokens[t.Token] = t
	return t
}

func (s *Simulator) ccSave(c call, req *SaveCreditCardRequest) any {
	resp := &SaveCreditCardResponse{TimeZone: simTimeZone}
	if s.st.callbackTaken(c.key, req.CallbackID) {
		resp.Result = result(CodeDuplicateTransaction)
		return resp
	}
	card, code := s.parseCard(req.CreditCard, c)
	if code != CodeSuccess {
		resp.Result = result(code)
		return resp
	}
	if saved, found := saveCardByKey[card.key()]; found {
		code = saved
	}
	r := s.commit(&record{Key: c.key, Type: TypeSaveCreditCard, At: c.now, CallbackID: deref(req.CallbackID),
		Card: &card, Holder: req.CreditCard.Holder, Ref: req.ClientReferenceData, CustomerID: deref(req.CustomerID)}, code)
	if code == CodeSuccess {
		t := s.saveCard(c, card, req.CreditCard.Holder, req.ClientReferenceData, deref(req.CustomerID), r.ID)
		r.Token, resp.Token, resp.TokenCreationTime = t.Token, t.Token, DateOf(c.now)
	}
	resp.BaseCardType = card.Base
	resp.Result = result(code)
	return resp
}

func (s *Simulator) ccUpdate(c call, req *UpdateCreditCardRequest) any {
	resp := &UpdateCreditCardResponse{}
	t := s.st.tokens[req.Token]
	if t == nil || t.Key != c.key || t.Type != TokenCreditCard {
		resp.Result = result(CodeIncorrectTransactionID)
		return resp
	}
	card := *t.Card
	if req.ExpirationMonth != 0 || req.ExpirationYear != 0 {
		if expiryCode(req.ExpirationMonth, req.ExpirationYear, c.now) != CodeSuccess {
			resp.Result = result(CodeInvalidExpirationDate)
			return resp
		}
		card.ExpMonth, card.ExpYear = req.ExpirationMonth, req.ExpirationYear
	}
	if req.ZipCode != nil && !zipValid(*req.ZipCode) {
		resp.Result = result(CodeInvalidZipcode)
		return resp
	}
	holder := Customer{}
	if t.Holder != nil {
		holder = *t.Holder
	}
	if req.ZipCode != nil {
		holder.Zip = *req.ZipCode
	}
	if req.HolderAddress != nil {
		holder.Address = *req.HolderAddress
	}
	if req.CreditCardNetworkType != NetworkUnknown {
		card.Network = req.CreditCardNetworkType
	}
	t.Card, t.Holder = &card, &holder
	resp.TimeZone, resp.UpdateTime = ptr(simTimeZone), DateOf(c.now)
	resp.Result = okResult()
	return resp
}

func (s *Simulator) ccVoid(c call, req *VoidCreditCardRequest) any {
	r, code := s.void(c, req.TransactionID, req.CallbackID, famCard)
	resp := &VoidCreditCardResponse{Result: result(code)}
	if r != nil {
		resp.TransactionID, resp.BatchNumber = &r.ID, r.Batch
		if code == CodeSuccess {
			resp.AuthorizationCode = &r.AuthCode
		}
	}
	return resp
}

func (s *Simulator) ccRefund(c call, req *RefundCreditCardRequest) any {
	r, code := s.refund(c, req.TransactionID, req.CallbackID, req.PartialRefundAmount, famCard)
	resp := &RefundCreditCardResponse{Result: result(code)}
	if r != nil {
		resp.TransactionID, resp.BatchNumber = &r.ID, r.Batch
		if code == CodeSuccess {
			resp.AuthorizationCode = &r.AuthCode
		}
	}
	return resp
}

func (s *Simulator) ccVerify(c call, req *VerifyCreditCardRequest) any {
	if s.opts.VerifyUnsupported {
		return &VerifyCreditCardResponse{Result: result(CodeOperationNotSupported)}
	}
	if s.st.callbackTaken(c.key, req.CallbackID) {
		return &VerifyCreditCardResponse{Result: result(CodeDuplicateTransaction)}
	}
	card, code := s.parseCard(req.CreditCard, c)
	if code != CodeSuccess {
		return &VerifyCreditCardResponse{Result: result(code)}
	}
	if tc, found := chargeCardByKey[card.key()]; found {
		code = tc
	}
	s.commit(&record{Key: c.key, Type: TypeVerifyCreditCard, At: c.now, CallbackID: deref(req.CallbackID),
		Card: &card, Holder: req.CreditCard.Holder, Ref: req.ClientReferenceData, CustomerID: deref(req.CustomerID)}, code)
	return &VerifyCreditCardResponse{Result: result(code)}
}

func (s *Simulator) ccCardData(_ call, req *GetCardDataRequest) any {
	number := req.CreditCardNumber
	if !isTestCard(cardKey(number)) && !luhn(number) {
		return &GetCardDataResponse{Result: result(CodeInvalidCardNumber)}
	}
	ref := s.cardType(number)
	return &GetCardDataResponse{BaseCardType: ref.Base, CreditCardNetworkType: ref.Network, Result: okResult()}
}

func (s *Simulator) ccAccepted(_ call, _ *GetAcceptedCardTypesRequest) any {
	types := append([]CreditCardType(nil), s.opts.AcceptedCardTypes...)
	if s.opts.PinlessDebit {
		types = append(types, CardStar, CardPulse, CardNyce)
	}
	return &GetAcceptedCardTypesResponse{AcceptedCardTypes: types, Result: okResult()}
}

func (s *Simulator) ccFee(_ call, req *ConvenienceFeeRequest) any {
	if !req.Amount.IsPositive() {
		return &ConvenienceFeeResponse{Result: result(CodeInvalidCreditCardAmount)}
	}
	fee := req.Amount.Mul(s.opts.CardFeePercent).Div(hundred).Round(2)
	if fee.LessThan(s.opts.CardFeeMinimum) {
		fee = s.opts.CardFeeMinimum
	}
	return &ConvenienceFeeResponse{ConvenienceFee: AmountOf(fee).Ptr(), CalculationType: ptr("Percent"),
		Percent: AmountOf(s.opts.CardFeePercent).Ptr(), MinimumAmount: AmountOf(s.opts.CardFeeMinimum).Ptr(), Result: okResult()}
}
