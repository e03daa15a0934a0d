// Package paycodesim is an in-memory payment-codes provider ("codes"): the
// code-management API of package paycode's client, plus a consumer paying a
// code and the payment notification that follows. It decodes and encodes
// with its own types, never the client's, so that a drift in the client's
// JSON fails the client's tests against it. Production packages do not
// import it; the simulator host (workers/simhost) and tests do.
//
// [New] with [Options] (merchants, injected clock Now, code generator
// NewCode, payment-id generator NewID, CallbackURL). Handler() is wrapped
// with the shared fault harness of workers/simulator (fault knobs, request
// log); Harness() exposes them. Control endpoints of its own:
//
//	POST /_sim/pay     {"code":"8227541409","amount":10.50,"tip":0}   a consumer pays the code
//	POST /_sim/config  {"callback_url":"http://..."}                  where notifications go ("" = off)
//	POST /_sim/config  {"accounts":{"merchant1":{"callback_url":"http://...","callback_secret":"..."}}}
//	                   one account's (Basic-auth username's) own callback URL and signing secret
//	GET  /_sim/config
//	GET  /_sim/codes   every code with its status
//	POST /_sim/clock   {"advance_ms":1800000}                         move the clock (expiry demos)
//
// /_sim/pay answers 200 {"notification":{...},"callback":{"url","status","error"}},
// 404 unknown code, 409 code used, expired or blocked, 400 bad amount or tip.
// A fixed-amount code is paid its own amount (another amount only when it
// was created with requestPartialPayment); a variable one needs an amount;
// a tip needs requestTip. When a callback URL is set the [Notification] is
// POSTed synchronously, once, before /_sim/pay answers (CallbackTimeout,
// default 5 s); a failed delivery is reported and the payment stands. The
// notification is JSON:
//
//	{"type":"code.paid","transactionId":"<uuid>","code":"8227541409",
//	 "merchantReference":"TestMerchRef12","merchantName":"Merchant One",
//	 "amount":10.50,"tip":0.00,"currency":"ZAR","useOnce":true,"codeStatus":"USED",
//	 "rrn":"000000000001","rrn2":"000000000042","subMerchantName":"The Shop",
//	 "terminalId":"0000KFB1","paidAt":1767261600000}
//
// Package paycode's ParseNotification reads it. The seed defines no callback
// at all, so the callback URLs, this shape and its signature are ours.
//
// A payment on a code goes to the callback URL of the account (login) that
// created the code when one is set (/_sim/config "accounts", or
// [Simulator.SetAccountCallback]), else to the simulator-wide URL. When the
// account has a callback_secret the notification carries
//
//	X-Codes-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
//
// (t from the simulator's clock); without a secret it is unsigned. GET
// /_sim/config shows the accounts' URLs, never their secrets.
//
// Status precedence on a per-code call: 403 login, 439 malformed code, 431
// unknown (or deleted) code, 513 another merchant's code, then 400 body, 440
// validation. Error bodies (the seed defines statuses only) are
// {"status":440,"error":"Validation error.","message":"shortDescription: ...","field":"shortDescription"}.
package paycodesim
