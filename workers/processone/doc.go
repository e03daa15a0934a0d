// Package processone is the ProcessOne (One Inc) connector: a typed client
// for its REST API (api/CreditCard/*, api/Eft/*, api/PaymentToken/*,
// api/Transaction/*, api/HealthStatus/Check) and a simulator of it.
package processone
