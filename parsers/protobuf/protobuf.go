// Package protobuf decodes Protocol Buffers wire-format data without a
// schema into a tree of fields, for payloads whose .proto is not public
// (MIUI _tmp_bak files, formats.md §2.7).
//
// The wire format does not say whether a length-delimited field is a nested
// message, a string, raw bytes or a packed array. Parse guesses the way a
// person reading a hex dump would, and the guess is kept visible:
//
//   - it is a nested message when its bytes parse completely as a message
//     whose field numbers are plausible (1..MaxGuessNumber) and whose wire
//     types are varint, fixed32, fixed64 or length-delimited, unless the
//     bytes are also printable text, in which case they are a string;
//   - else it is a string when the bytes are valid, printable UTF-8;
//   - else it is bytes (Field.Packed reinterprets them as packed varints).
//
// A caller that knows better asks for another reading: Field.Message parses
// a field's bytes as a message whatever the guess was, Field.Text returns
// them as text.
//
// Decoding is bounded: nesting depth and the number of fields are limited
// (Options), every length is checked against the data, and the tree aliases
// the input instead of copying it. Malformed input yields an *Error naming
// the byte offset, never a panic.
//
// Tree renders the JSON form the page shows (see Tree for the layout).
package protobuf

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"unicode"
	"unicode/utf8"

	"google.golang.org/protobuf/encoding/protowire"
)

// Wire types (protowire names).
const (
	VarintType  = protowire.VarintType
	Fixed32Type = protowire.Fixed32Type
	Fixed64Type = protowire.Fixed64Type
	BytesType   = protowire.BytesType
)

// Kind is how a field's value was read.
type Kind uint8

const (
	KindVarint  Kind = iota // wire type 0
	KindFixed64             // wire type 1
	KindFixed32             // wire type 5
	KindMessage             // length-delimited, parsed as a nested message
	KindString              // length-delimited, printable UTF-8
	KindBytes               // length-delimited, anything else (or empty)
)

var kindNames = [...]string{"varint", "fixed64", "fixed32", "message", "string", "bytes"}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Defaults for Options.
const (
	DefaultMaxDepth  = 32
	DefaultMaxFields = 1 << 20
	// MaxGuessNumber is the largest field number accepted when guessing
	// whether bytes are a nested message. Real schemas rarely go beyond a
	// few hundred; random bytes produce huge numbers.
	MaxGuessNumber = 1 << 16
)

// Options bound decoding. The zero value uses the defaults.
type Options struct {
	MaxDepth  int // nesting depth of messages (the top level is depth 1)
	MaxFields int // fields in the whole tree
	// MaxKept, if positive, bounds the fields kept in memory (64 bytes
	// each): past it fields are still decoded and checked, and counted in
	// the top Message's Omitted, but not kept, except those holding a kept
	// nested field (at most MaxKept more). Then the Message is the part a
	// viewer shows (BuildTree shows the first DefaultMaxNodes anyway),
	// whatever the input's size: a 32 MiB payload of 2-byte fields made
	// 16 M fields, 1 GiB of them, and 5.8 GB allocated.
	MaxKept int
	// MaxTopNumber, if positive, makes a top-level field numbered above it
	// an ErrFieldNumber error (a caller that only wants plausible messages
	// learns it without keeping every field).
	MaxTopNumber int32
}

// Errors, wrapped in *Error.
var (
	ErrTruncated   = errors.New("protobuf: truncated")
	ErrFieldNumber = errors.New("protobuf: invalid field number")
	ErrWireType    = errors.New("protobuf: unsupported wire type")
	ErrOverflow    = errors.New("protobuf: varint overflows 64 bits")
	ErrTooDeep     = errors.New("protobuf: nesting too deep")
	ErrTooMany     = errors.New("protobuf: too many fields")
)

