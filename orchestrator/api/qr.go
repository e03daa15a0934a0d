package api

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/google/uuid"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// The QR image's size in pixels: ?size=, default and bounds.
const (
	QRSizeDefault = 256
	QRSizeMin     = 64
	QRSizeMax     = 2048
)

// codeQR serves GET /v1/codes/{id}/qr?format=png|svg&size=N: a QR image
// of the code's provider code (the transaction's provider reference). The
// seed says a code "can be represented as a QR code" and gives no URL form,
// so the image carries the code number itself (e.g. "8227541409"), as a
// consumer would type it. PNG (the default) by go-qrcode; SVG drawn from
// its bitmap, one square per dark module. Another merchant's code is 404;
// a code the provider has not issued yet (no code number) is 409.
func (a *API) codeQR(w http.ResponseWriter, r *http.Request, mid uuid.UUID) {
	format, size, ok := qrParams(w, r)
	if !ok {
		return
	}
	number, ok := a.codeNumber(w, r, mid)
	if !ok {
		return
	}
	q, err := qrcode.New(number, qrcode.Medium)
	if err != nil {
		a.internal(w, fmt.Errorf("qr of code %s: %w", r.PathValue("id"), err))
		return
	}
	if format == "svg" {
		w.Header().Set("Content-Type", "image/svg+xml")
		_, _ = w.Write(qrSVG(q.Bitmap(), size))
		return
	}
	b, err := q.PNG(size)
	if err != nil {
		a.internal(w, fmt.Errorf("qr of code %s: %w", r.PathValue("id"), err))
		return
	}
	w.Header().Set("Content-Type", "image/png")
	_, _ = w.Write(b)
}

// qrParams reads ?format= and ?size=, answering 400 when either is wrong.
func qrParams(w http.ResponseWriter, r *http.Request) (string, int, bool) {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "png"
	}
	if format != "png" && format != "svg" {
		problem(w, http.StatusBadRequest, events.ReasonInvalidRequest, "format", "format is png (the default) or svg")
		return "", 0, false
	}
	size := QRSizeDefault
	if s := r.URL.Query().Get("size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < QRSizeMin || n > QRSizeMax {
			problem(w, http.StatusBadRequest, events.ReasonInvalidRequest, "size",
				fmt.Sprintf("size is a number of pixels from %d to %d", QRSizeMin, QRSizeMax))
			return "", 0, false
		}
		size = n
	}
	return format, size, true
}

// codeNumber is the provider code of the merchant's code {id}, answering
// 404 or 409 when there is none.
func (a *API) codeNumber(w http.ResponseWriter, r *http.Request, mid uuid.UUID) (string, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such code")
		return "", false
	}
	t, err := a.cfg.Engine.Store().TransactionGet(r.Context(), mid, id)
	if errors.Is(err, store.ErrNotFound) || (err == nil && t.Type != events.TypeCode) {
		problem(w, http.StatusNotFound, events.ReasonNotFound, "id", "no such code")
		return "", false
	}
	if err != nil {
		a.internal(w, err)
		return "", false
	}
	if t.ProviderReference == "" {
		problem(w, http.StatusConflict, events.ReasonInvalidState, "id",
			"the provider has not issued this code (yet): status "+t.Status)
		return "", false
	}
	return t.ProviderReference, true
}

// qrSVG draws bitmap (quiet zone included) as an SVG of size pixels: a
// white background and one black square per dark module.
func qrSVG(bitmap [][]bool, size int) []byte {
	n := len(bitmap)
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" shape-rendering="crispEdges">`,
		size, size, n, n)
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%d" height="%d" fill="#fff"/>`, n, n)
	for y, row := range bitmap {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, `<rect x="%d" y="%d" width="1" height="1" fill="#000"/>`, x, y)
			}
		}
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}
