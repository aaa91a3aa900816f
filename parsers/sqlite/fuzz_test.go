package sqlite

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Fuzz targets for header, page, record and WAL decoding, plus a whole-file
// target. Plain `go test` runs the seeds; `make fuzz` runs each for a while.

func seedFiles(f *testing.F, limit int) [][]byte {
	var out [][]byte
	for _, pat := range []string{"testdata/sqlite-corpus/0[1-8]/*-01.db", "testdata/sqlite-andriller/*.db",
		"testdata/sqlite-dc3/*.sqlite", "testdata/synthetic/utf16be-512.db", "testdata/synthetic/utf16le-autovacuum.db"} {
		m, _ := filepath.Glob(pat)
		for _, p := range m {
			b, err := os.ReadFile(p)
			if err == nil && len(b) <= limit {
				out = append(out, b)
			}
		}
	}
	if len(out) == 0 {
		f.Fatal("no seed files")
	}
	return out
}

func FuzzParseHeader(f *testing.F) {
	for _, b := range seedFiles(f, 1<<20) {
		f.Add(b[:min(len(b), 100)])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := ParseHeader(b)
		if err == nil && (h.PageSize < 512 || h.PageSize > 65536 || h.UsableSize() < 480) {
			t.Fatalf("accepted header %+v", h)
		}
	})
}

func FuzzBTreePage(f *testing.F) {
	for _, b := range seedFiles(f, 1<<20) {
		h, err := ParseHeader(b)
		if err != nil {
			continue
		}
		for off := 0; off+h.PageSize <= len(b) && off < 8*h.PageSize; off += h.PageSize {
			f.Add(b[off:off+h.PageSize], uint32(off/h.PageSize+1), uint8(h.ReservedBytes))
		}
	}
	f.Fuzz(func(t *testing.T, page []byte, pgno uint32, reserved uint8) {
		usable := len(page) - int(reserved)
		bp, err := ParseBTreePage(page, pgno, usable)
		if err != nil {
			return
		}
		for _, off := range bp.CellOffsets {
			c, err := ParseCell(page, bp.Type, off, usable)
			if err != nil {
				continue
			}
			if c.Size <= 0 || c.Offset+c.Size > usable {
				t.Fatalf("cell %+v outside usable %d", c, usable)
			}
			if int64(len(c.Local)) == c.PayloadSize && len(c.Local) > 0 {
				DecodeRecord(c.Local, UTF16LE)
			}
		}
	})
}

func FuzzDecodeRecord(f *testing.F) {
	f.Add([]byte{8, 1, 7, 8, 9, 0, 17, 14, 0xfe, 0x3f, 0xf0, 0, 0, 0, 0, 0, 0, 'a', 'b', 0xcc}, uint8(1))
	f.Add([]byte{3, 0x81, 0x01, 'x'}, uint8(2))
	f.Add([]byte{2, 0x15, 'a', 0, 'b'}, uint8(3))
	f.Fuzz(func(t *testing.T, p []byte, enc uint8) {
		vals, err := DecodeRecord(p, Encoding(enc%4))
		if err != nil {
			return
		}
		for _, v := range vals {
			v.AppendJSON(nil)
			_ = v.String()
		}
		if len(vals) > len(p) {
			t.Fatalf("%d values from %d bytes", len(vals), len(p))
		}
	})
}

func FuzzWAL(f *testing.F) {
	main, err := os.ReadFile("testdata/sqlite-dc3/version_history_test.sqlite")
	if err != nil {
		f.Fatal(err)
	}
	wal, err := os.ReadFile("testdata/sqlite-dc3/version_history_test.sqlite-wal")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(wal)
	f.Add(wal[:32])
	f.Add(wal[:len(wal)-1])
	f.Fuzz(func(t *testing.T, w []byte) {
		db, err := Open(bytes.NewReader(main), int64(len(main)), &Options{WAL: bytes.NewReader(w), WALSize: int64(len(w))})
		if err != nil {
			return
		}
		readAll(db)
		for _, fr := range db.WALFrames() {
			fr.Data()
		}
	})
}

// FuzzOpen reads whole (small) files: Open, every table, the freelist.
func FuzzOpen(f *testing.F) {
	for _, b := range seedFiles(f, 64<<10) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		db, err := Open(bytes.NewReader(b), int64(len(b)), &Options{CachePages: 4})
		if err != nil {
			return
		}
		readAll(db)
		for n := uint32(1); n <= db.PageCount() && n < 64; n++ {
			db.Page(n)
			if db.Header().AutoVacuum() {
				db.PtrmapEntry(n)
			}
		}
	})
}
