//go:build !js

package inspect

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	_ "modernc.org/sqlite"
)

// bigSMSZip writes a zip dump whose mmssms.db (deflated: no random access
// into it) is ~6 MiB: 40 messages and a table of random blobs.
func bigSMSZip(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "mmssms.db")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, date INTEGER, type INTEGER, read INTEGER, body TEXT)",
		"CREATE TABLE padding (x BLOB)",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 40; i++ {
		if _, err := db.Exec("INSERT INTO sms (thread_id, address, date, type, read, body) VALUES (1, ?, ?, 1, 1, ?)",
			fmt.Sprintf("+1555000%04d", i), 1700000000000+int64(i)*60000, fmt.Sprintf("message %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 96; i++ {
		b := make([]byte, 64<<10)
		rng.Read(b)
		if _, err := db.Exec("INSERT INTO padding VALUES (?)", b); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	raw, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	zp := filepath.Join(dir, "dump.zip")
	out, err := os.Create(zp)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "data/user_de/0/com.android.providers.telephony/databases/mmssms.db", Method: zip.Deflate})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw)
	zw.Close()
	out.Close()
	return zp
}

// memSpool is a SpoolFile in a buffer of its own, counting its uses.
type memSpool struct {
	buf  bytes.Buffer
	used *int
}

func (m *memSpool) Write(p []byte) (int, error) { return m.buf.Write(p) }
func (m *memSpool) ReaderAt() (io.ReaderAt, error) {
	*m.used++
	return bytes.NewReader(m.buf.Bytes()), nil
}

// A database found inside a stream that does not fit the memory left for
// spooled files is held out of memory by Options.Spool and read; without a
// spool it is reported as too large, as before.
func TestSpoolHoldsBigDatabasesOutOfMemory(t *testing.T) {
	zp := bigSMSZip(t)
	const budget = 8 << 20 // 4 MiB for files held in memory: the database is ~6.5
	count := func(rep *report.Report) (msgs, tooLarge int) {
		for _, p := range rep.Problems {
			if p.Code == "too-large" || p.Code == container.CodeSpoolLimit {
				tooLarge++
			}
		}
		return len(rep.Messages), tooLarge
	}
	rep, _, err := Run(context.Background(), []container.Input{fileInput(t, zp)}, Options{MemoryBudget: budget, NoRecover: true})
	if err != nil {
		t.Fatal(err)
	}
	if m, tl := count(rep); m != 0 || tl != 2 {
		t.Fatalf("without a spool: %d messages, %d spool-limit and too-large problems; want 0 and 2", m, tl)
	}
	used := 0
	rep, sess, err := Run(context.Background(), []container.Input{fileInput(t, zp)}, Options{MemoryBudget: budget, NoRecover: true,
		Spool: func(int64) (SpoolFile, error) { return &memSpool{used: &used}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	if m, tl := count(rep); m != 40 || tl != 0 || used != 1 {
		t.Fatalf("with a spool: %d messages, %d too-large problems, spool used %d times; want 40, 0, 1", m, tl, used)
	}
	if len(rep.Databases) != 1 || len(rep.Databases[0].Tables) != 2 {
		t.Fatalf("databases %+v", rep.Databases)
	}
	// The database browser opens it where the spool holds it.
	srcs := sess.Sources()
	if len(srcs) != 1 {
		t.Fatalf("sources %+v", srcs)
	}
	if _, ok := srcs[0].Data.(*bytes.Reader); !ok {
		t.Errorf("source data %T: want the spool's reader", srcs[0].Data)
	}
	db, err := sess.Open(srcs[0].Path, false)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := db.Count(db.Table("padding")); n != 96 || err != nil {
		t.Errorf("padding rows %d (%v), want 96", n, err)
	}
	// Small databases stay in memory even with a spool.
	used = 0
	if _, _, err := Run(context.Background(), []container.Input{fileInput(t, zp)}, Options{NoRecover: true,
		Spool: func(int64) (SpoolFile, error) { return &memSpool{used: &used}, nil }}); err != nil || used != 0 {
		t.Errorf("default budget, a %d MiB database: spool used %d times (%v); want 0", container.MemorySpoolMax>>20, used, err)
	}
}
