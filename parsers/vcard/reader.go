// Package vcard reads vCard files (versions 2.1, 3.0 and 4.0) as written by
// Android, MIUI, iOS and other address books.
//
// A Reader returns one Card per top-level BEGIN:VCARD … END:VCARD block;
// cards nested inside a card are its Children. Each Card is a list of
// Properties with their parameters and decoded values: folded lines are
// joined, QUOTED-PRINTABLE is decoded (soft line breaks included), the
// CHARSET parameter is honoured (UTF-8, Shift_JIS, EUC-JP, ISO-2022-JP,
// GBK/GB2312/GB18030, ISO-8859-x, Windows-125x, UTF-16) and
// BASE64 data is decoded. Card.Entry maps the properties onto Android's
// contact data kinds (artifacts.md §6.2).
//
// The reader is tolerant, like Android's own importer: comment lines, lines
// without a colon, unknown properties, malformed base64 and a missing
// END:VCARD are noted in Card.Warnings, never fatal. Memory is bounded:
// a property longer than MaxPropertySize is truncated (with a warning), and
// a card with more than MaxProperties properties or nested deeper than
// MaxDepth is cut. URIs (PHOTO;VALUE=uri, TEL:tel:…) are kept as text and
// never fetched.
package vcard

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits.
const (
	MaxPropertySize = 16 << 20 // bytes of one logical property line
	MaxProperties   = 100000   // properties per card
	MaxDepth        = 8        // nesting of cards
	maxLine         = MaxPropertySize
)

// ErrNoCard is returned by ReadAll when the input holds no BEGIN:VCARD.
var ErrNoCard = errors.New("vcard: no BEGIN:VCARD found")

// Param is one property parameter. Name is upper case; a 2.1 bare
// parameter (TEL;HOME:…) has Name "TYPE". Values are unquoted.
type Param struct {
	Name   string
	Values []string
}

// Property is one content line.
type Property struct {
	Group  string // "item1" of "item1.EMAIL", "" if none
	Name   string // upper case
	Params []Param
	// Value is the decoded text (QP and charset applied, UTF-8), without
	// the escaping rules applied: use Text or Components.
	Value string
	// Data holds the decoded bytes of an ENCODING=BASE64/B value (nil
	// otherwise, or when the base64 is malformed).
	Data []byte
	// Line is the 1-based line number where the property starts; Offset
	// its byte offset in the input.
	Line   int
	Offset int64
}

// Card is one vCard.
type Card struct {
	Version    string // "2.1", "3.0", "4.0"; "2.1" when the card has no VERSION
	Properties []Property
	Children   []*Card // cards nested inside this one
	Line       int     // line of BEGIN:VCARD
	Offset     int64   // byte offset of BEGIN:VCARD
	Warnings   []string
}

// Reader reads cards from an input stream.
type Reader struct {
	br     *bufio.Reader
	line   int
	offset int64
	peeked *rawLine
	eof    bool
	err    error
	// Skipped counts lines outside any card.
	Skipped int
}

type rawLine struct {
	text   []byte // without CR LF
	line   int
	offset int64
	long   bool // truncated to maxLine
}

// NewReader returns a Reader over r. A UTF-8 byte-order mark is skipped.
func NewReader(r io.Reader) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64<<10)}
}

