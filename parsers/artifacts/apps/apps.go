// Package apps lists the Android packages present in the inputs, with what
// their backups say of them: version code, installer, signing certificates
// (from apps/<pkg>/_manifest), MIUI labels and features (from .bak headers
// and descript.xml), XSpace and encryption.
package apps

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"sort"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/androidbackup"
	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/miui"
	"github.com/backupinspector/backupinspector/parsers/report"
)

func init() { artifacts.Register(manifest{}) }

const stateKey = "apps"

type registry struct {
	byPkg map[string]*report.App
}

func reg(ctx *artifacts.Context) *registry {
	return ctx.State(stateKey, func() any { return &registry{byPkg: map[string]*report.App{}} }).(*registry)
}

func (r *registry) app(pkg string) *report.App {
	a := r.byPkg[pkg]
	if a == nil {
		a = &report.App{Package: pkg}
		r.byPkg[pkg] = a
	}
	return a
}

func addUnique[T comparable](s []T, v T) []T {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// manifest reads apps/<pkg>/_manifest entries of Android backup tars.
type manifest struct{}

func (manifest) Name() string { return "apps/manifest" }

func (manifest) Match(f *container.File) bool {
	return f.Name == "_manifest" && f.Package != "" && f.Size >= 0 && f.Size < 1<<20
}

func (manifest) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	b, err := io.ReadAll(io.LimitReader(r, 1<<20))
	if err != nil {
		return err
	}
	m, err := androidbackup.ParseManifest(b)
	if err != nil {
		return err
	}
	pkg := m.Package
	if pkg == "" {
		pkg = f.Package
	}
	a := reg(ctx).app(pkg)
	if m.VersionCode != 0 {
		a.VersionCode = m.VersionCode
	}
	if m.Installer != "" {
		a.Installer = m.Installer
	}
	if m.SDK != 0 {
		a.SDK = m.SDK
	}
	a.APK = a.APK || m.APKIncluded
	for _, c := range m.Certificates {
		sum := sha256.Sum256(c)
		a.CertSHA256 = addUnique(a.CertSHA256, hex.EncodeToString(sum[:]))
	}
	a.Sources = addUnique(a.Sources, f.Path)
	return nil
}

// AddMIUIHeader records the package of a MIUI .bak from its header.
func AddMIUIHeader(ctx *artifacts.Context, path string, h *miui.Header) {
	if h == nil || h.Package == "" {
		return
	}
	a := reg(ctx).app(h.Package)
	if h.Label != "" {
		a.Labels = addUnique(a.Labels, h.Label)
	}
	a.Features = addUnique(a.Features, h.Feature)
	a.XSpace = a.XSpace || h.HasUserID
	a.Encrypted = a.Encrypted || h.Encrypted()
	a.Sources = addUnique(a.Sources, path)
}

// AddDescript records the packages a MIUI descript.xml lists.
func AddDescript(ctx *artifacts.Context, path string, d *miui.Descript) {
	if d == nil {
		return
	}
	for _, p := range d.Packages {
		if p.PackageName == "" {
			continue
		}
		a := reg(ctx).app(p.PackageName)
		a.Features = addUnique(a.Features, p.Feature)
		a.Sources = addUnique(a.Sources, path)
	}
}

// dataFolderPackage returns the package whose private or external data
// folder holds the file at the in-container path p (data/data/<pkg>/…,
// data/user/N/<pkg>/…, data/user_de/N/<pkg>/…, Android/data/<pkg>/…).
func dataFolderPackage(p string) string {
	parts := strings.Split(p, "/")
	for i := 0; i+2 < len(parts); i++ {
		switch {
		case parts[i] == "data" && parts[i+1] == "data" && i+3 < len(parts):
			return validPackage(parts[i+2])
		case parts[i] == "data" && (parts[i+1] == "user" || parts[i+1] == "user_de") && i+4 < len(parts) && isDigits(parts[i+2]):
			return validPackage(parts[i+3])
		case parts[i] == "Android" && (parts[i+1] == "data" || parts[i+1] == "obb") && i+3 < len(parts):
			return validPackage(parts[i+2])
		}
	}
	return ""
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// validPackage returns s when it has the shape of an Android package name.
func validPackage(s string) string {
	if len(s) < 3 || len(s) > 255 || !strings.Contains(s, ".") {
		return ""
	}
	for _, seg := range strings.Split(s, ".") {
		if seg == "" || !(seg[0] >= 'a' && seg[0] <= 'z' || seg[0] >= 'A' && seg[0] <= 'Z') {
			return ""
		}
		for _, c := range seg {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
				return ""
			}
		}
	}
	return s
}

// Finish writes the collected apps into the report, adding packages whose
// data folders appear in file-system dumps.
func (manifest) Finish(ctx *artifacts.Context) error {
	r := reg(ctx)
	for _, f := range ctx.Report.Files {
		seg := f.Path
		if i := strings.LastIndexByte(seg, '!'); i >= 0 {
			seg = seg[i+1:]
		}
		if pkg := dataFolderPackage(seg); pkg != "" {
			if _, seen := r.byPkg[pkg]; !seen {
				r.app(pkg).Sources = []string{f.Path}
			}
		}
	}
	for _, a := range r.byPkg {
		sort.Ints(a.Features)
		sort.Strings(a.Labels)
		sort.Strings(a.CertSHA256)
		sort.Strings(a.Sources)
		ctx.Report.Apps = append(ctx.Report.Apps, *a)
	}
	return nil
}
