package sqlite

import (
	"encoding/binary"
	"errors"
	"runtime"
	"strings"
	"testing"
)

// Hostile page pointers that the reader used to follow silently or size
// memory by (found by parsers/inspect's hostile corpus).

// schemaRootField returns the offset in the file of the rootpage integer of
// table name in sqlite_schema, and its size in bytes.
func schemaRootField(t *testing.T, db *DB, name string) (int, int) {
	t.Helper()
	rows := db.Rows(db.master)
	for rows.Next() {
		v := rows.RowView().Values
		if v[1].textString() != name || v[0].textString() != "table" {
			continue
		}
		c := &rows.c
		p := c.payload
		hs, n := Varint(p)
		var sizes []int
		for i := n; i < int(hs) && len(sizes) < 4; {
			st, k := Varint(p[i:])
			sizes = append(sizes, int(SerialTypeSize(st)))
			i += k
		}
		pos := int(hs) + sizes[0] + sizes[1] + sizes[2]
		// the local payload follows the payload-size and rowid varints
		pg, err := db.Page(c.cellPage)
		if err != nil {
			t.Fatal(err)
		}
		_, n1 := Varint(pg[c.cellOff:])
		_, n2 := Varint(pg[c.cellOff+n1:])
		return int(c.cellPage-1)*db.PageSize() + c.cellOff + n1 + n2 + pos, sizes[3]
	}
	t.Fatalf("table %q not in the schema", name)
	return 0, 0
}

func problemsWith(db *DB, sentinel error, text string) bool {
	for _, p := range db.Problems() {
		if errors.Is(p, sentinel) && strings.Contains(p.Error(), text) {
			return true
		}
	}
	return false
}

// TestRootPageIsSchemaRoot: a table whose rootpage says 1 must not be read
// as the schema, and another tree's root must not pass unnoticed.
func TestRootPageIsSchemaRoot(t *testing.T) {
	orig := readTestFile(t, "testdata/synthetic/reserved32.db")
	db0, err := openBytes(t, orig, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	tables := db0.Tables()
	if len(tables) < 2 {
		t.Fatal("need two tables")
	}
	victim, other := tables[0], tables[1]
	off, size := schemaRootField(t, db0, victim.Name)
	for _, tc := range []struct {
		root uint32
		want string
	}{
		{1, `has root page 1, which is already the root of "sqlite_schema"`},
		{other.RootPage, "which is already the root of"},
	} {
		if size == 1 && tc.root > 127 {
			t.Fatalf("root %d does not fit the 1-byte field", tc.root)
		}
		b := append([]byte(nil), orig...)
		v := tc.root
		for i := size - 1; i >= 0; i-- {
			b[off+i] = byte(v)
			v >>= 8
		}
		db, err := openBytes(t, b, nil, false)
		if err != nil {
			t.Fatal(err)
		}
		if !problemsWith(db, ErrSchema, tc.want) {
			t.Errorf("root %d: no problem %q: %v", tc.root, tc.want, db.Problems())
		}
		if tc.root == 1 {
			rows := db.Rows(db.Table(victim.Name))
			n := 0
			for rows.Next() {
				n++
			}
			if n != 0 {
				t.Errorf("read %d schema rows as rows of %q", n, victim.Name)
			}
		}
	}
}

// TestChildPageOne: page 1 is never a child; following it would read the
// schema's rows as the table's.
func TestChildPageOne(t *testing.T) {
	orig := readTestFile(t, "testdata/synthetic/reserved32.db")
	db0, err := openBytes(t, orig, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	tg := findTargets(t, db0)
	ps := db0.PageSize()
	b := append([]byte(nil), orig...)
	h := int(tg.interiorRoot-1) * ps
	cell := int(tg.interiorRoot-1)*ps + int(binary.BigEndian.Uint16(b[h+12:]))
	binary.BigEndian.PutUint32(b[cell:], 1)
	db, err := openBytes(t, b, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	readAll(db)
	if !problemsWith(db, ErrCorrupt, "child page 1") {
		t.Errorf("no problem for a child pointer to page 1: %v", db.Problems())
	}
}

// TestWALCommitSizeClamped: a WAL with valid checksums whose commit frame
// says the database has 2^32-1 pages. Every structure sized by the page
// count (cycle bitmaps, overflow buffers) used to take that at its word:
// 512 MiB per table scan.
func TestWALCommitSizeClamped(t *testing.T) {
	main := readTestFile(t, "testdata/synthetic/reserved32.db")
	db0, err := openBytes(t, main, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := readAll(db0)
	ps := db0.PageSize()
	be := binary.BigEndian
	page1 := append([]byte(nil), main[:ps]...)
	be.PutUint32(page1[92:], be.Uint32(page1[24:])+1) // in-header size not valid
	hdr := make([]byte, WALHeaderSize)
	be.PutUint32(hdr[0:], WALMagicLE)
	be.PutUint32(hdr[4:], WALFormatVersion)
	be.PutUint32(hdr[8:], uint32(ps))
	be.PutUint32(hdr[16:], 7)
	be.PutUint32(hdr[20:], 9)
	s0, s1 := walChecksum(hdr[:24], false, 0, 0)
	be.PutUint32(hdr[24:], s0)
	be.PutUint32(hdr[28:], s1)
	fh := make([]byte, WALFrameHeaderSize)
	be.PutUint32(fh[0:], 1)
	be.PutUint32(fh[4:], 0xFFFFFFFF)
	copy(fh[8:16], hdr[16:24])
	s0, s1 = walChecksum(fh[:8], false, s0, s1)
	s0, s1 = walChecksum(page1, false, s0, s1)
	be.PutUint32(fh[16:], s0)
	be.PutUint32(fh[20:], s1)
	wal := append(append(hdr, fh...), page1...)

	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	db, err := openBytes(t, main, wal, false)
	if err != nil {
		t.Fatal(err)
	}
	if info := db.WALInfo(); info.ValidFrames != 1 || info.Commits != 1 {
		t.Fatalf("WAL not taken: %+v", info)
	}
	if got := db.PageCount(); int64(got) > int64(len(main)/ps) {
		t.Errorf("page count %d, the file has %d pages", got, len(main)/ps)
	}
	if !problemsWith(db, ErrTruncated, "WAL commit says the database has 4294967295 pages") {
		t.Errorf("no problem for the lying commit size: %v", db.Problems())
	}
	got, _ := readAll(db)
	runtime.ReadMemStats(&m1)
	if got != want {
		t.Errorf("%d rows, want %d", got, want)
	}
	if d := m1.TotalAlloc - m0.TotalAlloc; d > 64<<20 {
		t.Errorf("allocated %d MiB", d>>20)
	}
}