// readLine returns the next physical line.
func (r *Reader) readLine() (*rawLine, error) {
	if r.peeked != nil {
		l := r.peeked
		r.peeked = nil
		return l, nil
	}
	if r.eof {
		return nil, io.EOF
	}
	var buf []byte
	long := false
	start := r.offset
	for {
		chunk, err := r.br.ReadSlice('\n')
		r.offset += int64(len(chunk))
		if len(buf)+len(chunk) <= maxLine {
			buf = append(buf, chunk...)
		} else {
			long = true
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err == io.EOF {
			r.eof = true
			if len(buf) == 0 && !long {
				return nil, io.EOF
			}
			break
		}
		if err != nil {
			r.err = err
			return nil, err
		}
		break
	}
	r.line++
	buf = bytes.TrimSuffix(buf, []byte("\n"))
	buf = bytes.TrimSuffix(buf, []byte("\r"))
	if r.line == 1 {
		buf = bytes.TrimPrefix(buf, []byte("\xEF\xBB\xBF"))
	}
	return &rawLine{text: buf, line: r.line, offset: start, long: long}, nil
}

func (r *Reader) unread(l *rawLine) { r.peeked = l }

func isBegin(b []byte) bool {
	return len(b) >= 11 && strings.EqualFold(string(bytes.TrimSpace(b)), "BEGIN:VCARD")
}

func isEnd(b []byte) bool {
	return len(b) >= 9 && strings.EqualFold(string(bytes.TrimSpace(b)), "END:VCARD")
}

// Next returns the next top-level card, or io.EOF. Read errors of the
// underlying reader are returned as they are.
func (r *Reader) Next() (*Card, error) {
	for {
		l, err := r.readLine()
		if err != nil {
			return nil, err
		}
		if isBegin(l.text) {
			return r.readCard(l, 0)
		}
		if len(bytes.TrimSpace(l.text)) > 0 {
			r.Skipped++
		}
	}
}

// ReadAll reads every card of r.
func ReadAll(r io.Reader) ([]*Card, error) {
	rd := NewReader(r)
	var out []*Card
	for {
		c, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return out, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, ErrNoCard
	}
	return out, nil
}

func (c *Card) warn(format string, args ...any) {
	if len(c.Warnings) < 1000 {
		c.Warnings = append(c.Warnings, fmt.Sprintf(format, args...))
	}
}

func (r *Reader) readCard(begin *rawLine, depth int) (*Card, error) {
	c := &Card{Version: "2.1", Line: begin.line, Offset: begin.offset}
	sawVersion := false
	for {
		l, err := r.readLine()
		if err == io.EOF {
			c.warn("line %d: card ends without END:VCARD", r.line)
			return c, nil
		}
		if err != nil {
			return c, err
		}
		t := l.text
		if isEnd(t) {
			return c, nil
		}
		if isBegin(t) {
			if depth+1 >= MaxDepth {
				c.warn("line %d: cards nested deeper than %d are not read", l.line, MaxDepth)
				r.skipCard()
				continue
			}
			child, err := r.readCard(l, depth+1)
			if child != nil {
				c.Children = append(c.Children, child)
			}
			if err != nil {
				return c, err
			}
			continue
		}
		if len(bytes.TrimSpace(t)) == 0 {
			continue
		}
		if t[0] == '#' {
			continue // comment line (not part of the standard; Android ignores it)
		}
		if (t[0] == ' ' || t[0] == '\t') && len(c.Properties) > 0 {
			// A folded line that follows a property we already closed
			// (e.g. after a blank line): append to it.
			p := &c.Properties[len(c.Properties)-1]
			if len(p.Value)+len(t) <= MaxPropertySize && p.Data == nil {
				p.Value += string(t[1:])
			}
			continue
		}
		if len(c.Properties) >= MaxProperties {
			c.warn("line %d: more than %d properties; the rest is skipped", l.line, MaxProperties)
			r.skipCard()
			return c, nil
		}
		p, ok := r.readProperty(c, l)
		if !ok {
			continue
		}
		if p.Name == "VERSION" {
			if !sawVersion {
				c.Version = strings.TrimSpace(p.Value)
				sawVersion = true
			}
			continue
		}
		c.Properties = append(c.Properties, p)
	}
}

// skipCard reads up to the END:VCARD that closes the current card.
func (r *Reader) skipCard() {
	depth := 1
	for depth > 0 {
		l, err := r.readLine()
		if err != nil {
			return
		}
		switch {
		case isBegin(l.text):
			depth++
		case isEnd(l.text):
			depth--
		}
	}
}

// readProperty parses the property starting at l and the continuation
// lines that belong to it.
func (r *Reader) readProperty(c *Card, l *rawLine) (Property, bool) {
	t := l.text
	if l.long {
		c.warn("line %d: property longer than %d bytes truncated", l.line, MaxPropertySize)
	}
	colon := nameEnd(t)
	if colon < 0 {
		c.warn("line %d: line without ':' ignored", l.line)
		return Property{}, false
	}
	p := Property{Line: l.line, Offset: l.offset}
	head := t[:colon]
	value := append([]byte(nil), t[colon+1:]...)
	parseHead(&p, head)
	if p.Name == "" {
		c.warn("line %d: property without a name ignored", l.line)
		return Property{}, false
	}
	enc := strings.ToUpper(p.Param("ENCODING"))
	qp := enc == "QUOTED-PRINTABLE" || p.HasType("QUOTED-PRINTABLE")
	b64 := enc == "BASE64" || enc == "B" || p.HasType("BASE64")
	v21 := c.Version == "2.1" || c.Version == ""
	switch {
	case qp:
		// Soft line breaks: a value line ending in '=' continues on the
		// next physical line, whatever that line starts with.
		for bytes.HasSuffix(value, []byte("=")) && len(value) < MaxPropertySize {
			nl, err := r.readLine()
			if err != nil {
				break
			}
			if isEnd(nl.text) {
				r.unread(nl)
				break
			}
			value = value[:len(value)-1]
			value = append(value, nl.text...)
		}
		value = decodeQP(value)
	case b64:
		value = r.readBase64(value)
	default:
		for {
			nl, err := r.readLine()
			if err != nil {
				break
			}
			nt := nl.text
			if len(nt) > 0 && (nt[0] == ' ' || nt[0] == '\t') {
				if len(value)+len(nt) <= MaxPropertySize {
					value = append(value, nt[1:]...)
				}
				continue
			}
			if v21 && bytes.HasSuffix(value, []byte("\\")) && !bytes.HasSuffix(value, []byte("\\\\")) && len(nt) > 0 && nameEnd(nt) < 0 {
				// 2.1 writers that continue a value after a trailing
				// backslash (seen in ADR exports).
				value = append(value[:len(value)-1], '\n')
				value = append(value, nt...)
				continue
			}
			r.unread(nl)
			break
		}
	}
	if b64 {
		data, ok := decodeBase64(value)
		if ok {
			p.Data = data
		} else {
			c.warn("line %d: %s: malformed base64 data", l.line, p.Name)
		}
		p.Value = string(bytes.TrimSpace(value))
		return p, true
	}
	p.Value = toUTF8(value, p.Param("CHARSET"))
	return p, true
}

// readBase64 joins the lines of a base64 value: folded lines, and for 2.1
// writers that neither fold nor indent, following lines made only of
// base64 characters; a blank line right after an empty first line is
// skipped.
func (r *Reader) readBase64(value []byte) []byte {
	value = bytes.TrimSpace(value)
	for len(value) < MaxPropertySize {
		nl, err := r.readLine()
		if err != nil {
			break
		}
		nt := nl.text
		trimmed := bytes.TrimSpace(nt)
		if len(trimmed) == 0 {
			if len(value) == 0 {
				continue
			}
			break
		}
		if nt[0] == ' ' || nt[0] == '\t' || (isBase64Line(trimmed) && nameEnd(nt) < 0) {
			value = append(value, trimmed...)
			continue
		}
		r.unread(nl)
		break
	}
	return value
}

func isBase64Line(b []byte) bool {
	for _, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}

// nameEnd returns the index of the ':' that ends the property name and
// parameters (colons inside double-quoted parameter values do not count),
// or -1.
func nameEnd(t []byte) int {
	quoted := false
	for i, c := range t {
		switch c {
		case '"':
			quoted = !quoted
		case ':':
			if !quoted {
				return i
			}
		}
	}
	// An unbalanced quote: fall back to the first colon.
	return bytes.IndexByte(t, ':')
}

func parseHead(p *Property, head []byte) {
	parts := splitQuoted(string(head), ';')
	name := strings.TrimSpace(parts[0])
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		p.Group, name = name[:i], name[i+1:]
	}
	p.Name = strings.ToUpper(name)
	for _, raw := range parts[1:] {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		pname, val := "TYPE", raw
		if i := strings.IndexByte(raw, '='); i >= 0 {
			pname, val = strings.ToUpper(strings.TrimSpace(raw[:i])), raw[i+1:]
		}
		var vals []string
		for _, v := range splitQuoted(val, ',') {
			v = strings.TrimSpace(v)
			if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
				v = v[1 : len(v)-1]
			}
			vals = append(vals, strings.ToValidUTF8(v, "\uFFFD"))
		}
		// A quoted value that holds commas is one value.
		if len(vals) > 0 {
			p.Params = append(p.Params, Param{Name: pname, Values: vals})
		}
	}
}

