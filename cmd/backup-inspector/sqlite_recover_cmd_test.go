//go:build !js

package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// makeRecoverDB writes a small database with deleted and updated rows.
func makeRecoverDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sms.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		"PRAGMA secure_delete=OFF",
		"CREATE TABLE sms (_id INTEGER PRIMARY KEY, address TEXT, date INTEGER, type INTEGER, body TEXT)",
		"CREATE TABLE other (k TEXT, v INTEGER)",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 40; i++ {
		if _, err := db.Exec("INSERT INTO sms (address, date, type, body) VALUES (?,?,?,?)",
			fmt.Sprintf("+4915100000%03d", i), 1600000000000+int64(i), 1+i%2, fmt.Sprintf("message number %d with marker Q%03dZ", i, i)); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("INSERT INTO other VALUES (?, ?)", fmt.Sprintf("key %d", i), i); err != nil {
			t.Fatal(err)
		}
	}
	for _, q := range []string{"DELETE FROM sms WHERE _id IN (7, 21)", "UPDATE sms SET body='edited: this message was changed and made much longer than it was, so its cell moves' WHERE _id=30"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return path
}

type recoverOut struct {
	Recovered []struct {
		Table      *string           `json:"table"`
		RowID      *int64            `json:"rowid"`
		Values     []json.RawMessage `json:"values"`
		Source     string            `json:"source"`
		Page       int               `json:"page"`
		Offset     int               `json:"offset"`
		Confidence float64           `json:"confidence"`
		File       string            `json:"file"`
		Superseded bool              `json:"superseded"`
	} `json:"recovered"`
}

func TestSQLiteRecoverCmd(t *testing.T) {
	path := makeRecoverDB(t)
	before := dirState(t, filepath.Dir(path))
	var out, errb bytes.Buffer
	if code := runMain([]string{"sqlite", "recover", path, "sms"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if dirState(t, filepath.Dir(path)) != before {
		t.Error("sqlite recover changed the files beside the database")
	}
	var got recoverOut
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	found := map[string]bool{}
	for _, r := range got.Recovered {
		if r.Table == nil || *r.Table != "sms" {
			t.Errorf("table %v, want sms only", r.Table)
			continue
		}
		if len(r.Values) != 5 || r.Page < 1 || r.Offset < 0 || r.Confidence <= 0 || r.Confidence > 1 || r.File != "db" {
			t.Errorf("bad record %+v", r)
		}
		if r.Source != "freeblock" && r.Source != "unallocated" {
			t.Errorf("source %q", r.Source)
		}
		body := string(r.Values[4])
		for _, m := range []string{"Q007Z", "Q021Z", "Q030Z"} {
			if strings.Contains(body, m) {
				found[m] = true
			}
		}
		// No live row may come back.
		for i := 1; i <= 40; i++ {
			if i != 7 && i != 21 && i != 30 && strings.Contains(body, fmt.Sprintf("Q%03dZ", i)) {
				t.Errorf("live row %d reported: %s", i, body)
			}
		}
		if strings.Contains(body, "Q030Z") && r.RowID != nil && !r.Superseded {
			t.Errorf("old version of live row 30 not marked superseded: %+v", r)
		}
		if strings.Contains(string(r.Values[0]), "missing") && r.RowID != nil {
			t.Errorf("rowid alias missing but rowid %d", *r.RowID)
		}
	}
	for _, m := range []string{"Q007Z", "Q021Z", "Q030Z"} {
		if !found[m] {
			t.Errorf("deleted/old row %s not recovered:\n%s", m, out.String())
		}
	}
}

func TestSQLiteRecoverCmdErrors(t *testing.T) {
	path := makeRecoverDB(t)
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"sqlite", "recover"}, exitUsage},
		{[]string{"sqlite", "recover", path, "sms", "extra"}, exitUsage},
		{[]string{"sqlite", "recover", "--bogus", path}, exitUsage},
		{[]string{"sqlite", "recover", path, "nosuchtable"}, exitInputError},
		{[]string{"sqlite", "recover", filepath.Join(t.TempDir(), "missing.db")}, exitInputError},
		{[]string{"sqlite", "recover", "--no-wal", path}, exitOK},
		{[]string{"sqlite", "recover", path, "--no-wal"}, exitOK},
	} {
		var out, errb bytes.Buffer
		if code := runMain(tc.args, &out, &errb); code != tc.code {
			t.Errorf("%v: exit %d, want %d (%s)", tc.args[2:], code, tc.code, errb.String())
		}
		if tc.code == exitOK && !json.Valid(out.Bytes()) {
			t.Errorf("%v: invalid JSON %s", tc.args, out.String())
		}
	}
	// Not a database.
	bad := filepath.Join(t.TempDir(), "bad.db")
	os.WriteFile(bad, bytes.Repeat([]byte("x"), 4096), 0o644)
	var out, errb bytes.Buffer
	if code := runMain([]string{"sqlite", "recover", bad}, &out, &errb); code != exitInputError {
		t.Errorf("not a database: exit %d", code)
	}
}
