//go:build !js

package contacts

import (
	"bytes"
	"database/sql"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/sqlite"

	_ "modernc.org/sqlite"
)

// recoveredDB writes a small contacts2.db: live raw contacts 1 (Anna, one
// phone, one e-mail) and 2 (Bert, flagged deleted=1), and opens it.
func recoveredDB(t *testing.T) *sqlite.DB {
	t.Helper()
	p := filepath.Join(t.TempDir(), "contacts2.db")
	d, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE TABLE accounts (_id INTEGER PRIMARY KEY AUTOINCREMENT, account_name TEXT, account_type TEXT)",
		"CREATE TABLE raw_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT, account_id INTEGER, deleted INTEGER NOT NULL DEFAULT 0, starred INTEGER NOT NULL DEFAULT 0, display_name TEXT)",
		"CREATE TABLE data (_id INTEGER PRIMARY KEY AUTOINCREMENT, package_id INTEGER, mimetype_id INTEGER NOT NULL, raw_contact_id INTEGER NOT NULL, data1 TEXT, data2 TEXT, data3 TEXT, data4 TEXT, data5 TEXT, data15 BLOB)",
		"CREATE TABLE mimetypes (_id INTEGER PRIMARY KEY AUTOINCREMENT, mimetype TEXT NOT NULL)",
		"INSERT INTO accounts VALUES (1, 'anna@example.com', 'com.google')",
		"INSERT INTO mimetypes VALUES (1, 'vnd.android.cursor.item/email_v2'), (5, 'vnd.android.cursor.item/phone_v2'), (7, 'vnd.android.cursor.item/name')",
		"INSERT INTO raw_contacts VALUES (1, 1, 0, 0, 'Anna Live'), (2, NULL, 1, 0, 'Bert Flagged')",
		"INSERT INTO data (_id, mimetype_id, raw_contact_id, data1, data2, data4) VALUES (1, 7, 1, 'Anna Live', NULL, NULL), (2, 5, 1, '0151 1111111', '2', '+4915111111111'), (3, 1, 1, 'anna@example.com', '1', NULL), (4, 7, 2, 'Bert Flagged', NULL, NULL), (5, 5, 2, '0151 2222222', '2', NULL)",
	} {
		if _, err := d.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	d.Close()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(bytes.NewReader(b), int64(len(b)), nil)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

// rec builds a recovered row of t: vals by column name, "?" marks a
// missing value; id < 0 is an unknown rowid.
func rec(t *sqlite.Table, id int64, src string, vals map[string]any) artifacts.RecoveredRow {
	rr := artifacts.RecoveredRow{Row: sqlite.Row{Values: make([]sqlite.Value, len(t.Columns))}, Missing: make([]bool, len(t.Columns)), Source: src, Confidence: 0.99}
	if id >= 0 {
		rr.Row.RowID, rr.Row.HasRowID = id, true
		rr.Row.Values[0] = sqlite.IntValue(id)
	} else {
		rr.Missing[0] = true
	}
	for name, v := range vals {
		i := t.ColumnIndex(name)
		switch v := v.(type) {
		case string:
			if v == "?" {
				rr.Missing[i] = true
			} else {
				rr.Row.Values[i] = sqlite.TextValue(v)
			}
		case int:
			rr.Row.Values[i] = sqlite.IntValue(int64(v))
		}
	}
	return rr
}

func phones(c report.Contact) string {
	var s []string
	for _, p := range c.Phones {
		s = append(s, p.Number)
	}
	sort.Strings(s)
	return strings.Join(s, ",")
}

func TestExtractRecovered(t *testing.T) {
	for _, dataFirst := range []bool{false, true} {
		db := recoveredDB(t)
		rc, data := db.Table("raw_contacts"), db.Table("data")
		rawRows := []artifacts.RecoveredRow{
			// a deleted raw contact, its _id known
			rec(rc, 10, "r10", map[string]any{"display_name": "Clara Gone", "account_id": 1, "starred": 1}),
			// an older version of live Anna (id known), of flagged Bert
			rec(rc, 1, "r1", map[string]any{"display_name": "Anna Old"}),
			rec(rc, 2, "r2", map[string]any{"display_name": "Bert Older"}),
			// _id lost: same name as a live one (an older version), or a
			// name found in a data group of an unknown raw contact
			rec(rc, -1, "rx", map[string]any{"display_name": "Anna Live"}),
			rec(rc, -1, "ry", map[string]any{"display_name": "Dora Gone"}),
			// nothing to tell it by
			rec(rc, -1, "rz", map[string]any{"display_name": "?"}),
		}
		dataRows := []artifacts.RecoveredRow{
			rec(data, 20, "d20", map[string]any{"mimetype_id": 7, "raw_contact_id": 10, "data1": "Clara Gone"}),
			rec(data, 21, "d21", map[string]any{"mimetype_id": 5, "raw_contact_id": 10, "data1": "0170 3333333", "data2": "2"}),
			rec(data, -1, "d22", map[string]any{"mimetype_id": 1, "raw_contact_id": 10, "data1": "clara@example.org"}),
			rec(data, -1, "d23", map[string]any{"mimetype_id": 5, "raw_contact_id": 10, "data1": "0170 3333333", "data2": "2"}), // the same value again
			// raw contact 12 is found nowhere but by its name
			rec(data, 30, "d30", map[string]any{"mimetype_id": 7, "raw_contact_id": 12, "data1": "Dora Gone"}),
			rec(data, 31, "d31", map[string]any{"mimetype_id": 5, "raw_contact_id": 12, "data1": "0160 4444444"}),
			// live Anna: a number still there, a removed one, a missing value
			rec(data, -1, "d40", map[string]any{"mimetype_id": 5, "raw_contact_id": 1, "data1": "0151 1111111", "data2": "2", "data4": "+4915111111111"}),
			rec(data, 41, "d41", map[string]any{"mimetype_id": 5, "raw_contact_id": 1, "data1": "0151 9999999", "data2": "1"}),
			rec(data, 42, "d42", map[string]any{"mimetype_id": 1, "raw_contact_id": 1, "data1": "?"}),
			// not attributable: raw_contact_id or mimetype lost
			rec(data, 50, "d50", map[string]any{"mimetype_id": 5, "raw_contact_id": "?", "data1": "0111 5555555"}),
			rec(data, 51, "d51", map[string]any{"mimetype_id": "?", "raw_contact_id": 13, "data1": "0111 6666666"}),
		}
		rep := &report.Report{}
		ctx := artifacts.NewContext(rep)
		f := &container.File{Path: "dump.zip!data/data/com.android.providers.contacts/databases/contacts2.db", Name: "contacts2.db", Size: -1}
		m := contactsDB{}
		calls := []func() error{
			func() error { return m.ExtractRecovered(ctx, f, db, rc, rawRows) },
			func() error { return m.ExtractRecovered(ctx, f, db, data, dataRows) },
		}
		if dataFirst {
			calls[0], calls[1] = calls[1], calls[0]
		}
		for _, c := range calls {
			if err := c(); err != nil {
				t.Fatal(err)
			}
		}
		got := map[string]report.Contact{}
		for _, c := range rep.Contacts {
			if !c.Deleted {
				t.Errorf("not deleted: %+v", c)
			}
			if _, dup := got[c.Name]; dup {
				t.Errorf("dataFirst=%v: %q reported twice", dataFirst, c.Name)
			}
			got[c.Name] = c
		}
		want := []struct{ name, phones, emails, source string }{
			{"Clara Gone", "0170 3333333", "clara@example.org", "r10"},
			{"Dora Gone", "0160 4444444", "", "ry"},
			{"Anna Live", "0151 9999999", "", "d41"},
		}
		if dataFirst {
			want[0].source, want[1].source = "d20", "d30"
		}
		if len(got) != len(want) {
			t.Errorf("dataFirst=%v: %d contacts, want %d: %+v", dataFirst, len(got), len(want), rep.Contacts)
		}
		for _, w := range want {
			c, ok := got[w.name]
			if !ok {
				t.Errorf("dataFirst=%v: no deleted contact %q", dataFirst, w.name)
				continue
			}
			if phones(c) != w.phones || strings.Join(c.Emails, ",") != w.emails || c.Source != w.source {
				t.Errorf("dataFirst=%v: %q: phones %q emails %v source %q, want %q %q %q", dataFirst, w.name, phones(c), c.Emails, c.Source, w.phones, w.emails, w.source)
			}
		}
		if c := got["Clara Gone"]; len(c.Accounts) != 1 || c.Accounts[0].Type != "com.google" || !c.Starred {
			t.Errorf("dataFirst=%v: Clara's account/starred from her raw_contacts row: %+v", dataFirst, c)
		}
		if c := got["Anna Live"]; len(c.Accounts) != 1 || c.Accounts[0].Type != "com.google" {
			t.Errorf("removed values of live Anna carry her account: %+v", c)
		}
	}
}

// TestExtractRecoveredOtherTables: rows of other tables and of the owner's
// profile.db are not contacts.
func TestExtractRecoveredOtherTables(t *testing.T) {
	db := recoveredDB(t)
	rep := &report.Report{}
	ctx := artifacts.NewContext(rep)
	f := &container.File{Path: "x/contacts2.db", Name: "contacts2.db", Size: -1}
	acc := db.Table("accounts")
	if err := (contactsDB{}).ExtractRecovered(ctx, f, db, acc, []artifacts.RecoveredRow{rec(acc, 5, "a5", map[string]any{"account_name": "x"})}); err != nil {
		t.Fatal(err)
	}
	pf := &container.File{Path: "x/profile.db", Name: "profile.db", Size: -1}
	rc := db.Table("raw_contacts")
	if err := (contactsDB{}).ExtractRecovered(ctx, pf, db, rc, []artifacts.RecoveredRow{rec(rc, 10, "r10", map[string]any{"display_name": "Me Old"})}); err != nil {
		t.Fatal(err)
	}
	if len(rep.Contacts) != 0 {
		t.Errorf("contacts from other tables or profile.db: %+v", rep.Contacts)
	}
}
