//go:build !js

package sqlite

import (
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// Helpers shared by the native tests that compare against modernc.org/sqlite.

func hashFile(t testing.TB, path string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		return "absent"
	}
	defer f.Close()
	h := sha256.New()
	io.Copy(h, f)
	return fmt.Sprintf("%x", h.Sum(nil))
}

// hashSet hashes path and its -wal, -shm and -journal companions.
func hashSet(t testing.TB, path string) map[string]string {
	m := map[string]string{}
	for _, s := range []string{"", "-wal", "-shm", "-journal"} {
		m[s] = hashFile(t, path+s)
	}
	return m
}

func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// snapshotForModernc copies the database (and its WAL unless noWAL) into a
// fresh directory, so that modernc can open it (and write its -shm) without
// touching the original.
func snapshotForModernc(t testing.TB, path string, noWAL bool) string {
	t.Helper()
	dir := t.TempDir()
	dst := filepath.Join(dir, "copy.db")
	copyFile(t, path, dst)
	if !noWAL {
		if _, err := os.Stat(path + "-wal"); err == nil {
			copyFile(t, path+"-wal", dst+"-wal")
		}
	}
	return dst
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// modernValue converts what modernc returns for (typeof(x), +x) into a Value.
func modernValue(typ string, v any) (Value, error) {
	switch typ {
	case "null":
		return Value{}, nil
	case "integer":
		i, ok := v.(int64)
		if !ok {
			return Value{}, fmt.Errorf("integer came back as %T", v)
		}
		return IntValue(i), nil
	case "real":
		f, ok := v.(float64)
		if !ok {
			return Value{}, fmt.Errorf("real came back as %T", v)
		}
		return RealValue(f), nil
	case "text":
		switch s := v.(type) {
		case string:
			return TextValue(s), nil
		case []byte:
			return Value{Kind: Text, Bytes: s}, nil
		}
		return Value{}, fmt.Errorf("text came back as %T", v)
	case "blob":
		b, _ := v.([]byte)
		if b == nil {
			b = []byte{}
		}
		return BlobValue(b), nil
	}
	return Value{}, fmt.Errorf("unknown type %q", typ)
}

func valueDiff(a, b Value) bool {
	if a.Kind != b.Kind {
		return true
	}
	switch a.Kind {
	case Integer:
		return a.Int != b.Int
	case Real:
		return math.Float64bits(a.Float) != math.Float64bits(b.Float)
	case Text, Blob:
		return string(a.Bytes) != string(b.Bytes)
	}
	return false
}

// compareWithModernc checks every row of every table with a b-tree of the
// database at path (a copy is given to modernc). It returns the number of
// rows compared.
func compareWithModernc(t testing.TB, path string, noWAL bool) int {
	t.Helper()
	ours := openPath(t, path, noWAL)
	mpath := snapshotForModernc(t, path, noWAL)
	mdb, err := sql.Open("sqlite", mpath)
	if err != nil {
		t.Fatal(err)
	}
	defer mdb.Close()
	mdb.SetMaxOpenConns(1)
	// Table list from modernc must match ours.
	var theirs []string
	rs, err := mdb.Query(`SELECT name FROM sqlite_schema WHERE type='table' ORDER BY rowid`)
	if err != nil {
		t.Fatalf("%s: modernc: %v", path, err)
	}
	for rs.Next() {
		var n string
		rs.Scan(&n)
		theirs = append(theirs, n)
	}
	rs.Close()
	var mine []string
	for _, tb := range ours.Tables() {
		mine = append(mine, tb.Name)
	}
	if strings.Join(mine, "\x00") != strings.Join(theirs, "\x00") {
		t.Errorf("%s (noWAL=%v): tables %q, modernc has %q", path, noWAL, mine, theirs)
	}
	total := 0
	for _, tb := range ours.Tables() {
		if tb.Type != "table" {
			continue
		}
		total += compareTable(t, path, noWAL, ours, mdb, tb)
	}
	if p := ours.Problems(); len(p) > 0 {
		for _, e := range p {
			if !errors.Is(e, ErrHotJournal) && !errors.Is(e, ErrWALFrame) && !errors.Is(e, ErrWALHeader) {
				t.Errorf("%s: problem: %v", path, e)
			}
		}
	}
	return total
}

func compareTable(t testing.TB, path string, noWAL bool, ours *DB, mdb *sql.DB, tb *Table) int {
	t.Helper()
	var cols []string
	for _, c := range tb.Columns {
		q := quoteIdent(c.Name)
		cols = append(cols, "typeof("+q+")", "+"+q)
	}
	rowidExpr := "NULL"
	if !tb.WithoutRowID {
		for _, cand := range []string{"rowid", "_rowid_", "oid"} {
			if tb.ColumnIndex(cand) < 0 {
				rowidExpr = cand
				break
			}
		}
	}
	q := fmt.Sprintf("SELECT %s, %s FROM %s NOT INDEXED", rowidExpr, strings.Join(cols, ", "), quoteIdent(tb.Name))
	if tb.WithoutRowID {
		// NOT INDEXED does not stop a covering index scan here: ask for the
		// primary-key order, which is the b-tree order.
		var pk []string
		for _, c := range tb.PrimaryKey {
			pk = append(pk, quoteIdent(tb.Columns[c].Name))
		}
		q += " ORDER BY " + strings.Join(pk, ", ")
	}
	mrows, err := mdb.Query(q)
	if err != nil {
		t.Errorf("%s: modernc %s: %v", path, q, err)
		return 0
	}
	defer mrows.Close()
	it := ours.Rows(tb)
	n := 0
	dest := make([]any, 1+2*len(tb.Columns))
	ptrs := make([]any, len(dest))
	for i := range dest {
		ptrs[i] = &dest[i]
	}
	for mrows.Next() {
		if err := mrows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		if !it.Next() {
			t.Errorf("%s (noWAL=%v) table %q: reader ended after %d rows (err %v)", path, noWAL, tb.Name, n, it.Err())
			return n
		}
		row := it.Row()
		if !tb.WithoutRowID {
			if id, _ := dest[0].(int64); !row.HasRowID || row.RowID != id {
				t.Errorf("%s table %q row %d: rowid %d, modernc %v", path, tb.Name, n, row.RowID, dest[0])
			}
		}
		for c := range tb.Columns {
			typ, _ := dest[1+2*c].(string)
			want, err := modernValue(typ, dest[2+2*c])
			if err != nil {
				t.Fatalf("%s table %q col %d: %v", path, tb.Name, c, err)
			}
			if valueDiff(row.Values[c], want) {
				t.Errorf("%s (noWAL=%v) table %q row %d (rowid %d) column %q: got %v %s, modernc %v %s",
					path, noWAL, tb.Name, n, row.RowID, tb.Columns[c].Name, row.Values[c].Kind, trunc(row.Values[c].String()), want.Kind, trunc(want.String()))
				return n
			}
		}
		n++
	}
	if err := mrows.Err(); err != nil {
		t.Errorf("%s: modernc: %v", path, err)
	}
	if it.Next() {
		t.Errorf("%s (noWAL=%v) table %q: reader has more than modernc's %d rows", path, noWAL, tb.Name, n)
	}
	if err := it.Err(); err != nil {
		t.Errorf("%s table %q: %v", path, tb.Name, err)
	}
	return n
}
