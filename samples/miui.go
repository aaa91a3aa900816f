//go:build !js

package samples

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// tzByCountry is the phone's UTC offset (hours) used for local file names.
var tzByCountry = map[string]float64{"cn": 8, "in": 5.5, "ru": 3, "es": 2, "gb": 1, "sa": 3, "us": -4, "eg": 3, "de": 2, "br": -3}

func (p *Phone) localTime(t time.Time) time.Time {
	off := int(tzByCountry[p.home.ISO] * 3600)
	return t.In(time.FixedZone("", off))
}

// miuiLabels are the localized feature labels, by UI language.
var miuiLabels = map[string]map[string]string{
	"en": {"contacts": "Contacts", "calllog": "Call log", "sms": "Messages", "mms": "MMS", "wifi": "Wi-Fi settings", "settings": "Settings", "xspace": "Second space"},
	"zh": {"contacts": "联系人", "calllog": "通话记录", "sms": "短信", "mms": "彩信", "wifi": "WLAN设置", "settings": "设置", "xspace": "手机分身"},
	"ru": {"contacts": "Контакты", "calllog": "Журнал вызовов", "sms": "Сообщения", "mms": "MMS", "wifi": "Настройки Wi-Fi", "settings": "Настройки", "xspace": "Второе пространство"},
	"es": {"contacts": "Contactos", "calllog": "Registro de llamadas", "sms": "Mensajes", "mms": "MMS", "wifi": "Ajustes de Wi-Fi", "settings": "Ajustes", "xspace": "Segundo espacio"},
	"ar": {"contacts": "جهات الاتصال", "calllog": "سجل المكالمات", "sms": "الرسائل", "mms": "رسائل الوسائط", "wifi": "إعدادات Wi-Fi", "settings": "الإعدادات", "xspace": "المساحة الثانية"},
}

func (p *Phone) miuiLabel(key string) string {
	l := miuiLabels[p.lang]
	if l == nil {
		l = miuiLabels["en"]
	}
	return l[key]
}

// miuiHeader renders the text header of a .bak (formats.md §2.3).
func miuiHeader(pkg, label string, feature, extra int, encPwd string, userID int) []byte {
	var b strings.Builder
	b.WriteString("MIUI BACKUP\n2\n")
	b.WriteString(pkg)
	if label != "" {
		b.WriteString(" " + strings.ReplaceAll(label, "\n", " "))
	}
	fmt.Fprintf(&b, "\n%d\n%d\n", feature, extra)
	if extra == 1 || extra == 21 {
		b.WriteString(encPwd + "\n")
	}
	if extra == 20 || extra == 21 {
		fmt.Fprintf(&b, "%d\n", userID)
	}
	return []byte(b.String())
}

// miuiPkg is one .bak of the set.
type miuiPkg struct {
	pkg, label  string
	feature     int
	bakType     int
	progType    int
	records     int
	extra       int
	userID      int
	uid         int
	versionCode int64
	versionName string
	dataVersion int
	installer   string
	thirdParty  bool
	write       func(tw *androidTar, base string) error
	bakFile     string
	bakSize     int64
	dataSize    int64
}

func (p *Phone) tmpMeta(m *miuiPkg) []byte {
	return []byte(fmt.Sprintf("1\n%s\n%d\n%s\n%d\n%d\n%d\n%s\n%s\n", m.pkg, m.versionCode, m.versionName,
		p.BackupTime.Add(-time.Duration(30+m.uid%60)*time.Second).UnixMilli(), m.dataVersion, m.feature, p.Device.Codename, p.Device.ROM))
}

// miuiFlags parses a comma-separated -variant for the miui kind.
type miuiFlags struct{ zip, encrypted, xspace bool }

func parseMiuiVariant(v string) (miuiFlags, error) {
	var f miuiFlags
	for _, s := range strings.Split(v, ",") {
		switch strings.TrimSpace(s) {
		case "", "folder":
		case "zip":
			f.zip = true
		case "encrypted":
			f.encrypted = true
		case "xspace":
			f.xspace = true
		default:
			return f, fmt.Errorf("miui: unknown variant %q (want folder, zip, encrypted, xspace)", s)
		}
	}
	return f, nil
}

