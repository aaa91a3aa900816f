// Package device fills report.Device — codename, model, brand, ROM, SDK
// level, build fingerprint and backup time — from what the inputs say
// about the phone: MIUI descript.xml and _tmp_meta (via package miui), the
// SDK level of Android backup _manifest files (package androidbackup), and
// system properties found by content (getprop output saved by acquisition
// tools and bug reports, build.prop). Properties also carry the IMEIs,
// MEID and serial number (artifacts.md §4.1, §4.3), which are validated
// and reported as identifiers.
//
// When sources disagree the first value found is kept and every source is
// listed in Device.Sources; conflicting values are recorded as problems
// of code "device-conflict".
package device

import (
	"bufio"
	"bytes"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/androidbackup"
	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/idvalid"
	"github.com/backupinspector/backupinspector/parsers/miui"
	"github.com/backupinspector/backupinspector/parsers/report"
)

func init() {
	artifacts.Register(descript{})
	artifacts.Register(tmpMeta{})
	artifacts.Register(manifest{})
	artifacts.Register(props{})
}

// set fills one device field: empty fields take the value; a different
// value from another file is reported.
func set(ctx *artifacts.Context, f *container.File, field string, dst *string, v string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	if *dst == "" {
		*dst = v
		return
	}
	if *dst != v {
		ctx.Problem(f, -1, "device-conflict", "%s is %q here but %q elsewhere (the first is kept)", field, v, *dst)
	}
}

func source(ctx *artifacts.Context, f *container.File) {
	d := &ctx.Report.Device
	for _, s := range d.Sources {
		if s == f.Path {
			return
		}
	}
	d.Sources = append(d.Sources, f.Path)
}

// descript reads MIUI's descript.xml.
type descript struct{}

func (descript) Name() string { return "device/miui-descript" }

func (descript) Match(f *container.File) bool { return f.Format == container.FormatMIUIDescript }

func (descript) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	d, err := miui.ParseDescript(r)
	if err != nil {
		return err
	}
	dev := &ctx.Report.Device
	set(ctx, f, "codename", &dev.Codename, d.Device)
	set(ctx, f, "ROM", &dev.ROM, d.MIUIVersion)
	if !d.Date.IsZero() {
		if dev.BackupTime == nil {
			dev.BackupTime = report.NewTime(d.Date)
		} else if !dev.BackupTime.Equal(d.Date) {
			ctx.Problem(f, -1, "device-conflict", "backup time is %s here but %s elsewhere (the first is kept)",
				report.NewTime(d.Date), dev.BackupTime)
		}
	}
	if d.InternalEncrypt {
		ctx.Problem(f, -1, "encrypted-unknown-method", "descript.xml carries a HyperOS internalEncrypt key: payloads may be encrypted with a device-bound key")
	}
	source(ctx, f)
	return nil
}

// tmpMeta reads apps/<pkg>/miui_meta/cache/_tmp_meta of MIUI .bak files.
type tmpMeta struct{}

func (tmpMeta) Name() string { return "device/miui-tmp-meta" }

func (tmpMeta) Match(f *container.File) bool {
	return f.Name == "_tmp_meta" && f.Size >= 0 && f.Size < 1<<20
}

func (tmpMeta) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return err
	}
	m, err := miui.ParseTmpMeta(data)
	if err != nil {
		return err
	}
	dev := &ctx.Report.Device
	set(ctx, f, "codename", &dev.Codename, m.Device)
	set(ctx, f, "ROM", &dev.ROM, m.MIUIVersion)
	source(ctx, f)
	return nil
}

// manifest reads the SDK level of apps/<pkg>/_manifest in Android and MIUI
// backups.
type manifest struct{}

func (manifest) Name() string { return "device/manifest" }

func (manifest) Match(f *container.File) bool {
	return f.Name == "_manifest" && f.Package != "" && f.Size >= 0 && f.Size <= androidbackup.MaxManifestSize
}

func (manifest) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, androidbackup.MaxManifestSize))
	if err != nil {
		return err
	}
	m, err := androidbackup.ParseManifest(data)
	if err != nil {
		return err
	}
	if m.SDK <= 0 {
		return nil
	}
	dev := &ctx.Report.Device
	switch {
	case dev.AndroidSDK == 0:
		dev.AndroidSDK = m.SDK
		source(ctx, f)
	case dev.AndroidSDK != m.SDK:
		ctx.Problem(f, -1, "device-conflict", "SDK level is %d here but %d elsewhere (the first is kept)", m.SDK, dev.AndroidSDK)
	default:
		source(ctx, f)
	}
	return nil
}

// props reads system properties: getprop output ("[key]: [value]" lines)
// and build.prop-style files ("key=value"), recognised by content.
type props struct{}

func (props) Name() string { return "device/properties" }

// MaxProps bounds the property files read.
const MaxProps = 8 << 20

func (props) Match(f *container.File) bool {
	// getprop output starts with '[' and may be sniffed as JSON.
	if (f.Format != container.FormatText && f.Format != container.FormatJSON) || f.Size > MaxProps {
		return false
	}
	n := strings.ToLower(f.Name)
	if n == "build.prop" || n == "default.prop" || strings.HasSuffix(n, ".prop") {
		return true
	}
	return looksLikeGetprop(f.Head) || looksLikeBuildProp(f.Head)
}

