package events

import (
	"fmt"
	"strings"
)

// Stream names and subject roots of the public NATS surface.
const (
	StreamCommands = "PAY_COMMANDS"
	StreamEvents   = "PAY_EVENTS"

	CommandRoot  = "pay.cmd"
	EventRoot    = "pay.evt"
	InternalRoot = "pay.int"
)

// CommandSubject is the subject a merchant publishes a command of type t on.
func CommandSubject(merchantID, t string) string {
	return CommandRoot + "." + merchantID + "." + t
}

// EventSubject is the subject an event of type t for a merchant is published on.
func EventSubject(merchantID, t string) string {
	return EventRoot + "." + merchantID + "." + t
}

// MerchantEvents is the wildcard subject of all a merchant's events.
func MerchantEvents(merchantID string) string { return EventRoot + "." + merchantID + ".>" }

// ParseCommandSubject splits pay.cmd.<merchant>.<type...> into its parts.
// The command type may itself hold dots (charge.create).
func ParseCommandSubject(subject string) (merchantID, commandType string, err error) {
	rest, ok := strings.CutPrefix(subject, CommandRoot+".")
	if !ok {
		return "", "", fmt.Errorf("subject %q is not under %s", subject, CommandRoot)
	}
	merchantID, commandType, ok = strings.Cut(rest, ".")
	if !ok || merchantID == "" || commandType == "" {
		return "", "", fmt.Errorf("subject %q: want %s.<merchant_id>.<command type>", subject, CommandRoot)
	}
	return merchantID, commandType, nil
}
