package identifiers_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/abx"
	"github.com/backupinspector/backupinspector/parsers/artifacts/identifiers/idtest"
	"github.com/backupinspector/backupinspector/parsers/report"
)

// toABX encodes a text XML document as Android Binary XML (string
// attributes and text only, names interned), for tests.
func toABX(t *testing.T, xml string) []byte {
	t.Helper()
	root, err := abx.ParseXML([]byte(xml))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.WriteString(abx.Magic)
	b.WriteByte(abx.StartDocument | abx.TypeNull)
	table := map[string]int{}
	u16 := func(v int) { binary.Write(&b, binary.BigEndian, uint16(v)) }
	str := func(s string) { u16(len(s)); b.WriteString(s) }
	intern := func(s string) {
		if i, ok := table[s]; ok {
			u16(i)
			return
		}
		table[s] = len(table)
		u16(0xFFFF)
		str(s)
	}
	var rec func(e *abx.Element)
	rec = func(e *abx.Element) {
		b.WriteByte(abx.StartTag | abx.TypeStringInterned)
		intern(e.Name)
		for _, a := range e.Attrs {
			if a.Value == "true" || a.Value == "false" {
				if a.Value == "true" {
					b.WriteByte(abx.Attribute | abx.TypeBooleanTrue)
				} else {
					b.WriteByte(abx.Attribute | abx.TypeBooleanFalse)
				}
				intern(a.Name)
				continue
			}
			b.WriteByte(abx.Attribute | abx.TypeString)
			intern(a.Name)
			str(a.Value)
		}
		if strings.TrimSpace(e.Text) != "" {
			b.WriteByte(abx.Text | abx.TypeString)
			str(strings.TrimSpace(e.Text))
		}
		for _, c := range e.Children {
			rec(c)
		}
		b.WriteByte(abx.EndTag | abx.TypeStringInterned)
		intern(e.Name)
	}
	rec(root)
	b.WriteByte(abx.EndDocument | abx.TypeNull)
	return b.Bytes()
}

// runFiles writes files (relative path → content) into a folder named
// "dump" and inspects it.
func runFiles(t *testing.T, files map[string][]byte) *report.Report {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "dump")
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return idtest.Run(t, "", dir)
}

func byKind(rep *report.Report, kind string) []report.Identifier {
	var out []report.Identifier
	for _, id := range rep.Identifiers {
		if id.Kind == kind {
			out = append(out, id)
		}
	}
	return out
}

const wifiStore = `<?xml version='1.0' encoding='utf-8' standalone='yes' ?>
<WifiConfigStoreData>
<int name="Version" value="3" />
<NetworkList>
<Network>
<WifiConfiguration>
<string name="ConfigKey">&quot;Cafe&quot;WPA_PSK</string>
<string name="SSID">&quot;Cafe&quot;</string>
<string name="BSSID">00:00:5e:00:53:01</string>
<string name="PreSharedKey">&quot;topsecret-psk&quot;</string>
<boolean name="HiddenSSID" value="false" />
<byte-array name="AllowedKeyMgmt" num="1">02</byte-array>
<string name="DefaultGwMacAddress">00:00:5e:00:53:02</string>
</WifiConfiguration>
<NetworkStatus><boolean name="HasEverConnected" value="true" /></NetworkStatus>
</Network>
<Network>
<WifiConfiguration>
<string name="SSID">e4bda0e5a5bd</string>
<PreSharedKey><byte-array name="EncryptedData" num="4">deadbeef</byte-array><byte-array name="IV" num="2">0102</byte-array></PreSharedKey>
<boolean name="HiddenSSID" value="true" />
<byte-array name="AllowedKeyMgmt" num="2">0001</byte-array>
</WifiConfiguration>
</Network>
<Network>
<WifiConfiguration>
<string name="SSID">&quot;Office&quot;</string>
<null name="PreSharedKey" />
<byte-array name="AllowedKeyMgmt" num="1">04</byte-array>
</WifiConfiguration>
<WifiEnterpriseConfiguration>
<string name="Identity">alice@example.com</string>
<string name="Password">enterprise-secret</string>
<int name="EapMethod" value="0" />
</WifiEnterpriseConfiguration>
</Network>
</NetworkList>
</WifiConfigStoreData>
`

