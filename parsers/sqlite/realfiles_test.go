//go:build !js

package sqlite

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// realFiles are the third-party databases in testdata (see the licences
// there): every row of every table must equal modernc.org/sqlite's, with
// the WAL applied and main-file-only, and reading must not change them.
func realFiles(t testing.TB) []string {
	files := corpusFiles(t)
	return append(files, "testdata/sqlite-andriller/calllog.db", "testdata/sqlite-dc3/version_history_test.sqlite")
}

func TestRealFilesEqualModernc(t *testing.T) {
	total := 0
	for _, path := range realFiles(t) {
		before := hashSet(t, path)
		total += compareWithModernc(t, path, false)
		if _, err := os.Stat(path + "-wal"); err == nil {
			total += compareWithModernc(t, path, true)
		}
		if after := hashSet(t, path); fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("%s: reading changed the files", path)
		}
	}
	if total < 17000 {
		t.Errorf("only %d rows compared", total)
	}
	t.Logf("%d rows equal to modernc", total)
}

func TestInvalidDatabase(t *testing.T) {
	path := "testdata/sqlite-dc3/invalid_database.sqlite"
	before := hashFile(t, path)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	_, err = Open(f, st.Size(), nil)
	if !errors.Is(err, ErrNotDatabase) {
		t.Fatalf("Open: %v, want ErrNotDatabase", err)
	}
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Offset != 0 {
		t.Errorf("error %v: want a CorruptError at offset 0", err)
	}
	if hashFile(t, path) != before {
		t.Error("file changed")
	}
}

// TestDamagedWALEqualModernc damages the dc3 WAL in several ways and checks
// that SQLite (modernc) sees exactly what the reader sees.
func TestDamagedWALEqualModernc(t *testing.T) {
	main := readTestFile(t, "testdata/sqlite-dc3/version_history_test.sqlite")
	wal := readTestFile(t, "testdata/sqlite-dc3/version_history_test.sqlite-wal")
	edits := map[string]func([]byte) []byte{
		"checksum": func(w []byte) []byte { w[WALHeaderSize+2*WALFrameHeaderSize+4096+100] ^= 1; return w },
		"salt":     func(w []byte) []byte { w[WALHeaderSize+8] ^= 1; return w },
		"header":   func(w []byte) []byte { w[24] ^= 1; return w },
		"nocommit": func(w []byte) []byte {
			binary.BigEndian.PutUint32(w[WALHeaderSize+WALFrameHeaderSize+4096+4:], 0)
			fixFrameChecksums(w)
			return w
		},
		"truncated": func(w []byte) []byte { return w[:len(w)-100] },
		"bigendian": func(w []byte) []byte { return walToBigEndian(w) },
	}
	for name, edit := range edits {
		dir := t.TempDir()
		p := filepath.Join(dir, "v.sqlite")
		os.WriteFile(p, main, 0o644)
		os.WriteFile(p+"-wal", edit(append([]byte(nil), wal...)), 0o644)
		if n := compareWithModernc(t, p, false); n == 0 {
			t.Errorf("%s: no rows", name)
		}
	}
}
