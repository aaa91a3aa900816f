//go:build !js

package inspect

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/samples"
)

// TestRecoveredDeletedMessages generates an mmssms.db whose deleted SMS
// stay in free space, and checks that the ones recovered from the sms
// table come out as deleted messages with their recovery source, that none
// is a live message, and that the live messages are unchanged.
func TestRecoveredDeletedMessages(t *testing.T) {
	out := filepath.Join(t.TempDir(), "mmssms.db")
	if _, err := samples.Generate(samples.Options{Kind: "mmssms", Seed: 1, Out: out, Deleted: true}); err != nil {
		t.Fatal(err)
	}
	rep, _, err := Run(context.Background(), []container.Input{fileInput(t, out)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	live := map[string]bool{}
	for _, m := range rep.Messages {
		live[m.Address+"\x00"+m.Body+"\x00"+m.Time.String()] = true
	}
	if len(rep.Deleted.Messages) == 0 {
		t.Fatalf("no deleted message recovered; recovered records: %d", len(rep.Recovered))
	}
	for _, m := range rep.Deleted.Messages {
		if !m.Deleted || !strings.Contains(m.Source, "#sms:") || !strings.Contains(m.Source, "@") || m.Extra["recovered"] == "" {
			t.Errorf("deleted message without recovery provenance: %+v", m)
		}
		if m.Time != nil && live[m.Address+"\x00"+m.Body+"\x00"+m.Time.String()] {
			t.Errorf("a live message reported as deleted: %+v", m)
		}
	}
	for _, r := range rep.Recovered {
		if r.Database == "" || r.Source == "" || r.Confidence < MinRecoveredConfidence || len(r.Values) != len(r.Columns) {
			t.Errorf("incomplete recovered record: %+v", r)
		}
	}
	// Without recovery the deleted array holds only flagged rows.
	rep2, _, err := Run(context.Background(), []container.Input{fileInput(t, out)}, Options{NoRecover: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep2.Recovered) != 0 || len(rep2.Messages) != len(rep.Messages) {
		t.Errorf("NoRecover: %d recovered, %d vs %d live", len(rep2.Recovered), len(rep2.Messages), len(rep.Messages))
	}
}
