package calls_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/report"
)

// truthType is the samples truth name of a call's type.
func truthType(c report.Call) string {
	if c.Direction == report.CallOther && strings.HasPrefix(c.Extra["type"], "7 ") {
		return "answered_externally"
	}
	return c.Direction
}

func TestSmallSamples(t *testing.T) {
	tests := []struct {
		file       string
		wantSource string // every call's source starts with it
		noNames    bool   // the format carries no cached names
	}{
		{"dump.zip", "dump.zip!data/data/com.android.providers.contacts/databases/calllog.db#calls:", false},
		{"smsbr", "smsbr/calls-", false},
		{"miui", "miui/20240914_161418/Журнал вызовов(com.android.contacts).bak!apps/com.android.contacts/miui_bak/_tmp_bak@", true},
		{"miui.zip", "miui.zip!20240914_161418/Журнал вызовов(com.android.contacts).bak!apps/com.android.contacts/miui_bak/_tmp_bak@", true},
		{"miui-encrypted-xspace.zip", "miui-encrypted-xspace.zip!20240914_161418/Журнал вызовов(com.android.contacts).bak!apps/com.android.contacts/miui_bak/_tmp_bak@", true},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(smallDir, tt.file)
			if _, err := os.Stat(path); err != nil {
				t.Skipf("sample not present: %v", err)
			}
			tr := loadTruth(t, path+".truth.json")
			rep := run(t, tr.Password, path)
			for _, p := range rep.Problems {
				if strings.HasPrefix(p.Message, "calls/") || p.Code == "partly-decoded" {
					t.Errorf("problem %+v", p)
				}
			}
			byType := map[string]int{}
			for _, c := range rep.Calls {
				byType[truthType(c)]++
				if !strings.HasPrefix(c.Source, tt.wantSource) {
					t.Errorf("source %q", c.Source)
				}
				if c.Time == nil {
					t.Errorf("no time: %+v", c)
				}
			}
			if len(rep.Calls) != tr.Calls.Total || !reflect.DeepEqual(byType, tr.Calls.ByType) {
				t.Errorf("%d calls by type %v, want %d %v", len(rep.Calls), byType, tr.Calls.Total, tr.Calls.ByType)
			}
			for _, ex := range tr.Examples.Calls {
				found := false
				for _, c := range rep.Calls {
					if c.Time != nil && c.Time.String() == ex.Time && c.Number == ex.Number {
						found = true
						if truthType(c) != ex.Type || c.DurationSeconds != ex.Duration || c.Name != ex.Name && !tt.noNames {
							t.Errorf("example %+v: got %+v", ex, c)
						}
					}
				}
				if !found {
					t.Errorf("example not found: %+v", ex)
				}
			}
			// ICCIDs named by the call log are reported and belong to the phone.
			for _, id := range rep.Identifiers {
				if id.Kind == report.IDICCID && strings.Contains(id.Source, "calllog.db") {
					if !contains(tr.Identifiers.ICCIDs, id.Value) {
						t.Errorf("ICCID %s not in truth %v", id.Value, tr.Identifiers.ICCIDs)
					}
				}
				if id.Kind == report.IDPhoneNumber && strings.Contains(id.Source, "calllog.db") {
					if !contains(tr.Identifiers.OwnNumbers, id.Value) {
						t.Errorf("own number %s not in truth %v", id.Value, tr.Identifiers.OwnNumbers)
					}
				}
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
