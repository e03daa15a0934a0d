package processonesim

// Authentication is embedded in every request: ProcessOne authenticates each
// call by the instance key in the body. It is a secret and never logged.
type Authentication struct {
	AuthenticationKey string
}

func (a *Authentication) auth() *Authentication { return a }

// keyed is every request type: each embeds Authentication.
type keyed interface{ auth() *Authentication }

// Result is embedded in every response.
type Result struct {
	ResponseCode ResponseCode
	Message      string
}

// ClientReferenceData are the merchant's five searchable metadata fields.
// ClientReferenceData1 (the "policy number") takes part in duplicate
// detection.
type ClientReferenceData struct {
	ClientReferenceData1 *string
	ClientReferenceData2 *string
	ClientReferenceData3 *string
	ClientReferenceData4 *string
	ClientReferenceData5 *string
}

// Ref1 returns ClientReferenceData1 or "" for a nil d.
func (d *ClientReferenceData) Ref1() string {
	if d == nil || d.ClientReferenceData1 == nil {
		return ""
	}
	return *d.ClientReferenceData1
}

// Customer is a card holder.
type Customer struct {
	Name    string
	Zip     string
	Address string
}

// CreditCardDetails is a card in clear. It only ever travels to the
// provider; nothing here logs or stores it.
type CreditCardDetails struct {
	ExpirationYear  int
	ExpirationMonth int
	Holder          *Customer
	Number          string
	ValidationValue string
}

// EftDetails is a bank account.
type EftDetails struct {
	RoutingNumber string
	AccountNumber string
	Type          EftAccountType
	CustomerName  string
}

// ServerReferenceData is additional response data of EFT operations.
type ServerReferenceData struct {
	ServerReferenceData1 string
}

// TransactionInformation is a transaction as the Transaction queries return
// it.
type TransactionInformation struct {
	TransactionID                  string  `json:"TransactionId"`
	InternalReferenceTransactionID *string `json:"InternalReferenceTransactionId"`
	OriginalAmount                 *Amount
	PostedAmount                   *Amount
	TransactionType                TransactionType
	TransactionStatus              TransactionStatus
	PaymentDate                    Date
	TimeZone                       string
	CreditCardType                 CreditCardType
	LastFourDigits                 string
	RoutingNumber                  string
	AccountNumber                  string
	BatchNumber                    int
	InstanceName                   string
	CustomerName                   string
	ClientReferenceData            *ClientReferenceData
	ProcessOneToken                *string
	CreditCardExpirationMonth      *int
	CreditCardExpirationYear       *int
	BankName                       *string
	BankAccountType                EftAccountType
	ReturnReasonType               *ReturnReasonType
	ReturnReasonCode               *string
	BaseCardType                   *CreditCardType
	AccountGroupCode               *string
	CustomerID                     *string `json:"CustomerId"`
}

// ConvenienceFeeRequest asks for the fee on an amount (card or EFT).
type ConvenienceFeeRequest struct {
	Amount             Amount
	ConvenienceFeeType *string
	Authentication
}

// ConvenienceFeeResponse is the fee and how it was computed.
type ConvenienceFeeResponse struct {
	ConvenienceFee  *Amount
	CalculationType *string
	FlatRate        *Amount
	Percent         *Amount
	MinimumAmount   *Amount
	Result
}
