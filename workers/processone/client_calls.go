package processone

import "context"

// post is the typed form of Client.call.
func post[Resp any, PR interface {
	*Resp
	resulted
}](ctx context.Context, c *Client, op, path string, req keyed) (*Resp, error) {
	resp := PR(new(Resp))
	err := c.call(ctx, op, path, req, resp)
	return (*Resp)(resp), err
}

// CreditCardSave tokenizes a card.
func (c *Client) CreditCardSave(ctx context.Context, req *SaveCreditCardRequest) (*SaveCreditCardResponse, error) {
	return post[SaveCreditCardResponse](ctx, c, "CreditCard/Save", "/api/CreditCard/Save", req)
}

// CreditCardUpdate changes a saved card.
func (c *Client) CreditCardUpdate(ctx context.Context, req *UpdateCreditCardRequest) (*UpdateCreditCardResponse, error) {
	return post[UpdateCreditCardResponse](ctx, c, "CreditCard/Update", "/api/CreditCard/Update", req)
}

// CreditCardCharge charges a card or token. On an unknown outcome, ask
// TransactionGetByCallbackID with the request's CallbackId before anything
// else.
func (c *Client) CreditCardCharge(ctx context.Context, req *ChargeCreditCardRequest) (*ChargeCreditCardResponse, error) {
	if err := checkAmount("CreditCard/Charge", req.Amount); err != nil {
		return nil, err
	}
	return post[ChargeCreditCardResponse](ctx, c, "CreditCard/Charge", "/api/CreditCard/Charge", req)
}

// CreditCardVoid voids a charge in an open batch.
func (c *Client) CreditCardVoid(ctx context.Context, req *VoidCreditCardRequest) (*VoidCreditCardResponse, error) {
	return post[VoidCreditCardResponse](ctx, c, "CreditCard/Void", "/api/CreditCard/Void", req)
}

// CreditCardRefund refunds a settled charge.
func (c *Client) CreditCardRefund(ctx context.Context, req *RefundCreditCardRequest) (*RefundCreditCardResponse, error) {
	if req.PartialRefundAmount != nil {
		if err := checkAmount("CreditCard/Refund", *req.PartialRefundAmount); err != nil {
			return nil, err
		}
	}
	return post[RefundCreditCardResponse](ctx, c, "CreditCard/Refund", "/api/CreditCard/Refund", req)
}

// CreditCardVerify checks a card.
func (c *Client) CreditCardVerify(ctx context.Context, req *VerifyCreditCardRequest) (*VerifyCreditCardResponse, error) {
	return post[VerifyCreditCardResponse](ctx, c, "CreditCard/Verify", "/api/CreditCard/Verify", req)
}

// CreditCardGetCardData tells a card's brand and network type.
func (c *Client) CreditCardGetCardData(ctx context.Context, req *GetCardDataRequest) (*GetCardDataResponse, error) {
	return post[GetCardDataResponse](ctx, c, "CreditCard/GetCardData", "/api/CreditCard/GetCardData", req)
}

// CreditCardGetConvenienceFee returns the card fee on an amount.
func (c *Client) CreditCardGetConvenienceFee(ctx context.Context, req *ConvenienceFeeRequest) (*ConvenienceFeeResponse, error) {
	return post[ConvenienceFeeResponse](ctx, c, "CreditCard/GetConvenienceFee", "/api/CreditCard/GetConvenienceFee", req)
}

// CreditCardGetAcceptedCardTypes lists the merchant's accepted brands.
func (c *Client) CreditCardGetAcceptedCardTypes(ctx context.Context, req *GetAcceptedCardTypesRequest) (*GetAcceptedCardTypesResponse, error) {
	return post[GetAcceptedCardTypesResponse](ctx, c, "CreditCard/GetAcceptedCardTypes", "/api/CreditCard/GetAcceptedCardTypes", req)
}

// EftSave tokenizes a bank account.
func (c *Client) EftSave(ctx context.Context, req *SaveEftRequest) (*SaveEftResponse, error) {
	return post[SaveEftResponse](ctx, c, "Eft/Save", "/api/Eft/Save", req)
}

// EftDebit collects from a bank account. On an unknown outcome, ask
// TransactionGetByCallbackID.
func (c *Client) EftDebit(ctx context.Context, req *DebitEftRequest) (*DebitEftResponse, error) {
	if err := checkAmount("Eft/Debit", req.Amount); err != nil {
		return nil, err
	}
	return post[DebitEftResponse](ctx, c, "Eft/Debit", "/api/Eft/Debit", req)
}

// EftCredit pays to a bank account.
func (c *Client) EftCredit(ctx context.Context, req *CreditEftRequest) (*CreditEftResponse, error) {
	if err := checkAmount("Eft/Credit", req.Amount); err != nil {
		return nil, err
	}
	return post[CreditEftResponse](ctx, c, "Eft/Credit", "/api/Eft/Credit", req)
}

// EftVoid voids an EFT transaction in an open batch.
func (c *Client) EftVoid(ctx context.Context, req *VoidEftRequest) (*VoidEftResponse, error) {
	return post[VoidEftResponse](ctx, c, "Eft/Void", "/api/Eft/Void", req)
}

