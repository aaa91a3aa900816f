//go:build !js

package identifiers_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/backupinspector/backupinspector/parsers/artifacts/identifiers/idtest"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/samples"
)

// generate writes a sample of kind into a temporary folder and returns
// its path.
func generate(t *testing.T, kind, name string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	if _, err := samples.Generate(samples.Options{Kind: kind, Seed: 1, Out: out}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDumpIdentifiers(t *testing.T) {
	p := generate(t, "dump", "dump.zip")
	tr := idtest.LoadTruth(t, p)
	rep := idtest.Run(t, "", p)
	checkIdentifiers(t, rep, tr, true)
}

// TestDumpDeterministic inspects the dump twice under different local time
// zones and in a different input order of identical files: the reports
// must be byte-identical.
func TestDumpDeterministic(t *testing.T) {
	p := generate(t, "dump", "dump.zip")
	saved := time.Local
	defer func() { time.Local = saved }()
	time.Local = time.FixedZone("UTC+9", 9*3600)
	a, _ := report.Encode(idtest.Run(t, "", p))
	time.Local = time.FixedZone("UTC-7", -7*3600)
	b, _ := report.Encode(idtest.Run(t, "", p))
	if string(a) != string(b) {
		t.Fatal("report depends on the local time zone")
	}
}

// TestMissingBak removes one .bak listed in descript.xml: the exposure's
// coverage must say it is missing.
func TestMissingBak(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "20240914_161418")
	src := "../../../samples/small/miui/20240914_161418"
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(dir, 0o755)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "Настройки Wi-Fi") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, e.Name()), data, 0o644)
	}
	rep := idtest.Run(t, "", dir)
	found := false
	for _, c := range rep.Exposure.Coverage {
		if c.Status == "missing" && strings.Contains(c.Path, "Настройки Wi-Fi(com.android.settings).bak") {
			found = true
		}
	}
	if !found {
		t.Errorf("missing .bak not in coverage: %+v", rep.Exposure.Coverage)
	}
	if rep.Exposure.Wifi.Networks != 0 {
		t.Errorf("wifi from a missing file: %+v", rep.Exposure.Wifi)
	}
}

// TestHostileDeletedDump runs another seed with hostile strings and
// deleted rows.
func TestHostileDeletedDump(t *testing.T) {
	p := filepath.Join(t.TempDir(), "hdump.zip")
	if _, err := samples.Generate(samples.Options{Kind: "dump", Seed: 7, Out: p, Hostile: true, Deleted: true}); err != nil {
		t.Fatal(err)
	}
	tr := idtest.LoadTruth(t, p)
	rep := idtest.Run(t, "", p)
	checkIdentifiers(t, rep, tr, true)
}
