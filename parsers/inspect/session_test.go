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

// Sources and NewSession: a Session made from another's Sources opens the
// same databases with the same WAL; a database that is a file of the input
// is located in that input (container.Locate), one inflated from a
// compressed backup is not, and reads the same bytes.
func TestSessionSources(t *testing.T) {
	set := container.Input{Name: "set", IsDir: true}
	var tops []io.ReaderAt
	for _, f := range []struct{ path, sample string }{{"mmssms.db", "mmssms-wal.db"}, {"mmssms.db-wal", "mmssms-wal.db-wal"}, {"telephony.ab", "telephony.ab"}} {
		data, err := os.ReadFile(samplePath(f.sample))
		if err != nil {
			t.Fatal(err)
		}
		ra := bytes.NewReader(data)
		tops = append(tops, ra)
		set.Files = append(set.Files, container.InputFile{Path: f.path, Size: int64(len(data)), ReaderAt: ra,
			Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }})
	}
	_, sess, err := Run(context.Background(), []container.Input{set}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	src := sess.Sources()
	if len(src) < 2 || len(src) != len(sess.Databases()) {
		t.Fatalf("%d sources for databases %v", len(src), sess.Databases())
	}
	located, inMemory := 0, 0
	for _, db := range src {
		top, off := container.Locate(db.Data)
		switch top {
		case tops[0]:
			located++
			if db.Path != "set/mmssms.db" || off != 0 || db.WAL == nil {
				t.Errorf("%s located at %d in the database file, WAL %v", db.Path, off, db.WAL != nil)
			}
			if w, woff := container.Locate(db.WAL); w != tops[1] || woff != 0 || db.WALSize != int64(tops[1].(*bytes.Reader).Size()) {
				t.Errorf("%s: its WAL is not the -wal input (%d bytes at %d)", db.Path, db.WALSize, woff)
			}
		case tops[1], tops[2]:
			t.Errorf("%s located in the wrong input", db.Path)
		default:
			inMemory++ // inflated from the compressed .ab
		}
	}
	if located != 1 || inMemory < 1 {
		t.Errorf("%d databases located in an input, %d in memory", located, inMemory)
	}
	// A copy of each database's bytes, as the page's worker makes Blobs.
	copies := make([]SessionDB, len(src))
	for i, db := range src {
		copies[i] = db
		copies[i].Data = bytes.NewReader(readAll(t, db.Data, db.Size))
		if db.WAL != nil {
			copies[i].WAL = bytes.NewReader(readAll(t, db.WAL, db.WALSize))
		}
	}
	copied := NewSession(copies)
	if !reflect.DeepEqual(copied.Databases(), sess.Databases()) || !reflect.DeepEqual(copied.Sources()[0].Path, src[0].Path) {
		t.Fatalf("databases %v, want %v", copied.Databases(), sess.Databases())
	}
	for _, p := range sess.Databases() {
		for _, noWAL := range []bool{false, true} {
			a, err1 := sess.Open(p, noWAL)
			b, err2 := copied.Open(p, noWAL)
			if err1 != nil || err2 != nil {
				t.Fatalf("%s: %v / %v", p, err1, err2)
			}
			if a.WALInfo() != b.WALInfo() || !reflect.DeepEqual(a.Schema(), b.Schema()) {
				t.Errorf("%s (noWAL %v): WAL %+v, want %+v", p, noWAL, b.WALInfo(), a.WALInfo())
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
	if _, err := copied.Open("nope.db", false); err == nil {
		t.Error("a database the session does not have opened")
	}
}

func readAll(t *testing.T, ra io.ReaderAt, n int64) []byte {
	t.Helper()
	b := make([]byte, n)
	if k, err := ra.ReadAt(b, 0); int64(k) != n {
		t.Fatalf("read %d of %d bytes: %v", k, n, err)
	}
	return b
}

// A database inside an uncompressed .ab whose hash is supplied (the page's
// case) is read in place: Locate finds it in the .ab, at its tar entry's
// offset.
func TestSessionSourcesInPlace(t *testing.T) {
	data, err := os.ReadFile(samplePath("telephony-uncompressed.ab"))
	if err != nil {
		t.Fatal(err)
	}
	ra := bytes.NewReader(data)
	in := container.Input{Name: "t.ab", Files: []container.InputFile{{Path: "t.ab", Size: int64(len(data)), ReaderAt: ra,
		SHA256: func() string { return "supplied" },
		Open:   func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}}}
	_, sess, err := Run(context.Background(), []container.Input{in}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	src := sess.Sources()
	if len(src) == 0 {
		t.Fatal("no databases")
	}
	for _, db := range src {
		top, off := container.Locate(db.Data)
		if top != ra || off <= 0 || off+db.Size > int64(len(data)) {
			t.Fatalf("%s: located at %d (%v)", db.Path, off, top == ra)
		}
		if !bytes.Equal(data[off:off+db.Size], readAll(t, db.Data, db.Size)) {
			t.Errorf("%s: the bytes at offset %d are not the database's", db.Path, off)
		}
		if !bytes.HasPrefix(data[off:], []byte("SQLite format 3\x00")) {
			t.Errorf("%s: no SQLite header at offset %d", db.Path, off)
		}
	}
}
