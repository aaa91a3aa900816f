package sqlite

import (
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"sync"
)

// Options tunes Open. The zero value (or nil) reads the main file only.
type Options struct {
	// WAL is the content of the "-wal" file beside the database, if any.
	// Committed frames up to the last valid commit are applied, as SQLite
	// does when it opens the database.
	WAL     io.ReaderAt
	WALSize int64
	// NoWAL ignores WAL: the view of the main file alone. WALInfo and
	// WALFrames still describe the WAL when one is given.
	NoWAL bool
	// Journal is the content of a "-journal" file beside the database. A hot
	// journal is reported in Problems (ErrHotJournal) and JournalInfo; the
	// main file is read as it is (SQLite would roll the journal back first).
	Journal     io.ReaderAt
	JournalSize int64
	// CachePages bounds the page cache; 0 means about 8 MiB of pages.
	CachePages int
}

// DB is an open, read-only SQLite database. Its methods are safe for
// concurrent use; a Rows iterator is not.
type DB struct {
	r      io.ReaderAt
	size   int64
	header Header
	usable int
	pager  *pager
	walf   *walFile // parsed WAL (also when NoWAL), nil if none given
	jinfo  JournalInfo

	schema []SchemaEntry
	tables []*Table
	master *Table

	mu       sync.Mutex
	problems []error

	countMu sync.Mutex
	counts  map[countKey]countResult // Count's, filled on its first call
}

// Open reads the database header, the WAL (if given) and the schema. The
// file itself is read page by page on demand through a bounded cache; r is
// never written to. Errors wrap ErrNotDatabase, ErrHeader or, for a schema
// that cannot be read at all, ErrCorrupt and friends.
func Open(r io.ReaderAt, size int64, opts *Options) (*DB, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	db := &DB{r: r, size: size}
	var hdr [HeaderSize]byte
	haveMain := size >= HeaderSize
	var mainHdr Header
	var hdrErr error
	if haveMain {
		if err := readFull(r, hdr[:], 0, FileMain, 1); err != nil {
			return nil, err
		}
		mainHdr, hdrErr = ParseHeader(hdr[:])
	} else if size == 0 {
		hdrErr = corruptf(ErrNotDatabase, FileMain, 0, 0, "empty file")
	} else {
		hdrErr = corruptf(ErrNotDatabase, FileMain, 0, 0, "file is %d bytes, shorter than the %d-byte header", size, HeaderSize)
	}
	// A main file with no valid header can still be a database whose first
	// pages exist only in the WAL, but only if it is empty.
	if hdrErr != nil && (size != 0 || o.WAL == nil || o.NoWAL) {
		return nil, hdrErr
	}

	if o.WAL != nil {
		w, probs := readWAL(o.WAL, o.WALSize, mainHdr.PageSize)
		db.walf = w
		db.problems = append(db.problems, probs...)
	}
	useWAL := db.walf != nil && !o.NoWAL && db.walf.info.LastCommitFrame >= 0
	if db.walf != nil {
		db.walf.info.Applied = useWAL
	}

	pageSize := mainHdr.PageSize
	if hdrErr != nil {
		if !useWAL {
			return nil, hdrErr
		}
		pageSize = db.walf.pageSize
	}
	p := newPager(r, size, pageSize, o.CachePages)
	// Pages in the database as the pager sees it: the last commit's size
	// with a WAL, otherwise the file size.
	var nPageFile uint32
	if useWAL {
		p.wal = db.walf
		nPageFile = db.walf.info.LastCommitSize
		// The commit frame's size is attacker-chosen (checksums are not a
		// secret): never size anything by more pages than the two files
		// hold.
		exist := uint32(min(size/int64(pageSize), 1<<32-1))
		for pg := range db.walf.pages {
			exist = max(exist, pg)
		}
		if nPageFile > exist {
			db.problems = append(db.problems, corruptf(ErrTruncated, FileWAL, 0, -1,
				"WAL commit says the database has %d pages but only %d exist; reading %d", nPageFile, exist, exist))
			nPageFile = exist
		}
	} else {
		nPageFile = uint32(min((size+int64(pageSize)-1)/int64(pageSize), 1<<32-1))
	}
	p.nPages = nPageFile
	db.pager = p

	// Page 1 as SQLite sees it (possibly from the WAL) holds the header.
	h := mainHdr
	if useWAL {
		if _, ok := db.walf.pages[1]; ok {
			pg, err := p.page(1)
			if err != nil {
				return nil, err
			}
			h, err = ParseHeader(pg)
			if err != nil {
				return nil, err
			}
			if h.PageSize != pageSize {
				return nil, corruptf(ErrHeader, FileWAL, 1, -1, "page 1 in the WAL has page size %d, WAL has %d", h.PageSize, pageSize)
			}
		} else if hdrErr != nil {
			return nil, hdrErr
		}
	}
	nPage := nPageFile
	if h.InHeaderPagesValid {
		nPage = h.InHeaderPages
		if nPage > nPageFile {
			db.problems = append(db.problems, corruptf(ErrTruncated, FileMain, 0, 28,
				"header says %d pages but only %d exist; reading %d", nPage, nPageFile, nPageFile))
			nPage = nPageFile
		}
	}
	h.PageCount = nPage
	p.nPages = nPage
	db.header = h
	db.usable = h.UsableSize()

	if o.Journal != nil {
		db.jinfo = readJournal(o.Journal, o.JournalSize)
		if db.jinfo.Hot {
			db.problems = append(db.problems, corruptf(ErrHotJournal, FileJournal, 0, 0,
				"hot rollback journal (%d bytes, %d page records, original size %d pages); main file read without rolling it back",
				o.JournalSize, db.jinfo.Records, db.jinfo.InitialPages))
		}
	}

	if err := db.loadSchema(); err != nil {
		return nil, err
	}
	return db, nil
}

