package miui

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// MaxDescriptSize bounds the descript.xml accepted by ParseDescript.
const MaxDescriptSize = 16 << 20

// ErrNotDescript is returned when the XML root is not <MIUI-backup>.
var ErrNotDescript = errors.New("miui: not a descript.xml (root element is not MIUI-backup)")

// Descript is the parsed descript.xml of a MIUI/HyperOS backup set
// (formats.md §2.2). Unknown elements are ignored; values that do not parse
// are left zero and noted in Warnings.
type Descript struct {
	BakVersion  int
	BrState     int
	AutoBackup  bool
	Device      string    // device codename (Build.DEVICE)
	MIUIVersion string    // ROM version (Build.VERSION.INCREMENTAL)
	Date        time.Time // backup time, UTC; zero if absent
	DateMillis  int64
	Size        int64
	StorageLeft int64
	JSONMsg     string
	// Key is the HyperOS <key> element, e.g. "internalEncrypt:<base64>";
	// its meaning is unknown. InternalEncrypt is true when it starts with
	// "internalEncrypt:".
	Key             string
	InternalEncrypt bool
	Packages        []Package
	// Legacy is true for the 2012-era format (no <packages>, fields like
	// sysAppCount); it is detected, not interpreted.
	Legacy   bool
	Warnings []string
}

// Package is one <packages>/<package> entry.
type Package struct {
	PackageName   string
	Feature       int
	BakFile       string // exact .bak file name in the folder
	SplitFile     string // HyperOS companion .split file, "" if none
	SplitFileSize int64
	BakType       int
	PkgSize       int64 // bytes, or a record count when ProgType is 1
	SdSize        int64
	State         int
	Error         int
	ProgType      int
	BakFileSize   int64
	CompletedSize int64
}

// ParseDescript parses a descript.xml document leniently.
func ParseDescript(r io.Reader) (*Descript, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxDescriptSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxDescriptSize {
		return nil, fmt.Errorf("miui: descript.xml larger than %d bytes", MaxDescriptSize)
	}
	data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }

	d := &Descript{}
	var stack []string
	var text strings.Builder
	var pkg *Package
	sawRoot := false
	warn := func(format string, a ...any) {
		if len(d.Warnings) < 100 {
			d.Warnings = append(d.Warnings, fmt.Sprintf(format, a...))
		}
	}
	i64 := func(name, s string) int64 {
		s = strings.TrimSpace(s)
		if s == "" {
			return 0
		}
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			warn("<%s> %q is not a number", name, s)
		}
		return v
	}
	atoi := func(name, s string) int { return int(i64(name, s)) }

	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if !sawRoot {
				return nil, fmt.Errorf("miui: descript.xml: %w", err)
			}
			warn("XML error after %d package(s): %v", len(d.Packages), err)
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if len(stack) == 0 {
				if name != "MIUI-backup" {
					return nil, ErrNotDescript
				}
				sawRoot = true
			}
			stack = append(stack, name)
			text.Reset()
			if len(stack) == 3 && stack[1] == "packages" && name == "package" {
				d.Packages = append(d.Packages, Package{})
				pkg = &d.Packages[len(d.Packages)-1]
			}
		case xml.CharData:
			if text.Len() < 1<<20 {
				text.Write(t)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				continue
			}
			name := stack[len(stack)-1]
			val := text.String()
			switch {
			case len(stack) == 2:
				switch name {
				case "bakVersion":
					d.BakVersion = atoi(name, val)
				case "brState":
					d.BrState = atoi(name, val)
				case "autoBackup":
					d.AutoBackup = strings.TrimSpace(val) == "true"
				case "device":
					d.Device = strings.TrimSpace(val)
				case "miuiVersion":
					d.MIUIVersion = strings.TrimSpace(val)
				case "date":
					if ms := i64(name, val); ms != 0 {
						d.DateMillis = ms
						d.Date = time.UnixMilli(ms).UTC()
					}
				case "size":
					d.Size = i64(name, val)
				case "storageLeft":
					d.StorageLeft = i64(name, val)
				case "jsonMsg":
					d.JSONMsg = val
				case "key":
					d.Key = strings.TrimSpace(val)
					d.InternalEncrypt = strings.HasPrefix(d.Key, "internalEncrypt:")
				case "sysAppCount", "apkCount":
					d.Legacy = true
				}
			case len(stack) == 4 && stack[1] == "packages" && stack[2] == "package" && pkg != nil:
				switch name {
				case "packageName":
					pkg.PackageName = strings.TrimSpace(val)
				case "feature":
					pkg.Feature = atoi(name, val)
				case "bakFile":
					pkg.BakFile = val
				case "splitFile":
					pkg.SplitFile = val
				case "splitFileSize":
					pkg.SplitFileSize = i64(name, val)
				case "bakType":
					pkg.BakType = atoi(name, val)
				case "pkgSize":
					pkg.PkgSize = i64(name, val)
				case "sdSize":
					pkg.SdSize = i64(name, val)
				case "state":
					pkg.State = atoi(name, val)
				case "error":
					pkg.Error = atoi(name, val)
				case "progType":
					pkg.ProgType = atoi(name, val)
				case "bakFileSize":
					pkg.BakFileSize = i64(name, val)
				case "completedSize":
					pkg.CompletedSize = i64(name, val)
				}
			}
			stack = stack[:len(stack)-1]
			text.Reset()
		}
		if len(stack) > 64 {
			return nil, errors.New("miui: descript.xml nested deeper than 64 elements")
		}
	}
	if !sawRoot {
		return nil, ErrNotDescript
	}
	return d, nil
}

