package utilitysim

// Meter is the seed's Meter: the prepaid utility meter a purchase is for.
// Either MeterID or Track2Data identifies it; the STS fields are optional.
type Meter struct {
	MeterID         string         `json:"meterId,omitempty"`
	Track2Data      string         `json:"track2Data,omitempty"`
	ServiceType     string         `json:"serviceType,omitempty"`
	SupplyGroupCode string         `json:"supplyGroupCode,omitempty"`
	KeyRevisionNum  string         `json:"keyRevisionNum,omitempty"`
	TariffIndex     string         `json:"tariffIndex,omitempty"`
	TokenTechCode   string         `json:"tokenTechCode,omitempty"`
	AlgorithmCode   string         `json:"algorithmCode,omitempty"`
	KeyChangeData   *KeyChangeData `json:"keyChangeData,omitempty"`
}

// KeyChangeData describes a pending STS key change on the meter.
type KeyChangeData struct {
	NewSupplyGroupCode   string `json:"newSupplyGroupCode,omitempty"`
	NewKeyRevisionNumber string `json:"newKeyRevisionNumber,omitempty"`
	NewTariffIndex       string `json:"newTariffIndex,omitempty"`
}
