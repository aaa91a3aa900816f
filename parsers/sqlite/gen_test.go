//go:build !js

package sqlite

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// genOptions controls one generated database.
type genOptions struct {
	PageSize   int
	Encoding   string // "UTF-8", "UTF-16le", "UTF-16be"
	AutoVacuum string // "NONE", "FULL", "INCREMENTAL"
	WAL        bool   // leave uncheckpointed frames in a -wal file
	Tables     int
	MaxRows    int
	Reserved   int // reserved bytes per page (set through the header after creation)
}

var (
	oddNames = []string{
		"plain", "with space", `dq"uote`, "sq'uote", "br]acket", "[br", "back`tick", "select", "table",
		"order", "group", "semi;colon", "com,ma", "paren(", "dot.ted", "ünïcödé", "日本語", "emoji😀",
		"tab\tname", "-- comment", "/*c*/", "primary", "unique", "check", "constraint", "key", "rowid",
		"oid", "_rowid_", "x", "NULL", "default", "as",
	}
	declTypes = []string{
		"INTEGER", "INT", "TEXT", "REAL", "BLOB", "NUMERIC", "", "VARCHAR(10)", "DOUBLE PRECISION",
		"BOOLEAN", "DATE", "DATETIME", "FLOAT", "NVARCHAR(20)", "UNSIGNED BIG INT", "DECIMAL(10,5)",
		"CLOB", "CHARACTER(3)", `"INTEGER(11,0)"`, "TIMESTAMP", "ANYTHING",
	}
)