func (db *DB) addProblem(err error) {
	db.mu.Lock()
	if len(db.problems) < maxProblems {
		db.problems = append(db.problems, err)
	} else if len(db.problems) == maxProblems {
		db.problems = append(db.problems, errors.New("sqlite: too many problems; further ones not recorded"))
	}
	db.mu.Unlock()
}

// maxProblems bounds the problem list.
const maxProblems = 1000

// Problems returns the non-fatal problems met so far: skipped corrupt pages
// and cells, invalid WAL frames, a hot journal. Iterating tables can add more.
func (db *DB) Problems() []error {
	db.mu.Lock()
	defer db.mu.Unlock()
	return append([]error(nil), db.problems...)
}

// Header returns the database header as SQLite sees it (page 1 from the WAL
// when applied), with PageCount set to the pages actually used.
func (db *DB) Header() Header { return db.header }

// PageCount returns the number of pages in the database view.
func (db *DB) PageCount() uint32 { return db.pager.nPages }

// PageSize returns the page size in bytes.
func (db *DB) PageSize() int { return db.header.PageSize }

// UsableSize returns the usable bytes per page (page size minus reserved).
func (db *DB) UsableSize() int { return db.usable }

// Encoding returns the database text encoding.
func (db *DB) Encoding() Encoding { return db.header.TextEncoding }

// Page returns a copy of page n (1-based) as SQLite sees it: from the WAL's
// last committed frame for that page when the WAL is applied, else from the
// main file.
func (db *DB) Page(n uint32) ([]byte, error) {
	b, err := db.pager.page(n)
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), b...), nil
}

// MainPage returns a copy of page n as stored in the main file, ignoring
// the WAL. n may exceed PageCount as long as the page lies in the file.
func (db *DB) MainPage(n uint32) ([]byte, error) {
	b, err := db.MainPageView(n)
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), b...), nil
}

// PageView is Page without the copy: the image the DB itself reads, which
// the caller must not modify. It stays valid (images are never reused).
// For scans that read every page (deleted-record search): a copy each is
// most of what they allocate.
func (db *DB) PageView(n uint32) ([]byte, error) {
	return db.pager.page(n)
}