// IsDescript reports whether head (the first bytes of a file) looks like a
// descript.xml: an XML document whose root is <MIUI-backup>.
func IsDescript(head []byte) bool {
	s := head
	s = bytes.TrimPrefix(s, []byte("\xEF\xBB\xBF"))
	s = bytes.TrimLeft(s, " \t\r\n")
	if !bytes.HasPrefix(s, []byte("<")) {
		return false
	}
	return bytes.Contains(head, []byte("<MIUI-backup"))
}

// TmpMeta is the apps/<pkg>/miui_meta/cache/_tmp_meta file of a .bak
// (formats.md §2.5).
type TmpMeta struct {
	Version       int
	Package       string
	VersionCode   int64
	VersionName   string
	Created       time.Time // UTC; zero if absent
	CreatedMillis int64
	AgentVersion  int
	Feature       int
	Device        string // device codename
	MIUIVersion   string
	Warnings      []string
}

// ParseTmpMeta decodes a _tmp_meta file. Missing trailing lines are noted in
// Warnings; an error is returned only when the first two lines are absent.
func ParseTmpMeta(data []byte) (*TmpMeta, error) {
	if len(data) > 1<<20 {
		return nil, errors.New("miui: _tmp_meta larger than 1 MiB")
	}
	lines := strings.Split(clean(data), "\n")
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\r")
	}
	if len(lines) < 2 {
		return nil, errors.New("miui: _tmp_meta has fewer than 2 lines")
	}
	m := &TmpMeta{}
	var err error
	if m.Version, err = strconv.Atoi(strings.TrimSpace(lines[0])); err != nil {
		return nil, fmt.Errorf("miui: _tmp_meta line 1: version %q is not a number", lines[0])
	}
	m.Package = lines[1]
	get := func(i int) (string, bool) {
		if i < len(lines) && (i < len(lines)-1 || lines[i] != "") {
			return lines[i], true
		}
		m.Warnings = append(m.Warnings, fmt.Sprintf("line %d missing", i+1))
		return "", false
	}
	num := func(i int, name string) int64 {
		s, ok := get(i)
		if !ok {
			return 0
		}
		v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			m.Warnings = append(m.Warnings, fmt.Sprintf("line %d: %s %q is not a number", i+1, name, s))
		}
		return v
	}
	m.VersionCode = num(2, "version code")
	m.VersionName, _ = get(3)
	if ms := num(4, "creation time"); ms != 0 {
		m.CreatedMillis = ms
		m.Created = time.UnixMilli(ms).UTC()
	}
	m.AgentVersion = int(num(5, "agent data version"))
	m.Feature = int(num(6, "feature id"))
	m.Device, _ = get(7)
	m.MIUIVersion, _ = get(8)
	return m, nil
}
