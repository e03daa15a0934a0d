// Package outbox is the relay that publishes committed outbox rows to
// JetStream with Nats-Msg-Id set to each row's message id, then deletes them.
//
// Why no row is skipped: the relay never keeps a cursor such as "id > last
// seen". Sequence values are handed out at INSERT time, not at COMMIT time, so
// a row with a lower id can become visible after a row with a higher id; a
// cursor would skip it. Instead every relay pass reads whatever rows are
// visible now and deletes exactly the rows it published, so a late-committing
// row is simply found by a later pass (the NOTIFY sent by its own commit wakes
// one).
//
// Why rows of one transaction are never published out of order: rows are
// spread over 16 partitions by their partition key (the payment's id). A
// relay pass locks the partition rows it can get (SELECT … FOR UPDATE SKIP
// LOCKED on outbox_partitions) and publishes only those partitions' rows, in
// id order, over one connection, waiting for every PubAck before it deletes
// the rows and commits. Within a pass it publishes in waves: a wave holds
// the next row of each transaction (and every command.rejected, which has no
// sequence), pipelined, and a transaction's later row goes out only in a
// later wave, after its earlier row's PubAck. A batch whose transactions
// have one row each is one wave. So one partition is published by one relay at a time,
// in id order. Within one payment, ids increase in commit order: each of its
// transitions is written while holding the payment's row lock (SELECT … FOR
// UPDATE, then a version-guarded UPDATE), so a later transition's rows are
// inserted after the earlier transition committed.
//
// Why a row that cannot be published neither blocks others nor leaves a
// silent gap: a permanent publish error (over the server's max payload or
// the stream's max message size; see permanent) moves the row to
// outbox_dead in the pass's transaction, and the rest of the batch is
// published as usual. If the row is a transaction's event, the
// transaction's later rows are held: those of the same pass are not sent
// (they were waiting for a later wave) and move to outbox_dead behind it,
// and a later pass's claim sees the dead row of their partition key and
// does the same. So no event of that transaction after the dead one reaches
// the stream, and nothing is skipped: every row is either in the stream, in
// the outbox, or in outbox_dead. A transient error (no PubAck in time,
// connection lost) fails the pass as before and the batch is retried.
// `switchyard outbox retry` moves dead rows back under every partition's
// lock, a transaction's dead rows together, keeping their outbox ids: lower
// than any later row of the transaction, so they are published first, in
// their original order. A command.rejected (no sequence) that dies holds
// nothing back.
//
// Why nothing is published twice: a relay that dies after publishing and
// before deleting leaves the rows; the next pass publishes them again with the
// same Nats-Msg-Id and the stream's duplicate window (10 minutes) drops them.
// Consumers also see a per-transaction sequence and can ignore repeats.
package outbox
