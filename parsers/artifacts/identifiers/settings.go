package identifiers

import (
	"encoding/binary"
	"encoding/json"
	"io"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/abx"
	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/idvalid"
	"github.com/backupinspector/backupinspector/parsers/report"
)

// settingsFile reads SettingsProvider files, text XML or ABX
// (artifacts.md §4.4): settings_ssaid.xml (per-app Android IDs),
// settings_secure.xml (legacy android_id, Bluetooth address and name),
// settings_global.xml (device name).
type settingsFile struct{}

func (settingsFile) Name() string { return "identifiers/settings" }

func (settingsFile) Match(f *container.File) bool {
	switch baseName(f) {
	case "settings_ssaid.xml", "settings_secure.xml", "settings_global.xml", "settings_system.xml":
		return f.Format == container.FormatABX || f.Format == container.FormatXML
	}
	return false
}

func (settingsFile) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, abx.MaxXMLSize))
	if err != nil {
		return err
	}
	root, err := abx.ParseAny(data)
	if err != nil {
		return err
	}
	ssaid := baseName(f) == "settings_ssaid.xml"
	n := 0
	root.Walk(func(el *abx.Element, _ []*abx.Element) {
		if el.Name != "setting" {
			return
		}
		src := artifacts.SourceItem(f, "setting", n)
		n++
		name, value, pkg := el.Get("name"), el.Get("value"), el.Get("package")
		if ssaid {
			if name == "userkey" {
				// The per-user HMAC key all SSAIDs derive from: a secret.
				ctx.AddIdentifier(report.Identifier{Kind: report.IDAndroidID, Value: "(SSAID key of user, not shown)", Label: "SSAID key",
					Secret: true, Details: map[string]string{"package": pkg}, Source: src})
				return
			}
			v, err := idvalid.SSAID(value)
			if v == "" {
				return
			}
			ctx.AddIdentifier(report.Identifier{Kind: report.IDAndroidID, Value: v, Valid: err == nil, Label: pkg,
				Details: map[string]string{"uid": name, "package": pkg}, Source: src})
			return
		}
		settingIdentifier(ctx, name, value, src)
	})
	return nil
}

// settingIdentifier handles one secure/global/system setting.
func settingIdentifier(ctx *artifacts.Context, name, value, src string) {
	value = strings.TrimSpace(value)
	if value == "" {
		return
	}
	switch name {
	case "android_id":
		v, err := idvalid.AndroidID(value)
		ctx.AddIdentifier(report.Identifier{Kind: report.IDAndroidID, Value: v, Valid: err == nil, Label: "device (legacy android_id)", Source: src})
	case "bluetooth_address":
		v, err := idvalid.MAC(value)
		ctx.AddIdentifier(report.Identifier{Kind: report.IDMAC, Value: v, Valid: err == nil, Label: LabelBTAdapter, Source: src})
	case "bluetooth_name":
		ctx.AddIdentifier(report.Identifier{Kind: report.IDDevice, Value: value, Valid: true, Label: LabelBTName, Source: src})
	case "device_name":
		ctx.AddIdentifier(report.Identifier{Kind: report.IDDevice, Value: value, Valid: true, Label: LabelDeviceName, Source: src})
	case "advertising_id":
		v, err := idvalid.GAID(value)
		ctx.AddIdentifier(report.Identifier{Kind: report.IDAdvertising, Value: v, Valid: err == nil, Label: "advertising id", Source: src})
	}
}

// Labels of device-level identifiers.
const (
	LabelBTAdapter  = "bluetooth adapter"
	LabelBTName     = "bluetooth name"
	LabelDeviceName = "device name"
)

// miuiSettings reads the MIUI settings backup payload (com.android.settings
// _tmp_bak): the JSON settings shape {"packageName", "data": [{"key",
// "type", "value"}]} of feature 1 (formats.md §2.7, unverified), and the
// wpa_supplicant-style Wi-Fi text of feature 2.
type miuiSettings struct{}

func (miuiSettings) Name() string { return "identifiers/miui-settings" }

func (miuiSettings) Match(f *container.File) bool {
	if f.Name != "_tmp_bak" || f.Package != "com.android.settings" {
		return false
	}
	h := strings.TrimSpace(string(f.Head))
	return strings.HasPrefix(h, "{") || strings.Contains(h, "network={")
}

func (miuiSettings) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, 64<<20))
	if err != nil {
		return err
	}
	if strings.Contains(string(data[:min(len(data), 4096)]), "network={") {
		return wpaSupplicant(ctx, f, data)
	}
	var doc struct {
		PackageName string `json:"packageName"`
		Data        []struct {
			Key   string          `json:"key"`
			Type  string          `json:"type"`
			Value json.RawMessage `json:"value"`
		} `json:"data"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil // not the JSON shape; the payloads module shows it
	}
	for i, it := range doc.Data {
		var s string
		if json.Unmarshal(it.Value, &s) != nil {
			continue
		}
		settingIdentifier(ctx, it.Key, s, artifacts.SourceItem(f, "data", i))
	}
	return nil
}

// settingsKV reads the system/secure/global tables of the settings
// provider's key-value backup (apps/com.android.providers.settings/k/…,
// keys "system", "secure", "global"): repeated big-endian int32 length +
// key, int32 length + value (formats.md §3.9, layout unverified; read
// leniently, stopping at the first length that does not fit).
type settingsKV struct{}

func (settingsKV) Name() string { return "identifiers/settings-backup" }

func (settingsKV) Match(f *container.File) bool {
	if f.Package != "com.android.providers.settings" || f.Size > 16<<20 {
		return false
	}
	switch f.Name {
	case "system", "secure", "global":
		return true
	}
	return false
}

func (settingsKV) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return err
	}
	for off, n := 0, 0; off+4 <= len(data); n++ {
		at := off
		kl := int(binary.BigEndian.Uint32(data[off:]))
		if kl < 0 || kl > 4096 || off+4+kl+4 > len(data) {
			if off != len(data) {
				ctx.Problem(f, int64(off), "corrupt", "settings backup: bad key length %d", kl)
			}
			return nil
		}
		key := string(data[off+4 : off+4+kl])
		off += 4 + kl
		vl := int(int32(binary.BigEndian.Uint32(data[off:])))
		off += 4
		if vl < 0 {
			continue // null value
		}
		if off+vl > len(data) {
			ctx.Problem(f, int64(off), "corrupt", "settings backup: value of %q runs past the end", key)
			return nil
		}
		val := string(data[off : off+vl])
		off += vl
		settingIdentifier(ctx, key, val, artifacts.SourceOffset(f, int64(at)))
	}
	return nil
}
