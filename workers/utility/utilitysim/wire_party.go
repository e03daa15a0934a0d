package utilitysim

// Institution is an originating, acquiring, processing or receiving
// institution.
type Institution struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// Originator is where the transaction came from.
type Originator struct {
	Institution Institution `json:"institution"`
	TerminalID  string      `json:"terminalId,omitempty"`
	Merchant    *Merchant   `json:"merchant,omitempty"`
	OperatorID  string      `json:"operatorId,omitempty"`
	ChannelID   string      `json:"channelId,omitempty"`
}

// Merchant is the card acceptor.
type Merchant struct {
	MerchantType string        `json:"merchantType,omitempty"`
	MerchantID   string        `json:"merchantId,omitempty"`
	MerchantName *MerchantName `json:"merchantName,omitempty"`
}

// MerchantName is the merchant's name and location.
type MerchantName struct {
	Name    string `json:"name,omitempty"`
	City    string `json:"city,omitempty"`
	Region  string `json:"region,omitempty"`
	Country string `json:"country,omitempty"`
}

// ThirdPartyIdentifier identifies the transaction in one entity's system.
type ThirdPartyIdentifier struct {
	InstitutionID         string `json:"institutionId"`
	TransactionIdentifier string `json:"transactionIdentifier"`
}

// TransactionLabel lets a transaction be found or grouped; never used for
// processing decisions.
type TransactionLabel struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}
