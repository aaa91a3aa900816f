// Package abx reads Android Binary XML (ABX), the compact XML encoding that
// Android 12+ uses for system files such as settings_ssaid.xml,
// settings_secure.xml and packages.xml (formats.md §6; AOSP
// BinaryXmlSerializer / BinaryXmlPullParser).
//
// Parse decodes an ABX document into an element tree (the same tree
// ParseXML builds from text XML, so callers handle both encodings alike),
// and WriteXML renders it back as text XML in the form Android's abx2xml
// prints. Strings are Java "modified UTF-8" (U+0000 as C0 80, supplementary
// characters as surrogate pairs) and are returned as valid UTF-8; invalid
// sequences become U+FFFD.
//
// Bad input gives a *SyntaxError naming the byte offset, never a panic;
// the element count, nesting depth and interned-string table are bounded.
package abx

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Magic starts every ABX document ("ABX" + format version 0).
const Magic = "ABX\x00"

// Token commands (low nibble), XmlPullParser event numbering.
const (
	StartDocument         = 0
	EndDocument           = 1
	StartTag              = 2
	EndTag                = 3
	Text                  = 4
	CDSect                = 5
	EntityRef             = 6
	IgnorableWhitespace   = 7
	ProcessingInstruction = 8
	Comment               = 9
	DocDecl               = 10
	Attribute             = 15
)

// Value types (high nibble).
const (
	TypeNull           = 1 << 4
	TypeString         = 2 << 4
	TypeStringInterned = 3 << 4
	TypeBytesHex       = 4 << 4
	TypeBytesBase64    = 5 << 4
	TypeInt            = 6 << 4
	TypeIntHex         = 7 << 4
	TypeLong           = 8 << 4
	TypeLongHex        = 9 << 4
	TypeFloat          = 10 << 4
	TypeDouble         = 11 << 4
	TypeBooleanTrue    = 12 << 4
	TypeBooleanFalse   = 13 << 4
)

// Limits.
const (
	MaxElements = 1 << 20
	MaxDepth    = 256
	MaxInterned = 0xFFFE
)

// Errors.
var (
	ErrNotABX = errors.New("abx: not an Android Binary XML document (no ABX\\0 magic)")
	ErrSyntax = errors.New("abx: malformed document")
)

// SyntaxError describes malformed input at a byte offset.
type SyntaxError struct {
	Offset int64
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("abx: offset %d: %s", e.Offset, e.Msg)
}

func (e *SyntaxError) Unwrap() error { return ErrSyntax }

// Attr is an attribute with its value rendered as text (numbers in
// decimal or hex as the writer chose, booleans as true/false, bytes as
// upper-case hex or base64). Type is the ABX value type (0 for text XML).
type Attr struct {
	Name  string
	Value string
	Type  int
}

// Element is an XML element.
type Element struct {
	Name     string
	Attrs    []Attr
	Children []*Element
	// Text is the concatenated character data directly inside the
	// element (text, CDATA, entity references).
	Text string
	// Offset is the byte offset of the start tag.
	Offset int64
}

// Attr returns the value of attribute name and whether it is present.
func (e *Element) Attr(name string) (string, bool) {
	for _, a := range e.Attrs {
		if a.Name == name {
			return a.Value, true
		}
	}
	return "", false
}

// Get returns the value of attribute name, or "".
func (e *Element) Get(name string) string {
	v, _ := e.Attr(name)
	return v
}

// Walk calls fn for e and every element below it, depth first, in
// document order, with the chain of ancestors (outermost first).
func (e *Element) Walk(fn func(el *Element, parents []*Element)) {
	var rec func(el *Element, parents []*Element)
	rec = func(el *Element, parents []*Element) {
		fn(el, parents)
		parents = append(parents, el)
		for _, c := range el.Children {
			rec(c, parents)
		}
	}
	rec(e, nil)
}

// IsABX reports whether data starts with the ABX magic.
func IsABX(data []byte) bool { return bytes.HasPrefix(data, []byte(Magic)) }

type decoder struct {
	b     []byte
	off   int
	table []string
}

func (d *decoder) fail(format string, args ...any) error {
	return &SyntaxError{Offset: int64(d.off), Msg: fmt.Sprintf(format, args...)}
}

func (d *decoder) need(n int) error {
	if n < 0 || d.off+n > len(d.b) {
		return d.fail("need %d bytes, %d left", n, len(d.b)-d.off)
	}
	return nil
}

func (d *decoder) u16() (int, error) {
	if err := d.need(2); err != nil {
		return 0, err
	}
	v := binary.BigEndian.Uint16(d.b[d.off:])
	d.off += 2
	return int(v), nil
}

