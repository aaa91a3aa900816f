package indicators

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/report"
)

var update = flag.Bool("update", false, "rewrite testdata/match.golden.json")

const (
	shaConfig  = "497141c7d3392cfd9735a7b6f55fec3f96225ffc22e50df2b924afb15606ae8f" // sha256("spy config")
	shaDropper = "a934d8d273e44f15ccddbcd7180cf99d0fff719acff064f0b080299f9cd83e41" // sha256("dropper")
	ind        = "indicator--00000000-0000-4000-8000-000000000"
)

func msg(src, body string) report.Message {
	return report.Message{Kind: "sms", Direction: report.DirIncoming, Address: "TESTBANK", Body: body, Source: src, Links: []report.Link{}}
}

// testReport is a report written for the tests: every kind of record, with
// values that must match and near misses that must not.
func testReport() *report.Report {
	rep := report.New()
	const mm = "phone.ab!apps/com.android.providers.telephony/d_f/000000_sms_backup#json"
	add := func(i int, body string) *report.Message {
		rep.Messages = append(rep.Messages, msg(fmt.Sprintf("%s[%d]", mm, i), body))
		return &rep.Messages[len(rep.Messages)-1]
	}
	// Matches.
	add(1, "Your parcel: https://a.evil.com/track?id=7.")
	add(3, "Reply to EVIL.COM. today")
	add(4, "(see https://evil.com:8443/path), thanks")
	add(5, "old link http://evil.com:80/")
	add(6, "Open https://xn--e1afmkfd.xn--p1ai/login now")
	add(7, "Зайдите на тест.рф/вход!")
	add(8, "Click https://track.example.net/c/abc?id=1#frag or https://track.example.net/c/abc?id=2 or https://TRACK.example.net:443/c/./abc?id=1")
	add(9, "contact operator@evil-mail.org today; not operator@evil-mail.org.uk nor xoperator@evil-mail.org")
	add(10, "short https://bit.ly/3xYz and https://bit.ly/other")
	add(11, "beacon c2.example.org:443 every hour")
	m12 := add(12, "lookalike.test")
	m12.Deleted = true
	m13 := add(13, "")
	m13.Subject = "ungrouped.example"
	add(14, "http://good.example@evil.com/x")
	add(15, "trail.example")
	add(18, "ＥＶＩＬ．ＣＯＭ")
	add(19, "Go to http://ПРИМЕР.рф:8080/%D0%BF%D1%83%D1%82%D1%8C")
	// Near misses: none of these may match.
	add(2, "visit notevil.com or evil.com.attacker.net or evil.co or evil.community or my-evil.com or evil_com.net or evil-com.net")
	add(16, "https://evil.com.attacker.net/x https://attacker.net/evil.com https://attacker.net/?r=evil.com attacker.net/evil.com")
	add(17, "https://еvil.com/ (Cyrillic е) and https://evil.com.ru and mailto:someone@notevil.com")
	add(20, "http://пример.рф:8081/путь and http://пример.рф/путь and https://track.example.net/c/abc and xn--e1aybc.xn--p1ai.example")
	add(21, "files: spy-config.json.bak, plain text trail.examples, lookalike.tests, c2.example.org.evil.net")
	// Links put on a message by the link extractor: one is already in the
	// body (must not be counted twice), one is not.
	m22 := add(22, "see evil.com/fromlinks")
	m22.Links = []report.Link{
		{URL: "https://evil.com/fromlinks", Text: "evil.com/fromlinks", Host: "evil.com"},
		{URL: "https://sub.evil.com/only-in-links", Text: "sub.evil.com/only-in-links", Host: "sub.evil.com"},
	}
	// Numbers.
	n := func(i int, addr string) {
		m := msg(fmt.Sprintf("%s[%d]", mm, i), "hello")
		m.Address = addr
		rep.Messages = append(rep.Messages, m)
	}
	n(30, "+79261234567")
	n(31, "89261234567")
	n(32, "+79261234560")
	n(33, "900")
	// MMS with attachments.
	mms := msg(mm+"[40]", "")
	mms.Kind = "mms"
	mms.Attachments = []report.Attachment{{Name: "spy-config.json", ContentType: "application/json"}, {Name: "Spy-Config.json", ContentType: "application/json"}}
	rep.Messages = append(rep.Messages, mms)

	rep.Contacts = []report.Contact{{
		Name:     "Operator",
		Phones:   []report.Phone{{Number: "+7 (926) 123-45-67"}, {Number: "8 926 123 45 60"}},
		Emails:   []string{"Operator@EVIL-MAIL.org"},
		Notes:    []string{"Met at https://evil.com/meet"},
		Websites: []string{"www.evil.com"},
		Accounts: []report.Account{},
		Source:   "phone.ab!apps/com.android.contacts/db/contacts2.db#raw_contacts:1",
	}, {
		Name:     "Friend",
		Phones:   []report.Phone{{Number: "030 1234567", Normalized: "+49301234567"}},
		Emails:   []string{"friend@example.com"},
		Notes:    []string{"likes evil.community"},
		Accounts: []report.Account{},
		Source:   "phone.ab!apps/com.android.contacts/db/contacts2.db#raw_contacts:2",
	}}
	rep.Calls = []report.Call{
		{Number: "0079261234567", Direction: report.CallIncoming, Source: "phone.ab!apps/com.android.providers.contacts/db/calllog.db#calls:1"},
		{Number: "+442079460000", Direction: report.CallOutgoing, Source: "phone.ab!apps/com.android.providers.contacts/db/calllog.db#calls:2"},
		{Number: "+442079460001", Direction: report.CallOutgoing, Source: "phone.ab!apps/com.android.providers.contacts/db/calllog.db#calls:3"},
	}
	rep.Identifiers = []report.Identifier{
		{Kind: report.IDAccount, Label: "com.google", Value: "operator@evil-mail.org", Source: "dump.zip!data/system_ce/0/accounts_ce.db#accounts:1"},
		{Kind: report.IDSerial, Value: "ABC123", Details: map[string]string{"property": "persist.testspy.enabled"}, Source: "dump.zip!getprop.txt#persist.testspy.enabled"},
		{Kind: report.IDSerial, Value: "ABC124", Details: map[string]string{"property": "persist.testspy.enabled2"}, Source: "dump.zip!getprop.txt#persist.testspy.enabled2"},
	}
	rep.Files = []report.File{
		{Path: "phone.ab", Size: 100, SHA256: strings.Repeat("0", 64)},
		{Path: "phone.ab!apps/com.testspy.agent/_manifest", Size: 10, SHA256: strings.Repeat("1", 64)},
		{Path: "phone.ab!apps/com.testspy.agent/f/spy-config.json", Size: 10, SHA256: shaConfig},
		{Path: "phone.ab!apps/com.other/f/Spy-Config.json", Size: 10, SHA256: strings.Repeat("2", 64)},
		{Path: "phone.ab!apps/com.other/f/drop.bin", Size: 7, SHA256: shaDropper},
		{Path: "phone.ab!apps/com.testspy.agentx/_manifest", Size: 10, SHA256: strings.Repeat("3", 64)},
		{Path: "set/Шпион(com.testspy.agent).bak", Size: 10, SHA256: strings.Repeat("4", 64)},
		{Path: "dump.zip!data/data/com.testspy.agent.helper/shared_prefs/x.xml", Size: 10, SHA256: strings.Repeat("5", 64)},
		{Path: "phone.ab!apps/com.other/f/it's.apk", Size: 10, SHA256: strings.Repeat("6", 64)},
	}
	rep.Recovered = []report.Recovered{{
		Database: "phone.ab!apps/com.android.providers.telephony/db/mmssms.db", Table: "sms", Page: 5, Offset: 100,
		Values: []json.RawMessage{json.RawMessage(`null`), json.RawMessage(`"+79261234567"`), json.RawMessage(`"see evil.com"`), json.RawMessage(`42`)},
	}}
	rep.Payloads = []report.Payload{{Path: "set/Шпион(com.testspy.agent).bak!apps/com.testspy.agent/miui_bak/_tmp_bak", Package: "com.testspy.agent", Format: "json",
		Tree: json.RawMessage(`{"a":["https://lookalike.test/p", 1, {"b": "nothing here"}]}`)}}
	report.Finalize(rep)
	return rep
}

