package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sqliteTestdata = "../../parsers/sqlite/testdata/"

// copyDB copies a database and its companions into a fresh directory, so
// that the test can see whether anything is written beside it.
func copyDB(t *testing.T, src string, companions ...string) string {
	t.Helper()
	dir := t.TempDir()
	dst := filepath.Join(dir, filepath.Base(src))
	for _, suf := range append([]string{""}, companions...) {
		b, err := os.ReadFile(src + suf)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst+suf, b, 0o444); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

func dirState(t *testing.T, dir string) string {
	var b strings.Builder
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		b.WriteString(e.Name() + ":" + string(data) + "\n")
	}
	return b.String()
}

func runSQLiteCLI(t *testing.T, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := runMain(append([]string{"sqlite"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

func TestSQLiteTablesAndDump(t *testing.T) {
	db := copyDB(t, sqliteTestdata+"sqlite-dc3/version_history_test.sqlite", "-wal")
	before := dirState(t, filepath.Dir(db))
	type tablesOut struct {
		Tables []struct {
			Name    string   `json:"name"`
			Type    string   `json:"type"`
			Columns []string `json:"columns"`
			Rows    int      `json:"rows"`
		} `json:"tables"`
	}
	for _, c := range []struct {
		args []string
		rows int
	}{{[]string{"tables", db}, 7}, {[]string{"tables", "--no-wal", db}, 6}} {
		code, out, errs := runSQLiteCLI(t, c.args...)
		if code != exitOK {
			t.Fatalf("%v: exit %d: %s", c.args, code, errs)
		}
		var got tablesOut
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %v\n%s", c.args, err, out)
		}
		if len(got.Tables) != 2 || got.Tables[1].Name != "testing" || got.Tables[1].Type != "table" ||
			got.Tables[1].Rows != c.rows || strings.Join(got.Tables[1].Columns, ",") != "id,name,data" {
			t.Errorf("%v: %s", c.args, out)
		}
	}
	code, out, errs := runSQLiteCLI(t, "dump", db, "TESTING")
	if code != exitOK {
		t.Fatalf("dump: exit %d: %s", code, errs)
	}
	var d struct {
		Table   string   `json:"table"`
		Columns []string `json:"columns"`
		Rows    []struct {
			RowID  *int64            `json:"rowid"`
			Values []json.RawMessage `json:"values"`
		} `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("dump: %v\n%s", err, out)
	}
	if d.Table != "testing" || len(d.Rows) != 7 || d.Rows[0].RowID == nil || len(d.Rows[0].Values) != 3 ||
		string(d.Rows[0].Values[0]) != "1" {
		t.Errorf("dump: %s", out)
	}
	if dirState(t, filepath.Dir(db)) != before {
		t.Error("files beside the database changed (a -shm written?)")
	}
}

func TestSQLiteDumpValues(t *testing.T) {
	code, out, errs := runSQLiteCLI(t, "dump", sqliteTestdata+"sqlite-andriller/calllog.db", "calls")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{`"rowid":1`, `"+441234567890"`, `1588858433593`, `"Samuel Vimes"`, `null`} {
		if !strings.Contains(out, want) {
			t.Errorf("dump lacks %s", want)
		}
	}
	code, out, _ = runSQLiteCLI(t, "dump", sqliteTestdata+"synthetic/wal-4k.db", "_rowid_")
	if code != exitOK || !strings.Contains(out, `{"rowid":null,"values":[`) {
		t.Errorf("WITHOUT ROWID dump: exit %d %s", code, out[:min(len(out), 300)])
	}
	code, out, _ = runSQLiteCLI(t, "dump", sqliteTestdata+"synthetic/wal-4k.db", "sq'uote")
	if code != exitOK || !strings.Contains(out, `{"base64":"`) || !json.Valid([]byte(out)) {
		t.Errorf("blob dump: exit %d", code)
	}
}

func TestSQLiteErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
	}{
		{nil, exitUsage},
		{[]string{"frobnicate"}, exitUsage},
		{[]string{"tables"}, exitUsage},
		{[]string{"dump", "x.db"}, exitUsage},
		{[]string{"tables", "--bogus", "x.db"}, exitUsage},
		{[]string{"tables", "/nonexistent/x.db"}, exitInputError},
		{[]string{"tables", sqliteTestdata + "sqlite-dc3/invalid_database.sqlite"}, exitInputError},
		{[]string{"dump", sqliteTestdata + "sqlite-andriller/calllog.db", "nope"}, exitInputError},
	} {
		if code, _, errs := runSQLiteCLI(t, c.args...); code != c.code {
			t.Errorf("%v: exit %d, want %d (%s)", c.args, code, c.code, errs)
		}
	}
	// A hot journal is a notice, not a failure.
	code, _, errs := runSQLiteCLI(t, "tables", sqliteTestdata+"synthetic/hot-journal.db")
	if code != exitOK || !strings.Contains(errs, "hot rollback journal") {
		t.Errorf("hot journal: exit %d, %s", code, errs)
	}
}
