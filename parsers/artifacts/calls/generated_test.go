//go:build !js

package calls_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/backupinspector/backupinspector/parsers/report"
)

func makeDB(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestLegacyAndMIUIColumns: an Android 6 contacts2.db calls table (a
// subset of the columns, ICCID as the phone account) and a MIUI calllog.db
// with its extension columns.
func TestLegacyAndMIUIColumns(t *testing.T) {
	dir := t.TempDir()
	makeDB(t, filepath.Join(dir, "contacts2.db"),
		"CREATE TABLE raw_contacts (_id INTEGER PRIMARY KEY AUTOINCREMENT, display_name TEXT)",
		"CREATE TABLE calls (_id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT, presentation INTEGER NOT NULL DEFAULT 1, date INTEGER, duration INTEGER, type INTEGER, new INTEGER, name TEXT, numbertype INTEGER, numberlabel TEXT, countryiso TEXT, voicemail_uri TEXT, is_read INTEGER, geocoded_location TEXT, lookup_uri TEXT, matched_number TEXT, normalized_number TEXT, photo_id INTEGER NOT NULL DEFAULT 0, formatted_number TEXT, _data TEXT, has_content INTEGER, mime_type TEXT, source_data TEXT, source_package TEXT, state INTEGER, subscription_component_name TEXT, subscription_id TEXT, features INTEGER NOT NULL DEFAULT 0, data_usage INTEGER)",
		"INSERT INTO calls (number,date,duration,type,name,countryiso,geocoded_location,subscription_id,features) VALUES ('+441234567890',1588858433593,125,1,'Samuel Vimes','GB','United Kingdom','89441000301234567890',1)",
		"INSERT INTO calls (number,presentation,date,duration,type,subscription_id) VALUES ('',2,1588858500000,0,3,'89441000301234567890')",
		"INSERT INTO calls (number,date,duration,type) VALUES ('+79161090193',1588858,0,6)", // seconds
	)
	makeDB(t, filepath.Join(dir, "calllog.db"),
		"CREATE TABLE calls (_id INTEGER PRIMARY KEY AUTOINCREMENT, number TEXT, presentation INTEGER NOT NULL DEFAULT 1, post_dial_digits TEXT NOT NULL DEFAULT '', date INTEGER, duration INTEGER, type INTEGER, features INTEGER NOT NULL DEFAULT 0, subscription_id TEXT, phone_account_address TEXT, countryiso TEXT, firewalltype INTEGER DEFAULT 0, forwarded_call INTEGER DEFAULT 0, simid INTEGER DEFAULT -1, phone_call_type INTEGER DEFAULT 0, cloud_antispam_type INTEGER DEFAULT 0, cloud_antispam_type_tag TEXT, my_number TEXT, mark_deleted INTEGER DEFAULT 0, block_reason INTEGER NOT NULL DEFAULT 0)",
		"INSERT INTO calls (number,post_dial_digits,date,duration,type,subscription_id,phone_account_address,countryiso,firewalltype,simid,phone_call_type,cloud_antispam_type,cloud_antispam_type_tag,my_number,mark_deleted,block_reason) VALUES ('+8613912774357',',1234#',1700000000000,0,6,'1','13800138000','CN',1,0,1,2,'Fraud',' +8613800138000',1,3)",
	)
	rep := run(t, "", dir)
	if len(rep.Calls) != 3 || len(rep.Deleted.Calls) != 1 {
		t.Fatalf("%d live, %d deleted calls: %+v %+v", len(rep.Calls), len(rep.Deleted.Calls), rep.Calls, rep.Deleted.Calls)
	}
	bySrc := map[string]report.Call{}
	for _, c := range append(append([]report.Call{}, rep.Calls...), rep.Deleted.Calls...) {
		bySrc[c.Source[len(filepath.Base(dir))+1:]] = c
	}
	c := bySrc["contacts2.db#calls:1"]
	if c.Direction != report.CallIncoming || c.DurationSeconds != 125 || c.Name != "Samuel Vimes" || c.Location != "United Kingdom" || c.CountryISO != "GB" ||
		c.PhoneAccount != "89441000301234567890" || len(c.Features) != 1 || c.Features[0] != "video" || c.Time.String() != "2020-05-07T13:33:53.593Z" {
		t.Errorf("legacy call: %+v", c)
	}
	if c := bySrc["contacts2.db#calls:2"]; c.Number != "" || c.Direction != report.CallMissed || c.Extra["presentation"] != "2 (restricted (caller hid the number))" {
		t.Errorf("hidden number: %+v", c)
	}
	if c := bySrc["contacts2.db#calls:3"]; c.Direction != report.CallBlocked || c.Time.String() != "1970-01-01T00:26:28.858Z" || c.Extra["date_note"] != "implausible" {
		t.Errorf("implausible time: %+v", c)
	}
	c = bySrc["calllog.db#calls:1"]
	if !c.Deleted || c.Direction != report.CallBlocked || c.Extra["firewalltype"] != "1 (rejected by firewall)" || c.Extra["simid"] != "0" ||
		c.Extra["phone_call_type"] != "1 (VoIP)" || c.Extra["cloud_antispam_type_tag"] != "Fraud" || c.Extra["block_reason"] != "3 (blocked number)" ||
		c.Extra["post_dial_digits"] != "6 characters (not shown)" || c.Extra["my_number"] != " +8613800138000" {
		t.Errorf("MIUI call: %+v", c)
	}
	ids := map[string]report.Identifier{}
	for _, id := range rep.Identifiers {
		ids[id.Kind+" "+id.Value] = id
	}
	if id, ok := ids["iccid 89441000301234567890"]; !ok || id.Label != "call log phone account" {
		t.Errorf("ICCID identifier: %+v", rep.Identifiers)
	}
	// The national number of phone_account_address, normalised with the
	// call's country; my_number names the same number and is not repeated.
	if id, ok := ids["phone-number +8613800138000"]; !ok || !id.Valid || id.Details["written"] != "13800138000" || id.Label != "call log phone account address" {
		t.Errorf("own number identifiers: %+v", rep.Identifiers)
	}
	if _, ok := ids["iccid 1"]; ok {
		t.Error("subscription id taken for an ICCID")
	}
}
