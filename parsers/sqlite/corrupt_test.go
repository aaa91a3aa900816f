package sqlite

import (
	"encoding/binary"
	"errors"
	"fmt"
	"testing"
)

// Corruption is normal input: each damaged database must yield typed errors
// or reported problems, never a panic or a hang.

// target describes places in a database to damage.
type target struct {
	interiorRoot uint32 // a table root that is an interior page
	leafPage     uint32 // a table leaf page with an overflow cell
	cellOff      int    // offset of that cell
	ovfl         uint32 // its first overflow page
}

func findTargets(t *testing.T, db *DB) target {
	var tg target
	u := db.UsableSize()
	for n := uint32(1); n <= db.PageCount(); n++ {
		pg, err := db.Page(n)
		if err != nil {
			continue
		}
		bp, err := ParseBTreePage(pg, n, u)
		if err != nil {
			continue
		}
		for _, tb := range db.Tables() {
			if tb.RootPage == n && bp.Type == PageInteriorTable && tg.interiorRoot == 0 {
				tg.interiorRoot = n
			}
		}
		if bp.Type == PageLeafTable && tg.leafPage == 0 {
			for _, off := range bp.CellOffsets {
				c, err := ParseCell(pg, bp.Type, off, u)
				if err != nil {
					t.Fatalf("page %d cell at %d: %v", n, off, err)
				}
				if c.FirstOverflow != 0 {
					full, err := db.Payload(c)
					if err != nil || int64(len(full)) != c.PayloadSize {
						t.Fatalf("payload: %v", err)
					}
					if _, err := DecodeRecord(full, db.Encoding()); err != nil {
						t.Fatalf("record: %v", err)
					}
					tg.leafPage, tg.cellOff, tg.ovfl = n, off, c.FirstOverflow
					break
				}
			}
		}
	}
	if tg.interiorRoot == 0 || tg.leafPage == 0 {
		t.Fatalf("no targets found: %+v", tg)
	}
	return tg
}

// readAll walks every table and returns the rows read and the first fatal
// error.
func readAll(db *DB) (int, error) {
	n := 0
	var first error
	for _, tb := range db.Tables() {
		rows := db.Rows(tb)
		for rows.Next() {
			r := rows.RowView()
			for _, v := range r.Values {
				_ = v.AppendJSON(nil)
			}
			n++
		}
		if err := rows.Err(); err != nil && first == nil {
			first = err
		}
	}
	db.Freelist()
	return n, first
}

func TestCorruption(t *testing.T) {
	orig := readTestFile(t, "testdata/synthetic/reserved32.db")
	db0, err := openBytes(t, orig, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	total, _ := readAll(db0)
	ps := db0.PageSize()
	tg := findTargets(t, db0)
	pageOff := func(n uint32) int { return int(n-1) * ps }
	be := binary.BigEndian
	firstChildPtr := func(b []byte, n uint32) int { // offset of cell 0's left-child pointer
		h := pageOff(n)
		if n == 1 {
			h += 100
		}
		return pageOff(n) + int(be.Uint16(b[h+12:]))
	}
	cases := []struct {
		name  string
		edit  func(b []byte) []byte
		want  error // expected in Problems or as a fatal error
		fatal bool  // Rows.Err / Open error rather than a problem
	}{
		{"child points to its parent (cycle)", func(b []byte) []byte {
			be.PutUint32(b[firstChildPtr(b, tg.interiorRoot):], tg.interiorRoot)
			return b
		}, ErrCycle, false},
		{"child page out of range", func(b []byte) []byte {
			be.PutUint32(b[firstChildPtr(b, tg.interiorRoot):], 0x7fffffff)
			return b
		}, ErrPageRange, false},
		{"right child out of range", func(b []byte) []byte {
			be.PutUint32(b[pageOff(tg.interiorRoot)+8:], 0)
			return b
		}, ErrPageRange, false},
		{"cell offset past the page", func(b []byte) []byte {
			be.PutUint16(b[pageOff(tg.leafPage)+8:], uint16(ps-1))
			return b
		}, ErrCorrupt, false},
		{"too many cells", func(b []byte) []byte {
			be.PutUint16(b[pageOff(tg.leafPage)+3:], 0xffff)
			return b
		}, ErrCorrupt, false},
		{"bad page type", func(b []byte) []byte { b[pageOff(tg.leafPage)] = 7; return b }, ErrCorrupt, false},
		{"bad root page type", func(b []byte) []byte { b[pageOff(tg.interiorRoot)] = 2; return b }, ErrCorrupt, true},
		{"overflow chain loops", func(b []byte) []byte {
			be.PutUint32(b[pageOff(tg.ovfl):], tg.ovfl)
			return b
		}, ErrOverflow, false},
		{"overflow chain ends early", func(b []byte) []byte {
			be.PutUint32(b[pageOff(tg.ovfl):], 0)
			return b
		}, ErrOverflow, false},
		{"absurd payload size", func(b []byte) []byte {
			c := pageOff(tg.leafPage) + tg.cellOff
			copy(b[c:], []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
			return b
		}, ErrPayloadSize, false},
		{"record header too long", func(b []byte) []byte {
			c := pageOff(tg.leafPage) + tg.cellOff
			pl, n := Varint(b[c:])
			_, m := Varint(b[c+n:])
			if LocalPayload(int64(pl), ps-32, true) > 0 {
				b[c+n+m] = 0x7f // header size 127 > local fields: may still fit; use max
				b[c+n+m] = 0x81
				b[c+n+m+1] = 0xff // 255 header bytes with serial types past the payload
			}
			return b
		}, ErrRecord, false},
		{"truncated file", func(b []byte) []byte { return b[:len(b)/2] }, ErrTruncated, false},
		{"truncated to a partial page", func(b []byte) []byte { return b[:len(b)-ps/2] }, ErrTruncated, false},
		{"freelist trunk loops", func(b []byte) []byte {
			be.PutUint32(b[32:], tg.ovfl)
			be.PutUint32(b[pageOff(tg.ovfl):], tg.ovfl)
			be.PutUint32(b[pageOff(tg.ovfl)+4:], 0)
			return b
		}, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.edit(append([]byte(nil), orig...))
			db, err := openBytes(t, b, nil, false)
			if err != nil {
				if c.fatal && errors.Is(err, c.want) {
					return
				}
				t.Fatalf("Open: %v", err)
			}
			n, ferr := readAll(db)
			if c.name == "freelist trunk loops" {
				if _, _, err := db.Freelist(); !errors.Is(err, ErrCycle) {
					t.Errorf("Freelist: %v, want ErrCycle", err)
				}
				return
			}
			var got error
			if c.fatal {
				got = ferr
			} else {
				for _, p := range db.Problems() {
					if errors.Is(p, c.want) {
						got = p
						break
					}
				}
			}
			if got == nil {
				t.Fatalf("want %v; fatal %v, problems %v", c.want, ferr, db.Problems())
			}
			var ce *CorruptError
			if !errors.As(got, &ce) || (ce.Page == 0 && ce.Offset < 0) {
				t.Errorf("error %v is not located (page/offset)", got)
			}
			if n >= total && c.want != ErrTruncated {
				t.Errorf("read %d rows of %d despite the damage", n, total)
			}
			t.Logf("%d/%d rows; %v", n, total, got)
		})
	}
}

func TestHeaderErrors(t *testing.T) {
	orig := readTestFile(t, "testdata/sqlite-corpus/01/01-01.db")
	cases := []struct {
		off  int
		val  byte
		want error
	}{
		{0, 'X', ErrNotDatabase},
		{16, 0x03, ErrHeader}, // page size 0x0310
		{17, 0x00, nil},       // 0x1000 still fine
		{20, 200, nil},        // 4096-200 usable: fine
		{21, 65, ErrHeader},   // payload fraction
		{56, 9, ErrHeader},    // text encoding
	}
	for _, c := range cases {
		b := append([]byte(nil), orig...)
		b[c.off] = c.val
		_, err := ParseHeader(b)
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("byte %d = %d: %v, want %v", c.off, c.val, err, c.want)
		}
	}
	for _, size := range []int{0, 1, 99} {
		if _, err := openBytes(t, orig[:size], nil, false); !errors.Is(err, ErrNotDatabase) {
			t.Errorf("size %d: %v", size, err)
		}
	}
}

