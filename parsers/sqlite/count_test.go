//go:build !js

package sqlite

import (
	"bytes"
	"database/sql"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// walkCount counts t's rows the way Rows walks them (depth first, in key
// order), with the same rule as Count: cells whose headers parse.
func walkCount(db *DB, t *Table) (int64, error) {
	r := db.Rows(t)
	if r.err != nil || r.c.done {
		return 0, r.err
	}
	r.c.noOverflow = true
	var n int64
	for r.c.next() {
		n++
	}
	return n, r.c.err
}

// interleavedDB writes a database whose tables' pages are interleaved (rows
// inserted into each table in turn), with overflow rows, a WITHOUT ROWID
// table and an index, and returns its path.
func interleavedDB(t testing.TB, dir string, pageSize, rows int) string {
	t.Helper()
	path := filepath.Join(dir, fmt.Sprintf("interleaved-%d.db", pageSize))
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	stmts := []string{
		fmt.Sprintf("PRAGMA page_size=%d", pageSize),
		"PRAGMA journal_mode=DELETE",
		"CREATE TABLE a(id INTEGER PRIMARY KEY, body TEXT)",
		"CREATE TABLE b(x, y, z)",
		"CREATE TABLE c(k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID",
		"CREATE INDEX b_y ON b(y)",
		"BEGIN",
	}
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	rng := rand.New(rand.NewSource(int64(pageSize)))
	for i := 0; i < rows; i++ {
		body := strings.Repeat("m", 20+rng.Intn(200))
		if i%17 == 0 {
			body = strings.Repeat("o", 3*pageSize) // overflow chain
		}
		if _, err := db.Exec("INSERT INTO a(body) VALUES(?)", body); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("INSERT INTO b VALUES(?, ?, ?)", i, rng.Int63(), strings.Repeat("z", rng.Intn(100))); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("INSERT INTO c VALUES(?, ?)", fmt.Sprintf("key-%08d-%d", rng.Intn(1<<30), i), bytes.Repeat([]byte{byte(i)}, rng.Intn(300))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec("COMMIT"); err != nil {
		t.Fatal(err)
	}
	return path
}

// countingReaderAt counts the bytes read through it.
type countingReaderAt struct {
	r *bytes.Reader
	n atomic.Int64
}

func (c *countingReaderAt) ReadAt(p []byte, off int64) (int, error) {
	c.n.Add(int64(len(p)))
	return c.r.ReadAt(p, off)
}

func TestCountMatchesModerncAndWalk(t *testing.T) {
	dir := t.TempDir()
	paths := []string{interleavedDB(t, dir, 1024, 1500), interleavedDB(t, dir, 4096, 600)}
	for _, p := range paths {
		db := openPath(t, p, false)
		m, err := sql.Open("sqlite", p)
		if err != nil {
			t.Fatal(err)
		}
		for _, tb := range db.Tables() {
			n, err := db.Count(tb)
			if err != nil {
				t.Fatalf("%s %s: %v", p, tb.Name, err)
			}
			w, _ := walkCount(db, tb)
			var want int64
			if err := m.QueryRow("SELECT count(*) FROM " + quoteIdent(tb.Name)).Scan(&want); err != nil {
				t.Fatal(err)
			}
			if n != want || w != want {
				t.Errorf("%s %s: Count %d, walk %d, modernc %d", filepath.Base(p), tb.Name, n, w, want)
			}
			if n2, _ := db.Count(tb); n2 != n {
				t.Errorf("%s %s: second Count %d, first %d", filepath.Base(p), tb.Name, n2, n)
			}
		}
		m.Close()
		if ps := db.Problems(); len(ps) > 0 {
			t.Errorf("%s: problems %v", p, ps)
		}
	}
}

// Count reads the tables of a database together a level at a time in page
// order: with a cache much smaller than the database, each block is read
// about once per level, where counting table by table reads the blocks of
// interleaved tables once per table.
func TestCountSweepReadsBlocksOnce(t *testing.T) {
	path := interleavedDB(t, t.TempDir(), 1024, 3000)
	img, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	open := func() (*DB, *countingReaderAt) {
		cr := &countingReaderAt{r: bytes.NewReader(img)}
		db, err := Open(cr, int64(len(img)), &Options{CachePages: 64})
		if err != nil {
			t.Fatal(err)
		}
		cr.n.Store(0)
		return db, cr
	}
	db, cr := open()
	var total int64
	for _, tb := range db.Tables() {
		n, err := db.Count(tb)
		if err != nil {
			t.Fatal(err)
		}
		total += n
	}
	swept := cr.n.Load()
	db2, cr2 := open()
	var walked int64
	for _, tb := range db2.Tables() {
		n, _ := walkCount(db2, tb)
		walked += n
	}
	if walked != total {
		t.Fatalf("walk counted %d rows, Count %d", walked, total)
	}
	perTable := cr2.n.Load()
	t.Logf("database %d bytes: Count read %d, table by table %d", len(img), swept, perTable)
	if swept > 3*int64(len(img)) {
		t.Errorf("Count read %d bytes of a %d-byte database", swept, len(img))
	}
	if swept*4 > perTable {
		t.Errorf("Count read %d bytes, table by table %d: not fewer", swept, perTable)
	}
}

// Damaged databases: Count agrees with the walk Rows makes, and neither
// panics nor hangs.
func TestCountCorrupt(t *testing.T) {
	path := interleavedDB(t, t.TempDir(), 1024, 400)
	img, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(7))
	ps := 1024
	pages := len(img) / ps
	for i := 0; i < 300; i++ {
		bad := bytes.Clone(img)
		for k := 0; k < 1+rng.Intn(6); k++ {
			pg := 1 + rng.Intn(pages-1) // keep page 1: the schema
			off := pg*ps + rng.Intn(ps)
			switch rng.Intn(3) {
			case 0:
				bad[off] ^= byte(1 + rng.Intn(255))
			case 1: // a page header's cell count or a child pointer
				bad[pg*ps+3+rng.Intn(10)] = byte(rng.Intn(256))
			default:
				copy(bad[pg*ps:], bad[(1+rng.Intn(pages-1))*ps:][:16])
			}
		}
		db, err := Open(bytes.NewReader(bad), int64(len(bad)), nil)
		if err != nil {
			continue
		}
		db2, _ := Open(bytes.NewReader(bad), int64(len(bad)), nil)
		for _, tb := range db.Tables() {
			n, err := db.Count(tb)
			w, werr := walkCount(db2, db2.Table(tb.Name))
			if n != w || (err == nil) != (werr == nil) {
				t.Errorf("variant %d, table %s: Count %d (%v), walk %d (%v)", i, tb.Name, n, err, w, werr)
			}
		}
	}
}
