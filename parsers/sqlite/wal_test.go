package sqlite

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"testing"
)

func readTestFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// openBytes opens an in-memory database (and WAL, if not nil).
func openBytes(t testing.TB, main, wal []byte, noWAL bool) (*DB, error) {
	t.Helper()
	o := &Options{NoWAL: noWAL}
	if wal != nil {
		o.WAL, o.WALSize = bytes.NewReader(wal), int64(len(wal))
	}
	return Open(bytes.NewReader(main), int64(len(main)), o)
}

// countRows returns the row count of every table and fails on fatal errors.
func countRows(t testing.TB, db *DB) map[string]int64 {
	t.Helper()
	m := map[string]int64{}
	for _, tb := range db.Tables() {
		n, err := db.Count(tb)
		if err != nil {
			t.Errorf("table %q: %v", tb.Name, err)
		}
		m[tb.Name] = n
	}
	return m
}

func hasProblem(db *DB, target error) bool {
	for _, p := range db.Problems() {
		if errors.Is(p, target) {
			return true
		}
	}
	return false
}

// fixFrameChecksums recomputes every frame checksum of a little-endian WAL
// after an edit, so that only the edit itself (not a checksum) decides
// validity.
func fixFrameChecksums(wal []byte) {
	be := binary.BigEndian
	ps := int(be.Uint32(wal[8:]))
	s0, s1 := be.Uint32(wal[24:]), be.Uint32(wal[28:])
	for off := WALHeaderSize; off+WALFrameHeaderSize+ps <= len(wal); off += WALFrameHeaderSize + ps {
		f := wal[off : off+WALFrameHeaderSize+ps]
		s0, s1 = walChecksum(f[:8], false, s0, s1)
		s0, s1 = walChecksum(f[WALFrameHeaderSize:], false, s0, s1)
		be.PutUint32(f[16:], s0)
		be.PutUint32(f[20:], s1)
	}
}

func TestWALVersionHistory(t *testing.T) {
	main := readTestFile(t, "testdata/sqlite-dc3/version_history_test.sqlite")
	wal := readTestFile(t, "testdata/sqlite-dc3/version_history_test.sqlite-wal")
	cases := []struct {
		name       string
		edit       func(w []byte)
		rows       int64
		commits    int
		applied    bool
		problem    error
		firstValid int
	}{
		{"intact", func(w []byte) {}, 7, 1, true, nil, -1},
		{"bad checksum in commit frame", func(w []byte) { w[WALHeaderSize+2*WALFrameHeaderSize+4096+100] ^= 1 }, 6, 0, false, ErrWALFrame, 1},
		{"salt mismatch in first frame", func(w []byte) { w[WALHeaderSize+8] ^= 1 }, 6, 0, false, ErrWALFrame, 0},
		{"bad header checksum", func(w []byte) { w[24] ^= 1 }, 6, 0, false, ErrWALHeader, -1},
		{"bad magic", func(w []byte) { w[3] = 0 }, 6, 0, false, ErrWALHeader, -1},
		{"no commit frame", func(w []byte) {
			binary.BigEndian.PutUint32(w[WALHeaderSize+WALFrameHeaderSize+4096+4:], 0)
			fixFrameChecksums(w)
		}, 6, 0, false, nil, -1},
		{"truncated last frame", func(w []byte) {}, 6, 0, false, nil, -1},
	}
	for _, c := range cases {
		w := append([]byte(nil), wal...)
		c.edit(w)
		if c.name == "truncated last frame" {
			w = w[:len(w)-100]
		}
		db, err := openBytes(t, main, w, false)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		info := db.WALInfo()
		if got := countRows(t, db)["testing"]; got != c.rows {
			t.Errorf("%s: %d rows, want %d", c.name, got, c.rows)
		}
		if info.Commits != c.commits || info.Applied != c.applied {
			t.Errorf("%s: WALInfo %+v", c.name, info)
		}
		if c.problem != nil && !hasProblem(db, c.problem) {
			t.Errorf("%s: problems %v, want %v", c.name, db.Problems(), c.problem)
		}
		if c.firstValid >= 0 && info.FirstInvalid != c.firstValid {
			t.Errorf("%s: FirstInvalid %d, want %d", c.name, info.FirstInvalid, c.firstValid)
		}
		if c.name == "no commit frame" && info.UncommittedFrames != 2 {
			t.Errorf("%s: UncommittedFrames %d, want 2", c.name, info.UncommittedFrames)
		}
	}
	// Main-only view with an intact WAL, and the frames themselves.
	db, _ := openBytes(t, main, wal, true)
	if got := countRows(t, db)["testing"]; got != 6 {
		t.Errorf("NoWAL: %d rows, want 6", got)
	}
	fr := db.WALFrames()
	if len(fr) != 2 || fr[1].CommitSize != 4 || !fr[1].Committed || fr[0].PageNo != 3 {
		t.Fatalf("frames %+v", fr)
	}
	data, err := fr[1].Data()
	if err != nil || !bytes.Equal(data, wal[WALHeaderSize+2*WALFrameHeaderSize+4096:]) {
		t.Errorf("frame data: %v", err)
	}
	mp, _ := db.MainPage(4)
	wdb, _ := openBytes(t, main, wal, false)
	wp, _ := wdb.Page(4)
	if bytes.Equal(mp, wp) || !bytes.Equal(wp, data) {
		t.Error("page 4 should come from the WAL in the WAL view only")
	}
}

