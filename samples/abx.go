//go:build !js

package samples

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"unicode/utf16"
)

// abxWriter writes Android Binary XML (formats.md §6).
type abxWriter struct {
	b      bytes.Buffer
	intern map[string]int
}

func newABX() *abxWriter {
	w := &abxWriter{intern: map[string]int{}}
	w.b.WriteString("ABX\x00")
	w.b.WriteByte(0x10) // START_DOCUMENT
	return w
}

// mutf8 encodes s as Java modified UTF-8.
func mutf8(s string) []byte {
	var out []byte
	for _, r := range s {
		switch {
		case r == 0:
			out = append(out, 0xC0, 0x80)
		case r < 0x80:
			out = append(out, byte(r))
		case r < 0x800:
			out = append(out, 0xC0|byte(r>>6), 0x80|byte(r)&0x3F)
		case r < 0x10000:
			out = append(out, 0xE0|byte(r>>12), 0x80|byte(r>>6)&0x3F, 0x80|byte(r)&0x3F)
		default:
			a, b := utf16.EncodeRune(r)
			for _, c := range []rune{a, b} {
				out = append(out, 0xE0|byte(c>>12), 0x80|byte(c>>6)&0x3F, 0x80|byte(c)&0x3F)
			}
		}
	}
	return out
}

func (w *abxWriter) str(s string) {
	m := mutf8(s)
	binary.Write(&w.b, binary.BigEndian, uint16(len(m)))
	w.b.Write(m)
}

func (w *abxWriter) interned(s string) {
	if i, ok := w.intern[s]; ok {
		binary.Write(&w.b, binary.BigEndian, uint16(i))
		return
	}
	w.intern[s] = len(w.intern)
	binary.Write(&w.b, binary.BigEndian, uint16(0xFFFF))
	w.str(s)
}

func (w *abxWriter) start(tag string) { w.b.WriteByte(0x32); w.interned(tag) }
func (w *abxWriter) end(tag string)   { w.b.WriteByte(0x33); w.interned(tag) }
func (w *abxWriter) attr(name, v string) {
	w.b.WriteByte(0x2F)
	w.interned(name)
	w.str(v)
}
func (w *abxWriter) attrInt(name string, v int32) {
	w.b.WriteByte(0x6F)
	w.interned(name)
	binary.Write(&w.b, binary.BigEndian, v)
}
func (w *abxWriter) attrBool(name string, v bool) {
	if v {
		w.b.WriteByte(0xCF)
	} else {
		w.b.WriteByte(0xDF)
	}
	w.interned(name)
}
func (w *abxWriter) bytes() []byte { w.b.WriteByte(0x11); return w.b.Bytes() }

// setting is one row of a SettingsProvider XML file.
type setting struct {
	id, name, value, pkg, def string
	sysSet                    bool
}

