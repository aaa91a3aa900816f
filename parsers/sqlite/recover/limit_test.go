//go:build !js

package recover

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// deletedRowsDB builds a database of n small rows, all deleted.
func deletedRowsDB(t *testing.T, n int) []byte {
	t.Helper()
	p := filepath.Join(t.TempDir(), "deleted.db")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"PRAGMA journal_mode=DELETE", "PRAGMA secure_delete=OFF",
		"CREATE TABLE sms (_id INTEGER PRIMARY KEY, address TEXT, date INTEGER, type INTEGER, body TEXT)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	tx, _ := db.Begin()
	for i := 1; i <= n; i++ {
		if _, err := tx.Exec("INSERT INTO sms (address, date, type, body) VALUES (?, ?, 1, ?)",
			fmt.Sprintf("+4915100%05d", i), 1700000000000+int64(i), fmt.Sprintf("message number %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("DELETE FROM sms"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func recoverBytes(t *testing.T, b []byte, opts Options) ([]Record, error) {
	t.Helper()
	db, err := sqlite.Open(bytes.NewReader(b), int64(len(b)), nil)
	if err != nil {
		t.Fatal(err)
	}
	return Recover(db, opts)
}

func recordsJSON(recs []Record) []string {
	var out []string
	for _, r := range recs {
		out = append(out, string(r.AppendJSON(nil)))
	}
	return out
}

// TestMaxBytes: a limit stops the search with ErrLimit, keeping records
// found before it, the same ones on every run.
func TestMaxBytes(t *testing.T) {
	b := deletedRowsDB(t, 2000)
	all, err := recoverBytes(t, b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 1000 {
		t.Fatalf("%d records recovered without a limit, want most of the 2000 deleted rows", len(all))
	}
	full := map[string]bool{}
	for _, s := range recordsJSON(all) {
		full[s] = true
	}
	var prev []string
	for run := 0; run < 2; run++ {
		recs, err := recoverBytes(t, b, Options{MaxBytes: 64 << 10})
		if !errors.Is(err, ErrLimit) {
			t.Fatalf("MaxBytes 64 KiB: err %v, want ErrLimit", err)
		}
		if len(recs) == 0 || len(recs) >= len(all)/2 {
			t.Fatalf("MaxBytes 64 KiB: %d records (of %d), want some and far fewer", len(recs), len(all))
		}
		t.Logf("MaxBytes 64 KiB: %d of %d records", len(recs), len(all))
		got := recordsJSON(recs)
		for _, s := range got {
			if !full[s] {
				t.Errorf("record not found without a limit: %s", s)
			}
		}
		if run == 1 {
			a, _ := json.Marshal(prev)
			g, _ := json.Marshal(got)
			if !bytes.Equal(a, g) {
				t.Errorf("two runs with the same limit differ")
			}
		}
		prev = got
	}
	if recs, err := recoverBytes(t, b, Options{MaxBytes: 1 << 30}); err != nil || len(recs) != len(all) {
		t.Errorf("MaxBytes 1 GiB: %d records, err %v; want %d, nil", len(recs), err, len(all))
	}
}

// TestCandBytes checks the fixed memory estimates against the real sizes.
func TestCandBytes(t *testing.T) {
	if s := unsafe.Sizeof(cand{}); candBytes < s+s/4 {
		t.Errorf("candBytes %d < %d (cand is %d bytes)", candBytes, s+s/4, s)
	}
	if s := unsafe.Sizeof(sqlite.Value{}) + 1 + unsafe.Sizeof(0); columnBytes < s {
		t.Errorf("columnBytes %d < %d", columnBytes, s)
	}
}
