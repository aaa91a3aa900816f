package contacts_test

import (
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/artifacts/identifiers/idtest"
	"github.com/backupinspector/backupinspector/parsers/report"
)

// checkContacts compares live, non-owner contacts with a sample's truth:
// totals, phones, e-mails, counts by account type ("(none)" = no account
// recorded), soft-deleted rows, and the example contacts one by one.
func checkContacts(t *testing.T, rep *report.Report, tr *idtest.Truth, accountType string) {
	t.Helper()
	live, deleted, recovered, phones, emails := 0, 0, 0, 0, 0
	byType := map[string]int{}
	for _, c := range rep.Deleted.Contacts {
		if !c.Deleted {
			t.Errorf("contact %q among the deleted is not flagged deleted", c.Name)
		}
		switch {
		case isRecovered(c.Source):
			recovered++ // rows recovered from free space (recovered_test.go)
		case !c.Owner:
			deleted++
		}
	}
	for _, c := range rep.Contacts {
		if c.Owner {
			continue
		}
		if len(c.Accounts) != 1 || c.Accounts[0].Kind == "" {
			t.Errorf("contact %q has accounts %+v", c.Name, c.Accounts)
		}
		if c.Deleted {
			t.Errorf("deleted contact %q in the live array", c.Name)
			continue
		}
		live++
		phones += len(c.Phones)
		emails += len(c.Emails)
		byType[c.Accounts[0].Type]++
	}
	ct := tr.Contacts
	if live != ct.Total || deleted != ct.SoftDeleted || phones != ct.Phones || emails != ct.Emails {
		t.Errorf("contacts live %d deleted %d phones %d emails %d; truth %d %d %d %d", live, deleted, phones, emails, ct.Total, ct.SoftDeleted, ct.Phones, ct.Emails)
	}
	if ct.ByAccountType != nil {
		for typ, n := range ct.ByAccountType {
			if byType[typ] != n {
				t.Errorf("account %s: %d contacts, want %d", typ, byType[typ], n)
			}
		}
		if len(byType) != len(ct.ByAccountType) {
			t.Errorf("account types %v, want %v", byType, ct.ByAccountType)
		}
	} else if byType[accountType] != ct.Total {
		t.Errorf("account types %v, want all %q", byType, accountType)
	}
	if rep.Exposure.Contacts.Entries != ct.Total || rep.Exposure.Contacts.Phones != ct.Phones || rep.Exposure.Deleted.Contacts != ct.SoftDeleted+recovered {
		t.Errorf("exposure contacts %+v", rep.Exposure.Contacts)
	}
	for _, ex := range tr.Examples.Contacts {
		var found *report.Contact
		for i := range rep.Contacts {
			if rep.Contacts[i].Name == ex.DisplayName && !rep.Contacts[i].Owner {
				found = &rep.Contacts[i]
			}
		}
		if found == nil {
			t.Errorf("example contact %q not found", ex.DisplayName)
			continue
		}
		// Truth phones are E.164 or as typed: each must match a phone's
		// normalised form or its written form, one to one.
		if len(found.Phones) != len(ex.Phones) {
			t.Errorf("%q phones %+v, want %v", ex.DisplayName, found.Phones, ex.Phones)
		}
		for _, w := range ex.Phones {
			ok := false
			for _, p := range found.Phones {
				ok = ok || p.Normalized == w || p.Number == w
			}
			if !ok {
				t.Errorf("%q: phone %q not found in %+v", ex.DisplayName, w, found.Phones)
			}
		}
		if strings.Join(found.Emails, ",") != strings.Join(ex.Emails, ",") {
			t.Errorf("%q emails %v, want %v", ex.DisplayName, found.Emails, ex.Emails)
		}
		if ex.AccountType != "" && (found.Accounts[0].Type != ex.AccountType || found.Accounts[0].Name != ex.AccountName) {
			t.Errorf("%q account %+v, want %s %s", ex.DisplayName, found.Accounts[0], ex.AccountType, ex.AccountName)
		}
	}
}

func TestMIUIContacts(t *testing.T) {
	tr := idtest.LoadTruth(t, "../../../samples/small/miui")
	rep := idtest.Run(t, "", "../../../samples/small/miui/20240914_161418")
	checkContacts(t, rep, tr, "miui-backup")
	for _, c := range rep.Contacts {
		if !strings.Contains(c.Source, "Контакты(com.android.contacts).bak!apps/com.android.contacts/miui_bak/_tmp_bak@") {
			t.Errorf("source %q", c.Source)
		}
		if c.Accounts[0].Kind != "other" {
			t.Errorf("MIUI payload contact account %+v", c.Accounts)
		}
	}
	if len(rep.Contacts) != tr.Contacts.Total {
		t.Errorf("%d contacts: the call-log payload must not be read as contacts", len(rep.Contacts))
	}
}

func TestAOSPVCardThroughModule(t *testing.T) {
	rep := idtest.Run(t, "", "../../vcard/testdata/aosp/v21_complicated.vcf")
	if len(rep.Contacts) != 1 {
		t.Fatalf("%d contacts", len(rep.Contacts))
	}
	c := rep.Contacts[0]
	if c.Name != "Joe Due" || len(c.Phones) != 5 || c.Phones[0].Type != "work" || c.Phones[3].Type != "VIDEO" ||
		strings.Join(c.Emails, ",") != "forrestgump@walladalla.com,cell@example.com" || c.Photos != 1 || c.Birthday != "19800101" ||
		len(c.Addresses) != 2 || c.Organizations[0] != "Gump Shrimp Co., Sales Dept.;Manager Fish keeper, Shrimp Man" ||
		c.Accounts[0].Type != "vcard" || c.Source != "v21_complicated.vcf#vcard[0]" {
		t.Errorf("contact %+v", c)
	}
	rep = idtest.Run(t, "", "../../vcard/testdata/aosp/v21_nest.vcf")
	var names []string
	for _, c := range rep.Contacts {
		names = append(names, c.Name+"@"+c.Source[strings.IndexByte(c.Source, '#'):])
	}
	if strings.Join(names, " ") != "nest1@#vcard[1] nest2@#vcard[2] parent@#vcard[0]" {
		t.Errorf("nested cards %v", names)
	}
}

// isRecovered reports the source of a record recovered from a database's
// free space ("<path>#<table>:<rowid>@<where>…"), not read from a live row.
func isRecovered(src string) bool {
	i := strings.LastIndexByte(src, '#')
	return i >= 0 && strings.Contains(src[i:], "@")
}
