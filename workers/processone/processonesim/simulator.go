package processonesim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/switchyard/switchyard/workers/simulator"
)

// Simulator is an in-memory ProcessOne. Build it with New and serve
// Handler(); it starts no goroutines (scheduled batch closes happen lazily,
// on the next request after the cut-off, by the injected clock).
type Simulator struct {
	mu      sync.Mutex
	opts    Options
	st      *store
	routes  map[string]endpoint
	harness *simulator.Harness
}

// call is what an endpoint knows about its request.
type call struct {
	key string
	now time.Time
}

// endpoint handles a decoded body under the lock and returns the response.
type endpoint func(s *Simulator, c call, body []byte) (any, error)

// New returns a simulator; invalid options fall back to defaults.
func New(opts Options) *Simulator {
	opts = opts.WithDefaults()
	if err := opts.validate(); err != nil {
		opts.BatchCutoff, opts.BatchTimeZone = "22:00", "UTC"
	}
	s := &Simulator{opts: opts, st: newStore(opts.FirstTransactionID)}
	s.st.nextClose = opts.nextCutoff(opts.Now())
	s.routes = s.endpoints()
	s.harness = simulator.Wrap(http.HandlerFunc(s.serve))
	return s
}

// Handler is the simulator wrapped with the shared fault knobs.
func (s *Simulator) Handler() http.Handler { return s.harness }

// Harness gives tests direct access to the fault knobs and request log.
func (s *Simulator) Harness() *simulator.Harness { return s.harness }

// handle adapts a typed endpoint: it decodes Req, checks its key and calls fn.
func handle[Req any, PR interface {
	*Req
	keyed
}](fn func(s *Simulator, c call, req PR) any) endpoint {
	return func(s *Simulator, c call, body []byte) (any, error) {
		req := PR(new(Req))
		if err := json.Unmarshal(body, req); err != nil {
			return nil, err
		}
		c.key = req.auth().AuthenticationKey
		if code := s.authorize(c.key); code != CodeSuccess {
			return fail(code), nil
		}
		return fn(s, c, req), nil
	}
}

func (s *Simulator) authorize(key string) ResponseCode {
	switch {
	case key == "":
		return CodeInvalidAuthenticationKey
	case len(s.opts.AuthenticationKeys) > 0 && !contains(s.opts.AuthenticationKeys, key):
		return CodeInvalidAuthenticationKey
	case contains(s.opts.DisabledKeys, key):
		return CodeMerchantDisabled
	}
	return CodeSuccess
}

// fail is a bare result for code.
func fail(code ResponseCode) *Result { return &Result{ResponseCode: code, Message: codeMessages[code]} }

func okResult() Result { return Result{ResponseCode: CodeSuccess, Message: codeMessages[CodeSuccess]} }

func result(code ResponseCode) Result { return *fail(code) }

func (s *Simulator) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/_sim/") {
		s.control(w, r)
		return
	}
	ep, found := s.routes[strings.ToLower(strings.TrimSuffix(r.URL.Path, "/"))]
	if !found {
		writeJSON(w, http.StatusNotFound, map[string]string{"Message": "No HTTP resource was found that matches the request URI."})
		return
	}
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"Message": "The requested resource does not support http method '" + r.Method + "'."})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeJSON(w, http.StatusBadRequest, fail(CodeGatewayInternalError))
		return
	}
	status, resp := s.dispatch(ep, body)
	writeJSON(w, status, resp)
}

// dispatch runs ep under the lock, after any scheduled batch close.
func (s *Simulator) dispatch(ep endpoint, body []byte) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now().UTC()
	s.st.roll(now, s.opts.nextCutoff)
	resp, err := ep(s, call{now: now}, body)
	if err != nil {
		return http.StatusBadRequest, &Result{ResponseCode: CodeGatewayInternalError,
			Message: fmt.Sprintf("The request is invalid: %s", jsonProblem(err))}
	}
	return http.StatusOK, resp
}

