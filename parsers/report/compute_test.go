package report

import (
	"encoding/json"
	"math/rand"
	"reflect"
	"testing"
	"time"
)

func tm(s string) *Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return NewTime(t)
}

func exposureReport() *Report {
	r := New()
	r.Inputs = []Input{{Name: "dump.zip", Format: "zip"}, {Name: "Messages(com.android.mms).bak", Format: "miui-bak"}, {Name: "locked.ab", Format: "android-backup"}}
	sim := func(sub, slot, carrier string) map[string]string {
		return map[string]string{"subId": sub, "slot": slot, "carrier": carrier, "country": "ru"}
	}
	db := "dump.zip!data/user_de/0/com.android.providers.telephony/databases/telephony.db"
	r.Identifiers = []Identifier{
		{Kind: IDICCID, Value: "8970105963838306784", Valid: true, Label: "SIM slot 1", Details: sim("2", "0", "MTS"), Source: db + "#siminfo:2/icc_id"},
		{Kind: IDIMSI, Value: "250017089610871", Valid: true, Label: "SIM slot 1", Details: sim("2", "0", "MTS"), Source: db + "#siminfo:2/imsi"},
		{Kind: IDPhoneNumber, Value: "+79856417795", Valid: true, Label: "SIM slot 1", Details: sim("2", "0", "MTS"), Source: db + "#siminfo:2/number"},
		{Kind: IDICCID, Value: "8970201749489914403", Valid: true, Label: "SIM (not inserted)", Details: sim("1", "removed", "MegaFon"), Source: db + "#siminfo:1/icc_id"},
		{Kind: IDPhoneNumber, Value: "+79856417795", Valid: true, Label: "self_phone", Source: "locked.ab!apps/x/d_f/000000_sms_backup#sms[0]"},
		{Kind: IDPhoneNumber, Value: "+7985", Valid: false, Label: "prefs", Source: "dump.zip!data/data/a/shared_prefs/p.xml#pref[1]"},
		{Kind: IDIMEI, Value: "490154203237518", Valid: true, Label: "ro.ril.oem.imei", Source: "dump.zip!getprop.txt@40"},
		{Kind: IDIMEI, Value: "490154203237518", Valid: true, Label: "persist.radio.imei1", Source: "dump.zip!getprop.txt@90"},
		{Kind: IDAccount, Value: "a@example.com", Label: "com.google", Valid: true, Secret: true, Source: "dump.zip!data/system_ce/0/accounts_ce.db#accounts:1"},
		{Kind: IDAccount, Value: "a@example.com", Label: "com.google", Valid: true, Details: map[string]string{"syncs": "com.android.contacts"}, Source: "dump.zip!data/system/sync/accounts.xml@10"},
		{Kind: IDAccount, Value: "1778606522", Label: "com.xiaomi", Valid: true, Source: "dump.zip!data/system_de/0/accounts_de.db#accounts:2"},
		{Kind: IDAndroidID, Value: "1f2e3d4c5b6a7980", Valid: true, Details: map[string]string{"package": "com.a"}, Source: "s#setting[1]"},
		{Kind: IDAndroidID, Value: "(key)", Secret: true, Source: "s#setting[0]"},
		{Kind: IDWifi, Value: "Home", Label: "WPA-PSK", Secret: true, Valid: true, Details: map[string]string{"bssid": "00:00:5e:00:53:01"}, Source: "w#Network[0]"},
		{Kind: IDWifi, Value: "Home", Label: "WPA-PSK", Secret: false, Valid: true, Details: map[string]string{"gatewayMac": "00:00:5e:00:53:01"}, Source: "b#Network[0]"},
		{Kind: IDWifi, Value: "Cafe", Label: "open", Valid: true, Details: map[string]string{"hidden": "true"}, Source: "w#Network[1]"},
		{Kind: IDWifi, Value: "MyHotspot", Label: "hotspot", Secret: true, Valid: true, Source: "ap@0"},
		{Kind: IDBluetooth, Value: "00:00:5e:00:53:bb", Label: "Headset", Secret: true, Valid: true, Details: map[string]string{"name": "Headset"}, Source: "bt@10"},
		{Kind: IDMAC, Value: "00:00:5e:00:53:aa", Label: "bluetooth adapter", Valid: true, Source: "bt@0"},
		{Kind: IDDevice, Value: "POCO F3", Label: "bluetooth name", Valid: true, Source: "bt@0"},
		{Kind: IDSerial, Value: "3b6fc2a8", Valid: true, Source: "dump.zip!getprop.txt@200"},
	}
	r.Contacts = []Contact{
		{Name: "Ann", Phones: []Phone{{Number: "8 916 000-00-01", Normalized: "+79160000001"}}, Accounts: []Account{{Type: "com.google", Name: "a@example.com", Kind: "google"}}, Birthday: "1990-01-01", Source: "dump.zip!c.db#raw_contacts:1"},
		{Name: "Ann P.", Phones: []Phone{{Number: "+79160000001", Normalized: "+79160000001"}}, Accounts: []Account{{Type: "com.xiaomi", Name: "1778606522", Kind: "xiaomi"}}, Photos: 1, Source: "dump.zip!c.db#raw_contacts:2"},
		{Name: "Bob", Accounts: []Account{{Type: "com.android.contacts.sim", Name: "SIM", Kind: "sim"}}, Starred: true, Source: "dump.zip!c.db#raw_contacts:3"},
		{Name: "Old", Deleted: true, Accounts: []Account{{Type: "com.google", Kind: "google"}}, Source: "dump.zip!c.db#raw_contacts:4"},
		{Name: "Me", Owner: true, Phones: []Phone{{Number: "+79856417795"}}, Accounts: []Account{{Type: "profile", Kind: "local"}}, Source: "dump.zip!p.db#raw_contacts:1"},
		{Name: "Card", Accounts: []Account{{Type: "vcard", Kind: "other"}}, Source: "x.vcf#vcard[0]"},
	}
	r.Messages = []Message{
		{Kind: "sms", Direction: DirIncoming, Address: "+79160000001", Time: tm("2024-01-02T00:00:00Z"), Source: "dump.zip!m.db#sms:1"},
		{Kind: "sms", Direction: DirIncoming, Address: "89160000001", Time: tm("2023-05-01T00:00:00Z"), Source: "dump.zip!m.db#sms:2"},
		{Kind: "sms", Direction: DirIncoming, Address: "+79856417795", Time: tm("2024-03-01T00:00:00Z"), Source: "dump.zip!m.db#sms:3"}, // from self
		{Kind: "sms", Direction: DirOutgoing, Address: "+79160000001", Time: tm("2024-04-01T00:00:00Z"), Source: "dump.zip!m.db#sms:4"},
		{Kind: "mms", Direction: DirIncoming, Address: "+12025550123", Time: tm("2025-01-01T00:00:00Z"), Source: "dump.zip!m.db#pdu:1"},
		{Kind: "sms", Direction: DirIncoming, Address: "BANK", Deleted: true, Source: "dump.zip!m.db#sms:5"},
	}
	r.Calls = []Call{{Number: "+79160000001", Direction: CallIncoming, DurationSeconds: 60, CountryISO: "RU", Time: tm("2024-01-01T00:00:00Z"), Source: "c#calls:1"}}
	r.Problems = []Problem{
		{Input: "locked.ab", Path: "locked.ab", Code: "password-required", Message: "password required"},
		{Input: "dump.zip", Path: "dump.zip!set/Wi-Fi(com.android.settings).bak", Code: "missing-file", Message: "listed but absent"},
		{Input: "dump.zip", Path: "dump.zip!x.db", Code: "device-conflict", Message: "not a coverage matter"},
	}
	r.Payloads = []Payload{{Path: "Messages(com.android.mms).bak!apps/com.android.mms/miui_bak/_tmp_bak", Format: "protobuf"},
		{Path: "c.bak!apps/com.android.contacts/miui_bak/_tmp_bak", Format: "protobuf"}} // decoded: not listed
	r.Contacts = append(r.Contacts, Contact{Name: "From MIUI", Deleted: true, Source: "c.bak!apps/com.android.contacts/miui_bak/_tmp_bak@0"})
	return r
}

