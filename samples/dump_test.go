//go:build !js

package samples

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestSmallTruthDump(t *testing.T) {
	tr, err := ReadTruth("small/dump.zip.truth.json")
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader("small/dump.zip")
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	dir := t.TempDir()
	files := map[string][]byte{}
	var entries []TruthEntry
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		files[f.Name] = b
		s := sha256.Sum256(b)
		entries = append(entries, TruthEntry{Path: f.Name, Size: int64(len(b)), SHA256: hex.EncodeToString(s[:])})
		if strings.HasSuffix(f.Name, ".db") || strings.HasSuffix(f.Name, ".db-wal") {
			os.WriteFile(filepath.Join(dir, filepath.Base(f.Name)), b, 0o644)
		}
	}
	ej, _ := json.Marshal(entries)
	wj, _ := json.Marshal(tr.Entries)
	if string(ej) != string(wj) {
		t.Errorf("entries differ")
	}
	checkMmssms(t, openRO(t, filepath.Join(dir, "mmssms.db"), false), tr.Messages, tr.Examples.Messages)

	// contacts2.db
	db := openRO(t, filepath.Join(dir, "contacts2.db"), false)
	got := &ContactCounts{ByAccountType: map[string]int{}}
	rows, err := db.Query("SELECT coalesce(a.account_type,'(none)'), r.deleted, count(*) FROM raw_contacts r LEFT JOIN accounts a ON a._id=r.account_id GROUP BY 1,2")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var typ string
		var del, n int
		rows.Scan(&typ, &del, &n)
		if del == 1 {
			got.SoftDeleted += n
		} else {
			got.ByAccountType[typ] += n
			got.Total += n
		}
	}
	rows.Close()
	mime := func(m string) int {
		return qInt(t, db, "SELECT count(*) FROM data d JOIN mimetypes m ON m._id=d.mimetype_id JOIN raw_contacts r ON r._id=d.raw_contact_id WHERE r.deleted=0 AND m.mimetype=?", m)
	}
	got.Phones, got.Emails = mime("vnd.android.cursor.item/phone_v2"), mime("vnd.android.cursor.item/email_v2")
	gj, _ := json.Marshal(got)
	cj, _ := json.Marshal(tr.Contacts)
	if string(gj) != string(cj) {
		t.Errorf("contacts:\n got %s\nwant %s", gj, cj)
	}
	for _, c := range tr.Examples.Contacts {
		if n := qInt(t, db, "SELECT count(*) FROM raw_contacts r JOIN accounts a ON a._id=r.account_id WHERE r.display_name=? AND a.account_type=? AND a.account_name=?", c.DisplayName, c.AccountType, c.AccountName); n != 1 {
			t.Errorf("contact %q: %d rows", c.DisplayName, n)
		}
	}
	// profile.db
	pdb := openRO(t, filepath.Join(dir, "profile.db"), false)
	if n := qInt(t, pdb, "SELECT count(*) FROM raw_contacts WHERE display_name=?", tr.Owner.DisplayName); n != 1 {
		t.Errorf("owner card: %d", n)
	}
	// calllog.db
	cdb := openRO(t, filepath.Join(dir, "calllog.db"), false)
	calls := &CallCounts{ByType: map[string]int{}}
	rows, _ = cdb.Query("SELECT type, count(*) FROM calls GROUP BY type")
	for rows.Next() {
		var typ, n int
		rows.Scan(&typ, &n)
		calls.ByType[CallTypeNames[typ]] = n
		calls.Total += n
	}
	rows.Close()
	gj, _ = json.Marshal(calls)
	cj, _ = json.Marshal(tr.Calls)
	if string(gj) != string(cj) {
		t.Errorf("calls:\n got %s\nwant %s", gj, cj)
	}
	// siminfo
	tdb := openRO(t, filepath.Join(dir, "telephony.db"), false)
	var imsis, iccids, nums []string
	rows, _ = tdb.Query("SELECT imsi, icc_id, number FROM siminfo")
	for rows.Next() {
		var a, b, c string
		rows.Scan(&a, &b, &c)
		imsis, iccids, nums = append(imsis, a), append(iccids, b), append(nums, c)
	}
	rows.Close()
	for _, x := range [][2][]string{{sortedUnique(imsis), tr.Identifiers.IMSIs}, {sortedUnique(iccids), tr.Identifiers.ICCIDs}, {sortedUnique(nums), tr.Identifiers.OwnNumbers}} {
		if strings.Join(x[0], ",") != strings.Join(x[1], ",") {
			t.Errorf("siminfo %v, truth %v", x[0], x[1])
		}
	}
	for _, ic := range tr.Identifiers.ICCIDs {
		if !LuhnValid(ic) {
			t.Errorf("ICCID %s fails Luhn", ic)
		}
	}
	// getprop IMEIs
	gp := string(files["getprop.txt"])
	for _, im := range tr.Identifiers.IMEIs {
		if !strings.Contains(gp, "[ro.ril.miui.imei") || !strings.Contains(gp, "["+im+"]") || !LuhnValid(im) {
			t.Errorf("IMEI %s not in getprop or invalid", im)
		}
	}
	// SSAIDs (ABX or text), Wi-Fi, Bluetooth
	ssaid := files["data/system/users/0/settings_ssaid.xml"]
	secure := files["data/system/users/0/settings_secure.xml"]
	for _, id := range tr.Identifiers.AndroidIDs {
		if !bytes.Contains(ssaid, []byte(id)) && !bytes.Contains(secure, []byte(id)) {
			t.Errorf("android id %s not found", id)
		}
	}
	wifi := string(files["data/misc/apexdata/com.android.wifi/WifiConfigStore.xml"])
	if n := strings.Count(wifi, "<Network>"); n != len(tr.Identifiers.Wifi.Networks) {
		t.Errorf("wifi networks %d, truth %d", n, len(tr.Identifiers.Wifi.Networks))
	}
	if n := strings.Count(wifi, `<string name="PreSharedKey">`); n != tr.Identifiers.Wifi.WithPassword {
		t.Errorf("wifi with PSK %d, truth %d", n, tr.Identifiers.Wifi.WithPassword)
	}
	bt := string(files["data/misc/bluedroid/bt_config.conf"])
	for _, d := range tr.Identifiers.Bluetooth.Devices {
		if !strings.Contains(bt, "["+d.Address+"]\nName = "+d.Name+"\n") {
			t.Errorf("bt device %s missing", d.Address)
		}
	}
	// accounts
	adb := openRO(t, filepath.Join(dir, "accounts_ce.db"), false)
	var accs []string
	rows, err = adb.Query("SELECT type || ' ' || name FROM accounts")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		accs = append(accs, s)
	}
	rows.Close()
	var want []string
	for _, a := range tr.Identifiers.Accounts {
		want = append(want, a.Type+" "+a.Name)
	}
	sort.Strings(accs)
	sort.Strings(want)
	if strings.Join(accs, "|") != strings.Join(want, "|") {
		t.Errorf("accounts %v, truth %v", accs, want)
	}
}