// EftRefund refunds a settled EFT debit.
func (c *Client) EftRefund(ctx context.Context, req *RefundEftRequest) (*RefundEftResponse, error) {
	if req.PartialRefundAmount != nil {
		if err := checkAmount("Eft/Refund", *req.PartialRefundAmount); err != nil {
			return nil, err
		}
	}
	return post[RefundEftResponse](ctx, c, "Eft/Refund", "/api/Eft/Refund", req)
}

// EftVerifyBankAccount validates a bank account.
func (c *Client) EftVerifyBankAccount(ctx context.Context, req *VerifyBankAccountRequest) (*VerifyBankAccountResponse, error) {
	return post[VerifyBankAccountResponse](ctx, c, "Eft/VerifyBankAccount", "/api/Eft/VerifyBankAccount", req)
}

// EftGetBankData looks a routing number up.
func (c *Client) EftGetBankData(ctx context.Context, req *GetBankDataRequest) (*GetBankDataResponse, error) {
	return post[GetBankDataResponse](ctx, c, "Eft/GetBankData", "/api/Eft/GetBankData", req)
}

// EftGetConvenienceFee returns the EFT fee on an amount.
func (c *Client) EftGetConvenienceFee(ctx context.Context, req *ConvenienceFeeRequest) (*ConvenienceFeeResponse, error) {
	return post[ConvenienceFeeResponse](ctx, c, "Eft/GetConvenienceFee", "/api/Eft/GetConvenienceFee", req)
}

// PaymentTokenGetInfo describes a token.
func (c *Client) PaymentTokenGetInfo(ctx context.Context, req *GetInfoRequest) (*GetInfoResponse, error) {
	return post[GetInfoResponse](ctx, c, "PaymentToken/GetInfo", "/api/PaymentToken/GetInfo", req)
}

// PaymentTokenGetTokenInfoBatch describes several tokens.
func (c *Client) PaymentTokenGetTokenInfoBatch(ctx context.Context, req *GetTokenInfoBatchRequest) (*GetTokenInfoBatchResponse, error) {
	return post[GetTokenInfoBatchResponse](ctx, c, "PaymentToken/GetTokenInfoBatch", "/api/PaymentToken/GetTokenInfoBatch", req)
}

// PaymentTokenRemove deletes a token.
func (c *Client) PaymentTokenRemove(ctx context.Context, req *RemovePaymentTokenRequest) (*RemovePaymentTokenResponse, error) {
	return post[RemovePaymentTokenResponse](ctx, c, "PaymentToken/Remove", "/api/PaymentToken/Remove", req)
}

// TransactionGetByID fetches one transaction.
func (c *Client) TransactionGetByID(ctx context.Context, req *GetTransactionByIDRequest) (*GetTransactionResponse, error) {
	return post[GetTransactionResponse](ctx, c, "Transaction/GetTransactionById", "/api/Transaction/GetTransactionById", req)
}

// TransactionGetByCallbackID fetches the transaction a CallbackId named:
// IsNotFound(err) means the call never landed.
func (c *Client) TransactionGetByCallbackID(ctx context.Context, req *GetTransactionByCallbackIDRequest) (*GetTransactionResponse, error) {
	return post[GetTransactionResponse](ctx, c, "Transaction/GetTransactionByCallbackId", "/api/Transaction/GetTransactionByCallbackId", req)
}

// TransactionGetByBatchID lists a batch's transactions.
func (c *Client) TransactionGetByBatchID(ctx context.Context, req *GetTransactionsByBatchIDRequest) (*GetTransactionsResponse, error) {
	return post[GetTransactionsResponse](ctx, c, "Transaction/GetTransactionsByBatchId", "/api/Transaction/GetTransactionsByBatchId", req)
}

// TransactionGetByType lists transactions by type and period.
func (c *Client) TransactionGetByType(ctx context.Context, req *GetTransactionsByTypeRequest) (*GetTransactionsResponse, error) {
	return post[GetTransactionsResponse](ctx, c, "Transaction/GetTransactionsByType", "/api/Transaction/GetTransactionsByType", req)
}

// TransactionGetByCustomerAndClientRefData lists a customer's transactions.
func (c *Client) TransactionGetByCustomerAndClientRefData(ctx context.Context, req *GetTransactionsByCustomerAndClientRefDataRequest) (*GetTransactionsResponse, error) {
	return post[GetTransactionsResponse](ctx, c, "Transaction/GetTransactionsByCustomerAndClientRefData", "/api/Transaction/GetTransactionsByCustomerAndClientRefData", req)
}

// TransactionUpdateMetadata replaces a transaction's reference data.
func (c *Client) TransactionUpdateMetadata(ctx context.Context, req *UpdateTransactionMetadataRequest) (*UpdateTransactionMetadataResponse, error) {
	return post[UpdateTransactionMetadataResponse](ctx, c, "Transaction/UpdateTransactionMetadata", "/api/Transaction/UpdateTransactionMetadata", req)
}

// HealthCheck is api/HealthStatus/Check.
func (c *Client) HealthCheck(ctx context.Context) (*CheckHealthStatusResponse, error) {
	return post[CheckHealthStatusResponse](ctx, c, "HealthStatus/Check", "/api/HealthStatus/Check", &CheckHealthStatusRequest{})
}
