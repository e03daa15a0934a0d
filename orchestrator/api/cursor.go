package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"time"

	"github.com/google/uuid"

	"github.com/switchyard/switchyard/orchestrator/store"
)

// A search cursor is the last row's place, (created_at, id), as base64url
// of its microseconds since the epoch (8 bytes, big-endian), its id (16
// bytes) and a check of 4 bytes (the start of a SHA-256 of the rest, under
// a version prefix). The check is not a secret: a cursor only moves the
// start of a merchant's own search, so forging one gains nothing; it makes
// a truncated or altered cursor a 400 rather than a silently wrong page.
const (
	cursorVersion = "switchyard-cursor-v1\x00"
	cursorLen     = 8 + 16 + 4
)

func encodeCursor(k store.TxnKey) string {
	b := make([]byte, 0, cursorLen)
	b = binary.BigEndian.AppendUint64(b, uint64(k.CreatedAt.UnixMicro()))
	b = append(b, k.ID[:]...)
	b = append(b, cursorCheck(b)...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor encodeCursor made; ok is false for anything else.
func decodeCursor(s string) (k store.TxnKey, ok bool) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	if err != nil || len(b) != cursorLen || !bytes.Equal(b[24:], cursorCheck(b[:24])) {
		return store.TxnKey{}, false
	}
	k.CreatedAt = time.UnixMicro(int64(binary.BigEndian.Uint64(b[:8]))).UTC()
	k.ID = uuid.UUID(b[8:24])
	return k, k.ID != uuid.Nil
}

func cursorCheck(b []byte) []byte {
	h := sha256.New()
	h.Write([]byte(cursorVersion))
	h.Write(b)
	return h.Sum(nil)[:4]
}