func TestWifiStoreTextAndABX(t *testing.T) {
	for _, abxForm := range []bool{false, true} {
		data := []byte(wifiStore)
		if abxForm {
			data = toABX(t, wifiStore)
		}
		rep := runFiles(t, map[string][]byte{"data/misc/apexdata/com.android.wifi/WifiConfigStore.xml": data})
		nets := byKind(rep, report.IDWifi)
		if len(nets) != 3 {
			t.Fatalf("abx=%v: %d networks: %+v", abxForm, len(nets), nets)
		}
		want := map[string]struct {
			label, password string
			secret, hidden  bool
		}{
			"Cafe":   {"WPA-PSK", "stored in plain text (not shown)", true, false},
			"你好":     {"WPA3-SAE", "stored encrypted with a device key (not shown)", true, true},
			"Office": {"WPA-EAP", "enterprise password stored (not shown)", true, false},
		}
		for _, n := range nets {
			w, ok := want[n.Value]
			if !ok || n.Label != w.label || n.Secret != w.secret || n.Details["password"] != w.password || (n.Details["hidden"] == "true") != w.hidden {
				t.Errorf("abx=%v: network %+v", abxForm, n)
			}
		}
		for _, n := range nets {
			if n.Value == "Cafe" && (n.Details["bssid"] != "00:00:5e:00:53:01" || n.Details["gatewayMac"] != "00:00:5e:00:53:02" || n.Details["hasEverConnected"] != "true") {
				t.Errorf("Cafe details %v", n.Details)
			}
			if n.Value == "Office" && n.Details["identity"] != "alice@example.com" {
				t.Errorf("Office identity %v", n.Details)
			}
		}
		b, _ := report.Encode(rep)
		for _, s := range []string{"topsecret-psk", "enterprise-secret", "deadbeef"} {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("abx=%v: secret %q in report", abxForm, s)
			}
		}
		if rep.Exposure.Wifi.RouterMACs != 2 || rep.Exposure.Wifi.Hidden != 1 || rep.Exposure.Wifi.WithPassword != 3 {
			t.Errorf("exposure %+v", rep.Exposure.Wifi)
		}
	}
}

func TestWpaSupplicantAndBluetooth(t *testing.T) {
	rep := runFiles(t, map[string][]byte{
		"data/misc/wifi/wpa_supplicant.conf": []byte("ctrl_interface=wlan0\nupdate_config=1\n\nnetwork={\n\tssid=\"Home\"\n\tpsk=\"pw-123456\"\n\tkey_mgmt=WPA-PSK\n\tpriority=3\n}\n\nnetwork={\n\tssid=4b6166c3a9\n\tkey_mgmt=NONE\n\tscan_ssid=1\n}\n"),
		"data/misc/bluedroid/bt_config.conf": []byte("[Info]\nFileSource = Empty\n\n[Adapter]\nAddress = 00:00:5e:00:53:aa\nName = My Phone\n\n[00:00:5e:00:53:bb]\nName = Headset\nTimestamp = 1700000000\nLinkKey = 00112233445566778899aabbccddeeff\n\n[00:00:5e:00:53:cc]\nName = Watch\n"),
	})
	nets := byKind(rep, report.IDWifi)
	if len(nets) != 2 || nets[0].Value != "Home" || !nets[0].Secret || nets[0].Label != "WPA-PSK" || nets[1].Value != "Kafé" || nets[1].Label != "open" || nets[1].Details["hidden"] != "true" {
		t.Errorf("wpa_supplicant: %+v", nets)
	}
	devs := byKind(rep, report.IDBluetooth)
	if len(devs) != 2 || devs[0].Value != "00:00:5e:00:53:bb" || devs[0].Details["name"] != "Headset" || !devs[0].Secret ||
		devs[0].Details["firstSeen"] != "2023-11-14T22:13:20.000Z" || devs[1].Secret {
		t.Errorf("bluetooth: %+v", devs)
	}
	e := rep.Exposure.Bluetooth
	if e.AdapterAddress != "00:00:5e:00:53:aa" || e.AdapterName != "My Phone" || e.Devices != 2 || e.WithKeys != 1 {
		t.Errorf("bluetooth exposure %+v", e)
	}
	b, _ := report.Encode(rep)
	if bytes.Contains(b, []byte("pw-123456")) || bytes.Contains(b, []byte("00112233445566778899aabbccddeeff")) {
		t.Error("secret in report")
	}
}