// jsonProblem describes a decode error without echoing the body.
func jsonProblem(err error) string {
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Sprintf("malformed JSON at offset %d", e.Offset)
	case *json.UnmarshalTypeError:
		return fmt.Sprintf("field %s has the wrong type", e.Field)
	}
	return "malformed body"
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Simulator) endpoints() map[string]endpoint {
	m := map[string]endpoint{
		"/api/creditcard/charge":                                     handle[ChargeCreditCardRequest]((*Simulator).ccCharge),
		"/api/creditcard/save":                                       handle[SaveCreditCardRequest]((*Simulator).ccSave),
		"/api/creditcard/update":                                     handle[UpdateCreditCardRequest]((*Simulator).ccUpdate),
		"/api/creditcard/void":                                       handle[VoidCreditCardRequest]((*Simulator).ccVoid),
		"/api/creditcard/refund":                                     handle[RefundCreditCardRequest]((*Simulator).ccRefund),
		"/api/creditcard/verify":                                     handle[VerifyCreditCardRequest]((*Simulator).ccVerify),
		"/api/creditcard/getcarddata":                                handle[GetCardDataRequest]((*Simulator).ccCardData),
		"/api/creditcard/getconveniencefee":                          handle[ConvenienceFeeRequest]((*Simulator).ccFee),
		"/api/creditcard/getacceptedcardtypes":                       handle[GetAcceptedCardTypesRequest]((*Simulator).ccAccepted),
		"/api/eft/debit":                                             handle[DebitEftRequest]((*Simulator).eftDebit),
		"/api/eft/credit":                                            handle[CreditEftRequest]((*Simulator).eftCredit),
		"/api/eft/save":                                              handle[SaveEftRequest]((*Simulator).eftSave),
		"/api/eft/void":                                              handle[VoidEftRequest]((*Simulator).eftVoid),
		"/api/eft/refund":                                            handle[RefundEftRequest]((*Simulator).eftRefund),
		"/api/eft/verifybankaccount":                                 handle[VerifyBankAccountRequest]((*Simulator).eftVerify),
		"/api/eft/getbankdata":                                       handle[GetBankDataRequest]((*Simulator).eftBankData),
		"/api/eft/getconveniencefee":                                 handle[ConvenienceFeeRequest]((*Simulator).eftFee),
		"/api/paymenttoken/getinfo":                                  handle[GetInfoRequest]((*Simulator).tokenInfo),
		"/api/paymenttoken/gettokeninfobatch":                        handle[GetTokenInfoBatchRequest]((*Simulator).tokenInfoBatch),
		"/api/paymenttoken/remove":                                   handle[RemovePaymentTokenRequest]((*Simulator).tokenRemove),
		"/api/transaction/gettransactionbyid":                        handle[GetTransactionByIDRequest]((*Simulator).txByID),
		"/api/transaction/gettransactionbycallbackid":                handle[GetTransactionByCallbackIDRequest]((*Simulator).txByCallback),
		"/api/transaction/gettransactionsbybatchid":                  handle[GetTransactionsByBatchIDRequest]((*Simulator).txByBatch),
		"/api/transaction/gettransactionsbytype":                     handle[GetTransactionsByTypeRequest]((*Simulator).txByType),
		"/api/transaction/updatetransactionmetadata":                 handle[UpdateTransactionMetadataRequest]((*Simulator).txUpdateMetadata),
		"/api/transaction/gettransactionsbycustomerandclientrefdata": handle[GetTransactionsByCustomerAndClientRefDataRequest]((*Simulator).txByCustomer),
		"/api/healthstatus/check":                                    handle[CheckHealthStatusRequest]((*Simulator).health),
	}
	return m
}

func (s *Simulator) health(_ call, _ *CheckHealthStatusRequest) any {
	return &CheckHealthStatusResponse{IsAlive: true, Result: okResult()}
}
