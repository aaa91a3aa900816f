package payloads_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/report"
)

func TestMIUISamples(t *testing.T) {
	for _, name := range []string{"miui", "miui.zip", "miui-encrypted-xspace.zip"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(smallDir, name)
			b, err := os.ReadFile(path + ".truth.json")
			if err != nil {
				t.Skip(err)
			}
			var tr struct {
				Password string   `json:"password"`
				Secrets  []string `json:"secrets"`
			}
			if err := json.Unmarshal(b, &tr); err != nil {
				t.Fatal(err)
			}
			rep := run(t, tr.Password, path)
			want := map[string]struct{ feature, format string }{
				"com.android.contacts/1": {"1 (call log)", "protobuf"},
				"com.android.contacts/2": {"2 (contacts)", "protobuf"},
				"com.android.mms/1":      {"1 (SMS)", "protobuf"},
				"com.android.mms/2":      {"2 (MMS)", "protobuf"},
				"com.android.settings/1": {"1 (settings)", "json"},
				"com.android.settings/2": {"2 (Wi-Fi networks)", "text"},
			}
			got := map[string]report.Payload{}
			for _, p := range rep.Payloads {
				if !strings.HasSuffix(p.Path, "/miui_bak/_tmp_bak") {
					t.Errorf("payload %s", p.Path)
				}
				got[p.Package+"/"+strings.SplitN(p.Feature, " ", 2)[0]] = p
			}
			if len(rep.Payloads) != len(want) {
				t.Errorf("%d payloads, want %d", len(rep.Payloads), len(want))
			}
			for k, w := range want {
				p, ok := got[k]
				if !ok {
					t.Errorf("no payload %s", k)
					continue
				}
				if p.Feature != w.feature || p.Format != w.format || p.Size <= 0 || !json.Valid(p.Tree) {
					t.Errorf("%s: feature %q format %s size %d", k, p.Feature, p.Format, p.Size)
				}
				if strings.HasPrefix(k, "com.android.mms/") && !strings.Contains(p.Note, "not decoded") {
					t.Errorf("%s: note %q", k, p.Note)
				}
			}
			out, err := report.Encode(rep)
			if err != nil {
				t.Fatal(err)
			}
			if len(tr.Secrets) == 0 {
				t.Fatal("truth lists no secrets")
			}
			for _, s := range tr.Secrets {
				if strings.Contains(string(out), s) {
					t.Errorf("report shows secret %q", s)
				}
			}
		})
	}
}
