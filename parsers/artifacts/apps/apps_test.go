package apps_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/inspect"
	"github.com/backupinspector/backupinspector/parsers/report"
)

func run(t *testing.T, name string) *report.Report {
	t.Helper()
	path := filepath.Join("..", "..", "..", "samples", "small", name)
	f, err := os.Open(path)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	in := container.Input{Name: name, Files: []container.InputFile{{Size: st.Size(), ReaderAt: f,
		Open: func() (io.ReadCloser, error) { return os.Open(path) }}}}
	rep, _, err := inspect.Run(context.Background(), []container.Input{in}, inspect.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func byPkg(rep *report.Report) map[string]report.App {
	m := map[string]report.App{}
	for _, a := range rep.Apps {
		m[a.Package] = a
	}
	return m
}

func TestMIUISetApps(t *testing.T) {
	apps := byPkg(run(t, "miui.zip"))
	for _, pkg := range []string{"com.android.contacts", "com.android.mms", "com.android.settings", "com.whatsapp"} {
		a, ok := apps[pkg]
		if !ok {
			t.Errorf("%s missing; have %v", pkg, apps)
			continue
		}
		if len(a.Features) == 0 || len(a.Labels) == 0 || a.SDK != 33 || len(a.CertSHA256) == 0 {
			t.Errorf("%s: incomplete %+v", pkg, a)
		}
	}
	if c := apps["com.android.contacts"]; len(c.Features) != 2 || c.Features[0] != 1 || c.Features[1] != 2 {
		t.Errorf("contacts features %v, want [1 2] (call log and contacts)", c.Features)
	}
}

func TestDumpDataFolders(t *testing.T) {
	apps := byPkg(run(t, "dump.zip"))
	for _, pkg := range []string{"com.android.providers.contacts", "com.android.providers.telephony", "com.whatsapp"} {
		if _, ok := apps[pkg]; !ok {
			t.Errorf("%s missing; have %v", pkg, apps)
		}
	}
}
