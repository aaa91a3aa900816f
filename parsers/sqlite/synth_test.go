//go:build !js

package sqlite

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Synthetic databases committed in testdata/synthetic, made with
// modernc.org/sqlite by this file (go test -run TestSynthetic -update).
// They cover what the third-party files do not, and are read by the golden
// and corruption tests in wasm too.

type synthSpec struct {
	name string
	o    genOptions
	seed int64
}

var synthSpecs = []synthSpec{
	{"utf16le-autovacuum", genOptions{PageSize: 1024, Encoding: "UTF-16le", AutoVacuum: "FULL", Tables: 3, MaxRows: 60}, 1},
	{"utf16be-512", genOptions{PageSize: 512, Encoding: "UTF-16be", AutoVacuum: "NONE", Tables: 4, MaxRows: 50}, 2},
	{"wal-4k", genOptions{PageSize: 4096, Encoding: "UTF-8", AutoVacuum: "NONE", Tables: 3, MaxRows: 80, WAL: true}, 3},
	{"wal-incremental-8k", genOptions{PageSize: 8192, Encoding: "UTF-16le", AutoVacuum: "INCREMENTAL", Tables: 2, MaxRows: 20, WAL: true}, 4},
	{"page64k", genOptions{PageSize: 65536, Encoding: "UTF-8", AutoVacuum: "FULL", Tables: 2, MaxRows: 4}, 5},
	{"reserved32", genOptions{PageSize: 2048, Encoding: "UTF-8", AutoVacuum: "NONE", Tables: 3, MaxRows: 60, Reserved: 32}, 6},
	{"reserved255-av", genOptions{PageSize: 4096, Encoding: "UTF-16be", AutoVacuum: "FULL", Tables: 2, MaxRows: 15, Reserved: 255}, 7},
}

func synthDir() string { return filepath.Join("testdata", "synthetic") }

func TestSyntheticFiles(t *testing.T) {
	dir := synthDir()
	if *update {
		os.RemoveAll(dir)
		os.MkdirAll(dir, 0o755)
		for _, s := range synthSpecs {
			generateDB(t, filepath.Join(dir, s.name+".db"), s.seed, s.o)
		}
		os.RemoveAll(filepath.Join(dir, "snap"))
		makeWALOnlySchema(t, filepath.Join(dir, "schema-in-wal.db"))
		makeHotJournal(t, filepath.Join(dir, "hot-journal.db"))
		for _, s := range synthSpecs {
			if s.o.WAL {
				wal, err := os.ReadFile(filepath.Join(dir, s.name+".db-wal"))
				if err != nil {
					t.Fatal(err)
				}
				copyFile(t, filepath.Join(dir, s.name+".db"), filepath.Join(dir, s.name+"-be.db"))
				os.WriteFile(filepath.Join(dir, s.name+"-be.db-wal"), walToBigEndian(wal), 0o644)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.db"))
	if len(files) < len(synthSpecs)+3 {
		t.Fatalf("testdata/synthetic has %d databases; run go test -run TestSynthetic -update", len(files))
	}
	for _, path := range files {
		if strings.Contains(path, "hot-journal") {
			continue // SQLite would roll the journal back: not comparable
		}
		before := hashSet(t, path)
		n := compareWithModernc(t, path, false)
		if _, err := os.Stat(path + "-wal"); err == nil {
			n += compareWithModernc(t, path, true)
		}
		if fmt.Sprint(before) != fmt.Sprint(hashSet(t, path)) {
			t.Errorf("%s: reading changed the files", path)
		}
		t.Logf("%s: %d rows equal", path, n)
	}
}

// walToBigEndian rewrites a WAL so that its checksums use big-endian words
// (magic 0x377f0683), as a big-endian machine writes it. Frames that were
// valid stay valid; the first invalid one and later are left as they are.
func walToBigEndian(wal []byte) []byte {
	out := append([]byte(nil), wal...)
	be := binary.BigEndian
	ps := int(be.Uint32(out[8:]))
	binary.BigEndian.PutUint32(out[0:], WALMagicBE)
	l0, l1 := walChecksum(wal[:24], false, 0, 0)
	b0, b1 := walChecksum(out[:24], true, 0, 0)
	be.PutUint32(out[24:], b0)
	be.PutUint32(out[28:], b1)
	for off := WALHeaderSize; off+WALFrameHeaderSize+ps <= len(out); off += WALFrameHeaderSize + ps {
		f := wal[off : off+WALFrameHeaderSize+ps]
		n0, n1 := walChecksum(f[:8], false, l0, l1)
		n0, n1 = walChecksum(f[WALFrameHeaderSize:], false, n0, n1)
		if n0 != be.Uint32(f[16:]) || n1 != be.Uint32(f[20:]) {
			break
		}
		l0, l1 = n0, n1
		o := out[off : off+WALFrameHeaderSize+ps]
		b0, b1 = walChecksum(o[:8], true, b0, b1)
		b0, b1 = walChecksum(o[WALFrameHeaderSize:], true, b0, b1)
		be.PutUint32(o[16:], b0)
		be.PutUint32(o[20:], b1)
	}
	return out
}

// makeWALOnlySchema leaves a main file whose schema is empty and a WAL that
// holds every table.
func makeWALOnlySchema(t *testing.T, path string) {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		"PRAGMA journal_mode=WAL", "PRAGMA wal_autocheckpoint=0",
		"CREATE TABLE messages (_id INTEGER PRIMARY KEY, address TEXT, body TEXT, date INTEGER, read INTEGER DEFAULT 0)",
		"INSERT INTO messages (address, body, date) VALUES ('+15551234', 'hello from the WAL', 1700000000000), ('+15559876', 'second', 1700000001000)",
		"CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB) WITHOUT ROWID",
		"INSERT INTO kv VALUES ('a', x'01'), ('b', zeroblob(3000))",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	copyFile(t, path, path+".snap")
	copyFile(t, path+"-wal", path+".snapwal")
	db.Close()
	os.Remove(path + "-shm")
	os.Rename(path+".snap", path)
	os.Rename(path+".snapwal", path+"-wal")
}

// makeHotJournal leaves a database in the middle of a transaction whose
// pages were spilled to the main file, with its hot rollback journal.
func makeHotJournal(t *testing.T, path string) {
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		"PRAGMA page_size=1024", "PRAGMA journal_mode=DELETE", "PRAGMA cache_size=8",
		"CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)",
		"INSERT INTO t (s) VALUES ('committed 1'), ('committed 2')",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 400; i++ {
		if _, err := tx.Exec("INSERT INTO t (s) VALUES (?)", strings.Repeat(fmt.Sprint(i), 100)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(path + "-journal"); err != nil {
		t.Fatal("no journal during the transaction")
	}
	copyFile(t, path, path+".snap")
	copyFile(t, path+"-journal", path+".snapj")
	tx.Rollback()
	db.Close()
	os.Rename(path+".snap", path)
	os.Rename(path+".snapj", path+"-journal")
}
