package code

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// The QR image's size in pixels: ?size=, default and bounds.
const (
	QRSizeDefault = 256
	QRSizeMin     = 64
	QRSizeMax     = 2048
)

// Views is the code's QR image: GET /v1/codes/{id}/qr?format=png|svg&size=N.
func (*Lifecycle) Views() []lifecycle.View {
	return []lifecycle.View{{Pattern: "GET /v1/codes/{id}/qr", Render: renderQR}}
}

// renderQR draws a QR image of the code's provider code (the transaction's
// provider reference). The seed says a code "can be represented as a QR
// code" and gives no URL form, so the image carries the code number itself
// (e.g. "8227541409"), as a consumer would type it. PNG (the default) by
// go-qrcode; SVG drawn from its bitmap, one square per dark module. A code
// the provider has not issued yet (no code number) has nothing to show.
func renderQR(t *store.Txn, q url.Values) (string, []byte, error) {
	format, size, err := qrParams(q)
	if err != nil {
		return "", nil, err
	}
	if t.ProviderReference == "" {
		return "", nil, fmt.Errorf("%w: the provider has not issued this code (yet): status %s", lifecycle.ErrInvalidState, t.Status)
	}
	qr, err := qrcode.New(t.ProviderReference, qrcode.Medium)
	if err != nil {
		return "", nil, fmt.Errorf("qr of code %s: %w", t.ID, err)
	}
	if format == "svg" {
		return "image/svg+xml", qrSVG(qr.Bitmap(), size), nil
	}
	b, err := qr.PNG(size)
	if err != nil {
		return "", nil, fmt.Errorf("qr of code %s: %w", t.ID, err)
	}
	return "image/png", b, nil
}

// qrParams reads ?format= and ?size=.
func qrParams(q url.Values) (string, int, error) {
	format := q.Get("format")
	if format == "" {
		format = "png"
	}
	if format != "png" && format != "svg" {
		return "", 0, events.Invalid("format", "format is png (the default) or svg")
	}
	size := QRSizeDefault
	if s := q.Get("size"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < QRSizeMin || n > QRSizeMax {
			return "", 0, events.Invalid("size", "size is a number of pixels from %d to %d", QRSizeMin, QRSizeMax)
		}
		size = n
	}
	return format, size, nil
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
