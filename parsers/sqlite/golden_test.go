package sqlite

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Golden JSON: the native run writes testdata/golden/*.json (go test -run
// TestGolden -update); every run, native and GOOS=js GOARCH=wasm, must
// reproduce them byte for byte. Each file renders a database view: header,
// WAL and journal facts, schema, every table with its first rows literally
// and a SHA-256 over all rows, and the problems met.

// Literal rows per table, and bytes per literal row (the hash covers all).
const (
	goldenRows    = 25
	goldenRowSize = 1500
)

func goldenInputs(t testing.TB) []string {
	var files []string
	for _, pat := range []string{"testdata/sqlite-corpus/*/*.db", "testdata/sqlite-andriller/*.db",
		"testdata/sqlite-dc3/*.sqlite", "testdata/synthetic/*.db"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) < 60 {
		t.Fatalf("only %d golden inputs", len(files))
	}
	return files
}

func goldenName(path string, noWAL bool) string {
	n := strings.TrimPrefix(filepath.ToSlash(path), "testdata/")
	n = strings.NewReplacer("/", "_", ".", "_").Replace(n)
	if noWAL {
		n += ".main"
	}
	return filepath.Join("testdata", "golden", n+".json")
}

func TestGolden(t *testing.T) {
	if *update && runtime.GOOS == "js" {
		t.Fatal("-update only natively")
	}
	if *update {
		os.RemoveAll(filepath.Join("testdata", "golden"))
		os.MkdirAll(filepath.Join("testdata", "golden"), 0o755)
	}
	n := 0
	for _, path := range goldenInputs(t) {
		views := []bool{false}
		if _, err := os.Stat(path + "-wal"); err == nil {
			views = append(views, true)
		}
		for _, noWAL := range views {
			got := renderGolden(t, path, noWAL)
			gp := goldenName(path, noWAL)
			if *update {
				if err := os.WriteFile(gp, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(gp)
			if err != nil {
				t.Errorf("%s: %v (run go test -run TestGolden -update natively)", path, err)
				continue
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s (noWAL=%v): output differs from %s:\n%s", path, noWAL, gp, firstDiff(got, want))
			}
			n++
		}
	}
	if !*update && n < 60 {
		t.Errorf("only %d golden files compared", n)
	}
	t.Logf("%d golden files reproduced on %s/%s", n, runtime.GOOS, runtime.GOARCH)
}

func firstDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n got  %s\n want %s", i+1, trunc(al[i]), trunc(bl[i]))
		}
	}
	return fmt.Sprintf("lengths %d vs %d lines", len(al), len(bl))
}

func renderGolden(t testing.TB, path string, noWAL bool) []byte {
	var b []byte
	str := func(s string) { b = AppendJSONString(b, []byte(s)) }
	db, err := openPathErr(t, path, noWAL)
	if err != nil {
		b = append(b, `{"file":`...)
		str(filepath.ToSlash(path))
		b = append(b, `,"error":`...)
		str(err.Error())
		return append(b, "}\n"...)
	}
	h := db.Header()
	b = fmt.Appendf(b, `{"file":`)
	str(filepath.ToSlash(path))
	b = fmt.Appendf(b, ",\n\"header\":{\"pageSize\":%d,\"reserved\":%d,\"encoding\":%q,\"userVersion\":%d,\"schemaFormat\":%d,\"pageCount\":%d,\"inHeaderPages\":%d,\"freelistPages\":%d,\"largestRootPage\":%d,\"writeVersion\":%d},",
		h.PageSize, h.ReservedBytes, h.TextEncoding, h.UserVersion, h.SchemaFormat, h.PageCount, h.InHeaderPages, h.FreelistPages, h.LargestRootPage, h.WriteVersion)
	w := db.WALInfo()
	b = fmt.Appendf(b, "\n\"wal\":{\"present\":%v,\"applied\":%v,\"bigEndian\":%v,\"frames\":%d,\"valid\":%d,\"commits\":%d,\"lastCommitFrame\":%d,\"lastCommitSize\":%d},",
		w.Present, w.Applied, w.BigEndianChecksum, w.FramesTotal, w.ValidFrames, w.Commits, w.LastCommitFrame, w.LastCommitSize)
	j := db.JournalInfo()
	b = fmt.Appendf(b, "\n\"journal\":{\"present\":%v,\"hot\":%v,\"initialPages\":%d},", j.Present, j.Hot, j.InitialPages)
	trunks, leaves, ferr := db.Freelist()
	b = fmt.Appendf(b, "\n\"freelist\":{\"trunks\":%d,\"leaves\":%d,\"error\":%v},", len(trunks), len(leaves), ferr != nil)
	b = append(b, "\n\"schema\":["...)
	for i, e := range db.Schema() {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n {\"type\":"...)
		str(e.Type)
		b = append(b, `,"name":`...)
		str(e.Name)
		b = append(b, `,"tbl_name":`...)
		str(e.TblName)
		b = fmt.Appendf(b, `,"rootpage":%d,"sql":`, e.RootPage)
		str(e.SQL)
		b = append(b, '}')
	}
	b = append(b, "],\n\"tables\":["...)
	for i, tb := range db.Tables() {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n {\"name\":"...)
		str(tb.Name)
		b = append(b, `,"type":`...)
		str(tb.Type)
		b = fmt.Appendf(b, `,"withoutRowid":%v,"rowidColumn":%d,"columns":[`, tb.WithoutRowID, tb.RowIDColumn)
		for k, c := range tb.Columns {
			if k > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"name":`...)
			str(c.Name)
			b = append(b, `,"type":`...)
			str(c.Type)
			b = fmt.Appendf(b, `,"affinity":%q,"pk":%v`, c.Affinity, c.PrimaryKey)
			if c.HasDefault {
				b = append(b, `,"default":`...)
				b = c.Default.AppendJSON(b)
			}
			b = append(b, '}')
		}
		b = append(b, "],\n  \"rows\":["...)
		rows := db.Rows(tb)
		hash := sha256.New()
		n := 0
		var line []byte
		for rows.Next() {
			r := rows.RowView()
			line = line[:0]
			if r.HasRowID {
				line = fmt.Appendf(line, "[%d", r.RowID)
			} else {
				line = append(line, "[null"...)
			}
			for _, v := range r.Values {
				line = append(line, ',')
				line = v.AppendJSON(line)
			}
			line = append(line, ']')
			hash.Write(line)
			hash.Write([]byte{'\n'})
			if n < goldenRows {
				if n > 0 {
					b = append(b, ',')
				}
				b = append(b, "\n   "...)
				if len(line) > goldenRowSize {
					b = AppendJSONString(b, []byte(fmt.Sprintf("%d bytes: %x", len(line), sha256.Sum256(line))))
				} else {
					b = append(b, line...)
				}
			}
			n++
		}
		b = fmt.Appendf(b, "],\n  \"rowCount\":%d,\"rowsSHA256\":\"%x\",\"error\":", n, hash.Sum(nil))
		if err := rows.Err(); err != nil {
			str(err.Error())
		} else {
			b = append(b, "null"...)
		}
		b = append(b, '}')
	}
	b = append(b, "],\n\"problems\":["...)
	for i, p := range db.Problems() {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n "...)
		str(p.Error())
	}
	b = append(b, "]}\n"...)
	return b
}
