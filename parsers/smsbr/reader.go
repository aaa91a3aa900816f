// Package smsbr reads the XML backups written by the Android app "SMS
// Backup & Restore" (SyncTech): messages files (root <smses>, children
// <sms> and <mms> with <parts>/<part> and <addrs>/<addr>) and call-log files
// (root <calls>, children <call>), and the similar SuperBackup call log
// (root <alllogs>, children <log>). See formats.md §4.
//
// The reader streams: it holds one record at a time, never the file. It
// copes with the app's quirks: characters outside the BMP written as two
// character references to UTF-16 surrogates (&#55357;&#56832;) are
// combined, lone surrogates and characters XML forbids become U+FFFD, and
// the literal attribute value "null" means absent. Old files whose root has
// only a count attribute read the same. The base64 media of MMS parts is not
// kept: Part.DataSize gives its decoded size.
//
// Values are exposed as the app wrote them (attribute name → text), with
// typed helpers; their meaning is that of the Android provider columns of
// the same names (artifacts.md §6.1).
package smsbr

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Root element names.
const (
	RootMessages = "smses"
	RootCalls    = "calls"
	RootLogs     = "alllogs" // SuperBackup call log
)

// Record kinds (element names).
const (
	KindSMS  = "sms"
	KindMMS  = "mms"
	KindCall = "call"
	KindLog  = "log" // SuperBackup call-log entry
)

// Limits.
const (
	// MaxChildren bounds the <part> and <addr> elements kept for one MMS.
	MaxChildren = 10000
	// MaxDepth bounds element nesting.
	MaxDepth = 64
)

// Errors.
var (
	// ErrNotBackup: the root element is not one of the known roots.
	ErrNotBackup = errors.New("smsbr: not an SMS Backup & Restore file")
	// ErrSyntax wraps XML syntax errors (see *SyntaxError).
	ErrSyntax = errors.New("smsbr: XML syntax error")
)

// SyntaxError is malformed XML near a byte offset of the input.
type SyntaxError struct {
	Offset int64 // input offset of the start tag in which (or after which) the error was found
	Err    error
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("smsbr: XML syntax error in or after the element at byte offset %d: %v", e.Offset, e.Err)
}

func (e *SyntaxError) Unwrap() []error { return []error{ErrSyntax, e.Err} }

// Header is the root element.
type Header struct {
	Root string            // smses, calls or alllogs
	Attr map[string]string // count, backup_set, backup_date, type…
}

// Count returns the root's count attribute, or -1. It is informative only:
// files are often cut or edited.
func (h Header) Count() int64 {
	if n, err := strconv.ParseInt(strings.TrimSpace(h.Attr["count"]), 10, 64); err == nil {
		return n
	}
	return -1
}

// BackupDate returns the root's backup_date (epoch ms), or 0.
func (h Header) BackupDate() int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(h.Attr["backup_date"]), 10, 64)
	return n
}

// Record is one <sms>, <mms>, <call> or <log> element.
type Record struct {
	Kind   string
	Index  int   // 0-based position among the records of the file
	Offset int64 // input byte offset of the element's '<'
	// Attr holds every attribute except those whose value is the literal
	// "null" (which the app writes for absent values).
	Attr map[string]string
	// Cut names attributes whose value was longer than the reader keeps
	// (1 MiB) and was shortened.
	Cut   []string
	Parts []Part // <mms> only, in file order
	Addrs []Addr // <mms> only
	// Truncated is set when an <mms> had more than MaxChildren parts or
	// addresses; the rest were skipped.
	Truncated bool
}

// Part is an MMS <part>.
type Part struct {
	Attr map[string]string // seq, ct, name, chset, cd, fn, cid, cl, text… (never data)
	// HasData reports whether the part carried a data attribute, and
	// DataSize its decoded size in bytes.
	HasData  bool
	DataSize int64
	Offset   int64
}

// Addr is an MMS <addr>.
type Addr struct {
	Address string
	Type    int64 // 137 from, 151 to, 130 cc, 129 bcc
	Charset int64
}

// Get returns an attribute ("" when absent or "null").
func (r *Record) Get(name string) string { return r.Attr[name] }

// Int returns an integer attribute and whether it is present and numeric.
func (r *Record) Int(name string) (int64, bool) { return attrInt(r.Attr, name) }

// Get returns a part attribute.
func (p *Part) Get(name string) string { return p.Attr[name] }

// Int returns an integer part attribute.
func (p *Part) Int(name string) (int64, bool) { return attrInt(p.Attr, name) }

