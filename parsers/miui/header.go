// Package miui reads Xiaomi MIUI / HyperOS local backups: the text header of
// a per-app .bak file (followed by an embedded Android backup stream, see
// package androidbackup), the descript.xml index of a backup set, and the
// _tmp_meta metadata file found inside a .bak.
//
// Layouts follow formats.md §2 of the project's reference notes; the
// framework class that writes them is miui.app.backup.BackupFileResolver.
package miui

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Magic is the first header line of a .bak file.
const Magic = "MIUI BACKUP"

// AndroidMagic is the first line of the embedded Android backup stream.
const AndroidMagic = "ANDROID BACKUP\n"

// HeaderVersion is the only header version MIUI writes.
const HeaderVersion = 2

// Extra types (header line 5).
const (
	TypePlain           = 0
	TypeEncrypted       = 1
	TypeXSpace          = 20
	TypeEncryptedXSpace = 21
)

// FeatureWholeApp is the feature id of a full app backup.
const FeatureWholeApp = -1

// SearchLimit is how far into the file the embedded "ANDROID BACKUP" line is
// searched for when the header lines do not lead straight to it.
const SearchLimit = 8 << 10

// maxLine bounds a header line (labels are short; the password line is an
// opaque string of unknown format).
const maxLine = 4096

var (
	// ErrHeader matches every *HeaderError through errors.Is.
	ErrHeader = errors.New("miui: invalid .bak header")
	// ErrNotMIUI matches a *HeaderError about the magic line.
	ErrNotMIUI = errors.New("miui: not a MIUI backup")
	// ErrTruncated matches a *HeaderError for input that ends inside the
	// header.
	ErrTruncated = errors.New("miui: truncated")
)

// A HeaderError reports a malformed .bak header line.
type HeaderError struct {
	Offset    int64 // offset of the start of the line
	Line      int   // 1-based line number
	Field     string
	Reason    string
	Truncated bool // the input ended inside the header
}

func (e *HeaderError) Error() string {
	if e.Truncated {
		return fmt.Sprintf("miui: truncated at offset %d (inside header line %d, %s)", e.Offset, e.Line, e.Field)
	}
	return fmt.Sprintf("miui: bad header line %d (%s) at offset %d: %s", e.Line, e.Field, e.Offset, e.Reason)
}

// Is matches ErrHeader, ErrNotMIUI (line 1) and ErrTruncated.
func (e *HeaderError) Is(t error) bool {
	return t == ErrHeader || (t == ErrNotMIUI && e.Line == 1 && !e.Truncated) || (t == ErrTruncated && e.Truncated)
}

// Header is the parsed MIUI text header of a .bak file.
type Header struct {
	Version   int    // header version (2)
	Package   string // Android package name
	Label     string // display label (may be empty), any language
	Feature   int    // feature id; -1 = whole app
	ExtraType int    // TypePlain, TypeEncrypted, TypeXSpace, TypeEncryptedXSpace
	// EncryptedPwd is the opaque password line of encrypted types (its
	// format is unknown).
	EncryptedPwd string
	HasUserID    bool
	UserID       int // Android user id for XSpace types (e.g. 999)
	// Size is the offset of the embedded Android backup stream.
	Size int64
	// StreamFound reports whether "ANDROID BACKUP" starts at Size.
	StreamFound bool
	Warnings    []string
}

// Encrypted reports whether the header declares an encrypted backup.
func (h *Header) Encrypted() bool {
	return h.ExtraType == TypeEncrypted || h.ExtraType == TypeEncryptedXSpace
}

// XSpace reports whether the backup comes from the second-space user.
func (h *Header) XSpace() bool {
	return h.ExtraType == TypeXSpace || h.ExtraType == TypeEncryptedXSpace
}

var fieldNames = [...]string{"", "magic", "header version", "package and label", "feature id", "extra type", "password", "user id"}

