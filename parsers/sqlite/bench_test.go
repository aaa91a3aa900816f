package sqlite

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Benchmarks over a 100+ MB generated database of 800k SMS-like rows. The
// file is generated natively on first use (bench_gen_test.go, modernc) into
// $BI_SQLITE_BENCH_DB or the system temp dir, never into the repository; the
// wasm run (GOOS=js GOARCH=wasm go test -bench, under node) reuses it and is
// skipped when it is missing. Skipped with -short.

func benchDBPath() string {
	if p := os.Getenv("BI_SQLITE_BENCH_DB"); p != "" {
		return p
	}
	return filepath.Join(os.TempDir(), "backupinspector-bench", "sms-800k.db")
}

// benchGenerate makes the benchmark database; set natively by
// bench_gen_test.go.
var benchGenerate func(tb testing.TB, path string)

func benchDB(b *testing.B) (string, int64) {
	if testing.Short() {
		b.Skip("benchmark database skipped with -short")
	}
	p := benchDBPath()
	st, err := os.Stat(p)
	if err != nil {
		if benchGenerate == nil {
			b.Skipf("%s missing: run the native benchmarks first to generate it", p)
		}
		benchGenerate(b, p)
		if st, err = os.Stat(p); err != nil {
			b.Fatal(err)
		}
	}
	return p, st.Size()
}

// scanAll reads every column of every row of every table; it returns the
// row count and a checksum so that nothing is optimised away.
func scanAll(b *testing.B, db *DB, copyRows bool) (rows int, sum int64) {
	for _, t := range db.Tables() {
		it := db.Rows(t)
		for it.Next() {
			var r Row
			if copyRows {
				r = it.Row()
			} else {
				r = it.RowView()
			}
			for i := range r.Values {
				v := &r.Values[i]
				switch v.Kind {
				case Integer:
					sum += v.Int
				case Real:
					sum += int64(v.Float)
				case Text, Blob:
					sum += int64(len(v.Bytes))
				}
			}
			rows++
		}
		if err := it.Err(); err != nil {
			b.Fatal(err)
		}
	}
	if p := db.Problems(); len(p) > 0 {
		b.Fatal(p)
	}
	return rows, sum
}

func benchScan(b *testing.B, copyRows, inMemory bool) {
	path, size := benchDB(b)
	b.SetBytes(size)
	var data []byte
	if inMemory {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		var db *DB
		var err error
		if inMemory {
			db, err = Open(bytes.NewReader(data), size, nil)
		} else {
			f, ferr := os.Open(path)
			if ferr != nil {
				b.Fatal(ferr)
			}
			db, err = Open(f, size, nil)
			defer f.Close()
		}
		if err != nil {
			b.Fatal(err)
		}
		n, _ := scanAll(b, db, copyRows)
		b.ReportMetric(float64(n), "rows")
	}
}

// BenchmarkScan: full scan from the file through the page cache, RowView.
func BenchmarkScan(b *testing.B) { benchScan(b, false, false) }

// BenchmarkScanRowCopy: same with Row() (a Values slice per row).
func BenchmarkScanRowCopy(b *testing.B) { benchScan(b, true, false) }

// BenchmarkScanInMemory: the file already in memory (bytes.Reader).
func BenchmarkScanInMemory(b *testing.B) { benchScan(b, false, true) }
