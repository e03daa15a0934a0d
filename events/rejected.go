package events

import (
	"time"

	"github.com/google/uuid"
)

// rejectedNamespace names the ids of command.rejected events.
var rejectedNamespace = uuid.MustParse("2b0e3c1f-5a7d-4e63-9c8a-71d4f0b6a9e2")

// Rejected builds the command.rejected event answering cmd for a merchant.
// Its id is derived from the merchant, the command id and salt (which
// rejection of that command it is), so the same rejection published twice
// carries the same Nats-Msg-Id and the stream keeps it once. subject is the
// transaction the command was about, or "" when there is none.
//
// Everything it echoes of the command is bounded: the reason (see
// Reason.Bounded), the command type (MaxCommandTypeLength) and the command
// id as causationid (MaxIDLength; a longer id is what some rejections are
// about). The event id is derived from the whole command id.
func Rejected(merchantID string, cmd *Command, subject string, reason Reason, salt string, now time.Time) Event {
	reason = reason.Bounded()
	id := uuid.NewSHA1(rejectedNamespace, []byte(merchantID+"\x00"+cmd.ID+"\x00"+salt))
	return Event{
		SpecVersion: SpecVersion, ID: id.String(), Source: Source, Type: CommandRejected, Subject: subject,
		Time: now.UTC(), DataContentType: "application/json", MerchantID: merchantID, CausationID: Truncate(cmd.ID, MaxIDLength),
		Data: EventData{Reason: &reason, CommandType: Truncate(cmd.Type, MaxCommandTypeLength)},
	}
}