func attrInt(m map[string]string, name string) (int64, bool) {
	s := strings.TrimSpace(m[name])
	if s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// Reader reads records from a backup file.
type Reader struct {
	f       *filter
	dec     *xml.Decoder
	hdr     Header
	n       int
	lastOff int64
	done    bool
	err     error
}

// NewReader reads up to the root element of r and returns a Reader
// positioned at the first record. It returns ErrNotBackup when the root is
// not a known one.
func NewReader(r io.Reader) (*Reader, error) {
	f := newFilter(r)
	dec := xml.NewDecoder(f)
	dec.Strict = false
	dec.AutoClose = nil
	dec.Entity = xml.HTMLEntity
	rd := &Reader{f: f, dec: dec}
	for {
		tok, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				return nil, fmt.Errorf("%w: no root element", ErrNotBackup)
			}
			return nil, rd.syntax(err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			rd.lastOff = f.claimStart()
			switch se.Name.Local {
			case RootMessages, RootCalls, RootLogs:
				rd.hdr = Header{Root: se.Name.Local, Attr: attrs(se.Attr)}
				return rd, nil
			}
			return nil, fmt.Errorf("%w: root element <%s>", ErrNotBackup, clip(se.Name.Local))
		}
	}
}

// Header returns the root element.
func (r *Reader) Header() Header { return r.hdr }

func (r *Reader) syntax(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &SyntaxError{Offset: r.f.tagAt(r.dec.InputOffset()), Err: err}
	}
	return err
}

// Next returns the next record, or io.EOF after the last one. Elements
// other than the record kinds are skipped. After an error every call
// returns it again.
func (r *Reader) Next() (*Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		tok, err := r.dec.Token()
		if err != nil {
			if err == io.EOF {
				if !r.done {
					err = &SyntaxError{Offset: r.f.tagAt(r.dec.InputOffset()), Err: io.ErrUnexpectedEOF}
				}
			} else {
				err = r.syntax(err)
			}
			r.err = err
			return nil, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if t.Name.Local == r.hdr.Root {
				r.done = true
			}
		case xml.StartElement:
			off := r.f.claimStart()
			r.lastOff = off
			switch t.Name.Local {
			case KindSMS, KindMMS, KindCall, KindLog:
				rec := &Record{Kind: t.Name.Local, Index: r.n, Offset: off}
				rec.Attr, rec.Cut = attrsCut(t.Attr)
				r.n++
				if err := r.body(rec); err != nil {
					r.err = err
					return nil, err
				}
				return rec, nil
			default:
				if err := r.skip(1); err != nil {
					r.err = err
					return nil, err
				}
			}
		}
	}
}

// body reads the children of a record up to its end tag.
func (r *Reader) body(rec *Record) error {
	depth := 1
	for depth > 0 {
		tok, err := r.dec.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return r.syntax(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			off := r.f.claimStart()
			r.lastOff = off
			depth++
			if depth > MaxDepth {
				return &SyntaxError{Offset: off, Err: errors.New("elements nested too deep")}
			}
			if rec.Kind != KindMMS {
				continue
			}
			switch t.Name.Local {
			case "part":
				if len(rec.Parts) >= MaxChildren {
					rec.Truncated = true
					continue
				}
				p := Part{Offset: off}
				p.Attr, _ = attrsCut(t.Attr)
				if s, ok := p.Attr[dataSizeAttr]; ok {
					p.HasData = true
					p.DataSize, _ = strconv.ParseInt(s, 10, 64)
					delete(p.Attr, dataSizeAttr)
				}
				rec.Parts = append(rec.Parts, p)
			case "addr":
				if len(rec.Addrs) >= MaxChildren {
					rec.Truncated = true
					continue
				}
				a := attrs(t.Attr)
				typ, _ := attrInt(a, "type")
				cs, _ := attrInt(a, "charset")
				rec.Addrs = append(rec.Addrs, Addr{Address: a["address"], Type: typ, Charset: cs})
			}
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// skip consumes tokens until depth open elements are closed.
func (r *Reader) skip(depth int) error {
	for depth > 0 {
		tok, err := r.dec.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return r.syntax(err)
		}
		switch tok.(type) {
		case xml.StartElement:
			r.lastOff = r.f.claimStart()
			depth++
			if depth > MaxDepth {
				return &SyntaxError{Offset: r.lastOff, Err: errors.New("elements nested too deep")}
			}
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

func attrs(as []xml.Attr) map[string]string {
	m, _ := attrsCut(as)
	return m
}

// attrsCut converts attributes, dropping "null" values and collecting the
// filter's cut markers.
func attrsCut(as []xml.Attr) (map[string]string, []string) {
	m := make(map[string]string, len(as))
	var cut []string
	for _, a := range as {
		name := a.Name.Local
		if a.Name.Space != "" {
			name = a.Name.Space + ":" + name
		}
		if name == cutAttr {
			cut = append(cut, a.Value)
			continue
		}
		if a.Value == "null" {
			continue
		}
		m[name] = a.Value
	}
	return m, cut
}

func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