// splitQuoted splits s on sep outside double quotes.
func splitQuoted(s string, sep byte) []string {
	var out []string
	quoted := false
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			quoted = !quoted
		case sep:
			if !quoted {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// Param returns the first value of parameter name (upper case), or "".
func (p *Property) Param(name string) string {
	for _, q := range p.Params {
		if q.Name == name && len(q.Values) > 0 {
			return q.Values[0]
		}
	}
	return ""
}

// Types returns every TYPE value (including 2.1 bare parameters), upper
// case, in order.
func (p *Property) Types() []string {
	var out []string
	for _, q := range p.Params {
		if q.Name == "TYPE" {
			for _, v := range q.Values {
				out = append(out, strings.ToUpper(v))
			}
		}
	}
	return out
}

// RawTypes returns every TYPE value as written.
func (p *Property) RawTypes() []string {
	var out []string
	for _, q := range p.Params {
		if q.Name == "TYPE" {
			out = append(out, q.Values...)
		}
	}
	return out
}

// HasType reports whether t (upper case) is among the TYPE values.
func (p *Property) HasType(t string) bool {
	for _, q := range p.Params {
		if q.Name == "TYPE" {
			for _, v := range q.Values {
				if strings.EqualFold(v, t) {
					return true
				}
			}
		}
	}
	return false
}

// Get returns the first property called name (upper case), or nil.
func (c *Card) Get(name string) *Property {
	for i := range c.Properties {
		if c.Properties[i].Name == name {
			return &c.Properties[i]
		}
	}
	return nil
}

// All returns every property called name (upper case).
func (c *Card) All(name string) []*Property {
	var out []*Property
	for i := range c.Properties {
		if c.Properties[i].Name == name {
			out = append(out, &c.Properties[i])
		}
	}
	return out
}
