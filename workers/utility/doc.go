// Package utility is the connector for prepaid utility token purchases
// (electricity, water, gas) and its simulator.
package utility
