package identifiers

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"io"
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/abx"
	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/idvalid"
	"github.com/backupinspector/backupinspector/parsers/report"
)

// wifiFile reads saved Wi-Fi networks (artifacts.md §4.7, formats.md §7):
// WifiConfigStore.xml and WifiConfigStoreSoftAp.xml (text or ABX), the
// <WifiBackupData> of the settings key-value backup (key wifi_new_config)
// and wpa_supplicant.conf. Passwords are only counted.
type wifiFile struct{}

func (wifiFile) Name() string { return "identifiers/wifi" }

func (wifiFile) Match(f *container.File) bool {
	switch f.Format {
	case container.FormatWifiConfigXML, container.FormatWifiBackupXML:
		return true
	}
	n := baseName(f)
	switch {
	case strings.HasPrefix(n, "wificonfigstore") && strings.HasSuffix(n, ".xml"):
		return f.Format == container.FormatABX || f.Format == container.FormatXML
	case n == "wpa_supplicant.conf" || n == "p2p_supplicant.conf":
		return true
	}
	return false
}

func (wifiFile) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, abx.MaxXMLSize))
	if err != nil {
		return err
	}
	if strings.HasSuffix(baseName(f), ".conf") {
		return wpaSupplicant(ctx, f, data)
	}
	root, err := abx.ParseAny(data)
	if err != nil {
		return err
	}
	backup := root.Name == "WifiBackupData"
	n := 0
	root.Walk(func(el *abx.Element, parents []*abx.Element) {
		switch el.Name {
		case "Network":
			addNetwork(ctx, f, el, n, backup)
			n++
		case "SoftAp":
			addSoftAp(ctx, f, el)
		}
	})
	return nil
}

// typed collects the typed values (<string name=…>, <boolean name=… value=…>,
// <byte-array>, <null>) directly below el.
func typed(el *abx.Element) map[string]*abx.Element {
	m := map[string]*abx.Element{}
	for _, c := range el.Children {
		if name := c.Get("name"); name != "" {
			m[name] = c
		}
	}
	return m
}

func valueOf(el *abx.Element) string {
	if el == nil || el.Name == "null" {
		return ""
	}
	if v, ok := el.Attr("value"); ok {
		return v
	}
	return strings.TrimSpace(el.Text)
}

