// Package paycode is the payment-codes connector (provider "codes"): a typed
// client for the code-management API of seed 002 (create, query, update,
// delete, block, unblock, update amount).
//
// # Client
//
// [NewClient] takes a [Config] (BaseURL, Username, Password, Timeout,
// Logger). Every call goes through a provider.Caller, so every call has a
// time-out. Paths are relative to BaseURL: POST /code/create, GET, PUT and
// DELETE /code/{code}, PUT /code/{code}/block, /unblock and /amount. Amounts
// are shopspring decimals written as bare JSON numbers (the seed's
// BigDecimal); expiry dates are epoch milliseconds.
//
// Failures are *provider.Error:
//
//	400 missing parameter / not valid JSON   KindDeclined, Code "400"
//	431 code does not exist                  KindDeclined, Code "431"
//	439 not a valid code                     KindDeclined, Code "439"
//	440 validation error                     KindDeclined, Code "440"
//	513 code belongs to another merchant     KindDeclined, Code "513"
//	403 bad login or merchant suspended      KindFailed,   Code "403"
//	500, 512 general system error            KindFailed
//	502, 503, 504, time-out, reset, drop     KindUnknown
//	connection refused                       KindFailed
//
// 403 is KindFailed rather than declined: it is a configuration problem of
// ours, like a 401, not the provider refusing this code. 500 and 512 are
// KindFailed following provider.Caller.StatusError: no money moves on any of
// these calls, and the safe reading of a failed delete/block is "still there".
// A create whose outcome is unknown may have left an orphan code that nobody
// was shown; the seed has no query by merchantReference, so recovery is to
// create a new code (the orphan expires, 30 minutes by default).
//
// The merchant's login is sent as HTTP Basic authentication on every call
// (the seed only says "invalid merchant login details"; Basic is our choice).
// It is never logged: Config's String, GoString and LogValue hide the
// password, the debug log line has only operation, status and duration, and
// the simulator's request log does not record headers.
//
// # Simulator
//
// The simulator of this API, and the payment notification it POSTs when a
// consumer pays a code, are in package paycodesim; this package does not
// import it. [ParseNotification] reads that notification.
//
// # Where the seed is ambiguous or garbled, and what we chose
//
//   - Section titles are swapped: "Query Code" describes DELETE and "Delete
//     Code" describes GET. The method decides: GET queries, DELETE deletes;
//     both answer the code's details (DELETE the deleted code's).
//   - Parameter tables lost their first row's name; restored from the
//     "Parameter" line after each table (amount, code, amountString, {code}).
//   - expiryDate is "epoch"; the samples (1375293705000) are milliseconds, so
//     all dates are epoch milliseconds. Empty = now + 30 minutes, 0 = never,
//     negative or not in the future = 440. For PUT /code/{code} and
//     /amount, "30 minutes from issue" is read as 30 minutes from that call;
//     so changing only the amount of a never-expiring code without
//     expiryDate makes it expire in 30 minutes, as the seed literally says.
//   - limitBasket is typed String but every sample is an array of
//     {destination, itemType, amount}: the simulator takes an array or a
//     string holding one; the client sends an array. The create text's
//     cartItems list (description, quantity, value, imageURL) is not modelled.
//   - limitBasket's rules contradict each other. Create: "cannot be used
//     with a variable amount or if useOnce is true or with partial payments";
//     update: "can only be used if useOnce is true". Each endpoint applies its
//     own useOnce rule literally; the variable-amount and partial-payment
//     rules apply to both. The create sample combining limitBasket with
//     requestPartialPayment is therefore a 440: the rule wins over the sample.
//     Items need itemType AIRTIME or AIRTIME_BUNDLE, an international msisdn
//     destination and a positive amount. A merchant not "enabled to allow
//     limits to be checked" (Merchant.LimitsDisabled) gets 440 for any basket.
//   - smsNotify/emailNotify are "String ... comma separated" but the samples
//     show arrays: the simulator accepts both, the client sends the string.
//     International format is ^\+?[1-9][0-9]{9,14}$; e-mails must parse as
//     bare addresses (net/mail).
//   - rrn2 "must be 12 characters left filled with zeroes": exactly 12 digits.
//   - The code's type is String but the sample shows it unquoted: the client
//     accepts both; the simulator issues 10-digit strings and answers 439 for
//     anything that is not 10 digits.
//   - shortDescription length 5 to 45 counts characters (runes), untrimmed.
//     Absent or empty mandatory fields (amount, merchantReference,
//     shortDescription) are 400 ("missing parameter"); present but wrong is
//     440. merchantReference is typed BigDecimal in the update table: it is
//     a string (a number is accepted too).
//   - "Amount" and "ShortDescription" are capitalised in some tables and not
//     in the samples: the samples' camelCase is used (the simulator's JSON
//     decoding is case-insensitive anyway). Update's amount left out means a
//     variable amount, as the seed says; the client leaves it out when zero.
//   - Amounts: not negative, at most two decimals, below 10^12 (440).
//   - requestTip without requestPartialPayment is 440 ("must also be set").
//   - productURL must be an absolute http(s) URL (440).
//   - The update's error table has no 431/439, the query's none of 513, and
//     513 reads "General System Error" under block/unblock but "does not
//     belong to the merchant requesting the delete" elsewhere. Every per-code
//     endpoint answers 431 for an unknown code, 439 for a malformed one and
//     513 for another merchant's code.
//   - 403 is listed for create and update only; every endpoint needs the
//     login, so every endpoint answers 403 for a bad login or a suspended
//     merchant.
//   - 439 "not valid code" is also the answer to update, amount, block and
//     unblock on a code that is used (use-once, paid) or expired. GET still
//     answers such a code and DELETE still deletes it.
//   - The answers of block, unblock and amount are not documented: the
//     simulator answers 200 with the code's details, the client reads only
//     the status.
//   - The details answer carries two fields the seed does not list: "code"
//     and "status" (ACTIVE, BLOCKED, USED, EXPIRED), so the orchestrator can
//     see a code's state in the simulator. The client tolerates their absence.
//   - amountString is "R 10.50" for ZAR and "<currency> 10.50" otherwise;
//     null for a variable amount. The currency is the merchant's (default ZAR).
//   - 500 and 512 ("general system error") are never produced by the
//     simulator's own logic except when no free code number can be drawn;
//     arm them with the fault knob: {"path":"/code/","status":512}.
package paycode
