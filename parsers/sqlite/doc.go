// Package sqlite reads SQLite 3 database files without SQLite: a pure-Go,
// read-only implementation of the file format described at
// https://www.sqlite.org/fileformat2.html, for forensic use in native
// programs and in the browser (GOOS=js GOARCH=wasm).
//
// Open takes an io.ReaderAt over the main database file and, optionally, its
// "-wal" and "-journal" files. Committed WAL frames up to the last valid
// commit are applied exactly as SQLite would (salts and cumulative checksums
// in either byte order); Options.NoWAL gives the main-file-only view. Nothing
// is ever written: no -shm, no checkpoint, no rollback. A hot rollback
// journal is reported (ErrHotJournal in DB.Problems), and the main file is
// read as it is. One deliberate difference from SQLite: when the main file
// is empty (0 bytes) and a WAL holds committed frames, the WAL is read
// (SQLite would discard such a WAL as stale).
//
// Known limits: VIRTUAL generated columns are not stored in the file and
// read as NULL (SQLite computes them); virtual tables have no rows of their
// own (their shadow tables are ordinary tables); column lists of virtual
// tables are guessed from the module arguments.
//
// The schema (sqlite_schema) is parsed into Tables with their Columns (from
// the CREATE TABLE statements, including quoted and odd names, defaults,
// INTEGER PRIMARY KEY rowid aliases and WITHOUT ROWID primary keys). DB.Rows
// iterates over a table's b-tree, in rowid order for rowid tables and key
// order for WITHOUT ROWID tables, yielding typed Values. Values read as
// SQLite returns them: the rowid alias column holds the rowid, REAL-affinity
// columns turn stored integers back into reals, rows shorter than the schema
// (ALTER TABLE ADD COLUMN) take the column default, UTF-16 text is converted
// to UTF-8.
//
// Pages are read on demand through a bounded cache, never the whole file.
// Corruption is treated as normal input: page cycles, out-of-range pages,
// bad cell offsets, looping or short overflow chains, absurd sizes and
// truncation produce typed errors (see the Err* variables and CorruptError)
// or a skipped page reported by DB.Problems, never a panic, a hang or
// unbounded memory.
//
// For recovery tools the package also exposes the page level: DB.Page,
// DB.MainPage, DB.PageCount, DB.Freelist, DB.PtrmapEntry, DB.WALFrames,
// ParseHeader, ParseBTreePage, ParseCell, DB.Payload, DecodeRecord, Varint
// and the serial-type helpers.
package sqlite