func genMIUI(p *Phone, o Options, tmp string) (*Truth, error) {
	fl, err := parseMiuiVariant(o.Variant)
	if err != nil {
		return nil, err
	}
	password := o.Password
	if password == "" {
		password = DefaultPassword
	}
	setName := p.localTime(p.BackupTime).Format("20060102_150405")
	setDir := filepath.Join(o.Out, setName)
	if fl.zip {
		setDir = filepath.Join(tmp, "set", setName)
	} else {
		os.RemoveAll(setDir)
	}
	if err := os.MkdirAll(setDir, 0o755); err != nil {
		return nil, err
	}
	msgFiles, err := p.writeMessengerFiles(filepath.Join(tmp, "messenger"))
	if err != nil {
		return nil, err
	}
	liveContacts := p.LiveContacts()
	var sms, mms []*Message
	for _, m := range p.Messages {
		if m.Removed {
			continue
		}
		if m.Kind == KindSMS {
			sms = append(sms, m)
		} else {
			mms = append(mms, m)
		}
	}
	var calls []*Call
	for _, c := range p.Calls {
		if !c.Removed {
			calls = append(calls, c)
		}
	}
	mt := p.BackupTime
	bakBlob := func(data []byte) func(tw *androidTar, base string) error {
		return func(tw *androidTar, base string) error {
			return tw.Bytes(base+"/miui_bak/_tmp_bak", 0o600, 0, mt, data)
		}
	}
	attPath := func(m *Message, pt *Part) string {
		return "/data/user_de/0/com.android.providers.telephony/app_parts/" + partFile(m, pt)
	}
	media := p.messengerMedia()
	var setWritten int64 // bytes of the .bak files written so far
	pkgs := []*miuiPkg{
		{pkg: "com.android.contacts", label: p.miuiLabel("contacts"), feature: 2, bakType: 1, uid: 10075, versionCode: 140010, versionName: "14.0.1.0", dataVersion: 3,
			write: bakBlob(contactsProto(liveContacts))},
		{pkg: "com.android.contacts", label: p.miuiLabel("calllog"), feature: 1, bakType: 1, uid: 10075, versionCode: 140010, versionName: "14.0.1.0", dataVersion: 2,
			write: bakBlob(callLogProto(calls))},
		{pkg: "com.android.mms", label: p.miuiLabel("sms"), feature: 1, bakType: 1, progType: 1, records: len(sms), uid: 10081, versionCode: 14120, versionName: "14.12.0.0", dataVersion: 5,
			write: bakBlob(p.smsProto(sms))},
		{pkg: "com.android.mms", label: p.miuiLabel("mms"), feature: 2, bakType: 1, progType: 1, records: len(mms), uid: 10081, versionCode: 14120, versionName: "14.12.0.0", dataVersion: 5,
			write: func(tw *androidTar, base string) error {
				if err := tw.Bytes(base+"/miui_bak/_tmp_bak", 0o600, 0, mt, p.mmsProto(mms, attPath)); err != nil {
					return err
				}
				for _, m := range mms {
					for _, pt := range m.Parts {
						if isAttachment(pt) {
							if err := tw.Bytes(base+"/miui_att"+attPath(m, pt), 0o600, 0, m.Date, pt.Data); err != nil {
								return err
							}
						}
					}
				}
				return nil
			}},
		{pkg: "com.android.settings", label: p.miuiLabel("wifi"), feature: 2, bakType: 1, uid: 1000, versionCode: int64(p.Device.SDK), versionName: p.Device.Release, dataVersion: 1,
			write: bakBlob([]byte(p.wpaSupplicantText()))},
		{pkg: "com.android.settings", label: p.miuiLabel("settings"), feature: 1, bakType: 1, uid: 1000, versionCode: int64(p.Device.SDK), versionName: p.Device.Release, dataVersion: 1,
			write: bakBlob(p.settingsJSON())},
		{pkg: p.Messenger.Package, label: p.Messenger.Label, feature: -1, bakType: 2, uid: 10234, versionCode: 232171003, versionName: "2.23.21.76", installer: "com.android.vending", thirdParty: true,
			write: func(tw *androidTar, base string) error {
				for _, f := range msgFiles {
					fh, err := os.Open(f.Local)
					if err != nil {
						return err
					}
					err = tw.File(base+"/"+f.Rel, 0o660, 10234, mt.Add(-2*time.Hour), f.Size, fh)
					fh.Close()
					if err != nil {
						return err
					}
				}
				for _, m := range media {
					if err := p.writeMedia(tw, base+"/"+m.rel, 10234, m); err != nil {
						return err
					}
				}
				if o.Size > 0 {
					fill := p.fillerMedia(o.Size-setWritten-tw.n-64<<10, o.Size, func(i int) string {
						return fmt.Sprintf("f/Media/WhatsApp Video/VID-%s-WA%04d.jpg", p.BackupTime.AddDate(0, 0, -i%300).Format("20060102"), i)
					})
					for _, m := range fill {
						if err := p.writeMedia(tw, base+"/"+m.rel, 10234, m); err != nil {
							return err
						}
					}
					media = append(media, fill...)
				}
				return nil
			}},
	}
	if fl.encrypted {
		pkgs[0].extra = 1
	}
	if fl.xspace {
		x := &miuiPkg{pkg: p.Messenger.Package, label: p.Messenger.Label + " (" + p.miuiLabel("xspace") + ")", feature: -1, bakType: 2, uid: 99910234, userID: 999,
			versionCode: 232171003, versionName: "2.23.21.76", installer: "com.android.vending", thirdParty: true, extra: 20,
			write: func(tw *androidTar, base string) error {
				prefs := "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n    <string name=\"push_name\">" + xmlEsc(p.h(p.Owner.Family, 4)) + "</string>\n    <boolean name=\"registration_pending\" value=\"true\" />\n</map>\n"
				return tw.Bytes(base+"/sp/com.whatsapp_preferences_light.xml", 0o660, 99910234, mt, []byte(prefs))
			}}
		if fl.encrypted {
			x.extra = 21
		}
		pkgs = append(pkgs, x)
	}
	t := &Truth{}
	var entries []TruthEntry
	prefixOf := func(name string) string {
		if fl.zip {
			return setName + "/" + name
		}
		return name
	}
	r := NewRand(p.Seed, "miui-crypto")
	for _, m := range pkgs {
		m.bakFile = m.label + "(" + m.pkg + ").bak"
		if m.userID != 0 {
			m.bakFile = m.label + "(" + m.pkg + ")(" + itoa(m.userID) + ").bak"
		}
		if p.Hostile && m.thirdParty {
			m.bakFile = m.label + ` <img src=x onerror=alert(1)>(` + m.pkg + ").bak"
		}
		path := filepath.Join(setDir, m.bakFile)
		f, err := os.Create(path)
		if err != nil {
			return nil, err
		}
		bw := bufio.NewWriterSize(f, 1<<20)
		fileHash := newHashingWriter(bw)
		pw := ""
		encPwd := ""
		if m.extra == 1 || m.extra == 21 {
			pw = password
			h := sha1.Sum([]byte("miui-backup:" + password))
			encPwd = strings.ToUpper(hex.EncodeToString(h[:]))
		}
		if _, err := fileHash.Write(miuiHeader(m.pkg, m.label, m.feature, m.extra, encPwd, m.userID)); err != nil {
			return nil, err
		}
		aw, err := newABWriter(fileHash, ABOptions{Version: 5, Password: pw}, r)
		if err != nil {
			return nil, err
		}
		tw := newAndroidTar(aw, prefixOf(m.bakFile)+"!")
		base := "apps/" + m.pkg
		var certs [][]byte
		if m.thirdParty {
			certs = [][]byte{p.appCert(m.pkg)}
		} else {
			certs = [][]byte{p.platformCert()}
		}
		if err := tw.Bytes(base+"/_manifest", 0o600, m.uid, time.Time{}, appManifest(m.pkg, m.versionCode, p.Device.SDK, m.installer, m.thirdParty, certs...)); err != nil {
			return nil, err
		}
		if m.thirdParty {
			if err := tw.Bytes(base+"/a/base.apk", 0o644, 1000, mt.AddDate(0, -3, 0), fakeAPK(m.pkg, p.BackupTime)); err != nil {
				return nil, err
			}
		}
		if err := tw.Bytes(base+"/miui_meta/cache/_tmp_meta", 0o600, m.uid, mt, p.tmpMeta(m)); err != nil {
			return nil, err
		}
		if err := m.write(tw, base); err != nil {
			return nil, err
		}
		if err := tw.Close(); err != nil {
			return nil, err
		}
		if err := aw.Close(); err != nil {
			return nil, err
		}
		if err := bw.Flush(); err != nil {
			return nil, err
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
		m.bakSize = fileHash.n
		setWritten += fileHash.n
		for _, e := range tw.entries {
			m.dataSize += e.Size
		}
		entries = append(entries, TruthEntry{Path: prefixOf(m.bakFile), Size: fileHash.n, SHA256: fileHash.sum()})
		entries = append(entries, tw.entries...)
	}
	desc := p.descriptXML(pkgs)
	if err := os.WriteFile(filepath.Join(setDir, "descript.xml"), desc, 0o644); err != nil {
		return nil, err
	}
	ds := sha256.Sum256(desc)
	entries = append([]TruthEntry{{Path: prefixOf("descript.xml"), Size: int64(len(desc)), SHA256: hex.EncodeToString(ds[:])}}, entries...)
	if fl.zip {
		if err := zipDir(o.Out, filepath.Join(tmp, "set"), p.localTime(p.BackupTime), o.Size > 0); err != nil {
			return nil, err
		}
	} else {
		t.File = filepath.Base(o.Out) + "/" + setName
	}
	// truth
	t.Device = p.deviceTruth(true)
	t.Device.Model, t.Device.Manufacturer, t.Device.AndroidRelease = "", "", ""
	if fl.encrypted {
		t.Password = password
	}
	t.Messages = countMessages(p.Messages, live)
	t.Messages.Blocked = 0 // not in our SMS payload
	t.Examples.Messages = exampleMessages(p.Messages, live)
	t.Contacts = countContacts(p.Contacts, false)
	t.Contacts.ByAccountType = nil
	t.Contacts.SoftDeleted = 0
	if len(liveContacts) > 1 {
		t.Examples.Contacts = []TruthContact{truthContact(liveContacts[0]), truthContact(liveContacts[1])}
		for i := range t.Examples.Contacts {
			t.Examples.Contacts[i].AccountType, t.Examples.Contacts[i].AccountName = "", ""
			t.Examples.Contacts[i].Given, t.Examples.Contacts[i].Family = "", ""
		}
	}
	t.Calls = countCalls(p.Calls)
	t.Examples.Calls = exampleCalls(p.Calls)
	ids := emptyIdentifiers()
	ids.OwnNumbers = []string{p.SIMs[1].Number}
	ids.Wifi = p.wifiTruth()
	ids.Bluetooth = &TruthBluetooth{AdapterName: p.Device.BTName, Devices: []TruthBTDevice{}}
	t.Identifiers = ids
	app := p.messengerTruth(msgFiles)
	app.Files = append([]string{"a/base.apk"}, app.Files...)
	for _, m := range media {
		app.Files = append(app.Files, m.rel)
	}
	t.ThirdParty = []TruthApp{app}
	if fl.xspace {
		t.ThirdParty = append(t.ThirdParty, TruthApp{Package: p.Messenger.Package, User: 999, Files: []string{"sp/com.whatsapp_preferences_light.xml"}})
	}
	t.Secrets = p.wifiSecrets()
	t.Entries = entries
	t.Removed = p.removedTruth(func(*Message) bool { return true }, true, true)
	t.Notes = append(t.Notes,
		"contacts (feature 2) and call log (feature 1) _tmp_bak follow the field maps of formats.md §2.7; the SMS/MMS payloads (com.android.mms features 1/2) are our own plausible protobuf (real format unknown), see proto.go",
		"Wi-Fi (com.android.settings feature 2) is wpa_supplicant-style text with plaintext psk (listed only in secrets); settings (feature 1) is the JSON settings shape",
		"contacts: MIUI payload carries no account; soft-deleted contacts are not exported",
		"own_numbers: the messenger's shared_prefs (cc + ph); bluetooth adapter_name: bluetooth_name in the settings JSON")
	if fl.encrypted {
		t.Notes = append(t.Notes, "the contacts .bak has extra type 1: its inner ANDROID BACKUP stream is AES-256 with the password; the encryptedPwd header line is our invention (real format unknown)")
	}
	return t, nil
}

func exampleCalls(cs []*Call) []TruthCall {
	var out []TruthCall
	seen := map[int]bool{}
	for _, c := range cs {
		if !c.Removed && !seen[c.Type] && c.Number != "" {
			seen[c.Type] = true
			out = append(out, truthCall(c))
		}
	}
	return out
}

// descriptXML renders descript.xml on one line, as MIUI 12-14 writes it.
func (p *Phone) descriptXML(pkgs []*miuiPkg) []byte {
	var b strings.Builder
	var total int64
	for _, m := range pkgs {
		total += m.bakSize
	}
	el := func(name string, v any) { fmt.Fprintf(&b, "<%s>%v</%s>", name, v, name) }
	b.WriteString("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><MIUI-backup>")
	el("jsonMsg", "")
	el("bakVersion", 2)
	el("brState", 3)
	el("autoBackup", false)
	el("device", xmlEsc(p.Device.Codename))
	el("miuiVersion", xmlEsc(p.Device.ROM))
	el("date", p.BackupTime.UnixMilli())
	el("size", total)
	el("storageLeft", int64(58_123_456_512)+int64(p.Seed%1000)*1_000_000)
	el("supportReconnect", true)
	el("autoRetransferCnt", 0)
	el("transRealCompletedSize", 0)
	b.WriteString("<packages>")
	for _, m := range pkgs {
		b.WriteString("<package>")
		el("packageName", m.pkg)
		el("feature", m.feature)
		el("bakFile", xmlEsc(m.bakFile))
		el("splitFile", "")
		el("splitFileSize", 0)
		el("bakType", m.bakType)
		size := m.dataSize
		if m.progType == 1 {
			size = int64(m.records)
		}
		el("pkgSize", size)
		el("sdSize", 0)
		el("state", 1)
		el("completedSize", size)
		el("error", 0)
		el("progType", m.progType)
		el("bakFileSize", m.bakSize)
		el("transingCompletedSize", 0)
		el("transingTotalSize", 0)
		el("transingSdCompletedSize", 0)
		el("sectionSize", 0)
		el("sendingIndex", 0)
		b.WriteString("</package>")
	}
	b.WriteString("</packages><filesModifyTime /></MIUI-backup>")
	return []byte(b.String())
}

// wpaSupplicantText is the Wi-Fi payload: network blocks with plaintext PSKs.
func (p *Phone) wpaSupplicantText() string {
	var b strings.Builder
	for _, w := range p.Wifi {
		b.WriteString("network={\n")
		fmt.Fprintf(&b, "\tssid=\"%s\"\n", w.SSID)
		if w.Hidden {
			b.WriteString("\tscan_ssid=1\n")
		}
		switch w.KeyMgmt {
		case "NONE":
			b.WriteString("\tkey_mgmt=NONE\n")
		case "SAE":
			fmt.Fprintf(&b, "\tsae_password=\"%s\"\n\tkey_mgmt=SAE\n\tieee80211w=2\n", w.PSK)
		default:
			fmt.Fprintf(&b, "\tpsk=\"%s\"\n\tkey_mgmt=WPA-PSK\n", w.PSK)
		}
		fmt.Fprintf(&b, "\tpriority=%d\n", w.Priority)
		b.WriteString("}\n\n")
	}
	return b.String()
}

// settingsJSON is the settings feature payload.
func (p *Phone) settingsJSON() []byte {
	var b strings.Builder
	b.WriteString(`{"packageName":"com.android.settings","version":1,"data":[`)
	items := [][3]string{
		{"screen_brightness_mode", "json", `{"system":1}`},
		{"font_scale", "json", `{"system":"1.0"}`},
		{"time_12_24", "json", `{"system":"24"}`},
		{"device_name", "string", jsonString(p.h(p.Owner.Given+"'s "+p.Device.Marketing, 2))},
		{"bluetooth_name", "string", jsonString(p.Device.BTName)},
		{"locale", "string", jsonString(p.Device.Locale)},
	}
	for i, it := range items {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"key":%s,"type":%s,"value":%s}`, jsonString(it[0]), jsonString(it[1]), it[2])
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// fakeAPK returns a tiny zip with the entries of an APK (not installable).
func fakeAPK(pkg string, t time.Time) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name string, data []byte) {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Date(1981, 1, 1, 1, 1, 2, 0, time.UTC)})
		w.Write(data)
	}
	add("AndroidManifest.xml", append([]byte{0x03, 0x00, 0x08, 0x00}, []byte("package="+pkg)...))
	add("classes.dex", append([]byte("dex\n035\x00"), make([]byte, 104)...))
	add("resources.arsc", make([]byte, 64))
	add("META-INF/MANIFEST.MF", []byte("Manifest-Version: 1.0\r\nCreated-By: synthetic\r\n\r\n"))
	zw.Close()
	_ = t
	return buf.Bytes()
}

// zipDir zips the tree under root (entries relative to root, sorted, fixed
// times). store uses no compression (for big media-heavy sets).
func zipDir(out, root string, mtime time.Time, store bool) error {
	var files []string
	err := filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	zw := zip.NewWriter(bw)
	for _, p := range files {
		rel, _ := filepath.Rel(root, p)
		h := &zip.FileHeader{Name: filepath.ToSlash(rel), Method: zip.Deflate, Modified: mtime}
		if store {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		_, err = io.Copy(w, in)
		in.Close()
		if err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}
