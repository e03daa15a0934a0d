package processonesim

// GetInfoRequest asks what a payment token stands for.
type GetInfoRequest struct {
	Token string
	Authentication
}

// TokenEftInfo is a saved bank account, without its full number.
type TokenEftInfo struct {
	RoutingNumber  string
	LastFourDigits string
	Type           EftAccountType
	CustomerName   string
}

// TokenCreditCardInfo is a saved card, without its number.
type TokenCreditCardInfo struct {
	LastFourDigits  string
	Type            CreditCardType
	ExpirationYear  int
	ExpirationMonth int
	Holder          *Customer
	BaseCardType    CreditCardType
}

// TokenInfo is what GetInfo and GetTokenInfoBatch return per token.
type TokenInfo struct {
	TokenType           TokenType
	Eft                 *TokenEftInfo
	CreditCard          *TokenCreditCardInfo
	ClientReferenceData *ClientReferenceData
	TransactionID       *string `json:"TransactionId"`
}

// GetInfoResponse is one token's information.
type GetInfoResponse struct {
	TokenInfo
	Result
}

// GetTokenInfoBatchRequest asks about several tokens.
type GetTokenInfoBatchRequest struct {
	PaymentTokens []string
	Authentication
}

// GetTokenInfoBatchResponse lists the known tokens.
type GetTokenInfoBatchResponse struct {
	TokenInfoResults []TokenInfo
	Result
}

// RemovePaymentTokenRequest deletes a saved card or account.
type RemovePaymentTokenRequest struct {
	Token      string
	CustomerID *string `json:"CustomerId"`
	Authentication
}

// RemovePaymentTokenResponse is only a result.
type RemovePaymentTokenResponse struct {
	Result
}
