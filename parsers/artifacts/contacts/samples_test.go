//go:build !js

package contacts_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/artifacts/identifiers/idtest"
	"github.com/backupinspector/backupinspector/samples"
)

func generate(t *testing.T, kind, name string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	if _, err := samples.Generate(samples.Options{Kind: kind, Seed: 1, Out: out}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestDumpContacts(t *testing.T) {
	p := generate(t, "dump", "dump.zip")
	tr := idtest.LoadTruth(t, p)
	rep := idtest.Run(t, "", p)
	checkContacts(t, rep, tr, "")
	// The owner's card from profile.db.
	var owners int
	for _, c := range rep.Contacts {
		if !c.Owner {
			continue
		}
		owners++
		var nums []string
		for _, p := range c.Phones {
			nums = append(nums, p.Normalized)
		}
		if c.Name != tr.Owner.DisplayName || strings.Join(nums, ",") != strings.Join(tr.Owner.Phones, ",") ||
			strings.Join(c.Emails, ",") != strings.Join(tr.Owner.Emails, ",") || c.Accounts[0].Type != "profile" {
			t.Errorf("owner %+v, want %+v", c, tr.Owner)
		}
	}
	if owners != 1 || !rep.Exposure.Device.OwnerProfile {
		t.Errorf("%d owner cards", owners)
	}
	e := rep.Exposure.Contacts
	if e.ToGoogle != tr.Contacts.ByAccountType["com.google"] || e.ToXiaomi != tr.Contacts.ByAccountType["com.xiaomi"] ||
		e.ByKind["sim"] != tr.Contacts.ByAccountType["com.android.contacts.sim"] || e.ByKind["local"] != tr.Contacts.ByAccountType["com.android.contacts.default"] {
		t.Errorf("exposure by account %+v", e)
	}
}

func TestVCardSample(t *testing.T) {
	p := generate(t, "vcard", "contacts.vcf")
	tr := idtest.LoadTruth(t, p)
	rep := idtest.Run(t, "", p)
	checkContacts(t, rep, tr, "vcard")
}

func TestHostileSamples(t *testing.T) {
	for _, o := range []samples.Options{
		{Kind: "dump", Seed: 7, Hostile: true, Deleted: true, Out: "hdump.zip"},
		{Kind: "miui", Seed: 7, Hostile: true, Out: "hmiui.zip"},
		{Kind: "vcard", Seed: 7, Hostile: true, Out: "h.vcf"},
	} {
		o.Out = filepath.Join(t.TempDir(), o.Out)
		if _, err := samples.Generate(o); err != nil {
			t.Fatal(err)
		}
		tr := idtest.LoadTruth(t, o.Out)
		rep := idtest.Run(t, "", o.Out)
		acct := map[string]string{"miui": "miui-backup", "vcard": "vcard"}[o.Kind]
		t.Run(o.Kind, func(t *testing.T) { checkContacts(t, rep, tr, acct) })
	}
}
