package sqlite

import (
	"os"
	"testing"
)

// openPath opens path with its -wal and -journal beside it (if present).
func openPath(t testing.TB, path string, noWAL bool) *DB {
	t.Helper()
	db, err := openPathErr(t, path, noWAL)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	return db
}

// openPathErr is openPath returning Open's error.
func openPathErr(t testing.TB, path string, noWAL bool) (*DB, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, _ := f.Stat()
	opts := &Options{NoWAL: noWAL}
	if w, err := os.Open(path + "-wal"); err == nil {
		t.Cleanup(func() { w.Close() })
		ws, _ := w.Stat()
		opts.WAL, opts.WALSize = w, ws.Size()
	}
	if j, err := os.Open(path + "-journal"); err == nil {
		t.Cleanup(func() { j.Close() })
		js, _ := j.Stat()
		opts.Journal, opts.JournalSize = j, js.Size()
	}
	return Open(f, st.Size(), opts)
}

func trunc(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
