//go:build !js

package inspect

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/samples"
)

// TestRecoveredDeletedContacts generates a phone dump whose contacts2.db
// lost some contacts (raw_contacts and data rows deleted, their bytes left
// in free space) and checks that the recovered ones come out as deleted
// contacts with their recovery source: each one is a contact that was
// removed (its name, and numbers and e-mails among that contact's), none
// is a live contact or a contact flagged deleted=1 reported again, and the
// live contacts are the same as without recovery.
func TestRecoveredDeletedContacts(t *testing.T) {
	out := filepath.Join(t.TempDir(), "dump.zip")
	tr, err := samples.Generate(samples.Options{Kind: "dump", Seed: 1, Out: out, Deleted: true, Size: 2 << 20})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Removed == nil || len(tr.Removed.Contacts) == 0 {
		t.Fatal("the sample has no removed contacts")
	}
	removed := map[string][]samples.TruthContact{} // display names may repeat
	for _, c := range tr.Removed.Contacts {
		removed[c.DisplayName] = append(removed[c.DisplayName], c)
	}
	rep, _, err := Run(context.Background(), []container.Input{fileInput(t, out)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	live := map[string]bool{}
	for _, c := range rep.Contacts {
		live[contactKey(c)] = true
	}
	flagged := map[string]bool{}
	found := map[string]bool{}
	for _, c := range rep.Deleted.Contacts {
		if !strings.Contains(c.Source, "contacts2.db#") {
			continue
		}
		if !strings.Contains(c.Source, "@") {
			flagged[contactKey(c)] = true // raw_contacts.deleted = 1
			continue
		}
		if !c.Deleted || !(strings.Contains(c.Source, "#raw_contacts:") || strings.Contains(c.Source, "#data:")) {
			t.Errorf("recovered contact without recovery provenance: %+v", c)
		}
		if !strings.Contains(c.Extra["recovered raw_contacts"]+c.Extra["recovered data"], "confidence 0.") &&
			!strings.Contains(c.Extra["recovered raw_contacts"]+c.Extra["recovered data"], "confidence 1.") {
			t.Errorf("recovered contact without its confidence note: %+v", c.Extra)
		}
		if live[contactKey(c)] || flagged[contactKey(c)] {
			t.Errorf("a live or flagged contact reported again as recovered: %+v", c)
		}
		// One removed contact of that name has all its numbers and
		// e-mails.
		match := -1
		for i, want := range removed[c.Name] {
			ok := true
			for _, p := range c.Phones {
				ok = ok && hasString(want.Phones, p.Number)
			}
			for _, e := range c.Emails {
				ok = ok && hasString(want.Emails, e)
			}
			if ok && !found[c.Name+"\x00"+strconv.Itoa(i)] {
				match = i
				break
			}
		}
		if match < 0 {
			t.Errorf("recovered contact %+v is no removed contact (removed of that name: %+v)", c, removed[c.Name])
			continue
		}
		found[c.Name+"\x00"+strconv.Itoa(match)] = true
	}
	t.Logf("recovered %d of %d removed contacts", len(found), len(tr.Removed.Contacts))
	if 10*len(found) < 9*len(tr.Removed.Contacts) {
		t.Errorf("only %d of %d removed contacts recovered", len(found), len(tr.Removed.Contacts))
	}
	if rep.Exposure.Deleted.Contacts != len(rep.Deleted.Contacts) {
		t.Errorf("exposure counts %d deleted contacts, report has %d", rep.Exposure.Deleted.Contacts, len(rep.Deleted.Contacts))
	}
	// Recovery adds deleted contacts only.
	rep2, _, err := Run(context.Background(), []container.Input{fileInput(t, out)}, Options{NoRecover: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep2.Contacts) != len(rep.Contacts) {
		t.Errorf("live contacts: %d with recovery, %d without", len(rep.Contacts), len(rep2.Contacts))
	}
	for _, c := range rep2.Deleted.Contacts {
		if strings.Contains(c.Source, "@") {
			t.Errorf("NoRecover: recovered contact %+v", c)
		}
	}
}

func contactKey(c report.Contact) string {
	k := c.Name
	for _, p := range c.Phones {
		k += "\x00" + p.Number
	}
	return k
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