func TestRecordAndVarint(t *testing.T) {
	for _, c := range []struct {
		b []byte
		v uint64
		n int
	}{
		{[]byte{0x00}, 0, 1}, {[]byte{0x7f}, 127, 1}, {[]byte{0x81, 0x00}, 128, 2},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 1<<64 - 1, 9},
		{[]byte{0x81}, 0, 0}, {nil, 0, 0},
	} {
		if v, n := Varint(c.b); v != c.v || n != c.n {
			t.Errorf("Varint(%x) = %d, %d; want %d, %d", c.b, v, n, c.v, c.n)
		}
	}
	// header: size 8; types: 1 (int8), 7 (real), 8, 9, 0, 17 (text "ab"), 14 (blob 1)
	rec := []byte{8, 1, 7, 8, 9, 0, 17, 14, 0xfe, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 'a', 'b', 0xcc}
	vals, err := DecodeRecord(rec, UTF8)
	if err != nil {
		t.Fatal(err)
	}
	want := []Value{IntValue(-2), RealValue(1), IntValue(0), IntValue(1), {}, TextValue("ab"), BlobValue([]byte{0xcc})}
	if fmt.Sprint(vals) != fmt.Sprint(want) {
		t.Errorf("DecodeRecord = %v, want %v", vals, want)
	}
	for _, bad := range [][]byte{{}, {9, 1}, {2, 10}, {2, 6, 1}, {3, 0x81}, {2, 0x21}} {
		if _, err := DecodeRecord(bad, UTF8); !errors.Is(err, ErrRecord) {
			t.Errorf("DecodeRecord(%x): %v, want ErrRecord", bad, err)
		}
	}
	// UTF-16 with a lone surrogate and an odd trailing byte.
	v := utf16ToUTF8([]byte{'h', 0, 0x3d, 0xd8, 'i', 0, 'x'}, false)
	if string(v) != "h\uFFFDi\uFFFD" {
		t.Errorf("utf16 = %q", v)
	}
	if string(utf16ToUTF8([]byte{0xd8, 0x3d, 0xde, 0x00}, true)) != "😀" {
		t.Error("utf16be surrogate pair")
	}
	for _, c := range []struct {
		b    []byte
		want int64
	}{
		{[]byte{0x80, 0, 0}, -8388608}, {[]byte{0x7f, 0xff, 0xff, 0xff, 0xff, 0xff}, 1<<47 - 1}, {[]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}, -2},
	} {
		if got := readInt(c.b); got != c.want {
			t.Errorf("readInt(%x) = %d, want %d", c.b, got, c.want)
		}
	}
}
