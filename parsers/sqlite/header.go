package sqlite

import (
	"encoding/binary"
)

// HeaderSize is the size of the database header at the start of page 1.
const HeaderSize = 100

// Magic is the header string every SQLite 3 database starts with.
const Magic = "SQLite format 3\x00"

// Header is the 100-byte database file header (sqlite.org/fileformat2.html
// §1.3), as SQLite sees it: from the WAL's copy of page 1 when the WAL holds
// one and is applied.
type Header struct {
	PageSize            int      // bytes per page, 512..65536
	WriteVersion        uint8    // 1 legacy (rollback journal), 2 WAL
	ReadVersion         uint8    // 1 legacy, 2 WAL
	ReservedBytes       int      // unused bytes at the end of each page
	MaxPayloadFraction  uint8    // must be 64
	MinPayloadFraction  uint8    // must be 32
	LeafPayloadFraction uint8    // must be 32
	ChangeCounter       uint32   // file change counter (offset 24)
	InHeaderPages       uint32   // database size in pages as stored at offset 28
	InHeaderPagesValid  bool     // the in-header size is valid (non-zero and change counter == version-valid-for)
	PageCount           uint32   // pages in the database as SQLite uses it (see DB.PageCount)
	FirstFreelistTrunk  uint32   // page number of the first freelist trunk page, 0 if none
	FreelistPages       uint32   // total number of freelist pages
	SchemaCookie        uint32   // offset 40
	SchemaFormat        uint32   // schema format number 1..4
	DefaultCacheSize    uint32   // suggested cache size (offset 48)
	LargestRootPage     uint32   // auto-vacuum/incremental-vacuum: largest root b-tree page; 0 = no auto-vacuum
	TextEncoding        Encoding // UTF8, UTF16LE or UTF16BE
	UserVersion         int32    // PRAGMA user_version
	IncrementalVacuum   bool     // incremental-vacuum mode (only meaningful with LargestRootPage != 0)
	ApplicationID       uint32   // PRAGMA application_id
	VersionValidFor     uint32   // offset 92
	SQLiteVersion       uint32   // SQLITE_VERSION_NUMBER of the last writer
	RawTextEncoding     uint32   // the stored encoding value (0 in an empty database)
}

// UsableSize is the page size minus the reserved bytes.
func (h Header) UsableSize() int { return h.PageSize - h.ReservedBytes }

// AutoVacuum reports whether the database has pointer-map pages.
func (h Header) AutoVacuum() bool { return h.LargestRootPage != 0 }

// ParseHeader decodes the 100-byte database header in b. It checks the magic
// string, the page size, the reserved bytes, the payload fractions and the
// text encoding. PageCount is set from the in-header size only; DB.Header
// reports the effective count.
func ParseHeader(b []byte) (Header, error) {
	var h Header
	if len(b) < HeaderSize {
		return h, corruptf(ErrNotDatabase, FileMain, 0, 0, "file is %d bytes, shorter than the %d-byte header", len(b), HeaderSize)
	}
	if string(b[:16]) != Magic {
		return h, corruptf(ErrNotDatabase, FileMain, 0, 0, "bad magic string %q", b[:16])
	}
	ps := int(binary.BigEndian.Uint16(b[16:]))
	if ps == 1 {
		ps = 65536
	}
	if ps < 512 || ps > 65536 || ps&(ps-1) != 0 {
		return h, corruptf(ErrHeader, FileMain, 0, 16, "page size %d is not a power of two in 512..65536", ps)
	}
	h.PageSize = ps
	h.WriteVersion = b[18]
	h.ReadVersion = b[19]
	h.ReservedBytes = int(b[20])
	if ps-h.ReservedBytes < 480 {
		return h, corruptf(ErrHeader, FileMain, 0, 20, "%d reserved bytes leave fewer than 480 usable bytes per %d-byte page", h.ReservedBytes, ps)
	}
	h.MaxPayloadFraction, h.MinPayloadFraction, h.LeafPayloadFraction = b[21], b[22], b[23]
	if h.MaxPayloadFraction != 64 || h.MinPayloadFraction != 32 || h.LeafPayloadFraction != 32 {
		return h, corruptf(ErrHeader, FileMain, 0, 21, "payload fractions %d/%d/%d, want 64/32/32",
			h.MaxPayloadFraction, h.MinPayloadFraction, h.LeafPayloadFraction)
	}
	be := binary.BigEndian
	h.ChangeCounter = be.Uint32(b[24:])
	h.InHeaderPages = be.Uint32(b[28:])
	h.FirstFreelistTrunk = be.Uint32(b[32:])
	h.FreelistPages = be.Uint32(b[36:])
	h.SchemaCookie = be.Uint32(b[40:])
	h.SchemaFormat = be.Uint32(b[44:])
	h.DefaultCacheSize = be.Uint32(b[48:])
	h.LargestRootPage = be.Uint32(b[52:])
	h.RawTextEncoding = be.Uint32(b[56:])
	h.UserVersion = int32(be.Uint32(b[60:]))
	h.IncrementalVacuum = be.Uint32(b[64:]) != 0
	h.ApplicationID = be.Uint32(b[68:])
	h.VersionValidFor = be.Uint32(b[92:])
	h.SQLiteVersion = be.Uint32(b[96:])
	switch h.RawTextEncoding {
	case 0:
		h.TextEncoding = UTF8 // empty database: no encoding chosen yet
	case 1, 2, 3:
		h.TextEncoding = Encoding(h.RawTextEncoding)
	default:
		return h, corruptf(ErrHeader, FileMain, 0, 56, "text encoding %d is not 1, 2 or 3", h.RawTextEncoding)
	}
	h.InHeaderPagesValid = h.InHeaderPages != 0 && h.ChangeCounter == h.VersionValidFor
	h.PageCount = h.InHeaderPages
	return h, nil
}
