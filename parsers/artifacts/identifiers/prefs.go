package identifiers

import (
	"io"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/abx"
	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/idvalid"
)

// prefsFile reads apps' shared preferences (<map> XML, text or ABX) and
// small text/JSON files in app data, and keeps the identifiers cached there
// (artifacts.md §4.3, §4.9): each preference is classified by its key
// (imei, deviceId, imsi, iccid, android_id, msisdn…) and validated
// (idvalid.Classify); a messenger's country code + number pair (cc, ph) is
// the owner's number; other text is scanned with idvalid.Scan, which
// reports context-less values only when a checksum makes them likely.
type prefsFile struct{}

func (prefsFile) Name() string { return "identifiers/app-data" }

// MaxScanFile bounds the text files scanned.
const MaxScanFile = 4 << 20

func inAppData(f *container.File) (prefs bool, data bool) {
	p := "/" + strings.ReplaceAll(f.Path, "!", "/") + "/"
	switch f.Domain {
	case "sp", "d_sp":
		return true, false
	case "f", "d_f", "r", "d_r", "ef":
		return false, true
	}
	if strings.Contains(p, "/shared_prefs/") {
		return true, false
	}
	if packageOf(f) != "" && (strings.Contains(p, "/files/") || strings.Contains(p, "/app_")) {
		return false, true
	}
	return false, false
}

func (prefsFile) Match(f *container.File) bool {
	prefs, data := inAppData(f)
	switch {
	case prefs:
		return strings.HasSuffix(baseName(f), ".xml") && (f.Format == container.FormatXML || f.Format == container.FormatABX)
	case data:
		return (f.Format == container.FormatText || f.Format == container.FormatJSON || f.Format == container.FormatXML) &&
			f.Size >= 0 && f.Size <= MaxScanFile
	}
	return false
}

func (prefsFile) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	data, err := io.ReadAll(io.LimitReader(r, MaxScanFile+1))
	if err != nil {
		return err
	}
	if len(data) > MaxScanFile {
		data = data[:MaxScanFile]
	}
	pkg := packageOf(f)
	label := pkg
	if label == "" {
		label = "app data"
	}
	iso := country(ctx)
	if prefs, _ := inAppData(f); prefs {
		root, err := abx.ParseAny(data)
		if err == nil && root.Name == "map" {
			prefsMap(ctx, f, root, label, iso)
			return nil
		}
	}
	for _, fd := range idvalid.Scan(data, iso, 1000) {
		ctx.AddIdentifier(fromFound(fd, label, artifacts.SourceOffset(f, int64(fd.Offset))))
	}
	return nil
}

// prefsMap classifies each entry of a SharedPreferences <map>.
func prefsMap(ctx *artifacts.Context, f *container.File, root *abx.Element, label, iso string) {
	var cc, ph string
	var ccSrc string
	for i, el := range root.Children {
		name := el.Get("name")
		value, ok := el.Attr("value")
		if !ok {
			value = strings.TrimSpace(el.Text)
		}
		if name == "" || value == "" {
			continue
		}
		src := artifacts.SourceItem(f, "pref", i)
		switch name {
		case "cc":
			cc, ccSrc = value, src
			continue
		case "ph":
			ph = value
			continue
		}
		if fd, ok := idvalid.Classify(name, value, iso); ok {
			ctx.AddIdentifier(fromFound(fd, label, src))
			continue
		}
		if el.Name == "string" && len(value) >= 14 {
			// Values holding JSON or longer text: scan them too.
			for _, fd := range idvalid.Scan([]byte(value), iso, 100) {
				ctx.AddIdentifier(fromFound(fd, label, src))
			}
		}
	}
	if cc != "" && ph != "" && idvalid.Digits(cc) == cc && idvalid.Digits(ph) != "" {
		id := phoneID("+"+cc+idvalid.Digits(ph), "", label, ccSrc, map[string]string{"from": "cc + ph preferences"})
		ctx.AddIdentifier(id)
	}
}