func (d *decoder) bytesN(n int) ([]byte, error) {
	if err := d.need(n); err != nil {
		return nil, err
	}
	v := d.b[d.off : d.off+n]
	d.off += n
	return v, nil
}

func (d *decoder) str() (string, error) {
	n, err := d.u16()
	if err != nil {
		return "", err
	}
	b, err := d.bytesN(n)
	if err != nil {
		return "", err
	}
	return DecodeModifiedUTF8(b), nil
}

func (d *decoder) interned() (string, error) {
	at := d.off
	idx, err := d.u16()
	if err != nil {
		return "", err
	}
	if idx == 0xFFFF {
		s, err := d.str()
		if err != nil {
			return "", err
		}
		if len(d.table) >= MaxInterned {
			return "", &SyntaxError{Offset: int64(at), Msg: "interned-string table full"}
		}
		d.table = append(d.table, s)
		return s, nil
	}
	if idx >= len(d.table) {
		return "", &SyntaxError{Offset: int64(at), Msg: fmt.Sprintf("interned string %d not defined (%d known)", idx, len(d.table))}
	}
	return d.table[idx], nil
}

// value reads a typed payload and renders it as text.
func (d *decoder) value(typ int) (string, error) {
	switch typ {
	case TypeNull:
		return "", nil
	case TypeString:
		return d.str()
	case TypeStringInterned:
		return d.interned()
	case TypeBytesHex, TypeBytesBase64:
		n, err := d.u16()
		if err != nil {
			return "", err
		}
		b, err := d.bytesN(n)
		if err != nil {
			return "", err
		}
		if typ == TypeBytesHex {
			return strings.ToUpper(hex.EncodeToString(b)), nil
		}
		return base64.StdEncoding.EncodeToString(b), nil
	case TypeInt, TypeIntHex, TypeFloat:
		b, err := d.bytesN(4)
		if err != nil {
			return "", err
		}
		v := binary.BigEndian.Uint32(b)
		switch typ {
		case TypeInt:
			return strconv.FormatInt(int64(int32(v)), 10), nil
		case TypeIntHex:
			return strconv.FormatUint(uint64(v), 16), nil
		}
		return javaFloat(float64(math.Float32frombits(v)), 32), nil
	case TypeLong, TypeLongHex, TypeDouble:
		b, err := d.bytesN(8)
		if err != nil {
			return "", err
		}
		v := binary.BigEndian.Uint64(b)
		switch typ {
		case TypeLong:
			return strconv.FormatInt(int64(v), 10), nil
		case TypeLongHex:
			return strconv.FormatUint(v, 16), nil
		}
		return javaFloat(math.Float64frombits(v), 64), nil
	case TypeBooleanTrue:
		return "true", nil
	case TypeBooleanFalse:
		return "false", nil
	}
	return "", d.fail("unknown value type 0x%02x", typ)
}

// javaFloat renders like Java's Float/Double.toString for common values:
// integral values keep ".0".
func javaFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	s := strconv.FormatFloat(f, 'g', -1, bits)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

