package indicators

import (
	"regexp"
	"sort"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/report"
)

// An App is an Android package the report shows to be present in the
// inputs, with the first file that shows it.
type App struct {
	Package string `json:"package"`
	Source  string `json:"source"` // provenance path of the evidence
	How     string `json:"how"`    // which kind of evidence
}

// Evidence kinds of App.How.
const (
	AppBackupFolder = "apps/<package>/ in a backup"                          // .ab / MIUI .bak / extracted backup folder
	AppMIUIBak      = "MIUI .bak file named Label(package).bak"              // MIUI backup set
	AppDataFolder   = "app data folder (data/data, data/user, Android/data)" // file-system dumps
	AppPayload      = "payload of the package"                               // Payload.Package
	AppIdentifier   = "identifier of the package (per-app Android ID…)"      // Identifier.Details["package"]
	AppListed       = "listed in the report's apps (manifest, .bak header, descript.xml)"
)

var miuiBakName = regexp.MustCompile(`\(([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)+)\)\.bak$`)

// Apps lists the Android packages present in rep, from the provenance paths
// of its files (apps/<pkg>/… in .ab and MIUI .bak archives and backup
// folders, MIUI "Label(pkg).bak" names, data/data/<pkg>, data/user*/N/<pkg>
// and Android/data/<pkg> folders of dumps), payload packages and
// identifiers naming a package (per-app Android IDs). Sorted by package.
func Apps(rep *report.Report) []App {
	found := map[string]App{}
	add := func(pkg, src, how string) {
		if !validPackage(pkg) {
			return
		}
		old, ok := found[pkg]
		// Keep the first path in order, but prefer an apps/<pkg>/_manifest.
		if !ok || (!strings.HasSuffix(old.Source, "/_manifest") && strings.HasSuffix(src, "/_manifest")) {
			found[pkg] = App{Package: pkg, Source: src, How: how}
		}
	}
	for _, f := range rep.Files {
		for _, seg := range strings.Split(f.Path, "!") {
			seg = decodeSegment(seg)
			parts := strings.Split(seg, "/")
			for j, p := range parts {
				switch {
				case p == "apps" && j+2 < len(parts):
					add(parts[j+1], f.Path, AppBackupFolder)
				case p == "data" && j+2 < len(parts) && parts[j+1] == "data" && j+3 < len(parts):
					add(parts[j+2], f.Path, AppDataFolder)
				case p == "data" && j+3 < len(parts) && (parts[j+1] == "user" || parts[j+1] == "user_de") && allDigits(parts[j+2]) && j+4 < len(parts):
					add(parts[j+3], f.Path, AppDataFolder)
				case p == "Android" && j+2 < len(parts) && (parts[j+1] == "data" || parts[j+1] == "obb" || parts[j+1] == "media") && j+3 < len(parts):
					add(parts[j+2], f.Path, AppDataFolder)
				}
			}
			if m := miuiBakName.FindStringSubmatch(parts[len(parts)-1]); m != nil {
				add(m[1], f.Path, AppMIUIBak)
			}
		}
	}
	for _, a := range rep.Apps {
		src := ""
		if len(a.Sources) > 0 {
			src = a.Sources[0]
		}
		add(a.Package, src, AppListed)
	}
	for _, p := range rep.Payloads {
		if p.Package != "" {
			add(p.Package, p.Path, AppPayload)
		}
	}
	for _, id := range rep.Identifiers {
		if pkg := id.Details["package"]; pkg != "" && pkg != "android" {
			add(pkg, id.Source, AppIdentifier)
		}
	}
	out := make([]App, 0, len(found))
	for _, a := range found {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Package < out[j].Package })
	return out
}

// decodeSegment undoes the container package's escaping of '!' and '%' in
// a provenance segment.
func decodeSegment(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	return strings.NewReplacer("%21", "!", "%25", "%").Replace(s)
}

// fileName is the base name of a provenance path.
func fileName(path string) string {
	seg := path
	if i := strings.LastIndexByte(seg, '!'); i >= 0 {
		seg = seg[i+1:]
	}
	if i := strings.LastIndexByte(seg, '/'); i >= 0 {
		seg = seg[i+1:]
	}
	return decodeSegment(seg)
}
