//go:build !js

package sqlite

import (
	"database/sql"
	"path/filepath"
	"testing"
)

// Generated columns: STORED ones are in the record and must equal SQLite's;
// VIRTUAL ones are not stored (the reader returns NULL, SQLite computes them).
func TestGeneratedColumns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "g.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE g (a INTEGER, b AS (a*2) VIRTUAL, c TEXT AS ('x' || a) STORED, d REAL, e AS (a+1))",
		"INSERT INTO g (a, d) VALUES (1, 2), (5, 7.5), (NULL, NULL)",
		"CREATE TABLE w (k TEXT PRIMARY KEY, v AS (k || k) STORED, z AS (length(k)), n INT) WITHOUT ROWID",
		"INSERT INTO w (k, n) VALUES ('b', 2), ('a', 1)",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	db.Close()
	ours := openPath(t, path, false)
	check := func(table string, want [][]any) {
		tb := ours.Table(table)
		rows := ours.Rows(tb)
		i := 0
		for rows.Next() {
			r := rows.Row()
			for c, w := range want[i] {
				got := r.Values[c]
				var ok bool
				switch w := w.(type) {
				case nil:
					ok = got.IsNull()
				case int:
					ok = got.Kind == Integer && got.Int == int64(w)
				case float64:
					ok = got.Kind == Real && got.Float == w
				case string:
					ok = got.Kind == Text && string(got.Bytes) == w
				}
				if !ok {
					t.Errorf("%s row %d col %d: %v, want %v", table, i, c, got, w)
				}
			}
			i++
		}
		if i != len(want) {
			t.Errorf("%s: %d rows", table, i)
		}
	}
	check("g", [][]any{{1, nil, "x1", 2.0, nil}, {5, nil, "x5", 7.5, nil}, {nil, nil, nil, nil, nil}})
	check("w", [][]any{{"a", "aa", nil, 1}, {"b", "bb", nil, 2}})
}
