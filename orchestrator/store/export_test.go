package store

// TransactionSearchSQL exposes the search statement to the plan test.
var TransactionSearchSQL = transactionSearchSQL
