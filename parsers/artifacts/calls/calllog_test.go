package calls_test

import (
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/report"
)

// TestAndriller reads the real Android calllog.db of the Andriller tests
// (MIT, testdata/andriller/LICENSE): WAL mode with an empty -wal and a
// -shm; one outgoing call.
func TestAndriller(t *testing.T) {
	dir := filepath.Join("testdata", "andriller")
	before := hashes(t, dir)
	rep := run(t, "", dir)
	if len(rep.Calls) != 1 {
		t.Fatalf("%d calls, want 1: %+v", len(rep.Calls), rep.Calls)
	}
	c := rep.Calls[0]
	want := report.Call{Number: "+441234567890", Direction: report.CallOutgoing, DurationSeconds: 0, Name: "Samuel Vimes"}
	if c.Number != want.Number || c.Direction != want.Direction || c.DurationSeconds != 0 || c.Name != want.Name {
		t.Errorf("call %+v", c)
	}
	if c.Time == nil || c.Time.String() != "2020-05-07T13:33:53.593Z" {
		t.Errorf("time %v", c.Time)
	}
	if c.Source != "andriller/calllog.db#calls:1" {
		t.Errorf("source %q", c.Source)
	}
	for _, p := range rep.Problems {
		t.Errorf("problem %+v", p)
	}
	if after := hashes(t, dir); after != before {
		t.Error("reading changed the evidence files")
	}
}

func hashes(t *testing.T, dir string) [3][32]byte {
	var out [3][32]byte
	for i, name := range []string{"calllog.db", "calllog.db-wal", "calllog.db-shm"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		out[i] = sha256.Sum256(b)
	}
	return out
}
