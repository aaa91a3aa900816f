package inspect

import (
	"bytes"
	"context"
	"io"
	"os"
	"reflect"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/container"
)

// DatabasesOnly: the Session has the same databases, each with its WAL as
// the full run gives it, and no database is read for the report.
func TestDatabasesOnly(t *testing.T) {
	in := container.Input{Name: "set", IsDir: true}
	for _, f := range []struct{ path, sample string }{{"mmssms.db", "mmssms-wal.db"}, {"mmssms.db-wal", "mmssms-wal.db-wal"}, {"other.db", "mmssms.db"}} {
		data, err := os.ReadFile(samplePath(f.sample))
		if err != nil {
			t.Fatal(err)
		}
		in.Files = append(in.Files, container.InputFile{Path: f.path, Size: int64(len(data)), ReaderAt: bytes.NewReader(data),
			Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }})
	}
	full, fsess, err := Run(context.Background(), []container.Input{in}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, sess, err := Run(context.Background(), []container.Input{in}, Options{DatabasesOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(full.Messages) == 0 || len(full.Databases) != 2 {
		t.Fatalf("the full run: %d messages, %d databases", len(full.Messages), len(full.Databases))
	}
	if len(rep.Messages) != 0 || len(rep.Databases) != 0 || len(rep.Recovered) != 0 {
		t.Errorf("DatabasesOnly read databases: %d messages, %d databases, %d recovered", len(rep.Messages), len(rep.Databases), len(rep.Recovered))
	}
	if !reflect.DeepEqual(sess.Databases(), fsess.Databases()) {
		t.Fatalf("databases %v, want %v", sess.Databases(), fsess.Databases())
	}
	for _, p := range sess.Databases() {
		for _, noWAL := range []bool{false, true} {
			a, err1 := fsess.Open(p, noWAL)
			b, err2 := sess.Open(p, noWAL)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s: %v / %v", p, err1, err2)
			}
			if a.WALInfo() != b.WALInfo() || !reflect.DeepEqual(a.Schema(), b.Schema()) {
				t.Errorf("%s (noWAL %v): WAL %+v / %+v", p, noWAL, b.WALInfo(), a.WALInfo())
			}
			for _, tb := range a.Tables() {
				na, _ := a.Count(tb)
				nb, _ := b.Count(b.Table(tb.Name))
				if na != nb {
					t.Errorf("%s %s (noWAL %v): %d rows, want %d", p, tb.Name, noWAL, nb, na)
				}
			}
		}
	}
	if w := fsess.dbs["set/mmssms.db"]; w == nil || w.wal == nil {
		t.Errorf("the sample's WAL is not the database's sidecar: %v", fsess.Databases())
	}
}
