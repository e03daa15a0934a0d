package events_test

import (
	"encoding/json"
	"fmt"

	"github.com/switchyard/switchyard/events"
)

// A client builds a command envelope and the subject it is published on.
func ExampleCommandSubject() {
	data, _ := json.Marshal(events.ChargeCreateData{
		Provider: events.ProviderOnoConnect, Amount: "10.00", Currency: "ZAR", Reference: "order-1001",
		PaymentMethod: json.RawMessage(`{"type":"card"}`),
	})
	cmd := events.Command{SpecVersion: events.SpecVersion, ID: "order-1001", Source: "pos-17",
		Type: events.ChargeCreate, DataContentType: "application/json", Data: data}
	fmt.Println(events.CommandSubject("7d87aae7-378e-4665-a04f-d6eccc334ebb", cmd.Type))
	fmt.Println(cmd.Validate() == nil)
	// Output:
	// pay.cmd.7d87aae7-378e-4665-a04f-d6eccc334ebb.charge.create
	// true
}

// Intake answers bad input with a FieldError naming the field.
func ExampleParseCommand() {
	_, err := events.ParseCommand([]byte(`{"specversion":"1.0","source":"pos","type":"charge.create","data":{}}`))
	fmt.Println(err)
	// Output: id: is required
}

// Amounts are decimal strings with the currency's minor unit.
func ExampleParseAmount() {
	d, _ := events.ParseAmount("amount", "10.51", "ZAR", false)
	fmt.Println(events.ToMinor(d, "ZAR"), events.FormatAmount(d, "ZAR"))
	_, err := events.ParseAmount("amount", "10.515", "ZAR", false)
	fmt.Println(err)
	// Output:
	// 1051 10.51
	// amount: has more than 2 decimal places for ZAR
}

// Every event's type is <transaction type>.<status>.
func ExampleEventType() {
	fmt.Println(events.EventType(events.TypeCharge, events.StatusAuthorized))
	// Output: charge.authorized
}