// MainPageView is MainPage without the copy, under PageView's rule.
func (db *DB) MainPageView(n uint32) ([]byte, error) {
	if n == 0 || int64(n-1)*int64(db.header.PageSize) >= db.size {
		return nil, corruptf(ErrPageRange, FileMain, n, -1, "page %d not in the %d-byte main file", n, db.size)
	}
	return db.pager.mainPage(n)
}

// page returns the shared, read-only image of page n.
func (db *DB) page(n uint32) ([]byte, error) { return db.pager.page(n) }

// WALInfo describes the WAL given to Open (Present is false if none).
func (db *DB) WALInfo() WALInfo {
	if db.walf == nil {
		return WALInfo{LastCommitFrame: -1, FirstInvalid: -1}
	}
	return db.walf.info
}

// WALFrames lists every complete frame of the WAL, valid or not, in file
// order. Frame page images are read on demand with WALFrame.Data.
func (db *DB) WALFrames() []WALFrame {
	if db.walf == nil {
		return nil
	}
	return append([]WALFrame(nil), db.walf.frames...)
}

// Schema returns every sqlite_schema row, in rowid order.
func (db *DB) Schema() []SchemaEntry { return append([]SchemaEntry(nil), db.schema...) }

// Tables returns every table (including virtual tables, Type "virtual"), in
// schema order. sqlite_schema itself is not listed; Table("sqlite_schema")
// returns it.
func (db *DB) Tables() []*Table { return append([]*Table(nil), db.tables...) }

// Table returns the table called name (ASCII case-insensitive), or nil.
// "sqlite_schema", "sqlite_master" and their temp_ forms name the schema
// table itself.
func (db *DB) Table(name string) *Table {
	for _, t := range db.tables {
		if asciiEqualFold(t.Name, name) {
			return t
		}
	}
	switch strings.ToLower(name) {
	case "sqlite_schema", "sqlite_master":
		return db.master
	}
	return nil
}

func newMasterTable(db *DB) *Table {
	t := &Table{Name: "sqlite_schema", Type: "table", RootPage: 1, RowIDColumn: -1, db: db,
		SQL: "CREATE TABLE sqlite_schema(type text, name text, tbl_name text, rootpage integer, sql text)"}
	for _, c := range []struct{ n, t string }{{"type", "text"}, {"name", "text"}, {"tbl_name", "text"}, {"rootpage", "integer"}, {"sql", "text"}} {
		t.Columns = append(t.Columns, Column{Name: c.n, Type: c.t, Affinity: TypeAffinity(c.t)})
	}
	t.buildPlan()
	return t
}