func looksLikeGetprop(h []byte) bool {
	return bytes.Count(h, []byte("]: [")) >= 3 && (bytes.Contains(h, []byte("[ro.")) || bytes.Contains(h, []byte("[persist.")) || bytes.Contains(h, []byte("[gsm.")))
}

func looksLikeBuildProp(h []byte) bool {
	return bytes.Count(h, []byte("\nro.")) >= 3 && bytes.Contains(h, []byte("="))
}

// ParseProps parses getprop or build.prop text into keys and values with
// the byte offset of each line. Later duplicates win, like the property
// service.
func ParseProps(data []byte) (map[string]string, map[string]int64) {
	vals := map[string]string{}
	offs := map[string]int64{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var off int64
	for sc.Scan() {
		line := sc.Text()
		lineOff := off
		off += int64(len(sc.Bytes())) + 1
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' {
			continue
		}
		var k, v string
		if strings.HasPrefix(t, "[") {
			kk, rest, ok := strings.Cut(t[1:], "]: [")
			if !ok {
				continue
			}
			k, v = kk, strings.TrimSuffix(rest, "]")
		} else {
			kk, vv, ok := strings.Cut(t, "=")
			if !ok {
				continue
			}
			k, v = strings.TrimSpace(kk), strings.TrimSpace(vv)
		}
		if k == "" || strings.ContainsAny(k, " \t") {
			continue
		}
		vals[k] = v
		offs[k] = lineOff
	}
	return vals, offs
}

func firstOf(vals map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(vals[k]); v != "" && v != "unknown" {
			return v
		}
	}
	return ""
}

func (props) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, MaxProps))
	if err != nil {
		return err
	}
	vals, offs := ParseProps(data)
	if len(vals) == 0 {
		return nil
	}
	dev := &ctx.Report.Device
	set(ctx, f, "model", &dev.Model, firstOf(vals, "ro.product.model", "ro.product.system.model", "ro.product.vendor.model", "ro.product.odm.model"))
	set(ctx, f, "brand", &dev.Brand, firstOf(vals, "ro.product.brand", "ro.product.system.brand", "ro.product.vendor.brand", "ro.product.manufacturer", "ro.product.system.manufacturer"))
	set(ctx, f, "codename", &dev.Codename, firstOf(vals, "ro.product.device", "ro.product.system.device", "ro.product.vendor.device", "ro.build.product"))
	set(ctx, f, "ROM", &dev.ROM, firstOf(vals, "ro.build.version.incremental", "ro.system.build.version.incremental", "ro.miui.ui.version.name"))
	set(ctx, f, "fingerprint", &dev.Fingerprint, firstOf(vals, "ro.build.fingerprint", "ro.system.build.fingerprint", "ro.vendor.build.fingerprint"))
	if sdk, err := strconv.Atoi(firstOf(vals, "ro.build.version.sdk", "ro.system.build.version.sdk")); err == nil && sdk > 0 {
		if dev.AndroidSDK == 0 {
			dev.AndroidSDK = sdk
		} else if dev.AndroidSDK != sdk {
			ctx.Problem(f, -1, "device-conflict", "SDK level is %d here but %d elsewhere (the first is kept)", sdk, dev.AndroidSDK)
		}
	}
	source(ctx, f)
	// Identifiers in the properties (IMEIs on Xiaomi: ro.ril.miui.imei0/1,
	// ro.ril.oem.imei1/2, persist.radio.imei*; MEID; serial).
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := vals[k]
		kind := idvalid.ContextKind(k)
		if kind == "" || v == "" {
			continue
		}
		switch kind {
		case "imei", "meid", "serial", "imsi", "iccid", "phone-number":
		default:
			continue
		}
		if kind == "serial" && !(k == "ro.serialno" || k == "ro.boot.serialno" || strings.HasSuffix(k, ".serialno")) {
			continue
		}
		src := artifacts.SourceOffset(f, offs[k])
		for _, part := range strings.Split(v, ",") { // dual-SIM properties list both values
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			fd, ok := idvalid.Classify(k, part, "")
			id := report.Identifier{Label: k, Source: src, Details: map[string]string{"property": k}}
			switch {
			case ok:
				id.Kind, id.Value, id.Valid = kindOf(fd.Kind), fd.Value, true
			case kind == "imei":
				id.Kind, id.Value = report.IDIMEI, idvalid.Digits(part)
				if id.Value == "" {
					continue
				}
			default:
				continue
			}
			ctx.AddIdentifier(id)
		}
	}
	return nil
}

func kindOf(k string) string {
	switch k {
	case "imei":
		return report.IDIMEI
	case "meid":
		return report.IDMEID
	case "serial":
		return report.IDSerial
	case "imsi":
		return report.IDIMSI
	case "iccid":
		return report.IDICCID
	case "phone-number":
		return report.IDPhoneNumber
	}
	return k
}