// genQuote returns a random quoting of name that SQLite accepts.
func genQuote(rng *rand.Rand, name string) string {
	switch rng.Intn(4) {
	case 0:
		return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
	case 1:
		if !strings.Contains(name, "]") {
			return "[" + name + "]"
		}
	case 2:
		return "`" + strings.ReplaceAll(name, "`", "``") + "`"
	case 3:
		return "'" + strings.ReplaceAll(name, "'", "''") + "'"
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// genValue returns a random value to bind.
func genValue(rng *rand.Rand, pageSize int) any {
	switch rng.Intn(22) {
	case 0, 1:
		return nil
	case 2:
		return int64(rng.Intn(2)) // serial types 8, 9
	case 3:
		return int64(rng.Intn(256) - 128)
	case 4:
		return int64(rng.Intn(65536) - 32768)
	case 5:
		return int64(rng.Int31()) - 1<<30
	case 6:
		return rng.Int63() >> uint(rng.Intn(40))
	case 7:
		return -rng.Int63()
	case 8:
		return []int64{math.MaxInt64, math.MinInt64, 1 << 47, -(1 << 47), 1<<23 - 1, -(1 << 23)}[rng.Intn(6)]
	case 9:
		return rng.NormFloat64() * math.Pow(10, float64(rng.Intn(40)-20))
	case 10:
		return []float64{0, math.Copysign(0, -1), 1, -1.5, 3.0, 1e300, math.Inf(1), math.Inf(-1), 0.1, 123456789.0}[rng.Intn(10)]
	case 11, 12, 13:
		return genText(rng, rng.Intn(20))
	case 14:
		return genText(rng, rng.Intn(pageSize*3)+pageSize/2) // overflow
	case 15, 16:
		b := make([]byte, rng.Intn(30))
		rng.Read(b)
		return b
	case 17:
		b := make([]byte, rng.Intn(pageSize*4)+pageSize)
		rng.Read(b)
		return b
	case 18:
		return []byte{}
	case 19:
		return ""
	case 20:
		return fmt.Sprint(rng.Intn(100000)) // numeric text: affinity converts it
	}
	return fmt.Sprintf("%g", rng.NormFloat64())
}

func genText(rng *rand.Rand, n int) string {
	const alpha = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	uni := []string{"ä", "ö", "ß", "€", "日", "本", "😀", "🎉", "\u2028", "\n", "\"", "\\", "\x01"}
	var b strings.Builder
	for b.Len() < n {
		if rng.Intn(8) == 0 {
			b.WriteString(uni[rng.Intn(len(uni))])
		} else {
			b.WriteByte(alpha[rng.Intn(len(alpha))])
		}
	}
	return b.String()
}

type genTable struct {
	name  string
	cols  []string
	types []string
	wr    bool // WITHOUT ROWID
	ipk   int  // INTEGER PRIMARY KEY column or -1
}

// writeEmptyDB writes a one-page empty database with o.Reserved reserved
// bytes per page (SQLite keeps the reserved size of an existing file, and the
// SQL interface cannot set it).
func writeEmptyDB(t testing.TB, path string, o genOptions) {
	ps := o.PageSize
	pg := make([]byte, ps)
	copy(pg, Magic)
	binary.BigEndian.PutUint16(pg[16:], uint16(ps&0xffff|ps>>16))
	pg[18], pg[19], pg[20], pg[21], pg[22], pg[23] = 1, 1, byte(o.Reserved), 64, 32, 32
	binary.BigEndian.PutUint32(pg[24:], 1) // change counter
	binary.BigEndian.PutUint32(pg[28:], 1) // pages
	binary.BigEndian.PutUint32(pg[44:], 4) // schema format
	enc := map[string]uint32{"UTF-8": 1, "UTF-16le": 2, "UTF-16be": 3}[o.Encoding]
	binary.BigEndian.PutUint32(pg[56:], enc)
	if o.AutoVacuum != "NONE" {
		binary.BigEndian.PutUint32(pg[52:], 1)
		if o.AutoVacuum == "INCREMENTAL" {
			binary.BigEndian.PutUint32(pg[64:], 1)
		}
	}
	binary.BigEndian.PutUint32(pg[92:], 1)       // version-valid-for
	binary.BigEndian.PutUint32(pg[96:], 3045000) // writer version
	pg[100] = byte(PageLeafTable)
	binary.BigEndian.PutUint16(pg[105:], uint16((ps-o.Reserved)&0xffff))
	if err := os.WriteFile(path, pg, 0o644); err != nil {
		t.Fatal(err)
	}
}

// generateDB builds a random database at path with modernc.org/sqlite.
// When o.WAL is set it returns with the -wal file still holding frames.
func generateDB(t testing.TB, path string, seed int64, o genOptions) {
	t.Helper()
	rng := rand.New(rand.NewSource(seed))
	if o.Reserved > 0 {
		writeEmptyDB(t, path, o)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := db.Exec(q, args...); err != nil {
			t.Fatalf("seed %d: %s: %v", seed, trunc(q), err)
		}
	}
	exec(fmt.Sprintf("PRAGMA page_size=%d", o.PageSize))
	exec(fmt.Sprintf("PRAGMA encoding='%s'", o.Encoding))
	exec("PRAGMA auto_vacuum=" + o.AutoVacuum)
	if o.WAL {
		exec("PRAGMA journal_mode=WAL")
		exec("PRAGMA wal_autocheckpoint=0")
	}
	var tables []genTable
	used := map[string]bool{}
	for ti := 0; ti < o.Tables; ti++ {
		var gt genTable
		for {
			gt.name = oddNames[rng.Intn(len(oddNames))]
			if rng.Intn(2) == 0 {
				gt.name += fmt.Sprint(ti)
			}
			if !used[strings.ToLower(gt.name)] {
				break
			}
		}
		used[strings.ToLower(gt.name)] = true
		ncol := 1 + rng.Intn(8)
		cu := map[string]bool{}
		gt.ipk = -1
		for c := 0; c < ncol; c++ {
			var n string
			for {
				n = oddNames[rng.Intn(len(oddNames))]
				if rng.Intn(3) == 0 {
					n += fmt.Sprint(c)
				}
				if !cu[strings.ToLower(n)] {
					break
				}
			}
			cu[strings.ToLower(n)] = true
			gt.cols = append(gt.cols, n)
			gt.types = append(gt.types, declTypes[rng.Intn(len(declTypes))])
		}
		gt.wr = rng.Intn(4) == 0
		var defs []string
		pkCol := -1
		if gt.wr || rng.Intn(3) == 0 {
			pkCol = rng.Intn(ncol)
		}
		tablePK := rng.Intn(2) == 0
		for c := range gt.cols {
			d := genQuote(rng, gt.cols[c]) + " " + gt.types[c]
			if c == pkCol && gt.types[c] != "" {
				// keep INTEGER PRIMARY KEY columns integer-valued
				if !gt.wr && rng.Intn(2) == 0 {
					gt.types[c] = "INTEGER"
					d = genQuote(rng, gt.cols[c]) + " INTEGER"
				}
			}
			if c == pkCol && !tablePK {
				d += " PRIMARY KEY"
			}
			if rng.Intn(5) == 0 {
				d += " DEFAULT " + []string{"0", "'x'", "NULL", "-1.5", "x'00FF'"}[rng.Intn(5)]
			}
			defs = append(defs, d)
		}
		if pkCol >= 0 && tablePK {
			defs = append(defs, "PRIMARY KEY ("+genQuote(rng, gt.cols[pkCol])+")")
		}
		if pkCol >= 0 && !gt.wr && strings.EqualFold(gt.types[pkCol], "INTEGER") {
			gt.ipk = pkCol
		}
		q := "CREATE TABLE " + genQuote(rng, gt.name) + " (\n  " + strings.Join(defs, ",\n  ") + "\n)"
		if gt.wr {
			q += " WITHOUT ROWID"
		}
		exec(q)
		if rng.Intn(3) == 0 {
			exec(fmt.Sprintf("CREATE INDEX %s ON %s(%s)", quoteIdent(fmt.Sprintf("idx%d", ti)), quoteIdent(gt.name), quoteIdent(gt.cols[rng.Intn(ncol)])))
		}
		gt.name = strings.TrimSpace(gt.name)
		tables = append(tables, gt)
	}
	insert := func(gt *genTable, nrows int) {
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		ph := strings.TrimSuffix(strings.Repeat("?,", len(gt.cols)), ",")
		var qcols []string
		for _, c := range gt.cols {
			qcols = append(qcols, quoteIdent(c))
		}
		q := fmt.Sprintf("INSERT OR IGNORE INTO %s (%s) VALUES (%s)", quoteIdent(gt.name), strings.Join(qcols, ","), ph)
		for r := 0; r < nrows; r++ {
			args := make([]any, len(gt.cols))
			for c := range args {
				args[c] = genValue(rng, o.PageSize)
				if c == gt.ipk {
					if rng.Intn(2) == 0 {
						args[c] = nil
					} else {
						args[c] = rng.Int63n(1 << uint(8+rng.Intn(50)))
					}
				}
			}
			if _, err := tx.Exec(q, args...); err != nil {
				if strings.Contains(err.Error(), "datatype mismatch") || strings.Contains(err.Error(), "NOT NULL") {
					continue
				}
				t.Fatalf("seed %d: %s: %v", seed, q, err)
			}
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	for i := range tables {
		insert(&tables[i], rng.Intn(o.MaxRows+1))
	}
	// Deletes (freelist pages), an ALTER TABLE ADD COLUMN with a default.
	for i := range tables {
		gt := &tables[i]
		if rng.Intn(2) == 0 && !gt.wr {
			exec(fmt.Sprintf("DELETE FROM %s WHERE rowid %% 3 = 0", quoteIdent(gt.name)))
		}
		if rng.Intn(2) == 0 {
			n := fmt.Sprintf("added%d", i)
			typ := []string{"TEXT", "INTEGER", "REAL", "", "BLOB"}[rng.Intn(5)]
			def := []string{"'dflt'", "42", "-7", "3.25", "NULL", "x'CAFE'", "TRUE", "'12'", "(5)", "-0x10"}[rng.Intn(10)]
			exec(fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s DEFAULT %s", quoteIdent(gt.name), n, typ, def))
			gt.cols = append(gt.cols, n)
			gt.types = append(gt.types, typ)
		}
	}
	if o.WAL {
		exec("PRAGMA wal_checkpoint(TRUNCATE)")
		// These commits stay in the WAL only.
		for i := range tables {
			if rng.Intn(2) == 0 {
				insert(&tables[i], rng.Intn(o.MaxRows/2+1))
			}
		}
		if rng.Intn(2) == 0 {
			exec("CREATE TABLE wal_only (a INTEGER PRIMARY KEY, b TEXT)")
			exec("INSERT INTO wal_only (b) VALUES ('only in the WAL'), (NULL)")
		}
		// Snapshot the files while the connection still holds the WAL.
		dir := filepath.Dir(path)
		snap := filepath.Join(dir, "snap")
		os.MkdirAll(snap, 0o755)
		copyFile(t, path, filepath.Join(snap, "db"))
		copyFile(t, path+"-wal", filepath.Join(snap, "db-wal"))
		db.Close()
		os.Remove(path + "-wal")
		os.Remove(path + "-shm")
		os.Rename(filepath.Join(snap, "db"), path)
		os.Rename(filepath.Join(snap, "db-wal"), path+"-wal")
	}
}

func TestGeneratedSmoke(t *testing.T) {
	dir := t.TempDir()
	cases := []genOptions{
		{PageSize: 4096, Encoding: "UTF-8", AutoVacuum: "NONE", Tables: 4, MaxRows: 200},
		{PageSize: 1024, Encoding: "UTF-16le", AutoVacuum: "FULL", Tables: 3, MaxRows: 100},
		{PageSize: 512, Encoding: "UTF-16be", AutoVacuum: "INCREMENTAL", Tables: 3, MaxRows: 100, WAL: true},
		{PageSize: 65536, Encoding: "UTF-8", AutoVacuum: "NONE", Tables: 2, MaxRows: 100, WAL: true},
	}
	for i, o := range cases {
		path := filepath.Join(dir, fmt.Sprintf("g%d.db", i))
		generateDB(t, path, int64(i+1), o)
		before := hashSet(t, path)
		n := compareWithModernc(t, path, false)
		if o.WAL {
			n += compareWithModernc(t, path, true)
		}
		if after := hashSet(t, path); fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("%s: files changed by reading", path)
		}
		t.Logf("%+v: %d rows equal", o, n)
	}
}
