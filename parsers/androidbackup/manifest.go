package androidbackup

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// A Manifest is the apps/<pkg>/_manifest entry (formats.md §3.8).
type Manifest struct {
	Version     int    // manifest version (1)
	Package     string // package name
	VersionCode int64  // app version code
	SDK         int    // platform SDK level of the source device
	Installer   string // installer package, may be empty
	APKIncluded bool   // the archive carries apps/<pkg>/a/base.apk
	// Certificates are the app's signing certificates, DER bytes.
	Certificates [][]byte
}

// MaxManifestSize bounds what ParseManifest accepts.
const MaxManifestSize = 1 << 20

// ErrManifest matches every manifest parse error through errors.Is.
var ErrManifest = errors.New("androidbackup: bad _manifest")

type manifestError struct {
	line   int
	reason string
}

func (e *manifestError) Error() string {
	return fmt.Sprintf("androidbackup: bad _manifest line %d: %s", e.line, e.reason)
}
func (e *manifestError) Is(t error) bool { return t == ErrManifest }

// ParseManifest parses a _manifest file. Lines after the SDK level are
// optional (older writers), so a short manifest is accepted.
func ParseManifest(data []byte) (*Manifest, error) {
	if len(data) > MaxManifestSize {
		return nil, &manifestError{0, fmt.Sprintf("%d bytes, over %d", len(data), MaxManifestSize)}
	}
	lines := strings.Split(strings.ToValidUTF8(string(data), "\uFFFD"), "\n")
	for i := range lines {
		lines[i] = strings.TrimSuffix(lines[i], "\r")
	}
	get := func(i int) (string, bool) {
		if i-1 < len(lines) {
			return lines[i-1], true
		}
		return "", false
	}
	m := &Manifest{}
	s, _ := get(1)
	v, err := strconv.Atoi(s)
	if err != nil {
		return nil, &manifestError{1, fmt.Sprintf("version %q is not a number", s)}
	}
	m.Version = v
	s, ok := get(2)
	if !ok || s == "" {
		return nil, &manifestError{2, "missing package name"}
	}
	m.Package = s
	s, ok = get(3)
	if !ok {
		return nil, &manifestError{3, "missing version code"}
	}
	if m.VersionCode, err = strconv.ParseInt(s, 10, 64); err != nil {
		return nil, &manifestError{3, fmt.Sprintf("version code %q is not a number", s)}
	}
	s, ok = get(4)
	if !ok {
		return nil, &manifestError{4, "missing SDK level"}
	}
	if m.SDK, err = strconv.Atoi(s); err != nil {
		return nil, &manifestError{4, fmt.Sprintf("SDK level %q is not a number", s)}
	}
	if s, ok = get(5); !ok {
		return m, nil
	}
	m.Installer = s
	if s, ok = get(6); !ok {
		return m, nil
	}
	m.APKIncluded = s == "1"
	if s, ok = get(7); !ok || s == "" {
		return m, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > 64 {
		return nil, &manifestError{7, fmt.Sprintf("certificate count %q out of range 0..64", s)}
	}
	for i := 0; i < n; i++ {
		s, ok := get(8 + i)
		if !ok || s == "" {
			return nil, &manifestError{8 + i, fmt.Sprintf("missing certificate %d of %d", i+1, n)}
		}
		der, err := hex.DecodeString(s)
		if err != nil {
			return nil, &manifestError{8 + i, "certificate is not hexadecimal"}
		}
		m.Certificates = append(m.Certificates, der)
	}
	return m, nil
}

// WidgetToken marks the widget state inside a _meta entry.
const WidgetToken = 0x01FFED01

// A Meta is the apps/<pkg>/_meta entry (widget metadata, version ≥ 3).
type Meta struct {
	Version int
	Package string
	Widget  []byte // widget state, nil if absent
}

// ParseMeta parses a _meta file.
func ParseMeta(data []byte) (*Meta, error) {
	m := &Meta{}
	rest := data
	line := func(n int) (string, error) {
		i := strings.IndexByte(string(rest[:min(len(rest), 4096)]), '\n')
		if i < 0 {
			return "", &manifestError{n, "_meta: missing line"}
		}
		s := string(rest[:i])
		rest = rest[i+1:]
		return s, nil
	}
	s, err := line(1)
	if err != nil {
		return nil, err
	}
	if m.Version, err = strconv.Atoi(s); err != nil {
		return nil, &manifestError{1, fmt.Sprintf("_meta version %q is not a number", s)}
	}
	if m.Package, err = line(2); err != nil {
		return nil, err
	}
	if len(rest) == 0 {
		return m, nil
	}
	if len(rest) < 8 || binary.BigEndian.Uint32(rest) != WidgetToken {
		return nil, &manifestError{3, "_meta: missing widget token"}
	}
	n := binary.BigEndian.Uint32(rest[4:])
	if int64(n) > int64(len(rest)-8) {
		return nil, &manifestError{3, fmt.Sprintf("_meta: widget length %d exceeds the %d bytes left", n, len(rest)-8)}
	}
	m.Widget = rest[8 : 8+n]
	return m, nil
}