// decodeSSID undoes the quoting of a WifiConfiguration SSID: "text" in
// quotes, or hex for non-UTF-8 names.
func decodeSSID(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	if b, err := hex.DecodeString(s); err == nil && len(s)%2 == 0 && s != "" {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return s
}

// keyMgmt names the security from the AllowedKeyMgmt BitSet (hex of Java
// BitSet.toByteArray, little-endian bit order).
func keyMgmt(hexBits string) string {
	b, err := hex.DecodeString(strings.TrimSpace(hexBits))
	if err != nil || len(b) == 0 {
		return ""
	}
	bit := func(i int) bool { return i/8 < len(b) && b[i/8]&(1<<(i%8)) != 0 }
	switch {
	case bit(10):
		return "WPA3-Enterprise 192-bit"
	case bit(8):
		return "WPA3-SAE"
	case bit(9):
		return "OWE"
	case bit(2) || bit(3) || bit(7):
		return "WPA-EAP"
	case bit(1) || bit(4) || bit(6) || bit(11):
		return "WPA-PSK"
	case bit(13):
		return "WAPI-PSK"
	case bit(0):
		return "open"
	}
	return ""
}

func addNetwork(ctx *artifacts.Context, f *container.File, net *abx.Element, n int, backup bool) {
	var conf, status, ent *abx.Element
	for _, c := range net.Children {
		switch c.Name {
		case "WifiConfiguration":
			conf = c
		case "NetworkStatus":
			status = c
		case "WifiEnterpriseConfiguration":
			ent = c
		}
	}
	if conf == nil {
		return
	}
	v := typed(conf)
	// An encrypted PreSharedKey is a section (<PreSharedKey> holding
	// EncryptedData and IV byte-arrays), not a typed value.
	for _, c := range conf.Children {
		if (c.Name == "PreSharedKey" || c.Name == "WEPKeys") && c.Get("name") == "" {
			v[c.Name] = c
		}
	}
	ssid := decodeSSID(valueOf(v["SSID"]))
	if ssid == "" {
		return
	}
	d := map[string]string{}
	put := func(k, val string) {
		if val != "" {
			d[k] = val
		}
	}
	sec := keyMgmt(valueOf(v["AllowedKeyMgmt"]))
	if sec == "" {
		if ck := valueOf(v["ConfigKey"]); ck != "" {
			if i := strings.LastIndexByte(ck, '"'); i >= 0 && i+1 < len(ck) {
				sec = ck[i+1:]
			}
		}
	}
	secret := false
	if psk := v["PreSharedKey"]; psk != nil && psk.Name != "null" {
		if valueOf(psk) != "" {
			secret = true
			put("password", "stored in plain text (not shown)")
		} else if len(psk.Children) > 0 {
			secret = true
			put("password", "stored encrypted with a device key (not shown)")
		}
	}
	if w := v["WEPKeys"]; w != nil && w.Name != "null" {
		for _, it := range w.Children {
			if valueOf(it) != "" {
				secret = true
				put("password", "WEP key stored (not shown)")
				break
			}
		}
	}
	if ent != nil {
		ev := typed(ent)
		put("identity", valueOf(ev["Identity"]))
		put("anonymousIdentity", valueOf(ev["AnonIdentity"]))
		put("eapMethod", valueOf(ev["EapMethod"]))
		if valueOf(ev["Password"]) != "" {
			secret = true
			put("password", "enterprise password stored (not shown)")
		}
	}
	if valueOf(v["HiddenSSID"]) == "true" {
		d["hidden"] = "true"
	}
	for _, k := range []string{"BSSID", "DefaultGwMacAddress", "RandomizedMacAddress"} {
		if m, err := idvalid.MAC(valueOf(v[k])); err == nil {
			put(map[string]string{"BSSID": "bssid", "DefaultGwMacAddress": "gatewayMac", "RandomizedMacAddress": "randomizedMac"}[k], m)
		}
	}
	put("creator", valueOf(v["CreatorName"]))
	put("priority", valueOf(v["Priority"]))
	if status != nil {
		put("hasEverConnected", valueOf(typed(status)["HasEverConnected"]))
	}
	if backup {
		put("from", "settings backup")
	}
	if sec == "" {
		sec = "unknown"
	}
	ctx.AddIdentifier(report.Identifier{Kind: report.IDWifi, Value: ssid, Valid: true, Label: sec, Details: d, Secret: secret,
		Source: artifacts.SourceItem(f, "Network", n)})
}

func addSoftAp(ctx *artifacts.Context, f *container.File, el *abx.Element) {
	v := typed(el)
	ssid := decodeSSID(valueOf(v["SSID"]))
	if ssid == "" {
		ssid = decodeSSID(valueOf(v["WifiSsid"]))
	}
	if ssid == "" {
		return
	}
	d := map[string]string{"hotspot": "true"}
	secret := valueOf(v["Passphrase"]) != ""
	if secret {
		d["password"] = "stored in plain text (not shown)"
	}
	if m, err := idvalid.MAC(valueOf(v["Bssid"])); err == nil {
		d["bssid"] = m
	}
	ctx.AddIdentifier(report.Identifier{Kind: report.IDWifi, Value: ssid, Valid: true, Label: "hotspot", Details: d, Secret: secret,
		Source: artifacts.SourceOffset(f, el.Offset)})
}

// wpaSupplicant reads wpa_supplicant-style text: network={ … } blocks with
// ssid, psk/sae_password/wep_key0/password, key_mgmt, scan_ssid.
func wpaSupplicant(ctx *artifacts.Context, f *container.File, data []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var cur map[string]string
	var curOff int64
	var off int64
	n := 0
	flush := func() {
		if cur == nil {
			return
		}
		ssid := unquoteConf(cur["ssid"])
		if ssid != "" {
			d := map[string]string{}
			secret := false
			for _, k := range []string{"psk", "sae_password", "wep_key0", "wep_key1", "password"} {
				if cur[k] != "" {
					secret = true
					d["password"] = "stored in plain text (not shown)"
				}
			}
			if cur["scan_ssid"] == "1" {
				d["hidden"] = "true"
			}
			if cur["identity"] != "" {
				d["identity"] = unquoteConf(cur["identity"])
			}
			if m, err := idvalid.MAC(cur["bssid"]); err == nil {
				d["bssid"] = m
			}
			if cur["priority"] != "" {
				d["priority"] = cur["priority"]
			}
			sec := cur["key_mgmt"]
			switch {
			case sec == "NONE" && cur["wep_key0"] == "":
				sec = "open"
			case sec == "":
				if secret {
					sec = "WPA-PSK"
				} else {
					sec = "open"
				}
			}
			ctx.AddIdentifier(report.Identifier{Kind: report.IDWifi, Value: ssid, Valid: true, Label: sec, Details: d, Secret: secret,
				Source: artifacts.SourceItem(f, "network", n)})
			_ = curOff
		}
		n++
		cur = nil
	}
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		lineOff := off
		off += int64(len(sc.Bytes())) + 1
		switch {
		case strings.HasPrefix(line, "network={"):
			flush()
			cur = map[string]string{}
			curOff = lineOff
		case line == "}":
			flush()
		case cur != nil:
			if k, v, ok := strings.Cut(line, "="); ok {
				cur[strings.TrimSpace(k)] = strings.TrimSpace(v)
			}
		}
	}
	flush()
	return sc.Err()
}

// unquoteConf undoes wpa_supplicant quoting: "text", or hex for other
// bytes; P"…" printf-escaped strings are taken as written.
func unquoteConf(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	if len(s) >= 3 && s[0] == 'P' && s[1] == '"' && s[len(s)-1] == '"' {
		if u, err := strconv.Unquote(s[1:]); err == nil {
			return u
		}
		return s[2 : len(s)-1]
	}
	if b, err := hex.DecodeString(s); err == nil && s != "" {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return s
}
