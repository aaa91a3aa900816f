//go:build !js

package sqlite

import (
	"errors"
	"fmt"
	"os"
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
