//go:build !js

package sqlite

import (
	"database/sql"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func init() { benchGenerate = generateBenchDB }

const benchRows = 800_000

// generateBenchDB writes an Android-mmssms-like sms table of 800k rows
// (about 110 MB) with modernc.org/sqlite.
func generateBenchDB(tb testing.TB, path string) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		tb.Fatal(err)
	}
	tmp := path + ".tmp"
	os.Remove(tmp)
	db, err := sql.Open("sqlite", tmp)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, q := range []string{
		"PRAGMA page_size=4096", "PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF",
		`CREATE TABLE sms (_id INTEGER PRIMARY KEY AUTOINCREMENT, thread_id INTEGER, address TEXT, person INTEGER,
		  date INTEGER, date_sent INTEGER DEFAULT 0, protocol INTEGER, read INTEGER DEFAULT 0, status INTEGER DEFAULT -1,
		  type INTEGER, reply_path_present INTEGER, subject TEXT, body TEXT, service_center TEXT, locked INTEGER DEFAULT 0,
		  sub_id INTEGER DEFAULT -1, error_code INTEGER DEFAULT -1, creator TEXT, seen INTEGER DEFAULT 0)`,
	} {
		if _, err := db.Exec(q); err != nil {
			tb.Fatal(err)
		}
	}
	rng := rand.New(rand.NewSource(800))
	words := strings.Fields("hi ok see you tomorrow at the station call me when you are home thanks love " +
		"meeting moved to 3pm your code is please confirm delivery parcel arrives today bitte ruf mich an " +
		"größe straße café 😀 🎉 日本 привет")
	tx, err := db.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	st, err := tx.Prepare(`INSERT INTO sms (thread_id, address, person, date, date_sent, protocol, read, status, type,
		reply_path_present, subject, body, service_center, locked, sub_id, error_code, creator, seen)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		tb.Fatal(err)
	}
	var body strings.Builder
	for i := 0; i < benchRows; i++ {
		body.Reset()
		n := 8 + rng.Intn(30)
		for w := 0; w < n; w++ {
			if w > 0 {
				body.WriteByte(' ')
			}
			body.WriteString(words[rng.Intn(len(words))])
		}
		date := int64(1_600_000_000_000) + int64(i)*37_000 + rng.Int63n(30_000)
		var person, subject, sc any
		if rng.Intn(3) == 0 {
			person = int64(rng.Intn(500))
		}
		if rng.Intn(20) == 0 {
			subject = "Re: " + words[rng.Intn(len(words))]
		}
		if rng.Intn(2) == 0 {
			sc = fmt.Sprintf("+4917%08d", rng.Intn(1e8))
		}
		typ := 1 + rng.Intn(2)
		if _, err := st.Exec(1+rng.Intn(2000), fmt.Sprintf("+49151%07d", rng.Intn(1e7)), person, date, date-int64(rng.Intn(5000)),
			0, rng.Intn(2), -1, typ, 0, subject, body.String(), sc, 0, rng.Intn(2), -1, "com.android.messaging", 1); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
	db.Close()
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkModerncScan: modernc.org/sqlite reading the same columns.
func BenchmarkModerncScan(b *testing.B) {
	path, size := benchDB(b)
	b.SetBytes(size)
	b.ReportAllocs()
	for range b.N {
		db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
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
		var sum int64
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				b.Fatal(err)
			}
			for _, v := range dest {
				switch v := v.(type) {
				case int64:
					sum += v
				case string:
					sum += int64(len(v))
				case []byte:
					sum += int64(len(v))
				}
			}
			n++
		}
		rows.Close()
		db.Close()
		b.ReportMetric(float64(n), "rows")
	}
}

// BenchmarkSQLite3CLI: the C sqlite3 shell (if installed) printing every
// row to /dev/null (includes process start and output formatting).
func BenchmarkSQLite3CLI(b *testing.B) {
	path, size := benchDB(b)
	bin, err := exec.LookPath("sqlite3")
	if err != nil {
		b.Skip("sqlite3 CLI not installed (apt-get install sqlite3)")
	}
	b.SetBytes(size)
	for range b.N {
		cmd := exec.Command(bin, "-readonly", path, ".output /dev/null", "SELECT * FROM sms;")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
	}
}