func TestSettingsAndPrefs(t *testing.T) {
	ssaid := `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<settings version="-1">
<setting id="0" name="userkey" value="0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF" package="android" defaultValue="x" defaultSysSet="true" />
<setting id="1" name="10104" value="1f2e3d4c5b6a7980" package="com.example.chat" defaultValue="1f2e3d4c5b6a7980" />
<setting id="2" name="10105" value="not-hex" package="com.example.bad" />
</settings>`
	secure := `<settings version="213"><setting id="1" name="android_id" value="3a9f2c" package="android" /><setting id="2" name="bluetooth_name" value="Pixel" package="android" /></settings>`
	prefs := `<?xml version='1.0' encoding='utf-8' standalone='yes' ?>
<map>
    <string name="device_imei">490154203237518</string>
    <string name="imsi">460001234567890</string>
    <string name="note">order 8986010000123456782 and 123456789012345</string>
    <string name="cc">44</string>
    <string name="ph">7700900123</string>
    <long name="android_id_cache" value="12" />
    <string name="json">{"deviceId":"490154203237519"}</string>
</map>`
	rep := runFiles(t, map[string][]byte{
		"data/system/users/0/settings_ssaid.xml":                   toABX(t, ssaid),
		"data/system/users/0/settings_secure.xml":                  []byte(secure),
		"data/data/com.example.sdk/shared_prefs/sdk.xml":           []byte(prefs),
		"data/data/com.example.sdk/files/cache.json":               []byte(`{"iccid":"89440000000000000010","x":"89440000000000000011"}`),
		"data/data/com.example.sdk/files/unrelated/numbers.txt":    []byte("id 490154203237518 seen\n"),
		"data/data/com.example.sdk/shared_prefs/notes-not-map.xml": []byte(`<notes><n>imei 490154203237518</n></notes>`),
	})
	got := map[string]report.Identifier{}
	for _, id := range rep.Identifiers {
		got[id.Kind+" "+id.Value+" "+id.Source[strings.LastIndexByte(id.Source, '/')+1:]] = id
	}
	find := func(kind, value string) []report.Identifier {
		var out []report.Identifier
		for _, id := range rep.Identifiers {
			if id.Kind == kind && id.Value == value {
				out = append(out, id)
			}
		}
		return out
	}
	if ids := find(report.IDAndroidID, "1f2e3d4c5b6a7980"); len(ids) != 1 || !ids[0].Valid || ids[0].Label != "com.example.chat" {
		t.Errorf("SSAID: %+v", ids)
	}
	if ids := find(report.IDAndroidID, "not-hex"); len(ids) != 1 || ids[0].Valid {
		t.Errorf("bad SSAID: %+v", ids)
	}
	if ids := find(report.IDAndroidID, "3a9f2c"); len(ids) != 1 || !ids[0].Valid {
		t.Errorf("legacy android_id: %+v", ids)
	}
	b, _ := report.Encode(rep)
	if bytes.Contains(b, []byte("0123456789ABCDEF0123456789ABCDEF")) {
		t.Error("SSAID user key in report")
	}
	if rep.Exposure.Device.AndroidIDs != 2 || rep.Exposure.Device.AppsWithSSAID != 1 {
		t.Errorf("device exposure %+v", rep.Exposure.Device)
	}
	// prefs: IMEI by key (confident), IMSI by key, ICCID in text (possible),
	// the random 15 digits ignored, cc+ph = own number, bad-Luhn IMEI in
	// JSON with context rejected.
	// Three findings: the preference key, the non-map XML "imei …" text
	// (context in the text) and the context-less text file (possible).
	if ids := find(report.IDIMEI, "490154203237518"); len(ids) != 3 {
		t.Errorf("IMEI findings: %+v", ids)
	} else {
		var conf, poss int
		for _, id := range ids {
			switch id.Details["confidence"] {
			case "confident":
				conf++
			case "possible":
				poss++
			}
		}
		if conf != 2 || poss != 1 {
			t.Errorf("IMEI confidences: %+v", ids)
		}
	}
	if ids := find(report.IDIMEI, "490154203237519"); len(ids) != 0 {
		t.Errorf("bad-Luhn IMEI reported: %+v", ids)
	}
	if ids := find(report.IDIMSI, "460001234567890"); len(ids) != 1 || !ids[0].Valid || ids[0].Label != "com.example.sdk" {
		t.Errorf("IMSI: %+v", ids)
	}
	if ids := find(report.IDICCID, "8986010000123456782"); len(ids) != 1 || ids[0].Valid {
		t.Errorf("ICCID in free text: %+v", ids)
	}
	if ids := find(report.IDICCID, "89440000000000000010"); len(ids) != 1 || !ids[0].Valid {
		t.Errorf("ICCID in JSON with context: %+v", ids)
	}
	if ids := find(report.IDICCID, "89440000000000000011"); len(ids) != 0 {
		t.Errorf("bad-Luhn ICCID reported: %+v", ids)
	}
	if ids := find(report.IDPhoneNumber, "+447700900123"); len(ids) != 1 || !ids[0].Valid {
		t.Errorf("cc+ph: %+v", ids)
	}
	if n := len(find(report.IDIMEI, "123456789012345")); n != 0 {
		t.Errorf("random digits reported %d times", n)
	}
	_ = got
}

func TestAccountsXML(t *testing.T) {
	x := `<?xml version='1.0' encoding='utf-8' standalone='yes' ?>
<accounts version="3" nextAuthorityId="3">
<authority id="0" account="a@example.com" type="com.google" authority="com.android.contacts" enabled="true" syncable="true" />
<authority id="1" account="a@example.com" type="com.google" authority="com.android.calendar" enabled="false" />
<authority id="2" account="123456" type="com.xiaomi" authority="sms" enabled="true" />
</accounts>`
	rep := runFiles(t, map[string][]byte{"data/system/sync/accounts.xml": toABX(t, x)})
	var got []string
	for _, a := range rep.Exposure.Accounts {
		got = append(got, a.Kind+" "+a.Type+" "+a.Name+" ["+a.Syncs+"]")
	}
	want := []string{"google com.google a@example.com [com.android.contacts]", "xiaomi com.xiaomi 123456 [sms]"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("accounts %q", got)
	}
}
