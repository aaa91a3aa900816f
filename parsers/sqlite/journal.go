package sqlite

import (
	"encoding/binary"
	"io"
)

// JournalMagic starts every rollback journal header.
const JournalMagic = "\xd9\xd5\x05\xf9\x20\xa1\x63\xd7"

// JournalInfo describes a rollback journal given to Open.
type JournalInfo struct {
	Present      bool
	Size         int64
	Hot          bool   // non-empty with a valid header: SQLite would roll it back
	Records      int32  // page records in the first segment (-1: up to the end of the file)
	Nonce        uint32 // checksum nonce
	InitialPages uint32 // database size in pages before the transaction
	SectorSize   uint32
	PageSize     uint32
}

// readJournal inspects a rollback journal header. A journal is hot when it
// has a valid header; a zeroed or empty journal (PERSIST/TRUNCATE modes after
// commit) is not.
func readJournal(r io.ReaderAt, size int64) JournalInfo {
	ji := JournalInfo{Present: true, Size: size}
	if size < 28 {
		return ji
	}
	var h [28]byte
	if readFull(r, h[:], 0, FileJournal, 0) != nil {
		return ji
	}
	if string(h[:8]) != JournalMagic {
		return ji
	}
	be := binary.BigEndian
	ji.Hot = true
	ji.Records = int32(be.Uint32(h[8:]))
	ji.Nonce = be.Uint32(h[12:])
	ji.InitialPages = be.Uint32(h[16:])
	ji.SectorSize = be.Uint32(h[20:])
	ji.PageSize = be.Uint32(h[24:])
	return ji
}

// JournalInfo describes the rollback journal given to Open (Present is false
// if none).
func (db *DB) JournalInfo() JournalInfo { return db.jinfo }