func loadTestSets(t testing.TB) *Set {
	t.Helper()
	var sets []*Set
	for _, name := range []string{"testspy.stix2", "numbers.txt"} {
		f, err := os.Open(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		s, err := Load(name, f)
		f.Close()
		if err != nil {
			t.Fatalf("Load(%s): %v", name, err)
		}
		sets = append(sets, s)
	}
	return Merge(sets...)
}

type want struct {
	id, record, source, field, value, how string
}

func (w want) String() string {
	return fmt.Sprintf("%s %s %s %s %q %s", w.id, w.record, w.source, w.field, w.value, w.how)
}

func TestMatchEverySupportedPattern(t *testing.T) {
	res := loadTestSets(t).Match(testReport())
	const mm = "phone.ab!apps/com.android.providers.telephony/d_f/000000_sms_backup#json"
	const c1 = "phone.ab!apps/com.android.contacts/db/contacts2.db#raw_contacts:1"
	const c2 = "phone.ab!apps/com.android.contacts/db/contacts2.db#raw_contacts:2"
	const calls = "phone.ab!apps/com.android.providers.contacts/db/calllog.db#calls:"
	m := func(i int) string { return fmt.Sprintf("%s[%d]", mm, i) }
	wants := []want{
		// domain-name: subdomain, upper case + trailing dot, port kept, default port dropped.
		{ind + "101", "message", m(1), "body", "https://a.evil.com/track?id=7", HowSubdomain},
		{ind + "101", "message", m(3), "body", "evil.com", HowExact},
		{ind + "101", "message", m(4), "body", "https://evil.com:8443/path", HowExact},
		{ind + "101", "message", m(5), "body", "http://evil.com/", HowExact},
		{ind + "101", "message", m(14), "body", "http://evil.com/x", HowExact}, // user info "good.example@" is not the host
		{ind + "101", "message", m(18), "body", "evil.com", HowExact},          // full-width letters map to ASCII
		{ind + "101", "message", m(22), "body", "evil.com/fromlinks", HowExact},
		{ind + "101", "message", m(22), "links", "https://sub.evil.com/only-in-links", HowSubdomain},
		{ind + "101", "contact", c1, "notes", "https://evil.com/meet", HowExact},
		{ind + "101", "contact", c1, "websites", "www.evil.com", HowSubdomain},
		{ind + "101", "recovered", "phone.ab!apps/com.android.providers.telephony/db/mmssms.db#sms@page5+100", "values[2]", "evil.com", HowExact},
		// IDN both ways.
		{ind + "102", "message", m(6), "body", "https://xn--e1afmkfd.xn--p1ai/login", HowExact},
		{ind + "102", "message", m(19), "body", "http://xn--e1afmkfd.xn--p1ai:8080/%D0%BF%D1%83%D1%82%D1%8C", HowExact},
		{ind + "102", "message", m(20), "body", "http://xn--e1afmkfd.xn--p1ai:8081/%D0%BF%D1%83%D1%82%D1%8C", HowExact},
		{ind + "102", "message", m(20), "body", "http://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C", HowExact},
		{ind + "103", "message", m(7), "body", "xn--e1aybc.xn--p1ai/%D0%B2%D1%85%D0%BE%D0%B4", HowExact},
		// url: fragment set aside, normalisation (case, default port, dot segment); IDN URL.
		{ind + "104", "message", m(8), "body", "https://track.example.net/c/abc?id=1#frag", HowWithoutFragment},
		{ind + "104", "message", m(8), "body", "https://track.example.net/c/abc?id=1", HowExact},
		{ind + "121", "message", m(19), "body", "http://xn--e1afmkfd.xn--p1ai:8080/%D0%BF%D1%83%D1%82%D1%8C", HowExact},
		{ind + "126", "message", m(10), "body", "https://bit.ly/3xYz", HowExact},
		// email-addr: body, contact e-mail, account identifier.
		{ind + "105", "message", m(9), "body", "operator@evil-mail.org", HowExact},
		{ind + "105", "contact", c1, "emails", "operator@evil-mail.org", HowExact},
		{ind + "105", "identifier", "dump.zip!data/system_ce/0/accounts_ce.db#accounts:1", "value", "operator@evil-mail.org", HowExact},
		// app:id from apps/<pkg>/ and the MIUI .bak name; not com.testspy.agentx nor com.testspy.agent.helper.
		{ind + "106", "app", "phone.ab!apps/com.testspy.agent/_manifest", "package", "com.testspy.agent", HowExact},
		// file:name (case-sensitive) on files and attachments; file hashes (both spellings).
		{ind + "107", "file", "phone.ab!apps/com.testspy.agent/f/spy-config.json", "name", "spy-config.json", HowExact},
		{ind + "107", "message", m(40), "attachment", "spy-config.json", HowExact},
		{ind + "108", "file", "phone.ab!apps/com.testspy.agent/f/spy-config.json", "sha256", shaConfig, HowExact},
		{ind + "109", "file", "phone.ab!apps/com.other/f/drop.bin", "sha256", shaDropper, HowExact},
		{ind + "127", "file", "phone.ab!apps/com.other/f/it's.apk", "name", "it's.apk", HowExact},
		// android-property:name.
		{ind + "110", "identifier", "dump.zip!getprop.txt#persist.testspy.enabled", "details.property", "persist.testspy.enabled", HowExact},
		// The usable half of an OR with an unsupported comparison.
		{ind + "111", "message", m(11), "body", "c2.example.org:443/", HowExact},
		// Grouped by a report; deleted record; payload tree.
		{ind + "112", "message", m(12), "body", "lookalike.test", HowExact},
		{ind + "112", "payload", "set/Шпион(com.testspy.agent).bak!apps/com.testspy.agent/miui_bak/_tmp_bak", "tree", "https://lookalike.test/p", HowExact},
		{ind + "113", "message", m(13), "subject", "ungrouped.example", HowExact},
		{ind + "122", "message", m(15), "body", "trail.example", HowExact},
		// Phone numbers: exact, 00 prefix, national with trunk 8, contact normalised field, recovered value.
		{"numbers.txt:2", "message", m(30), "address", "+79261234567", HowExact},
		{"numbers.txt:2", "message", m(31), "address", "89261234567", HowNationalNumber},
		{"numbers.txt:2", "contact", c1, "phones", "+79261234567", HowExact},
		{"numbers.txt:2", "call", calls + "1", "number", "+79261234567", HowExact},
		{"numbers.txt:2", "recovered", "phone.ab!apps/com.android.providers.telephony/db/mmssms.db#sms@page5+100", "values[1]", "+79261234567", HowExact},
		{"numbers.txt:3", "call", calls + "2", "number", "+442079460000", HowExact},
		{"numbers.txt:4", "contact", c2, "phones", "+49301234567", HowExact},
	}
	got := map[string]report.IndicatorMatch{}
	for _, x := range res.Matches {
		w := want{x.IndicatorID, x.Record, x.Source, x.Field, x.Value, x.How}
		if _, dup := got[w.String()]; dup {
			t.Errorf("duplicate match %s", w)
		}
		got[w.String()] = x
	}
	for _, w := range wants {
		if _, ok := got[w.String()]; !ok {
			t.Errorf("missing match: %s", w)
		}
		delete(got, w.String())
	}
	var extra []string
	for k := range got {
		extra = append(extra, k)
	}
	sort.Strings(extra)
	for _, k := range extra {
		t.Errorf("unexpected match (near miss matched?): %s", k)
	}
}

func TestMatchDetails(t *testing.T) {
	res := loadTestSets(t).Match(testReport())
	find := func(id, value string) report.IndicatorMatch {
		t.Helper()
		for _, x := range res.Matches {
			if x.IndicatorID == id && x.Value == value {
				return x
			}
		}
		t.Fatalf("no match %s %s", id, value)
		return report.IndicatorMatch{}
	}
	x := find(ind+"101", "https://a.evil.com/track?id=7")
	if x.Bundle != "testspy.stix2" || x.IndicatorName != "TestSpy domain" || x.Pattern != "[domain-name:value = 'evil.com']" || x.Indicated != "evil.com" {
		t.Errorf("indicator fields: %+v", x)
	}
	if len(x.Collections) != 1 || x.Collections[0].Name != "TestSpy" || x.Collections[0].Type != "malware" {
		t.Errorf("collections: %+v", x.Collections)
	}
	if x.Context == nil || x.Context.Before != "Your parcel: " || x.Context.Text != "https://a.evil.com/track?id=7" || x.Context.After != "." {
		t.Errorf("context: %+v", x.Context)
	}
	for _, s := range []string{"Indicator match", "https://a.evil.com/track?id=7", "evil.com", "TestSpy", "testspy.stix2", x.Source} {
		if !strings.Contains(x.Explanation, s) {
			t.Errorf("explanation %q lacks %q", x.Explanation, s)
		}
	}
	// Two collections for the OR indicator; the report for 112; none for 113;
	// a target outside the bundle is kept by id.
	if c := find(ind+"111", "c2.example.org:443/").Collections; len(c) != 2 || c[0].Name != "Operation Parcel" || c[1].Name != "TestSpy" {
		t.Errorf("111 collections: %+v", c)
	}
	if c := find(ind+"112", "lookalike.test").Collections; len(c) != 1 || c[0].Type != "report" || c[0].Name != "Look-alike infrastructure" {
		t.Errorf("112 collections: %+v", c)
	}
	if c := find(ind+"113", "ungrouped.example"); len(c.Collections) != 0 || !strings.Contains(c.Explanation, "names no malware or campaign") {
		t.Errorf("113 (related-to is not indicates): %+v", c)
	}
	if c := find(ind+"126", "https://bit.ly/3xYz"); len(c.Collections) != 1 || c.Collections[0].ID != "malware--00000000-0000-4000-8000-99999999999a" || !c.Shortener {
		t.Errorf("126: %+v", c)
	}
	if x := find(ind+"112", "lookalike.test"); !x.Deleted || !strings.Contains(x.Explanation, "deleted") {
		t.Errorf("deleted record: %+v", x)
	}
	if x := find(ind+"102", "https://xn--e1afmkfd.xn--p1ai/login"); x.Display != "пример.рф" || x.Indicated != "xn--e1afmkfd.xn--p1ai" {
		t.Errorf("IDN display: %+v", x)
	}
	// Shortened links are listed as not resolved, each once per record.
	var nr []string
	for _, u := range res.NotResolved {
		nr = append(nr, u.URL)
		if !strings.HasPrefix(u.Note, "not resolved") {
			t.Errorf("note %q", u.Note)
		}
	}
	if strings.Join(nr, " ") != "https://bit.ly/3xYz https://bit.ly/other" {
		t.Errorf("not resolved: %v", nr)
	}
	// Counts.
	c := res.Checked
	if c.Apps != 4 { // com.other, com.testspy.agent, com.testspy.agentx, com.testspy.agent.helper
		t.Errorf("apps checked = %d, want 4", c.Apps)
	}
	if c.Files != 9+2 {
		t.Errorf("files checked = %d, want 11", c.Files)
	}
	if c.Properties != 2 {
		t.Errorf("properties checked = %d, want 2", c.Properties)
	}
	if c.Links == 0 || c.Emails == 0 || c.PhoneNumbers == 0 {
		t.Errorf("checked: %+v", c)
	}
	if c.Indicators != 17+3 {
		t.Errorf("indicators = %d, want 20 (17 usable STIX comparisons, 3 numbers)", c.Indicators)
	}
	if res.Note == "" || !strings.Contains(res.Note, "not proof") {
		t.Errorf("note: %q", res.Note)
	}
}

func TestUnsupportedListed(t *testing.T) {
	res := loadTestSets(t).Match(testReport())
	type u struct {
		id      string
		line    int
		invalid bool
		partial bool
		reason  string
	}
	wants := []u{
		{ind + "111", 0, false, true, "ipv4-addr is not supported"},
		{ind + "114", 0, false, false, "AND joins comparisons"},
		{ind + "115", 0, false, false, "FOLLOWEDBY joins observations"},
		{ind + "116", 0, false, false, `pattern_type "yara"`},
		{ind + "117", 0, true, false, "expected ']' or OR, found end of pattern"},
		{ind + "118", 0, false, false, "file hash MD5 is not supported"},
		{ind + "119", 0, false, false, "revoked"},
		{ind + "120", 0, true, false, "wildcards"},
		{ind + "123", 0, true, false, "no pattern"},
		{ind + "124", 0, false, false, "process names"},
		{ind + "125", 0, true, false, "not a SHA-256"},
		{"", 5, true, false, "E.164"},
		{"", 6, false, false, "same number as line 2"},
		{"", 7, true, false, "E.164"},
	}
	if len(res.Unsupported) != len(wants) {
		for _, x := range res.Unsupported {
			t.Logf("%+v", x)
		}
		t.Fatalf("%d unsupported entries, want %d", len(res.Unsupported), len(wants))
	}
	for _, w := range wants {
		found := false
		for _, x := range res.Unsupported {
			if x.ID == w.id && x.Line == w.line {
				found = true
				if x.Invalid != w.invalid || x.Partial != w.partial || !strings.Contains(x.Reason, w.reason) {
					t.Errorf("%s line %d: got invalid=%v partial=%v %q; want invalid=%v partial=%v ~%q", w.id, w.line, x.Invalid, x.Partial, x.Reason, w.invalid, w.partial, w.reason)
				}
				if w.id != "" && x.Pattern == "" && w.id != ind+"123" {
					t.Errorf("%s: pattern not kept", w.id)
				}
			}
		}
		if !found {
			t.Errorf("not listed: %s line %d", w.id, w.line)
		}
	}
	// The unclosed pattern's offset points at its end.
	for _, x := range res.Unsupported {
		if x.ID == ind+"117" && (x.Offset == nil || *x.Offset != len(x.Pattern)) {
			t.Errorf("117 offset %v, want %d", x.Offset, len(x.Pattern))
		}
	}
	// Bundles summary.
	if len(res.Bundles) != 2 || res.Bundles[0].Name != "numbers.txt" || res.Bundles[1].Name != "testspy.stix2" {
		t.Fatalf("bundles: %+v", res.Bundles)
	}
	st := res.Bundles[1]
	if st.Format != FormatSTIX2 || st.Indicators != 27 || st.Used != 17 || st.Unsupported != 11 || len(st.SHA256) != 64 {
		t.Errorf("stix bundle summary: %+v", st)
	}
	var names []string
	for _, c := range st.Collections {
		names = append(names, fmt.Sprintf("%s:%s:%d", c.Type, c.Name, c.Indicators))
	}
	if got := strings.Join(names, ","); got != "malware::1,report:Look-alike infrastructure:1,campaign:Operation Parcel:3,malware:TestSpy:10" {
		t.Errorf("collections: %s", got)
	}
	nl := res.Bundles[0]
	if nl.Format != FormatNumberList || nl.Indicators != 6 || nl.Used != 3 || nl.Unsupported != 3 {
		t.Errorf("number list summary: %+v", nl)
	}
}

// shuffled returns a copy of rep with every record list reversed.
func shuffled(rep *report.Report) *report.Report {
	b, _ := json.Marshal(rep)
	var r report.Report
	json.Unmarshal(b, &r)
	rev := func(n int, swap func(i, j int)) {
		for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
			swap(i, j)
		}
	}
	rev(len(r.Messages), func(i, j int) { r.Messages[i], r.Messages[j] = r.Messages[j], r.Messages[i] })
	rev(len(r.Contacts), func(i, j int) { r.Contacts[i], r.Contacts[j] = r.Contacts[j], r.Contacts[i] })
	rev(len(r.Calls), func(i, j int) { r.Calls[i], r.Calls[j] = r.Calls[j], r.Calls[i] })
	rev(len(r.Files), func(i, j int) { r.Files[i], r.Files[j] = r.Files[j], r.Files[i] })
	rev(len(r.Identifiers), func(i, j int) { r.Identifiers[i], r.Identifiers[j] = r.Identifiers[j], r.Identifiers[i] })
	return &r
}

