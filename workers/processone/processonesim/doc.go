// Package processonesim is an in-memory ProcessOne (One Inc): the REST API
// of package processone's client. It decodes and encodes with its own copy
// of the wire types (wire_*.go), never the client's, so that a drift in the
// client's JSON fails the client's tests against it. Production packages do
// not import it; the simulator host (workers/simhost) and tests do.
//
// New(Options).Handler() serves the API under its root (wrapped
// with workers/simulator: /_sim/faults, /_sim/requests) plus:
//
//	POST /_sim/batch/close   close the open batch now
//	GET  /_sim/batch         open batch number and next scheduled close
//	GET  /_sim/config        options (keys masked)
//	POST /_sim/config        change options, e.g. {"batch_cutoff":"off"} or
//	                         {"batch_cutoff":"18:00","batch_time_zone":"Africa/Johannesburg"}
//	POST /_sim/reset         forget all transactions and tokens
//
// It starts no goroutines; the clock (Options.Now) and token generator
// (NewToken) are injected. Scheduled batch closes are applied lazily at the
// next request after the cut-off.
//
// # Choices where the seed is ambiguous or garbled
//
//   - HTTP statuses are not documented. Every business outcome is HTTP 200
//     with a ResponseCode; a body that is not valid JSON for the endpoint is
//     HTTP 400 with GatewayInternalError; an unknown path is 404, a non-POST
//     405. Paths are matched case-insensitively (ASP.NET routing).
//   - Authentication: with no Options.AuthenticationKeys any non-empty key
//     is accepted ("test-key" is the documented dev key); an empty key is
//     InvalidAuthenticationKey; Options.DisabledKeys answer
//     MerchantDisabled. Every key is its own merchant instance: transactions,
//     CallbackIds and tokens are visible only to the key that made them
//     (list queries may name other keys in QueryAuthenticationKeys, as the
//     seed describes).
//   - Test cards are recognised by BIN + last four, which tells every seed
//     test card apart; the simulator keeps no full card number, only BIN,
//     last four, brand and expiry (tokens included), and masks account
//     numbers ("****7890") in TransactionInformation.
//   - "1.00 or any not listed amount" is Success; the amount table applies
//     to Charge only, and only for the four cards it lists (4111111111111111
//     and the hybrid cards always approve). The card-number Charge table also
//     answers Verify. Save answers Success for 4444444444444117 and for any
//     other valid card. Charging a token applies the saved card's rows.
//   - The card-number table wins over the amount table; both come after
//     request validation (Luhn, holder name, expiry, ZIP, CVV length, accepted
//     brand) and after the rules OverMaximumPayment (Options.MaxPayment,
//     default 10000.00), MaxAllowablePaymentsExceeded (MaxPaymentsPerPolicy
//     successful payments per ClientReferenceData1 in one batch; off by
//     default) and DuplicateTransaction.
//   - Hybrid cards process as Star / Pulse / Nyce only with
//     Options.PinlessDebit; BaseCardType is always the brand (Visa,
//     Discover, MasterCard). GetCardData answers 4444444444444448 as Visa /
//     Debit (the seed's own example), hybrids as Hybrid, others Credit.
//   - A charge, debit, credit, save or verify that passes request
//     validation leaves a transaction, Successful or Failed (declines
//     included), and so does a void or refund that passes the batch and
//     amount rules; a CallbackId lookup therefore tells what happened.
//     Validation and rule failures (bad card, missing name, reused
//     CallbackId, BatchHasBeenClosed, ...) leave none.
//   - A CallbackId already used by the same key is answered
//     DuplicateTransaction and nothing is recorded.
//   - Duplicate rule: same class (card charges, EFT debits, EFT credits,
//     refunds), same amount, same last 4, same ClientReferenceData1 (empty
//     matches empty), a Successful one within DuplicateWindowSeconds (120).
//     Same last 4 on different cards counts, as the seed says.
//   - EFT rows: "1234567890 $0.00 Successfully saved" is read as an
//     Eft/Save of that account (a $0 debit is InvalidEFTAmount). The last
//     two rows of the account table, labelled "Credit or Debit for
//     subsequent Void or refund", are read as the void / refund answers of
//     1234567897 (GatewayInternalError) and 1234567898 (NoProcessorResponse).
//     Void/refund amount rows ($11/$12/$13 on 1234567890) use the original
//     transaction's amount.
//   - Bank-account validation rows apply to VerifyBankAccount, and to Save,
//     Debit and Credit unless BypassBankAccountValidation. A routing number
//     is valid when it has 9 digits and a correct ABA check digit.
//   - Refund before the batch closes: the Refund text says the system voids
//     instead, the code table says BatchHasNotBeenClosed. Default is
//     BatchHasNotBeenClosed; Options.AutoVoidUnsettledRefund makes a full
//     refund of an unsettled payment a void (a partial one stays
//     BatchHasNotBeenClosed).
//   - Refund amounts: none = all that is left; more than is left =
//     InvalidPartialRefundAmount; nothing left = UnableToRefundTransaction;
//     refund of a voided payment = UnableToRefundTransaction. Void of a voided
//     card payment = CreditCardVoidFailed (EFT: GatewayInternalError, the
//     seed defines no EFT code for it). Void/refund test-data codes come after
//     the batch rules, so refund scenarios need a closed batch.
//   - Void and Refund answer the id of the new void / refund transaction
//     (InternalReferenceTransactionId points at the original), not the
//     original id the seed's sample echoes.
//   - Batches: one sequence for the whole simulator, numbered from 1;
//     payments, voids and refunds join the open batch; Save, Verify and
//     Remove records have BatchNumber 0. The open batch closes on
//     POST /_sim/batch/close or daily at Options.BatchCutoff ("HH:MM" in
//     Options.BatchTimeZone, default "22:00" UTC, "off" for manual only;
//     SetBatchCutoff or POST /_sim/config {"batch_cutoff":"18:00",
//     "batch_time_zone":"Africa/Johannesburg"} set it to a merchant's
//     settlement cut-off). A cut-off a DST gap skips closes the batch when
//     the clock jumps past it; one an overlap repeats, at its first reading.
//   - Dates are UTC, written without offset, TimeZone "UTC". OriginalAmount
//     and PostedAmount are the amount asked; convenience fees are quoted by
//     GetConvenienceFee (card: 1% with a 1.00 minimum; EFT: flat 1.00) but
//     never added to a charge. ChargeFee=false gives type
//     ChargeCreditCardNoFee / DebitEftNoFee; IsRecurring the recurring types;
//     Eft/Credit is CreditBankAccount.
//   - Unknown or removed tokens: Charge answers InvalidCardNumber, Debit
//     InvalidAccountNumber, GetInfo / Update / Remove IncorrectTransactionId;
//     GetTokenInfoBatch leaves unknown tokens out.
//   - Transaction ids are decimal integers (UpdateTransactionMetadata takes
//     an integer id) counted from 100001. UpdateTransactionMetadata changes
//     only the reference fields that are not null.
//   - api/CreditCard/GetCardUpdates (in the seed, not in the brief) is not
//     implemented.
package processonesim
