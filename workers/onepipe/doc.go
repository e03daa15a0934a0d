// Package onepipe is the OnePipe connector for the "hold funds" service: a
// typed client of /v2/transact, /v2/transact/validate, /v2/transact/query,
// /v2/transact/reverse and /v2/transact/options. The in-memory simulator of
// the same API is package onepipesim; this package does not import it.
//
// # Client
//
// [NewClient] takes a [Config] (base URL, API key, secret, per-call
// time-out). Every call goes through a provider.Caller, so it has a time-out
// and its transport errors are classified. The typed calls are
// [Client.Consent], [Client.Validate], [Client.Hold], [Client.Capture],
// [Client.Release], [Client.Query] and [Client.Options]; [Client.Do] sends a
// raw [Request]. A nil error means OnePipe answered Successful,
// WaitingForOTP or PendingValidation. Otherwise the error is a
// *provider.Error:
//
//   - KindDeclined: OnePipe answered status Failed; Code is
//     data.provider_response_code (e.g. 55 wrong OTP, 54 expired). Code 25
//     (transaction not found) also wraps [ErrNotFound]. A Query of a
//     transaction that failed returns that transaction's own decline.
//   - KindFailed: the call certainly did nothing: connection refused, HTTP
//     400/401/404/405, HTTP 500, an amount the client refused to send.
//   - KindUnknown: it may have happened: time-out, reset or dropped
//     connection, HTTP 502/503/504, a 200 whose body is unreadable or whose
//     status is not one of the four. Resolve with Query (same
//     transaction_ref) or by repeating the call with the same request_ref,
//     which OnePipe answers with the original answer; never with a new
//     request_ref and transaction_ref.
//
// Amounts are [decimal.Decimal] in major units (naira) at the API and
// integer minor units (kobo) on the wire ([ToMinor], [FromMinor]); an amount
// with a fraction of a kobo is refused, never rounded.
//
// The secret, auth.secure (plain or encrypted), OTPs and provider tokens are
// never logged ([Result.LogValue] hides the token).
//
// # Choices where the seed is ambiguous or garbled
//
// The seed (shared/seeds/004) is two documents interleaved; these are the
// readings this package takes:
//
//   - Headers. The seed shows none. We use OnePipe's published scheme:
//     "Authorization: Bearer <api key>" and "Signature: md5hex(request_ref +
//     ";" + secret)". The simulator answers 401 (code 401) to either wrong.
//   - auth.secure. The seed writes "encrypted(bank.account;bankcode)",
//     "{{encrypted_otp}}", "encrypted(provider_token)". We implement
//     OnePipe's TripleDES: key = MD5(secret as UTF-16LE), 16 bytes, extended
//     to 24 with its first 8; DES-EDE3-CBC, zero IV, PKCS#5 padding, UTF-8
//     plaintext, standard base64. Known-good vectors made with openssl are
//     in testdata/secure-vectors.json. Plain formats: card
//     "number;cvv;MMYY;pin", bank.account "account;bank_code", wallet "id",
//     provider_token "token", validate "otp".
//   - request_type. "collecthold_funds" is read as collect or hold_funds.
//     Consent defaults to hold_funds (the consent then also holds its
//     amount, as Response 2 shows both token_expiry and hold_expiry).
//     Validate, query, reverse and options send request_type hold_funds;
//     the simulator ignores it there.
//   - Validate (Request 2) identifies the consent by
//     transaction.transaction_ref and carries its own new request_ref.
//   - Capture. "a collect with the hold as parent": request_type collect,
//     auth.type provider_token with the token the hold was placed with,
//     transaction_ref_parent = the hold's transaction_ref, amount at most
//     the held amount; one capture per hold (no partial-then-more). Token
//     expiry does not matter for a capture; hold expiry does.
//   - Release is /transact/reverse with the hold's transaction_ref. Releasing
//     a released or expired hold answers Successful (nothing is held); a
//     captured hold cannot be released (Failed 12). Reverse of a collect
//     answers Successful (Reversed).
//   - request_ref replay. Answers are kept by request_ref alone, across
//     endpoints: any later request with that request_ref gets the original
//     answer, whatever its body, and does nothing.
//   - Duplicate transaction_ref on /transact is Failed 94 (the original is
//     untouched). A failed transact keeps its transaction_ref.
//   - Expiry dates "yyyy-MM-dd-hh-mm-ss" are read as 24-hour UTC
//     ([ExpiryLayout]). Defaults: token 30 days, hold 7 days.
//   - Response codes. The seed shows only "00" (Successful) and "T0"
//     (WaitingForOTP, from the garbled "00T0"). The simulator adds: T1
//     PendingValidation, 12 invalid state, 13 invalid amount, 14 unknown
//     token, 25 not found, 30 format/secure error, 51 insufficient funds,
//     54 expired token or hold, 55 wrong OTP, 57 request/auth type not
//     offered, 94 duplicate transaction_ref, 401 unauthorized.
//   - Query answers the queried transaction's own envelope (status, code,
//     message) and adds provider_response.transaction_status (Pending,
//     Held, Released, Expired, Captured, Collected, Reversed, Failed) and
//     provider_response.amount: fields the seed does not show.
//   - Options answers provider_response.options with the four auth types
//     of the hold service; GET without body (no Signature) or signed POST.
//   - otp_override (seed: "Special configuration notes") is a knob: the
//     consent is Successful at once.
//   - The accepted OTP (and PendingValidation answer) is "123456", a knob.
//     A wrong OTP fails the consent for good (no second attempt).
//   - Test data: an amount whose last two minor digits are 51 (e.g. 51.51)
//     is declined with 51 Insufficient funds, on consent and on holds.
//   - details is always sent as null; mock_mode defaults to "live";
//     auth_provider defaults to "Beeceptor", as in the seed.
//   - HTTP. Business outcomes, including Failed, are HTTP 200; a body that
//     cannot be parsed is 400 (code 30); a wrong method 405; unknown paths
//     404.
package onepipe
