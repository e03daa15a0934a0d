package utilitysim

// SlipData is what may be printed on the customer's slip.
type SlipData struct {
	MessageLines    []MessageLine `json:"messageLines,omitempty"`
	SlipWidth       int           `json:"slipWidth,omitempty"`
	IssuerReference string        `json:"issuerReference,omitempty"`
}

// MessageLine is one printed line (or barcode, rule, cut).
type MessageLine struct {
	Barcode               *Barcode `json:"barcode,omitempty"`
	Text                  string   `json:"text,omitempty"`
	FontWidthScaleFactor  *Number  `json:"fontWidthScaleFactor,omitempty"`
	FontHeightScaleFactor *Number  `json:"fontHeightScaleFactor,omitempty"`
	Line                  bool     `json:"line,omitempty"`
	Cut                   bool     `json:"cut,omitempty"`
}

// Barcode is a barcode to print.
type Barcode struct {
	Data     string `json:"data"`
	Encoding string `json:"encoding,omitempty"`
}
