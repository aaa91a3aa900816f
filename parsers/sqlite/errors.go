package sqlite

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error returned by this package for bad input is, or
// wraps, one of these, so callers can test with errors.Is. Errors that point
// at a place in a file are *CorruptError values (use errors.As).
var (
	// ErrNotDatabase: the file does not start with "SQLite format 3\x00"
	// (and no WAL supplies page 1).
	ErrNotDatabase = errors.New("sqlite: not a SQLite 3 database")
	// ErrHeader: the 100-byte database header holds an impossible value.
	ErrHeader = errors.New("sqlite: invalid database header")
	// ErrCorrupt: a b-tree page, cell or record is malformed.
	ErrCorrupt = errors.New("sqlite: corrupt database")
	// ErrPageRange: a page number is 0 or past the end of the database.
	ErrPageRange = errors.New("sqlite: page number out of range")
	// ErrCycle: a page is reached twice while walking one b-tree or list.
	ErrCycle = errors.New("sqlite: page cycle")
	// ErrTooDeep: a b-tree is deeper than any SQLite writes.
	ErrTooDeep = errors.New("sqlite: b-tree too deep")
	// ErrOverflow: an overflow chain is broken, loops or is too short.
	ErrOverflow = errors.New("sqlite: bad overflow chain")
	// ErrPayloadSize: a payload or record length is absurd.
	ErrPayloadSize = errors.New("sqlite: payload size out of range")
	// ErrTruncated: the file ends before a page that the database needs.
	ErrTruncated = errors.New("sqlite: file truncated")
	// ErrRecord: a record header or serial type is malformed.
	ErrRecord = errors.New("sqlite: malformed record")
	// ErrWALHeader: the -wal file header is invalid (the WAL is ignored).
	ErrWALHeader = errors.New("sqlite: invalid WAL header")
	// ErrWALFrame: a WAL frame has a wrong salt or checksum; it and every later
	// frame are ignored, as SQLite does.
	ErrWALFrame = errors.New("sqlite: invalid WAL frame")
	// ErrHotJournal: a hot rollback journal is beside the database. SQLite
	// would roll it back before reading; this package reads the main file as
	// it is and reports the journal.
	ErrHotJournal = errors.New("sqlite: hot rollback journal present")
	// ErrSchema: a sqlite_schema row or CREATE statement cannot be understood.
	ErrSchema = errors.New("sqlite: unreadable schema entry")
	// ErrNoTable: the table is unknown, or belongs to another DB.
	ErrNoTable = errors.New("sqlite: no such table")
)

// File names used in CorruptError.File.
const (
	FileMain    = "db"
	FileWAL     = "wal"
	FileJournal = "journal"
)

// A CorruptError describes a problem at a known place in a file.
type CorruptError struct {
	Err    error  // one of the sentinel errors above
	File   string // FileMain, FileWAL or FileJournal
	Page   uint32 // database page number, 0 if not about a page
	Offset int64  // byte offset in File, -1 if unknown
	Detail string // what is wrong
}

func (e *CorruptError) Error() string {
	s := e.Err.Error()
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Page != 0 {
		s += fmt.Sprintf(" (page %d", e.Page)
		if e.Offset >= 0 {
			s += fmt.Sprintf(", %s offset %d", e.File, e.Offset)
		}
		s += ")"
	} else if e.Offset >= 0 {
		s += fmt.Sprintf(" (%s offset %d)", e.File, e.Offset)
	}
	return s
}

func (e *CorruptError) Unwrap() error { return e.Err }

func corruptf(sentinel error, file string, page uint32, off int64, format string, args ...any) *CorruptError {
	return &CorruptError{Err: sentinel, File: file, Page: page, Offset: off, Detail: fmt.Sprintf(format, args...)}
}