// settingsXML renders a settings_*.xml file, as ABX when abx is set (Android
// 12+) or as text XML.
func settingsXML(version int, items []setting, abx bool) []byte {
	if abx {
		w := newABX()
		w.start("settings")
		w.attrInt("version", int32(version))
		for _, s := range items {
			w.start("setting")
			w.attr("id", s.id)
			w.attr("name", s.name)
			w.attr("value", s.value)
			w.attr("package", s.pkg)
			w.attr("defaultValue", s.def)
			w.attrBool("defaultSysSet", s.sysSet)
			w.end("setting")
		}
		w.end("settings")
		return w.bytes()
	}
	var b strings.Builder
	b.WriteString("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
	fmt.Fprintf(&b, "<settings version=\"%d\">\n", version)
	for _, s := range items {
		fmt.Fprintf(&b, "  <setting id=\"%s\" name=\"%s\" value=\"%s\" package=\"%s\" defaultValue=\"%s\" defaultSysSet=\"%t\" />\n",
			s.id, xmlEsc(s.name), xmlEsc(s.value), xmlEsc(s.pkg), xmlEsc(s.def), s.sysSet)
	}
	b.WriteString("</settings>\n")
	return []byte(b.String())
}

// ssaidItems returns settings_ssaid.xml rows: the user key, then one
// per-app Android ID.
func (p *Phone) ssaidItems() []setting {
	items := []setting{{id: "0", name: "userkey", value: p.SSAIDKey, pkg: "android", def: p.SSAIDKey, sysSet: true}}
	ss := append([]SSAID(nil), p.SSAIDs...)
	sort.Slice(ss, func(i, j int) bool { return ss[i].UID < ss[j].UID })
	for i, s := range ss {
		items = append(items, setting{id: itoa(i + 1), name: itoa(s.UID), value: s.Value, pkg: s.Package, def: s.Value})
	}
	return items
}

// legacyAndroidID is android_id in settings_secure.xml (no zero padding).
func (p *Phone) legacyAndroidID() string {
	r := NewRand(p.Seed, "legacy-android-id")
	return strings.TrimLeft(r.Hex(16), "0")
}

func (p *Phone) secureItems() []setting {
	kv := [][2]string{
		{"android_id", p.legacyAndroidID()},
		{"bluetooth_address", strings.ToUpper(p.Device.BTAddr)},
		{"bluetooth_name", p.Device.BTName},
		{"default_input_method", "com.google.android.inputmethod.latin/com.android.inputmethod.latin.LatinIME"},
		{"location_mode", "3"},
		{"mock_location", "0"},
		{"screensaver_enabled", "0"},
	}
	var items []setting
	for i, e := range kv {
		items = append(items, setting{id: itoa(i + 1), name: e[0], value: e[1], pkg: "android", def: e[1], sysSet: true})
	}
	return items
}

// btConfig renders /data/misc/bluedroid/bt_config.conf.
func (p *Phone) btConfig() string {
	var b strings.Builder
	r := NewRand(p.Seed, "btconf")
	fmt.Fprintf(&b, "[Info]\nFileSource = Empty\nTimeCreated = %s\n\n", p.BackupTime.AddDate(-1, -3, 0).Format("2006-01-02 15:04:05"))
	fmt.Fprintf(&b, "[Metrics]\nSalt256Bit = %s\n\n", r.Hex(64))
	fmt.Fprintf(&b, "[Adapter]\nAddress = %s\nLE_LOCAL_KEY_IRK = %s\nLE_LOCAL_KEY_IR = %s\nName = %s\nScanMode = 0\nDiscoveryTimeout = 120\n\n",
		p.Device.BTAddr, r.Hex(32), r.Hex(32), p.Device.BTName)
	for _, d := range p.BT {
		fmt.Fprintf(&b, "[%s]\nName = %s\nTimestamp = %d\nDevClass = %d\nDevType = %d\nAddrType = 0\nManufacturer = %d\nLinkKey = %s\nLinkKeyType = 4\nPinLength = 0\nService = 0000110b-0000-1000-8000-00805f9b34fb 0000110e-0000-1000-8000-00805f9b34fb 0000111e-0000-1000-8000-00805f9b34fb\n\n",
			d.Address, d.Name, d.Timestamp.Unix(), d.DevClass, d.DevType, 10+r.Intn(300), d.LinkKey)
	}
	return b.String()
}

func (p *Phone) btTruth() *TruthBluetooth {
	t := &TruthBluetooth{AdapterAddress: p.Device.BTAddr, AdapterName: p.Device.BTName, Devices: []TruthBTDevice{}}
	for _, d := range p.BT {
		t.Devices = append(t.Devices, TruthBTDevice{Address: d.Address, Name: d.Name})
	}
	return t
}

// getprop renders `getprop` output as acquisition tools save it.
func (p *Phone) getprop() string {
	d := p.Device
	s1, s2 := p.SIMs[1], p.SIMs[2]
	props := map[string]string{
		"ro.product.model": d.Model, "ro.product.brand": d.Brand, "ro.product.manufacturer": d.Manufacturer,
		"ro.product.device": d.Codename, "ro.product.name": d.Codename + "_global", "ro.product.marketname": d.Marketing,
		"ro.build.version.incremental": d.ROM, "ro.build.version.release": d.Release, "ro.build.version.sdk": itoa(d.SDK),
		"ro.build.fingerprint": d.Fingerprint, "ro.build.id": buildID(d.SDK), "ro.build.type": "user", "ro.build.tags": "release-keys",
		"ro.serialno": d.Serial, "ro.boot.serialno": d.Serial, "ro.miui.ui.version.name": "V140", "ro.miui.ui.version.code": "14",
		"ro.ril.miui.imei0": p.IMEIs[0], "ro.ril.miui.imei1": p.IMEIs[1], "ro.ril.oem.imei1": p.IMEIs[0], "ro.ril.oem.imei2": p.IMEIs[1],
		"gsm.sim.operator.alpha": s1.Carrier.Name + "," + s2.Carrier.Name, "gsm.sim.operator.numeric": s1.Carrier.MCC + s1.Carrier.MNC + "," + s2.Carrier.MCC + s2.Carrier.MNC,
		"gsm.sim.operator.iso-country": s1.Country.ISO + "," + s2.Country.ISO, "gsm.version.baseband": "MPSS.HI.3.1.c3-00257-SM8250_GEN_PACK-1",
		"persist.sys.timezone": map[string]string{"cn": "Asia/Shanghai", "in": "Asia/Kolkata", "ru": "Europe/Moscow", "es": "Europe/Madrid", "gb": "Europe/London", "sa": "Asia/Riyadh"}[p.home.ISO],
		"persist.sys.locale":   d.Locale, "ro.product.locale": d.Locale, "ro.bootloader": "unknown", "ro.boot.hwc": "GLOBAL",
		"ro.crypto.state": "encrypted", "ro.crypto.type": "file", "net.bt.name": "Android", "ro.boot.verifiedbootstate": "green",
	}
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "[%s]: [%s]\n", k, props[k])
	}
	return b.String()
}

// buildProp renders /system/build.prop (no IMEI there).
func (p *Phone) buildProp() string {
	d := p.Device
	return fmt.Sprintf("# begin common build properties\n# autogenerated by build/make/tools/buildinfo_common.sh\nro.system.build.date=%s\nro.system.build.fingerprint=%s\nro.system.build.id=%s\nro.system.build.version.incremental=%s\nro.system.build.version.release=%s\nro.system.build.version.sdk=%d\nro.product.system.brand=%s\nro.product.system.device=%s\nro.product.system.manufacturer=%s\nro.product.system.model=%s\nro.product.system.name=%s_global\n# end common build properties\nro.build.display.id=%s\nro.build.version.incremental=%s\nro.build.characteristics=default\n",
		p.BackupTime.AddDate(0, -4, 0).Format("Mon Jan 2 15:04:05 MST 2006"), d.Fingerprint, buildID(d.SDK), d.ROM, d.Release, d.SDK, d.Brand, d.Codename, d.Manufacturer, d.Model, d.Codename, buildID(d.SDK)+" release-keys", d.ROM)
}