// ParseHeader parses the header at the start of data (the first few KB of
// the file; SearchLimit bytes are enough, or the whole file if shorter). A
// header cut short is reported as truncated (errors.Is(err, ErrTruncated)).
func ParseHeader(data []byte) (*Header, error) {
	h := &Header{}
	pos := 0
	line := func(n int, field string) (string, int, error) {
		start := pos
		i := bytes.IndexByte(data[pos:], '\n')
		if i < 0 {
			if len(data)-pos > maxLine {
				return "", start, &HeaderError{Offset: int64(start), Line: n, Field: field, Reason: "line too long"}
			}
			return "", start, &HeaderError{Offset: int64(len(data)), Line: n, Field: field, Truncated: true}
		}
		if i > maxLine {
			return "", start, &HeaderError{Offset: int64(start), Line: n, Field: field, Reason: "line too long"}
		}
		pos += i + 1
		return string(data[start : start+i]), start, nil
	}
	bad := func(n int, start int, format string, a ...any) error {
		return &HeaderError{Offset: int64(start), Line: n, Field: fieldNames[n], Reason: fmt.Sprintf(format, a...)}
	}
	num := func(s string) (int, bool) {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		return v, err == nil
	}

	if len(data) < len(Magic)+1 {
		if bytes.HasPrefix([]byte(Magic+"\n"), data) {
			return nil, &HeaderError{Offset: int64(len(data)), Line: 1, Field: fieldNames[1], Truncated: true}
		}
	}
	if !bytes.HasPrefix(data, []byte(Magic+"\n")) {
		return nil, bad(1, 0, "got %q, want %q", clean(data[:min(len(data), 12)]), Magic)
	}
	pos = len(Magic) + 1

	s, start, err := line(2, fieldNames[2])
	if err != nil {
		return nil, err
	}
	v, ok := num(s)
	if !ok {
		return nil, bad(2, start, "got %q, want %d", clean([]byte(s)), HeaderVersion)
	}
	h.Version = v
	if v != HeaderVersion {
		h.Warnings = append(h.Warnings, fmt.Sprintf("header version %d (only %d is known)", v, HeaderVersion))
	}

	s, start, err = line(3, fieldNames[3])
	if err != nil {
		return nil, err
	}
	s = clean([]byte(s))
	if i := strings.IndexByte(s, ' '); i >= 0 {
		h.Package, h.Label = s[:i], s[i+1:]
	} else {
		h.Package = s
	}
	if h.Package == "" {
		return nil, bad(3, start, "empty package name")
	}

	s, start, err = line(4, fieldNames[4])
	if err != nil {
		return nil, err
	}
	if h.Feature, ok = num(s); !ok {
		return nil, bad(4, start, "feature id %q is not a number", clean([]byte(s)))
	}

	s, start, err = line(5, fieldNames[5])
	if err != nil {
		return nil, err
	}
	if h.ExtraType, ok = num(s); !ok {
		return nil, bad(5, start, "extra type %q is not a number", clean([]byte(s)))
	}
	switch h.ExtraType {
	case TypePlain, TypeXSpace:
	case TypeEncrypted, TypeEncryptedXSpace:
		s, _, err = line(6, fieldNames[6])
		if err != nil {
			return nil, err
		}
		h.EncryptedPwd = clean([]byte(s))
	default:
		h.Warnings = append(h.Warnings, fmt.Sprintf("unknown extra type %d", h.ExtraType))
	}
	if h.XSpace() {
		n := 7
		if h.ExtraType == TypeXSpace {
			n = 6
		}
		s, start, err = line(n, fieldNames[7])
		if err != nil {
			return nil, err
		}
		if h.UserID, ok = num(s); !ok {
			return nil, bad(n, start, "user id %q is not a number", clean([]byte(s)))
		}
		h.HasUserID = true
	}

	h.Size = int64(pos)
	rest := data[pos:]
	switch {
	case bytes.HasPrefix(rest, []byte(AndroidMagic)):
		h.StreamFound = true
	case len(rest) < len(AndroidMagic) && bytes.HasPrefix([]byte(AndroidMagic), rest):
		return nil, &HeaderError{Offset: int64(len(data)), Line: 1, Field: "embedded Android backup magic", Truncated: true}
	default:
		lim := data[:min(len(data), SearchLimit)]
		if i := bytes.Index(lim, []byte(AndroidMagic)); i >= 0 {
			if int64(i) > h.Size {
				h.Warnings = append(h.Warnings, fmt.Sprintf("%d unexpected byte(s) between the header (ends at offset %d) and the Android backup stream at offset %d", int64(i)-h.Size, h.Size, i))
			} else {
				h.Warnings = append(h.Warnings, fmt.Sprintf("Android backup stream found at offset %d, inside the header lines (which end at %d)", i, h.Size))
			}
			h.Size = int64(i)
			h.StreamFound = true
		}
	}
	return h, nil
}

func clean(b []byte) string { return strings.ToValidUTF8(string(b), "\uFFFD") }

// A Reader reads a .bak file: Header describes the MIUI header and Read
// returns the bytes after it (normally an Android backup stream starting
// with "ANDROID BACKUP"; check Header.StreamFound).
type Reader struct {
	Header *Header
	br     *bufio.Reader
}

// NewReader parses the header at the start of r. It peeks at most
// SearchLimit bytes and consumes exactly the header.
func NewReader(r io.Reader) (*Reader, error) {
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < SearchLimit {
		br = bufio.NewReaderSize(r, max(SearchLimit, 64<<10))
	}
	head, err := br.Peek(SearchLimit)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		if len(head) == 0 {
			return nil, err
		}
	}
	h, perr := ParseHeader(head)
	if perr != nil {
		var he *HeaderError
		// A line longer than what we peeked is only "too long" if more
		// data was available.
		if errors.As(perr, &he) && he.Truncated && len(head) == SearchLimit {
			he.Truncated = false
			he.Reason = "header longer than the search limit"
		}
		return nil, perr
	}
	if _, err := br.Discard(int(h.Size)); err != nil {
		return nil, err
	}
	return &Reader{Header: h, br: br}, nil
}

// Read reads the bytes after the header.
func (r *Reader) Read(p []byte) (int, error) { return r.br.Read(p) }
