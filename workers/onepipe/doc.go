// Package onepipe is the OnePipe connector: a typed client for the hold-funds
// service (/v2/transact and its validate, query, reverse and options
// endpoints) and a simulator of it.
package onepipe
