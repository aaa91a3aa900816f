package inspect

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
)

// fileInput makes a container input of a file on disk, as the CLI does.
func fileInput(t *testing.T, path string) container.Input {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	return container.Input{Name: filepath.Base(path), Files: []container.InputFile{{
		Size:     st.Size(),
		Open:     func() (io.ReadCloser, error) { return os.Open(path) },
		ReaderAt: f,
	}}}
}

func samplePath(name string) string { return filepath.Join("..", "..", "samples", "small", name) }

func runEncode(t *testing.T, inputs []container.Input, opts Options) []byte {
	t.Helper()
	rep, _, err := Run(context.Background(), inputs, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := report.Encode(rep)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDeterministicAcrossZones runs the same inspection under several local
// time zones and input orders: the report bytes must not change.
func TestDeterministicAcrossZones(t *testing.T) {
	names := []string{"telephony.ab", "mmssms.db"}
	for _, n := range names {
		if _, err := os.Stat(samplePath(n)); err != nil {
			t.Skipf("sample %s missing: %v", n, err)
		}
	}
	saved := time.Local
	defer func() { time.Local = saved }()
	var want []byte
	zones := []*time.Location{time.UTC, time.FixedZone("UTC+13", 13*3600), time.FixedZone("UTC-9:30", -(9*3600 + 1800))}
	if la, err := time.LoadLocation("America/Los_Angeles"); err == nil {
		zones = append(zones, la)
	}
	for i, loc := range zones {
		time.Local = loc
		in := []container.Input{fileInput(t, samplePath(names[0])), fileInput(t, samplePath(names[1]))}
		if i%2 == 1 {
			in[0], in[1] = in[1], in[0]
		}
		got := runEncode(t, in, Options{})
		if want == nil {
			want = got
			continue
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("report differs under zone %s (%d vs %d bytes)", loc, len(got), len(want))
		}
	}
	if !bytes.Contains(want, []byte(`"schema": "backup-inspector.report/1"`)) {
		t.Fatal("report lacks its schema")
	}
}

// TestInputsUntouched checks that reading never changes an input.
func TestInputsUntouched(t *testing.T) {
	paths := []string{samplePath("mmssms-wal.db"), samplePath("mmssms-wal.db-wal"), samplePath("telephony.ab")}
	before := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Skip(err)
		}
		before[p] = b
	}
	dir := filepath.Dir(paths[0])
	entriesBefore, _ := os.ReadDir(dir)
	runEncode(t, []container.Input{fileInput(t, paths[0]), fileInput(t, paths[2])}, Options{})
	for _, p := range paths {
		b, _ := os.ReadFile(p)
		if !bytes.Equal(b, before[p]) {
			t.Errorf("%s changed", p)
		}
	}
	entriesAfter, _ := os.ReadDir(dir)
	if len(entriesAfter) != len(entriesBefore) {
		t.Errorf("files appeared beside the inputs: %d → %d entries", len(entriesBefore), len(entriesAfter))
	}
}

// TestBadInputDoesNotStopOthers feeds a damaged database beside a good one.
func TestBadInputDoesNotStopOthers(t *testing.T) {
	bad := []byte("SQLite format 3\x00 and then nothing useful")
	in := []container.Input{
		{Name: "broken.db", Files: []container.InputFile{{Size: int64(len(bad)), Open: func() (io.ReadCloser, error) {
			return io.NopCloser(bytes.NewReader(bad)), nil
		}}}},
		fileInput(t, samplePath("mmssms.db")),
	}
	rep, _, err := Run(context.Background(), in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Messages) == 0 {
		t.Error("the good database was not read")
	}
	found := false
	for _, p := range rep.Problems {
		if p.Input == "broken.db" {
			found = true
		}
	}
	if !found {
		t.Errorf("no problem names broken.db: %+v", rep.Problems)
	}
}

// TestStreamedReportEqualsEncode checks report.Write against report.Encode
// on real inspections.
func TestStreamedReportEqualsEncode(t *testing.T) {
	for _, name := range []string{"dump.zip", "miui.zip", "telephony.ab"} {
		if _, err := os.Stat(samplePath(name)); err != nil {
			t.Skip(err)
		}
		rep, _, err := Run(context.Background(), []container.Input{fileInput(t, samplePath(name))}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want, err := report.Encode(rep)
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := report.Write(&got, rep); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s: streamed report differs from Encode (%d vs %d bytes)", name, got.Len(), len(want))
		}
	}
}