// Error is a decoding error at a byte offset of the input given to Parse.
type Error struct {
	Offset int64
	Err    error
	Detail string
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%v at byte offset %d", e.Err, e.Offset)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Field is one field of a message.
type Field struct {
	Number int32
	Wire   protowire.Type
	Kind   Kind
	Offset int64 // byte offset of the tag in the input given to Parse
	// ValueOffset is the byte offset of the value (for length-delimited
	// fields, of the first content byte).
	ValueOffset int64
	Uint        uint64   // varint, fixed32 and fixed64 values
	Bytes       []byte   // length-delimited content (aliases the input)
	Sub         *Message // the nested message when Kind is KindMessage
}

// Message is a decoded message: its fields in wire order.
type Message struct {
	Fields []Field
	// Omitted counts the fields of the whole tree decoded but not kept
	// (Options.MaxKept); set on the top message only.
	Omitted int
}

type parser struct {
	maxDepth  int
	maxFields int
	fields    int
	maxKept   int // 0: all
	kept      int
	maxTop    int32 // Options.MaxTopNumber
	// stack holds the fields of the messages being decoded, innermost
	// last; a message takes an exact-size copy of its own when it is
	// complete (the outermost takes the stack itself). Growing each
	// message's slice by append, and dropping it when a guess failed, had
	// made 243 MB of garbage (and a 54 MB live peak) for a 9 MB MIUI
	// payload.
	stack []Field
}

// Parse decodes b as one message with the default Options.
func Parse(b []byte) (*Message, error) { return ParseOptions(b, Options{}) }

// ParseOptions decodes b as one message. The whole of b must be consumed.
func ParseOptions(b []byte, o Options) (*Message, error) {
	p := &parser{maxDepth: o.MaxDepth, maxFields: o.MaxFields, maxKept: max(o.MaxKept, 0), maxTop: o.MaxTopNumber}
	if p.maxDepth <= 0 {
		p.maxDepth = DefaultMaxDepth
	}
	if p.maxFields <= 0 {
		p.maxFields = DefaultMaxFields
	}
	m, err := p.message(b, 0, 1, false)
	if m != nil {
		m.Omitted = p.fields - p.kept
	}
	return m, err
}

// keep tells whether the decoded field f is kept: always without MaxKept,
// else while fewer than MaxKept are, or when it holds a kept nested field.
func (p *parser) keep(f *Field) bool {
	if p.maxKept == 0 || p.kept < p.maxKept || (f.Sub != nil && len(f.Sub.Fields) > 0) {
		p.kept++
		return true
	}
	return false
}

// message decodes b (which starts at offset base of the original input).
// When guess is set it fails fast on anything implausible and on the
// first error returns a nil *Error-free sentinel (the caller only needs
// to know that the bytes are not a message).
func (p *parser) message(b []byte, base int64, depth int, guess bool) (*Message, error) {
	if depth > p.maxDepth {
		return nil, &Error{Offset: base, Err: ErrTooDeep, Detail: fmt.Sprintf("more than %d levels", p.maxDepth)}
	}
	start, startKept := p.fields, p.kept
	mark := len(p.stack)
	for off := 0; off < len(b); {
		f, n, err := p.field(b[off:], base+int64(off), depth, guess)
		if err != nil {
			if guess {
				p.fields, p.kept = start, startKept
			}
			clear(p.stack[mark:])
			p.stack = p.stack[:mark]
			return nil, err
		}
		if p.keep(&f) {
			p.stack = append(p.stack, f)
		}
		off += n
	}
	m := &Message{}
	switch k := len(p.stack) - mark; {
	case k == 0:
	case mark == 0:
		m.Fields = slices.Clip(p.stack)
		p.stack = nil
	default:
		m.Fields = make([]Field, k)
		copy(m.Fields, p.stack[mark:])
		clear(p.stack[mark:])
		p.stack = p.stack[:mark]
	}
	return m, nil
}

var errNotMessage = errors.New("not a message")

func (p *parser) field(b []byte, at int64, depth int, guess bool) (Field, int, error) {
	fail := func(off int64, err error, detail string) (Field, int, error) {
		if guess {
			return Field{}, 0, errNotMessage
		}
		return Field{}, 0, &Error{Offset: off, Err: err, Detail: detail}
	}
	if p.fields >= p.maxFields {
		if guess {
			return Field{}, 0, errNotMessage
		}
		return Field{}, 0, &Error{Offset: at, Err: ErrTooMany, Detail: fmt.Sprintf("more than %d", p.maxFields)}
	}
	tag, n := protowire.ConsumeVarint(b)
	if n < 0 {
		return fail(at, varintErr(n), "tag")
	}
	num, typ := protowire.DecodeTag(tag)
	if num < protowire.MinValidNumber || num > protowire.MaxValidNumber || (guess && num > MaxGuessNumber) || (depth == 1 && p.maxTop > 0 && int64(num) > int64(p.maxTop)) {
		return fail(at, ErrFieldNumber, fmt.Sprintf("field number %d", tag>>3))
	}
	f := Field{Number: int32(num), Wire: typ, Offset: at, ValueOffset: at + int64(n)}
	rest := b[n:]
	var m int
	switch typ {
	case protowire.VarintType:
		f.Kind = KindVarint
		f.Uint, m = protowire.ConsumeVarint(rest)
		if m < 0 {
			return fail(f.ValueOffset, varintErr(m), fmt.Sprintf("field %d", num))
		}
	case protowire.Fixed32Type:
		f.Kind = KindFixed32
		var v uint32
		v, m = protowire.ConsumeFixed32(rest)
		if m < 0 {
			return fail(f.ValueOffset, ErrTruncated, fmt.Sprintf("fixed32 field %d", num))
		}
		f.Uint = uint64(v)
	case protowire.Fixed64Type:
		f.Kind = KindFixed64
		f.Uint, m = protowire.ConsumeFixed64(rest)
		if m < 0 {
			return fail(f.ValueOffset, ErrTruncated, fmt.Sprintf("fixed64 field %d", num))
		}
	case protowire.BytesType:
		ln, k := protowire.ConsumeVarint(rest)
		if k < 0 {
			return fail(f.ValueOffset, varintErr(k), fmt.Sprintf("length of field %d", num))
		}
		if ln > uint64(len(rest)-k) {
			return fail(f.ValueOffset, ErrTruncated, fmt.Sprintf("field %d says %d bytes, %d left", num, ln, len(rest)-k))
		}
		f.ValueOffset += int64(k)
		f.Bytes = rest[k : k+int(ln)]
		m = k + int(ln)
		p.classify(&f, depth)
	default:
		return fail(at, ErrWireType, fmt.Sprintf("wire type %d of field %d", typ, num))
	}
	p.fields++
	return f, n + m, nil
}

// classify decides what a length-delimited field holds.
func (p *parser) classify(f *Field, depth int) {
	f.Kind = KindBytes
	if len(f.Bytes) == 0 {
		return
	}
	text := printable(f.Bytes)
	if !text && depth < p.maxDepth {
		if sub, err := p.message(f.Bytes, f.ValueOffset, depth+1, true); err == nil {
			f.Kind, f.Sub = KindMessage, sub
			return
		}
	}
	if text {
		f.Kind = KindString
	}
}

func varintErr(n int) error {
	if errors.Is(protowire.ParseError(n), io.ErrUnexpectedEOF) {
		return ErrTruncated
	}
	return ErrOverflow
}

// printable reports whether b is valid UTF-8 text without control
// characters other than tab, CR and LF, and does not start with one.
func printable(b []byte) bool {
	if len(b) == 0 || b[0] < 0x20 {
		return false
	}
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return false
		}
		if unicode.IsControl(r) || r == '\uFFFD' || (r >= 0xE000 && r <= 0xF8FF) || r == '\uFEFF' && i > 0 {
			return false
		}
		i += n
	}
	return true
}