func TestComputeExposure(t *testing.T) {
	r := exposureReport()
	Finalize(r)
	e := r.Exposure
	if e.OwnNumbers.Count != 2 || e.OwnNumbers.Confirmed != 1 || e.IMEIs.Count != 1 || e.IMSIs.Count != 1 || e.ICCIDs.Count != 2 {
		t.Errorf("values: numbers %+v imeis %+v", e.OwnNumbers, e.IMEIs)
	}
	n := e.OwnNumbers.Values[1]
	if n.Value != "+79856417795" || !reflect.DeepEqual(n.Labels, []string{"SIM slot 1", "self_phone"}) || len(n.Sources) != 2 {
		t.Errorf("own number %+v", n)
	}
	if !reflect.DeepEqual(e.IMEIs.Values[0].Sources, []string{"dump.zip!getprop.txt@40", "dump.zip!getprop.txt@90"}) {
		t.Errorf("IMEI sources %v", e.IMEIs.Values[0].Sources)
	}
	if !e.NumberWithIMSI || !e.NumberWithIMSIAndIMEI {
		t.Error("together flags")
	}
	tg := e.Together
	if !reflect.DeepEqual(tg.SameFile, []string{"dump.zip!data/user_de/0/com.android.providers.telephony/databases/telephony.db"}) ||
		!reflect.DeepEqual(tg.IMEISources, []string{"dump.zip!getprop.txt"}) || len(tg.NumberSources) != 3 {
		t.Errorf("together %+v", tg)
	}
	if len(e.SIMs) != 2 || e.SIMs[0].Slot != "removed" || e.SIMs[1].IMSI != "250017089610871" || !reflect.DeepEqual(e.SIMs[1].Numbers, []string{"+79856417795"}) || e.SIMs[1].Carrier != "MTS" {
		t.Errorf("SIMs %+v", e.SIMs)
	}
	c := e.Contacts
	if c.Entries != 4 || c.People != 3 || c.ToGoogle != 1 || c.ToXiaomi != 1 || c.Birthdays != 1 || c.Photos != 1 || c.Starred != 1 ||
		!reflect.DeepEqual(c.ByKind, map[string]int{"google": 1, "xiaomi": 1, "sim": 1, "other": 1}) || e.Deleted.Contacts != 2 || !e.Device.OwnerProfile {
		t.Errorf("contacts %+v deleted %+v", c, e.Deleted)
	}
	if len(c.ByAccount) != 4 || c.ByAccount[0].Type != "com.android.contacts.sim" {
		t.Errorf("by account %+v", c.ByAccount)
	}
	rs := e.ReceivedSMS
	// The message from the owner's own number is not a correspondent; the
	// MMS is not an SMS; the deleted one is counted apart.
	if rs.Count != 3 || rs.Correspondents != 2 || rs.First.String() != "2023-05-01T00:00:00.000Z" || rs.Last.String() != "2024-03-01T00:00:00.000Z" || e.Deleted.Messages != 1 {
		t.Errorf("received SMS %+v", rs)
	}
	if len(e.Accounts) != 2 || !e.Accounts[0].Credentials || e.Accounts[0].Syncs != "com.android.contacts" || len(e.Accounts[0].Sources) != 2 || e.Accounts[1].Kind != "xiaomi" {
		t.Errorf("accounts %+v", e.Accounts)
	}
	if e.Device.AndroidIDs != 1 || e.Device.AppsWithSSAID != 1 || !reflect.DeepEqual(e.Device.Serials, []string{"3b6fc2a8"}) {
		t.Errorf("device %+v", e.Device)
	}
	w := e.Wifi
	if w.Networks != 2 || w.WithPassword != 1 || w.Open != 1 || w.Hidden != 1 || w.Hotspots != 1 || w.RouterMACs != 1 || !reflect.DeepEqual(w.SSIDs, []string{"Cafe", "Home"}) {
		t.Errorf("wifi %+v", w)
	}
	b := e.Bluetooth
	if b.Devices != 1 || b.WithKeys != 1 || b.AdapterName != "POCO F3" || b.AdapterAddress != "00:00:5e:00:53:aa" {
		t.Errorf("bluetooth %+v", b)
	}
	if e.Calls.Total != 1 || !reflect.DeepEqual(e.Calls.Countries, []string{"ru"}) {
		t.Errorf("calls %+v", e.Calls)
	}
	wantCov := []CoverageItem{
		{Path: "Messages(com.android.mms).bak", Status: "parsed"},
		{Path: "dump.zip", Status: "parsed"},
		{Path: "locked.ab", Status: "encrypted", Note: "password required"},
		{Path: "Messages(com.android.mms).bak!apps/com.android.mms/miui_bak/_tmp_bak", Status: "not-decoded", Note: "kept as a protobuf tree: its layout is not known"},
		{Path: "dump.zip!set/Wi-Fi(com.android.settings).bak", Status: "missing", Note: "listed but absent"},
	}
	if !reflect.DeepEqual(e.Coverage, wantCov) {
		t.Errorf("coverage %+v", e.Coverage)
	}
	if len(e.Limits) != 4 {
		t.Errorf("limits %q", e.Limits)
	}
}

