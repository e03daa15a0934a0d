package processonesim

import (
	"slices"
	"strconv"
)

// info renders r as TransactionInformation; account numbers are masked.
func (s *Simulator) info(r *record) TransactionInformation {
	ti := TransactionInformation{TransactionID: r.ID, InternalReferenceTransactionID: optional(r.Parent),
		OriginalAmount: AmountOf(r.Amount).Ptr(), PostedAmount: AmountOf(r.Amount).Ptr(), TransactionType: r.Type,
		TransactionStatus: r.Status, PaymentDate: DateOf(r.At), TimeZone: simTimeZone, LastFourDigits: r.last4(),
		BatchNumber: r.Batch, InstanceName: s.opts.InstanceName, ClientReferenceData: r.Ref,
		ProcessOneToken: optional(r.Token), AccountGroupCode: optional(r.Group), CustomerID: optional(r.CustomerID)}
	if r.Card != nil {
		ti.CreditCardType, ti.BaseCardType = r.Card.Brand, ptr(r.Card.Base)
		ti.CreditCardExpirationMonth, ti.CreditCardExpirationYear = ptr(r.Card.ExpMonth), ptr(r.Card.ExpYear)
	}
	if r.Holder != nil {
		ti.CustomerName = r.Holder.Name
	}
	if r.Acct != nil {
		ti.RoutingNumber, ti.AccountNumber = r.Acct.Routing, "****"+r.Acct.last4()
		ti.CustomerName, ti.BankAccountType, ti.BankName = r.Acct.Name, r.Acct.Type, bankName(r.Acct.Routing)
	}
	return ti
}

func (s *Simulator) one(r *record) any {
	if r == nil {
		return &GetTransactionResponse{Result: result(CodeIncorrectTransactionID)}
	}
	ti := s.info(r)
	return &GetTransactionResponse{TransactionInformation: &ti, Result: okResult()}
}

func (s *Simulator) txByID(c call, req *GetTransactionByIDRequest) any {
	return s.one(s.st.get(c.key, req.TransactionID))
}

func (s *Simulator) txByCallback(c call, req *GetTransactionByCallbackIDRequest) any {
	if req.CallbackID == "" {
		return s.one(nil)
	}
	return s.one(s.st.byCB[cbKey(c.key, req.CallbackID)])
}

// list renders records, or an empty list.
func (s *Simulator) list(rs []*record) any {
	out := make([]TransactionInformation, 0, len(rs))
	for _, r := range rs {
		out = append(out, s.info(r))
	}
	return &GetTransactionsResponse{Transactions: out, Result: okResult()}
}

// scope returns the instance keys a query may read: the ones asked for,
// or the caller's own.
func scope(c call, keys []string) []string {
	if len(keys) == 0 {
		return []string{c.key}
	}
	return keys
}

func statusIn(statuses []TransactionStatus, st TransactionStatus) bool {
	return len(statuses) == 0 || slices.Contains(statuses, st)
}

func (s *Simulator) txByBatch(c call, req *GetTransactionsByBatchIDRequest) any {
	batch, err := strconv.Atoi(req.BatchID)
	if err != nil {
		return &GetTransactionsResponse{Transactions: []TransactionInformation{}, Result: result(CodeIncorrectTransactionID)}
	}
	keys := scope(c, req.QueryAuthenticationKeys)
	return s.list(s.st.sorted(func(r *record) bool {
		return r.Batch == batch && slices.Contains(keys, r.Key) && statusIn(req.TransactionStatuses, r.Status)
	}))
}

func (s *Simulator) txByType(c call, req *GetTransactionsByTypeRequest) any {
	keys := scope(c, req.QueryAuthenticationKeys)
	return s.list(s.st.sorted(func(r *record) bool {
		return slices.Contains(keys, r.Key) && (len(req.Types) == 0 || slices.Contains(req.Types, r.Type)) &&
			statusIn(req.TransactionStatuses, r.Status) && inPeriod(r, req.StartDate, req.EndDate) &&
			(req.AfterTransactionID == nil || idNum(r.ID) > *req.AfterTransactionID)
	}))
}

func inPeriod(r *record, start, end Date) bool {
	return (start.IsZero() || !r.At.Before(start.Time)) && (end.IsZero() || !r.At.After(end.Time))
}

// refMatch: every reference field given in want must equal r's.
func refMatch(want, got *ClientReferenceData) bool {
	if want == nil {
		return true
	}
	if got == nil {
		got = &ClientReferenceData{}
	}
	pairs := [][2]*string{{want.ClientReferenceData1, got.ClientReferenceData1}, {want.ClientReferenceData2, got.ClientReferenceData2},
		{want.ClientReferenceData3, got.ClientReferenceData3}, {want.ClientReferenceData4, got.ClientReferenceData4},
		{want.ClientReferenceData5, got.ClientReferenceData5}}
	for _, p := range pairs {
		if p[0] != nil && deref(p[0]) != deref(p[1]) {
			return false
		}
	}
	return true
}

func (s *Simulator) txByCustomer(c call, req *GetTransactionsByCustomerAndClientRefDataRequest) any {
	rs := s.st.sorted(func(r *record) bool {
		return r.Key == c.key && r.CustomerID == req.CustomerID && req.CustomerID != "" &&
			(len(req.TransactionTypes) == 0 || slices.Contains(req.TransactionTypes, r.Type)) &&
			statusIn(req.TransactionStatuses, r.Status) && inPeriod(r, req.StartDate, req.EndDate) &&
			refMatch(req.ClientReferenceData, r.Ref)
	})
	off := min(max(req.Offset, 0), len(rs))
	rs = rs[off:]
	if req.Limit > 0 && req.Limit < len(rs) {
		rs = rs[:req.Limit]
	}
	return s.list(rs)
}

func (s *Simulator) txUpdateMetadata(c call, req *UpdateTransactionMetadataRequest) any {
	r := s.st.get(c.key, strconv.FormatInt(req.TransactionID, 10))
	if r == nil {
		return &UpdateTransactionMetadataResponse{Result: result(CodeIncorrectTransactionID)}
	}
	next := ClientReferenceData{}
	if r.Ref != nil {
		next = *r.Ref
	}
	if d := req.ClientReferenceData; d != nil {
		for _, p := range [][2]**string{{&next.ClientReferenceData1, &d.ClientReferenceData1},
			{&next.ClientReferenceData2, &d.ClientReferenceData2}, {&next.ClientReferenceData3, &d.ClientReferenceData3},
			{&next.ClientReferenceData4, &d.ClientReferenceData4}, {&next.ClientReferenceData5, &d.ClientReferenceData5}} {
			if *p[1] != nil {
				*p[0] = *p[1]
			}
		}
	}
	r.Ref = &next
	return &UpdateTransactionMetadataResponse{Result: okResult()}
}