// All returns the fields numbered n, in wire order.
func (m *Message) All(n int32) []*Field {
	if m == nil {
		return nil
	}
	var out []*Field
	for i := range m.Fields {
		if m.Fields[i].Number == n {
			out = append(out, &m.Fields[i])
		}
	}
	return out
}

// Get returns the last field numbered n (protobuf semantics for a scalar
// that appears more than once), or nil.
func (m *Message) Get(n int32) *Field {
	if m == nil {
		return nil
	}
	for i := len(m.Fields) - 1; i >= 0; i-- {
		if m.Fields[i].Number == n {
			return &m.Fields[i]
		}
	}
	return nil
}

// Int64 returns the integer value of field n (varint or fixed), and
// whether the field is present with such a wire type.
func (m *Message) Int64(n int32) (int64, bool) {
	f := m.Get(n)
	if f == nil || f.Wire == BytesType {
		return 0, false
	}
	return f.Int64(), true
}

// String returns the text of field n ("" when absent or not
// length-delimited).
func (m *Message) String(n int32) string {
	f := m.Get(n)
	if f == nil {
		return ""
	}
	return f.Text()
}

// Int64 returns the value as a two's-complement int64 (int32 and int64
// fields; a negative int32 is sign-extended to ten bytes on the wire).
// fixed32 values are sign-extended from 32 bits.
func (f *Field) Int64() int64 {
	if f.Wire == Fixed32Type {
		return int64(int32(uint32(f.Uint)))
	}
	return int64(f.Uint)
}

// Sint64 returns the ZigZag-decoded value (sint32/sint64 fields).
func (f *Field) Sint64() int64 { return protowire.DecodeZigZag(f.Uint) }

// Bool returns whether the value is non-zero.
func (f *Field) Bool() bool { return f.Uint != 0 }

// Float64 returns a fixed64 as a double or a fixed32 as a float.
func (f *Field) Float64() float64 {
	if f.Wire == Fixed32Type {
		return float64(math.Float32frombits(uint32(f.Uint)))
	}
	return math.Float64frombits(f.Uint)
}

// Text returns the bytes of a length-delimited field as a string, with
// invalid UTF-8 replaced by U+FFFD. It is "" for other wire types.
func (f *Field) Text() string {
	if f.Wire != BytesType {
		return ""
	}
	if utf8.Valid(f.Bytes) {
		return string(f.Bytes)
	}
	return toValidUTF8(f.Bytes)
}

func toValidUTF8(b []byte) string {
	out := make([]rune, 0, len(b))
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		out = append(out, r) // RuneError for invalid bytes
		b = b[n:]
	}
	return string(out)
}

// Message returns the field's bytes parsed as a message: the nested
// message when that was the guess, or a fresh parse otherwise (a short
// string such as "hi" is also a valid message). It returns nil when the
// bytes are not a complete message or the field is not length-delimited.
func (f *Field) Message() *Message {
	if f.Sub != nil {
		return f.Sub
	}
	if f.Wire != BytesType {
		return nil
	}
	p := &parser{maxDepth: DefaultMaxDepth, maxFields: DefaultMaxFields}
	m, err := p.message(f.Bytes, f.ValueOffset, 1, false)
	if err != nil {
		return nil
	}
	return m
}

// Packed returns the bytes of a length-delimited field read as packed
// varints, and whether they all decode.
func (f *Field) Packed() ([]uint64, bool) {
	if f.Wire != BytesType {
		return nil, false
	}
	var out []uint64
	for b := f.Bytes; len(b) > 0; {
		v, n := protowire.ConsumeVarint(b)
		if n < 0 {
			return nil, false
		}
		out = append(out, v)
		b = b[n:]
	}
	return out, true
}
