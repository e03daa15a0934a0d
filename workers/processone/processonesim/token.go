package processonesim

func (t *savedToken) info() TokenInfo {
	ti := TokenInfo{TokenType: t.Type, ClientReferenceData: t.Ref, TransactionID: optional(t.SaveTxn)}
	if t.Card != nil {
		ti.CreditCard = &TokenCreditCardInfo{LastFourDigits: t.Card.Last4, Type: t.Card.Brand,
			ExpirationYear: t.Card.ExpYear, ExpirationMonth: t.Card.ExpMonth, Holder: t.Holder, BaseCardType: t.Card.Base}
	}
	if t.Acct != nil {
		ti.Eft = &TokenEftInfo{RoutingNumber: t.Acct.Routing, LastFourDigits: t.Acct.last4(), Type: t.Acct.Type,
			CustomerName: t.Acct.Name}
	}
	return ti
}

func (s *Simulator) token(c call, tok string) *savedToken {
	t := s.st.tokens[tok]
	if t == nil || t.Key != c.key {
		return nil
	}
	return t
}

func (s *Simulator) tokenInfo(c call, req *GetInfoRequest) any {
	t := s.token(c, req.Token)
	if t == nil {
		return &GetInfoResponse{Result: result(CodeIncorrectTransactionID)}
	}
	return &GetInfoResponse{TokenInfo: t.info(), Result: okResult()}
}

func (s *Simulator) tokenInfoBatch(c call, req *GetTokenInfoBatchRequest) any {
	out := []TokenInfo{}
	for _, tok := range req.PaymentTokens {
		if t := s.token(c, tok); t != nil {
			out = append(out, t.info())
		}
	}
	return &GetTokenInfoBatchResponse{TokenInfoResults: out, Result: okResult()}
}

func (s *Simulator) tokenRemove(c call, req *RemovePaymentTokenRequest) any {
	t := s.token(c, req.Token)
	if t == nil || (deref(req.CustomerID) != "" && t.CustomerID != "" && deref(req.CustomerID) != t.CustomerID) {
		return &RemovePaymentTokenResponse{Result: result(CodeIncorrectTransactionID)}
	}
	delete(s.st.tokens, req.Token)
	typ := TypeRemoveSavedCreditCard
	if t.Type == TokenEft {
		typ = TypeRemoveSavedEft
	}
	s.commit(&record{Key: c.key, Type: typ, At: c.now, Card: t.Card, Holder: t.Holder, Acct: t.Acct, Ref: t.Ref,
		CustomerID: t.CustomerID, Token: t.Token}, CodeSuccess)
	return &RemovePaymentTokenResponse{Result: okResult()}
}