// TestExposureOrderIndependent shuffles the records: the summary must not
// change.
func TestExposureOrderIndependent(t *testing.T) {
	base := exposureReport()
	want, _ := json.Marshal(ComputeExposure(base))
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 20; i++ {
		r := exposureReport()
		rng.Shuffle(len(r.Identifiers), func(a, b int) { r.Identifiers[a], r.Identifiers[b] = r.Identifiers[b], r.Identifiers[a] })
		rng.Shuffle(len(r.Contacts), func(a, b int) { r.Contacts[a], r.Contacts[b] = r.Contacts[b], r.Contacts[a] })
		rng.Shuffle(len(r.Messages), func(a, b int) { r.Messages[a], r.Messages[b] = r.Messages[b], r.Messages[a] })
		rng.Shuffle(len(r.Problems), func(a, b int) { r.Problems[a], r.Problems[b] = r.Problems[b], r.Problems[a] })
		got, _ := json.Marshal(ComputeExposure(r))
		if string(got) != string(want) {
			t.Fatalf("shuffle %d changed the exposure:\n%s\n%s", i, got, want)
		}
	}
}

func TestAccountKind(t *testing.T) {
	for typ, want := range map[string]string{
		"com.google": "google", "com.xiaomi": "xiaomi", "com.android.contacts.default": "local", "": "local",
		"com.android.contacts.sim": "sim", "com.android.contacts.usim": "sim", "vnd.sec.contact.sim2": "sim",
		"com.whatsapp": "app", "org.telegram.messenger": "app", "com.simple.app": "app", "vcard": "other",
		"com.google.android.apps.tachyon": "google", "com.xiaomi.sim": "sim", "vnd.sec.contact.phone": "local",
	} {
		if got := AccountKind(typ); got != want {
			t.Errorf("AccountKind(%q) = %q, want %q", typ, got, want)
		}
	}
}

func TestSourceFile(t *testing.T) {
	for src, want := range map[string]string{
		"a.zip!x/telephony.db#siminfo:2/icc_id":    "a.zip!x/telephony.db",
		"a.zip!p.db#raw_contacts:1/phone[0]":       "a.zip!p.db",
		"a.zip!getprop.txt@40":                     "a.zip!getprop.txt",
		"x.vcf#vcard[3]":                           "x.vcf",
		"dir/file#with#hash.txt":                   "dir/file#with#hash.txt",
		"a.zip!f#1.xml!inner@7":                    "a.zip!f#1.xml!inner",
		"a.ab!apps/x/d_f/000000_sms_backup#sms[0]": "a.ab!apps/x/d_f/000000_sms_backup",
	} {
		if got := sourceFile(src); got != want {
			t.Errorf("sourceFile(%q) = %q, want %q", src, got, want)
		}
	}
}