// Parse decodes an ABX document and returns its root element.
func Parse(data []byte) (*Element, error) {
	if !IsABX(data) {
		return nil, ErrNotABX
	}
	d := &decoder{b: data, off: len(Magic)}
	var root *Element
	var stack []*Element
	var text strings.Builder
	count := 0
	flush := func() {
		if len(stack) > 0 && text.Len() > 0 {
			stack[len(stack)-1].Text += text.String()
		}
		text.Reset()
	}
	for d.off < len(d.b) {
		at := d.off
		tok := int(d.b[d.off])
		d.off++
		cmd, typ := tok&0x0F, tok&0xF0
		switch cmd {
		case StartDocument:
			if typ != TypeNull {
				if _, err := d.value(typ); err != nil {
					return root, err
				}
			}
		case EndDocument:
			if len(stack) > 0 {
				return root, &SyntaxError{Offset: int64(at), Msg: fmt.Sprintf("document ends inside <%s>", stack[len(stack)-1].Name)}
			}
			if root == nil {
				return nil, &SyntaxError{Offset: int64(at), Msg: "document has no element"}
			}
			return root, nil
		case StartTag:
			flush()
			if typ != TypeStringInterned {
				return root, &SyntaxError{Offset: int64(at), Msg: fmt.Sprintf("start tag with value type 0x%02x", typ)}
			}
			name, err := d.interned()
			if err != nil {
				return root, err
			}
			count++
			if count > MaxElements {
				return root, &SyntaxError{Offset: int64(at), Msg: fmt.Sprintf("more than %d elements", MaxElements)}
			}
			if len(stack) >= MaxDepth {
				return root, &SyntaxError{Offset: int64(at), Msg: fmt.Sprintf("nested deeper than %d", MaxDepth)}
			}
			el := &Element{Name: name, Offset: int64(at)}
			if len(stack) == 0 {
				if root != nil {
					return root, &SyntaxError{Offset: int64(at), Msg: "second root element"}
				}
				root = el
			} else {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, el)
			}
			stack = append(stack, el)
		case EndTag:
			flush()
			if typ != TypeStringInterned {
				return root, &SyntaxError{Offset: int64(at), Msg: fmt.Sprintf("end tag with value type 0x%02x", typ)}
			}
			name, err := d.interned()
			if err != nil {
				return root, err
			}
			if len(stack) == 0 || stack[len(stack)-1].Name != name {
				return root, &SyntaxError{Offset: int64(at), Msg: fmt.Sprintf("end tag </%s> does not match", name)}
			}
			stack = stack[:len(stack)-1]
		case Attribute:
			if len(stack) == 0 {
				return root, &SyntaxError{Offset: int64(at), Msg: "attribute outside an element"}
			}
			name, err := d.interned()
			if err != nil {
				return root, err
			}
			v, err := d.value(typ)
			if err != nil {
				return root, err
			}
			el := stack[len(stack)-1]
			el.Attrs = append(el.Attrs, Attr{Name: name, Value: v, Type: typ})
		case Text, CDSect, EntityRef, IgnorableWhitespace, ProcessingInstruction, Comment, DocDecl:
			v, err := d.value(typ)
			if err != nil {
				return root, err
			}
			switch cmd {
			case Text, CDSect:
				if text.Len() < 16<<20 {
					text.WriteString(v)
				}
			case EntityRef:
				text.WriteString(entity(v))
			}
		default:
			return root, &SyntaxError{Offset: int64(at), Msg: fmt.Sprintf("unknown token 0x%02x", tok)}
		}
	}
	if len(stack) > 0 || root == nil {
		return root, &SyntaxError{Offset: int64(len(d.b)), Msg: "document truncated"}
	}
	return root, nil
}

func entity(name string) string {
	switch name {
	case "lt":
		return "<"
	case "gt":
		return ">"
	case "amp":
		return "&"
	case "apos":
		return "'"
	case "quot":
		return "\""
	}
	return "&" + name + ";"
}

// DecodeModifiedUTF8 decodes Java's modified UTF-8 (CESU-8 surrogate pairs,
// C0 80 for U+0000) into valid UTF-8. Standard 4-byte UTF-8 sequences are
// accepted too; anything else becomes U+FFFD.
func DecodeModifiedUTF8(b []byte) string {
	ascii := true
	for _, c := range b {
		if c >= 0x80 || c == 0 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b)
	}
	var sb strings.Builder
	sb.Grow(len(b))
	// unit decodes one 1–3 byte sequence into a UTF-16 code unit.
	unit := func(i int) (rune, int) {
		c := b[i]
		switch {
		case c < 0x80:
			return rune(c), 1
		case c&0xE0 == 0xC0 && i+1 < len(b) && b[i+1]&0xC0 == 0x80:
			return rune(c&0x1F)<<6 | rune(b[i+1]&0x3F), 2
		case c&0xF0 == 0xE0 && i+2 < len(b) && b[i+1]&0xC0 == 0x80 && b[i+2]&0xC0 == 0x80:
			return rune(c&0x0F)<<12 | rune(b[i+1]&0x3F)<<6 | rune(b[i+2]&0x3F), 3
		}
		return -1, 1
	}
	for i := 0; i < len(b); {
		if b[i]&0xF8 == 0xF0 {
			r, n := utf8.DecodeRune(b[i:])
			if r != utf8.RuneError || n > 1 {
				sb.WriteRune(r)
				i += n
				continue
			}
		}
		r, n := unit(i)
		switch {
		case r < 0:
			sb.WriteRune(utf8.RuneError)
		case r >= 0xD800 && r <= 0xDBFF:
			if i+n < len(b) {
				if lo, m := unit(i + n); lo >= 0xDC00 && lo <= 0xDFFF {
					sb.WriteRune(0x10000 + (r-0xD800)<<10 + (lo - 0xDC00))
					i += n + m
					continue
				}
			}
			sb.WriteRune(utf8.RuneError)
		case r >= 0xDC00 && r <= 0xDFFF:
			sb.WriteRune(utf8.RuneError)
		default:
			sb.WriteRune(r)
		}
		i += n
	}
	return sb.String()
}
