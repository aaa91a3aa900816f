//go:build !js

package identifiers_test

import (
	"path/filepath"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/artifacts/identifiers/idtest"
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