func encode(t *testing.T, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDeterministic(t *testing.T) {
	a := encode(t, loadTestSets(t).Match(testReport()))
	// Load in the other order, match a report with records in another order.
	var sets []*Set
	for _, name := range []string{"numbers.txt", "testspy.stix2"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		s, err := Load(name, bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, s)
	}
	for i := 0; i < 5; i++ {
		b := encode(t, Merge(sets[1], nil, sets[0]).Match(shuffled(testReport())))
		if !bytes.Equal(a, b) {
			t.Fatalf("results differ between runs / orders:\n%s\n----\n%s", a, b)
		}
	}
}

func TestGolden(t *testing.T) {
	got := encode(t, loadTestSets(t).Match(testReport()))
	path := filepath.Join("testdata", "match.golden.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("result differs from %s (run with -update after checking the change)", path)
	}
}

// TestWording: "indicator match", never a verdict.
func TestWording(t *testing.T) {
	out := strings.ToLower(string(encode(t, loadTestSets(t).Match(testReport()))))
	for _, w := range []string{"infect", "compromised device", "malicious", "detected"} {
		if strings.Contains(out, w) {
			t.Errorf("output uses %q", w)
		}
	}
	res := loadTestSets(t).Match(testReport())
	for _, x := range res.Matches {
		if !strings.HasPrefix(x.Explanation, "Indicator match: ") {
			t.Errorf("explanation %q", x.Explanation)
		}
	}
}

func TestEmptySetAndReport(t *testing.T) {
	var s *Set
	res := s.Match(testReport())
	if len(res.Matches) != 0 || res.Matches == nil || res.Unsupported == nil || res.Bundles == nil || res.NotResolved == nil {
		t.Errorf("empty set: %+v", res)
	}
	if res.Checked.Links == 0 {
		t.Errorf("links are still counted with no indicators")
	}
	res = loadTestSets(t).Match(report.New())
	if len(res.Matches) != 0 {
		t.Errorf("empty report matched: %+v", res.Matches)
	}
	b, _ := json.Marshal(res)
	if !bytes.Contains(b, []byte(`"matches":[]`)) || !bytes.Contains(b, []byte(`"checked":{"links":0,"apps":0,"files":0`)) || !bytes.Contains(b, []byte(`"unsupported":[`)) {
		t.Errorf("JSON shape: %s", b)
	}
}

// TestTelephonyReport matches against the report the real pipeline wrote
// for samples/small/telephony.ab.
func TestTelephonyReport(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "telephony-report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	bundle := `{"type":"bundle","id":"bundle--1","objects":[
	 {"type":"indicator","id":"indicator--a","pattern":"[app:id = 'com.whatsapp']"},
	 {"type":"indicator","id":"indicator--b","pattern":"[domain-name:value = 'eu']"},
	 {"type":"indicator","id":"indicator--c","pattern":"[file:name = 'msgstore.db'] OR [file:hashes.sha256 = '` + rep.Files[0].SHA256 + `']"}]}`
	s, err := Load("real.json", strings.NewReader(bundle))
	if err != nil {
		t.Fatal(err)
	}
	res := s.Match(&rep)
	var got []string
	for _, x := range res.Matches {
		got = append(got, x.IndicatorID+" "+x.Kind+" "+x.Source)
	}
	wantList := []string{
		"indicator--a app telephony.ab!apps/com.whatsapp/_manifest",
		"indicator--c file-sha256 telephony.ab",
		"indicator--c file-name telephony.ab!apps/com.whatsapp/db/msgstore.db",
	}
	if strings.Join(got, "\n") != strings.Join(wantList, "\n") {
		t.Errorf("matches:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantList, "\n"))
	}
	// 'eu' alone is refused (it would match every .eu domain).
	if len(res.Unsupported) != 1 || !strings.Contains(res.Unsupported[0].Reason, "single label") {
		t.Errorf("unsupported: %+v", res.Unsupported)
	}
	// The amzn.eu link in the sample is a shortener: listed, not resolved.
	if len(res.NotResolved) == 0 || res.NotResolved[0].Host != "amzn.eu" {
		t.Errorf("not resolved: %+v", res.NotResolved)
	}
	if res.Checked.Apps != 3 || res.Checked.Files != len(rep.Files) || res.Checked.PhoneNumbers == 0 {
		t.Errorf("checked: %+v", res.Checked)
	}
}

// TestPropertiesAndIdentifierApps: property names come from
// Details["property"], or Details["key"] of a getprop / *.prop source; apps
// also come from identifiers naming a package (per-app Android IDs).
func TestPropertiesAndIdentifierApps(t *testing.T) {
	rep := report.New()
	rep.Identifiers = []report.Identifier{
		{Kind: report.IDIMEI, Value: "490154203237518", Details: map[string]string{"key": "persist.testspy.enabled"}, Source: "dump.zip!getprop.txt"},
		{Kind: report.IDSerial, Value: "X1", Details: map[string]string{"key": "persist.testspy.enabled"}, Source: "dump.zip!system/build.prop#12"},
		{Kind: report.IDIMEI, Value: "490154203237518", Details: map[string]string{"key": "persist.testspy.enabled"}, Source: "dump.zip!data/data/com.a.b/shared_prefs/p.xml"},
		{Kind: report.IDAndroidID, Value: "0123456789abcdef", Details: map[string]string{"package": "com.testspy.agent", "uid": "10234"}, Source: "dump.zip!data/system/users/0/settings_ssaid.xml#setting:3"},
		{Kind: report.IDAndroidID, Value: "fedcba9876543210", Details: map[string]string{"package": "android"}, Source: "dump.zip!data/system/users/0/settings_ssaid.xml#setting:0"},
	}
	report.Finalize(rep)
	res := loadTestSets(t).Match(rep)
	var got []string
	for _, x := range res.Matches {
		got = append(got, x.Kind+" "+x.Source)
	}
	want := []string{
		"app dump.zip!data/system/users/0/settings_ssaid.xml#setting:3",
		"android-property dump.zip!getprop.txt",
		"android-property dump.zip!system/build.prop#12",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("matches:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.Checked.Apps != 1 || res.Checked.Properties != 1 {
		t.Errorf("checked %+v", res.Checked)
	}
	if a := Apps(rep); len(a) != 1 || a[0].How != AppIdentifier {
		t.Errorf("apps %+v", a)
	}
}
