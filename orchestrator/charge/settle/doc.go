// Package settle settles sales at their merchant's daily batch cut-off.
//
// A ProcessOne transaction record has no "batch closed" flag: a sale is
// settled when its merchant's batch closes, every day at the merchant's
// cut-off (merchants.batch_cutoff, "HH:MM" in merchants.batch_time_zone).
// Each merchant has ONE durable timer (owner kind merchant, kind
// "batch_cutoff"), never one per charge. When it fires, the Handler
//
//  1. applies lifecycle.Settle{At: the timer's due time} through the engine
//     to each of the merchant's charges still succeeded and created at or
//     before At (the charge lifecycle decides: a sale that succeeded after At
//     ignores it);
//  2. applies lifecycle.ParentSettled{} to each deferred child of the
//     merchant whose charge has settled (settled, or partially_refunded by
//     a sibling refund made since);
//  3. moves the timer to the next cut-off (NextCutoff), guarded by the due
//     time it fired for.
//
// Each application is its own engine transaction and idempotent (a settled
// charge ignores Settle, a child no longer deferred ignores ParentSettled),
// so a crash anywhere before step 3 re-fires the timer and finishes the
// work; step 3 is last, so no charge of the batch is ever skipped.
//
// NextCutoff is DST-correct: the next wall-clock HH:MM in the zone, once per
// local day; a time a DST gap skips happens when the clock jumps past it, one
// an overlap repeats happens at its first reading.
package settle