func (db *DB) loadSchema() error {
	db.master = newMasterTable(db)
	rows := db.Rows(db.master)
	for rows.Next() {
		r := rows.RowView()
		v := r.Values
		e := SchemaEntry{RowID: r.RowID}
		e.Type, e.Name, e.TblName, e.SQL = v[0].textString(), v[1].textString(), v[2].textString(), v[4].textString()
		if rp, ok := v[3].AsInt64(); ok && rp > 0 && rp <= 1<<32-1 {
			e.RootPage = uint32(rp)
		}
		db.schema = append(db.schema, e)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// Root pages are unique and page 1 is the schema's own root. A root
	// pointer aimed at another b-tree (disk damage or anti-forensic
	// editing) would show that tree's rows as this table's: report it.
	owner := map[uint32]string{1: "sqlite_schema"}
	for i := range db.schema {
		e := &db.schema[i]
		if e.RootPage == 0 {
			continue
		}
		if o, dup := owner[e.RootPage]; dup {
			db.addProblem(corruptf(ErrSchema, FileMain, 0, -1, "%s %q has root page %d, which is already the root of %q", e.Type, e.Name, e.RootPage, o))
			if e.RootPage == 1 {
				e.RootPage = 0 // never read the schema as a table
			}
			continue
		}
		owner[e.RootPage] = e.Name
	}
	for _, e := range db.schema {
		if e.Type != "table" {
			continue
		}
		t := &Table{Name: e.Name, RootPage: e.RootPage, SQL: e.SQL, db: db}
		if err := parseCreateTable(t, e.SQL); err != nil {
			t.ParseError = err
			db.addProblem(err)
		}
		if t.Type == "" {
			t.Type = "table"
		}
		if t.Type == "table" && t.RootPage == 0 {
			err := corruptf(ErrSchema, FileMain, 0, -1, "table %q has no root page", t.Name)
			db.addProblem(err)
			if t.ParseError == nil {
				t.ParseError = err
			}
		}
		t.buildPlan()
		db.tables = append(db.tables, t)
	}
	return nil
}

// textString returns text values as a string ("" for anything else).
func (v Value) textString() string {
	if v.Kind == Text {
		return string(v.Bytes)
	}
	return ""
}

// Freelist returns the freelist trunk pages and leaf pages, in list order.
// A broken list stops with an error; what was read so far is returned.
func (db *DB) Freelist() (trunks, leaves []uint32, err error) {
	next := db.header.FirstFreelistTrunk
	seen := newPageSet(db.pager.nPages)
	for next != 0 {
		if next > db.pager.nPages {
			return trunks, leaves, corruptf(ErrPageRange, FileMain, next, -1, "freelist trunk page %d out of range", next)
		}
		if seen.add(next) {
			return trunks, leaves, corruptf(ErrCycle, FileMain, next, -1, "freelist trunk page %d seen twice", next)
		}
		pg, err := db.page(next)
		if err != nil {
			return trunks, leaves, err
		}
		trunks = append(trunks, next)
		n := binary.BigEndian.Uint32(pg[4:])
		if int64(n) > int64(db.usable/4-2) {
			return trunks, leaves, corruptf(ErrCorrupt, FileMain, next, 4, "freelist trunk lists %d leaves, room for %d", n, db.usable/4-2)
		}
		for i := uint32(0); i < n; i++ {
			leaves = append(leaves, binary.BigEndian.Uint32(pg[8+4*i:]))
		}
		next = binary.BigEndian.Uint32(pg[0:])
	}
	return trunks, leaves, nil
}

// Pointer-map entry types (fileformat2 §1.7).
const (
	PtrmapRootPage  = 1
	PtrmapFreePage  = 2
	PtrmapOverflow1 = 3
	PtrmapOverflow2 = 4
	PtrmapBTree     = 5
)

// IsPtrmapPage reports whether page n is a pointer-map page (only in
// auto-vacuum databases).
func (db *DB) IsPtrmapPage(n uint32) bool {
	if !db.header.AutoVacuum() || n < 2 {
		return false
	}
	per := uint32(db.usable / 5)
	return (n-2)%(per+1) == 0
}

// PtrmapEntry returns the pointer-map entry of page n: its type (Ptrmap*)
// and parent page.
func (db *DB) PtrmapEntry(n uint32) (typ uint8, parent uint32, err error) {
	if !db.header.AutoVacuum() {
		return 0, 0, errors.New("sqlite: database has no pointer map (not auto-vacuum)")
	}
	if n < 3 || db.IsPtrmapPage(n) || n > db.pager.nPages {
		return 0, 0, corruptf(ErrPageRange, FileMain, n, -1, "page %d has no pointer-map entry", n)
	}
	per := uint32(db.usable / 5)
	ptr := 2 + (n-3)/(per+1)*(per+1)
	pg, err := db.page(ptr)
	if err != nil {
		return 0, 0, err
	}
	i := int(n-ptr-1) * 5
	return pg[i], binary.BigEndian.Uint32(pg[i+1:]), nil
}

// LockBytePage returns the page holding the lock byte (file offset 2^30),
// which SQLite never uses, or 0 if the database is smaller.
func (db *DB) LockBytePage() uint32 {
	n := uint32(1<<30/db.header.PageSize) + 1
	if n > db.pager.nPages {
		return 0
	}
	return n
}
