package engine

import (
	"fmt"
	"time"

	"github.com/switchyard/switchyard/events"
	"github.com/switchyard/switchyard/orchestrator/effect"
	"github.com/switchyard/switchyard/orchestrator/lifecycle"
	"github.com/switchyard/switchyard/orchestrator/store"
)

// DetailJournal is the details key of a transaction's journal: what caused
// each of its recent transitions and what the lifecycle decided then (the
// calls it asked for, the timers it set, moved or cancelled: every retry
// decision). The timeline shows it. It names operations and timer kinds,
// never data.
const DetailJournal = "journal"

// JournalLimit bounds the journal: the oldest entries give way.
const JournalLimit = 50

// JournalEntry is one transition of a transaction.
type JournalEntry struct {
	At      time.Time `json:"at"`
	Cause   string    `json:"cause"`
	From    string    `json:"from,omitempty"` // empty when the transaction is new
	To      string    `json:"to"`
	Effects []string  `json:"effects,omitempty"`
}

// journal appends the transition of t from status from, caused by cause,
// with its effects, to t's journal.
func journal(t *store.Txn, at time.Time, cause, from string, effs []effect.Effect) {
	var entries []JournalEntry
	lifecycle.Detail(t, DetailJournal, &entries)
	entries = append(entries, JournalEntry{At: at, Cause: cause, From: from, To: t.Status, Effects: describeEffects(effs)})
	if len(entries) > JournalLimit {
		entries = entries[len(entries)-JournalLimit:]
	}
	lifecycle.SetDetail(t, DetailJournal, entries)
}

// Journal returns t's journal, oldest first.
func Journal(t *store.Txn) []JournalEntry {
	var entries []JournalEntry
	lifecycle.Detail(t, DetailJournal, &entries)
	return entries
}

func describeEffects(effs []effect.Effect) []string {
	var out []string
	for _, eff := range effs {
		out = append(out, describeEffect(eff))
	}
	return out
}

func describeEffect(eff effect.Effect) string {
	switch eff := eff.(type) {
	case effect.Call:
		s := "call " + eff.Op
		if eff.ByReference {
			s += " by reference"
		}
		if eff.Recover {
			s += " (recover: the last attempt may have happened)"
		}
		return s
	case effect.SetTimer:
		return fmt.Sprintf("timer %s at %s (attempt %d)", eff.Kind, eff.At.UTC().Format(time.RFC3339), eff.Attempt)
	case effect.CancelTimer:
		return "cancel timer " + eff.Kind
	case effect.CancelCall:
		return "cancel call " + eff.Op
	case effect.Emit:
		return "event " + eff.Kind
	}
	return fmt.Sprintf("%T", eff)
}

// inputCause names what an input to Decide was, for the journal.
func inputCause(in lifecycle.Input) string {
	switch in := in.(type) {
	case lifecycle.Result:
		s := "result of " + in.Op + ": " + in.Outcome.String()
		if in.Code != "" {
			s += " (" + in.Code + ")"
		}
		return s
	case lifecycle.TimerFired:
		return fmt.Sprintf("timer %s fired (attempt %d)", in.Kind, in.Attempt)
	case lifecycle.CallCancelled:
		return "call " + in.Op + " cancelled before it was sent"
	case lifecycle.Settle:
		return "batch cut-off " + in.At.UTC().Format(time.RFC3339)
	case lifecycle.ParentSettled:
		return "parent settled"
	}
	return fmt.Sprintf("%T", in)
}

func commandCause(cmd *events.Command) string { return "command " + cmd.Type + " " + cmd.ID }

// journalParent journals the change a child's transition made to its parent.
func journalParent(parent, child *store.Txn, at time.Time, cause, from string, evs []effect.Emit) {
	effs := make([]effect.Effect, 0, len(evs))
	for _, ev := range evs {
		effs = append(effs, ev)
	}
	journal(parent, at, child.Type+" "+child.ID.String()+": "+cause, from, effs)
}