func TestWALBigEndianChecksums(t *testing.T) {
	for _, name := range []string{"wal-4k", "wal-incremental-8k"} {
		le := renderGolden(t, "testdata/synthetic/"+name+".db", false)
		be := renderGolden(t, "testdata/synthetic/"+name+"-be.db", false)
		db := openPath(t, "testdata/synthetic/"+name+"-be.db", false)
		if !db.WALInfo().BigEndianChecksum || !db.WALInfo().Applied || db.WALInfo().ValidFrames != db.WALInfo().FramesTotal {
			t.Errorf("%s: WALInfo %+v", name, db.WALInfo())
		}
		strip := func(b []byte) []byte { // drop the file name and the byte-order flag
			b = bytes.Replace(b, []byte(name+"-be.db"), []byte(name+".db"), 1)
			return bytes.Replace(b, []byte(`"bigEndian":true`), []byte(`"bigEndian":false`), 1)
		}
		if !bytes.Equal(strip(be), le) {
			t.Errorf("%s: big-endian WAL reads differently:\n%s", name, firstDiff(strip(be), le))
		}
	}
}

func TestSchemaOnlyInWAL(t *testing.T) {
	main := readTestFile(t, "testdata/synthetic/schema-in-wal.db")
	wal := readTestFile(t, "testdata/synthetic/schema-in-wal.db-wal")
	for _, c := range []struct {
		name  string
		main  []byte
		noWAL bool
		want  int64
	}{
		{"main has empty schema", main, false, 2},
		{"main file empty", nil, false, 2},
		{"main only", main, true, -1},
	} {
		db, err := openBytes(t, c.main, wal, c.noWAL)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		tb := db.Table("MESSAGES")
		if c.want < 0 {
			if tb != nil || len(db.Tables()) != 0 {
				t.Errorf("%s: tables %v in the main file", c.name, db.Tables())
			}
			continue
		}
		if tb == nil {
			t.Fatalf("%s: no messages table", c.name)
		}
		rows := db.Rows(tb)
		var bodies []string
		for rows.Next() {
			r := rows.Row()
			bodies = append(bodies, r.Values[tb.ColumnIndex("body")].String())
			if r.Values[0].Int != r.RowID || r.Values[tb.ColumnIndex("read")].Int != 0 {
				t.Errorf("%s: row %+v", c.name, r)
			}
		}
		if len(bodies) != 2 || bodies[0] != "hello from the WAL" {
			t.Errorf("%s: bodies %q", c.name, bodies)
		}
		if n, _ := db.Count(db.Table("kv")); n != 2 {
			t.Errorf("%s: kv has %d rows", c.name, n)
		}
	}
	if _, err := openBytes(t, nil, nil, false); !errors.Is(err, ErrNotDatabase) {
		t.Errorf("empty file without WAL: %v", err)
	}
}

func TestHotJournalReported(t *testing.T) {
	db := openPath(t, "testdata/synthetic/hot-journal.db", false)
	if !db.JournalInfo().Hot || !hasProblem(db, ErrHotJournal) {
		t.Fatalf("journal %+v problems %v", db.JournalInfo(), db.Problems())
	}
	// The main file is read as it is: the committed rows are there, and the
	// spilled uncommitted ones too (SQLite would roll them back).
	n, err := db.Count(db.Table("t"))
	if err != nil || n < 2 {
		t.Errorf("t: %d rows, %v", n, err)
	}
	var ce *CorruptError
	for _, p := range db.Problems() {
		if errors.As(p, &ce) && ce.File == FileJournal {
			return
		}
	}
	t.Error("hot journal problem does not name the journal file")
}

func TestAndrillerCallLog(t *testing.T) {
	path := "testdata/sqlite-andriller/calllog.db"
	db := openPath(t, path, false)
	if !db.WALInfo().Present || db.WALInfo().Size != 0 || db.WALInfo().Applied {
		t.Errorf("WALInfo %+v", db.WALInfo())
	}
	tb := db.Table("calls")
	rows := db.Rows(tb)
	if !rows.Next() {
		t.Fatal("no row")
	}
	r := rows.Row()
	get := func(c string) Value { return r.Values[tb.ColumnIndex(c)] }
	if get("number").String() != "+441234567890" || get("date").Int != 1588858433593 ||
		get("duration").Int != 0 || get("type").Int != 2 || get("name").String() != "Samuel Vimes" {
		t.Errorf("row %v", r.Values)
	}
	if rows.Next() {
		t.Error("more than one row")
	}
}
