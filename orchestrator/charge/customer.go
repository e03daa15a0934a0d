package charge

import (
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// CustomerID is the merchant's customer_id of charge t ("" when none was
// given): a connector that saves the payment method keeps it with it.
func CustomerID(t *store.Txn) string {
	var id string
	lifecycle.Detail(t, detailCustomer, &id)
	return id
}
