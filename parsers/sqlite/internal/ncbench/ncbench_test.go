// Package ncbench is a separate module holding the ncruces/go-sqlite3
// baseline for parsers/sqlite's benchmarks, so that the main go.mod does not
// depend on it. Run natively or under node:
//
//	cd parsers/sqlite/internal/ncbench
//	PATH=$PATH:$(go env GOROOT)/lib/wasm GOOS=js GOARCH=wasm go test -run '^$' -bench . -benchtime 3x
//
// It reads the database that parsers/sqlite's native benchmarks generate.
package ncbench

import (
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/ncruces/go-sqlite3/driver"
	_ "github.com/ncruces/go-sqlite3/embed"
)

func benchDBPath() string {
	if p := os.Getenv("BI_SQLITE_BENCH_DB"); p != "" {
		return p
	}
	return filepath.Join(os.TempDir(), "backupinspector-bench", "sms-800k.db")
}

// BenchmarkNcrucesScan reads every column of every row of the sms table.
func BenchmarkNcrucesScan(b *testing.B) {
	path := benchDBPath()
	st, err := os.Stat(path)
	if err != nil {
		b.Skipf("%s missing: run parsers/sqlite's native benchmarks first", path)
	}
	b.SetBytes(st.Size())
	for range b.N {
		db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&immutable=1")
		if err != nil {
			b.Fatal(err)
		}
		rows, err := db.Query("SELECT * FROM sms")
		if err != nil {
			b.Fatal(err)
		}
		cols, _ := rows.Columns()
		dest := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range dest {
			ptrs[i] = &dest[i]
		}
		n := 0
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
		rows.Close()
		db.Close()
		b.ReportMetric(float64(n), "rows")
	}
}
