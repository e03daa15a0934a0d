package utilitysim

import "time"

// PurchaseRequest is the seed's token purchase request. The same value is
// sent to POST /tokenPurchases/{id} and, unchanged, to .../{id}/retry.
type PurchaseRequest struct {
	ID                    string                 `json:"id"`   // UUID, also the {purchaseId} of the path
	Time                  time.Time              `json:"time"` // RFC 3339, millisecond precision
	TransactionLabels     []TransactionLabel     `json:"transactionLabels,omitempty"`
	Meter                 Meter                  `json:"meter"`
	PurchaseAmount        LedgerAmount           `json:"purchaseAmount"`
	UtilityType           string                 `json:"utilityType,omitempty"` // electricity, water, gas
	MSISDN                string                 `json:"msisdn,omitempty"`
	Tenders               []Tender               `json:"tenders,omitempty"`
	Originator            Originator             `json:"originator"`
	Client                Institution            `json:"client"`
	SettlementEntity      *Institution           `json:"settlementEntity,omitempty"`
	Receiver              *Institution           `json:"receiver,omitempty"`
	ThirdPartyIdentifiers []ThirdPartyIdentifier `json:"thirdPartyIdentifiers"`
	SlipData              *SlipData              `json:"slipData,omitempty"`
	BasketRef             string                 `json:"basketRef,omitempty"`
	TranType              string                 `json:"tranType,omitempty"`    // GOODS_AND_SERVICES, ...
	SrcAccType            string                 `json:"srcAccType,omitempty"`  // DEFAULT, CHEQUE, SAVINGS, ...
	DestAccType           string                 `json:"destAccType,omitempty"` // DEFAULT, ...
	Stan                  string                 `json:"stan,omitempty"`
	RRN                   string                 `json:"rrn,omitempty"`
	PaymentMethods        []PaymentMethod        `json:"paymentMethods,omitempty"`
}

// PurchaseResponse is the seed's token purchase response (201 on purchase,
// 202 on retry): the tokens issued and what to print.
type PurchaseResponse struct {
	ID                    string                 `json:"id"`
	Time                  time.Time              `json:"time"`
	TransactionLabels     []TransactionLabel     `json:"transactionLabels,omitempty"`
	PurchaseTotal         *LedgerAmount          `json:"purchaseTotal,omitempty"`
	TaxTotal              *LedgerAmount          `json:"taxTotal,omitempty"`
	Amounts               *Amounts               `json:"amounts,omitempty"`
	Meter                 *Meter                 `json:"meter,omitempty"`
	Customer              *Customer              `json:"customer,omitempty"`
	Utility               *Utility               `json:"utility,omitempty"`
	UtilityType           string                 `json:"utilityType,omitempty"`
	Tokens                []Token                `json:"tokens"`
	DebtRecoveryCharges   []DebtRecoveryCharge   `json:"debtRecoveryCharges,omitempty"`
	ServiceCharges        []ServiceCharge        `json:"serviceCharges,omitempty"`
	VATInvoiceNumber      string                 `json:"vatInvoiceNumber,omitempty"`
	Originator            Originator             `json:"originator"`
	Client                Institution            `json:"client"`
	SettlementEntity      *Institution           `json:"settlementEntity,omitempty"`
	Receiver              *Institution           `json:"receiver,omitempty"`
	ThirdPartyIdentifiers []ThirdPartyIdentifier `json:"thirdPartyIdentifiers"`
	SlipData              *SlipData              `json:"slipData,omitempty"`
	BasketRef             string                 `json:"basketRef,omitempty"`
	TranType              string                 `json:"tranType,omitempty"`
	SrcAccType            string                 `json:"srcAccType,omitempty"`
	DestAccType           string                 `json:"destAccType,omitempty"`
	Stan                  string                 `json:"stan,omitempty"`
	RRN                   string                 `json:"rrn,omitempty"`
}

// Amounts are the amounts involved in the purchase.
type Amounts struct {
	RequestAmount     *LedgerAmount           `json:"requestAmount,omitempty"`
	ApprovedAmount    *LedgerAmount           `json:"approvedAmount,omitempty"`
	FeeAmount         *LedgerAmount           `json:"feeAmount,omitempty"`
	BalanceAmount     *LedgerAmount           `json:"balanceAmount,omitempty"`
	AdditionalAmounts map[string]LedgerAmount `json:"additionalAmounts,omitempty"`
}

// Customer is the utility's customer owning the meter.
type Customer struct {
	FirstName      string          `json:"firstName,omitempty"`
	LastName       string          `json:"lastName,omitempty"`
	Address        string          `json:"address,omitempty"`
	DateOfBirth    *time.Time      `json:"dateOfBirth,omitempty"`
	Status         string          `json:"status,omitempty"`
	MSISDN         string          `json:"msisdn,omitempty"`
	EmailAddress   string          `json:"emailAddress,omitempty"`
	AddressDetails *AddressDetails `json:"addressDetails,omitempty"`
	ProfileID      string          `json:"profileId,omitempty"`
}

// AddressDetails is a structured postal address.
type AddressDetails struct {
	AddressLine1 string `json:"addressLine1,omitempty"`
	AddressLine2 string `json:"addressLine2,omitempty"`
	City         string `json:"city,omitempty"`
	Region       string `json:"region,omitempty"`
	Country      string `json:"country,omitempty"`
	PostalCode   string `json:"postalCode,omitempty"`
}

// Utility is the utility that issued the tokens.
type Utility struct {
	Name      string `json:"name,omitempty"`
	Address   string `json:"address,omitempty"`
	VATRegNum string `json:"vatRegNum,omitempty"`
	ClientID  string `json:"clientId,omitempty"`
	Message   string `json:"message,omitempty"`
}

// TokenType is the kind of token issued.
type TokenType string

// Token types (STS): a standard purchase, free basic service, key change.
const (
	TokenStandard  TokenType = "STD"
	TokenFreeBasic TokenType = "BSST"
	TokenKeyChange TokenType = "KCT"
)

// Token is one issued token: the digits to enter on the meter, the units
// it carries, its share of the amount and its receipt number.
type Token struct {
	TokenType  TokenType    `json:"tokenType"`
	Units      Number       `json:"units"`
	Amount     *TaxedAmount `json:"amount,omitempty"`
	ReceiptNum string       `json:"receiptNum,omitempty"`
	Token      string       `json:"token"`
	TariffCalc []TariffCalc `json:"tariffCalc,omitempty"`
}

// TariffCalc is one step of the tariff: units at a rate.
type TariffCalc struct {
	Units Number `json:"units"`
	Rate  Number `json:"rate"`
}

// DebtRecoveryCharge is an amount taken from the purchase to pay a debt.
type DebtRecoveryCharge struct {
	Amount      *TaxedAmount  `json:"amount,omitempty"`
	Description string        `json:"description,omitempty"`
	Balance     *LedgerAmount `json:"balance,omitempty"`
	ReceiptNum  string        `json:"receiptNum,omitempty"`
}

// ServiceCharge is a fixed charge taken from the purchase.
type ServiceCharge struct {
	Amount      *TaxedAmount `json:"amount,omitempty"`
	Description string       `json:"description,omitempty"`
}
