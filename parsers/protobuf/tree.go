package protobuf

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// Defaults for TreeOptions.
const (
	DefaultMaxNodes = 20000
	DefaultMaxText  = 4096
	DefaultMaxHex   = 64
)

// TreeOptions bound the JSON form. The zero value uses the defaults.
type TreeOptions struct {
	MaxNodes int // fields rendered in the whole tree; the rest is cut
	MaxText  int // bytes of a string rendered
	MaxHex   int // bytes of a bytes field rendered as hex
}

// Node is one field in the JSON form. Field names are stable: the page
// renders them.
type Node struct {
	Field  int32  `json:"field"`
	Offset int64  `json:"offset"` // byte offset of the tag
	Type   string `json:"type"`   // varint | fixed32 | fixed64 | message | string | bytes
	Length *int   `json:"length,omitempty"`
	// Value: varint and fixed values as a JSON number (a string when
	// above 2^53, which JavaScript numbers cannot hold exactly); the text
	// of a string.
	Value    any           `json:"value,omitempty"`
	Signed   *int64        `json:"signed,omitempty"`   // the value as a negative int64/int32, when it is one
	Float    *float64      `json:"float,omitempty"`    // fixed32/fixed64 read as float/double
	Time     string        `json:"time,omitempty"`     // a plausible epoch time (2000–2100) in UTC
	TimeUnit string        `json:"timeUnit,omitempty"` // ms | s
	Hex      string        `json:"hex,omitempty"`
	Packed   []json.Number `json:"packed,omitempty"` // bytes read as packed varints
	Cut      bool          `json:"cut,omitempty"`    // value shortened
	Fields   []Node        `json:"fields,omitempty"`
}

// TreeDoc is the JSON form of a message.
type TreeDoc struct {
	Fields    []Node `json:"fields"`
	Nodes     int    `json:"nodes"`               // fields rendered
	Total     int    `json:"total"`               // fields in the message tree
	Truncated bool   `json:"truncated,omitempty"` // Nodes < Total
}

// Tree returns the JSON form of m:
//
//	{"fields":[{"field":1,"offset":0,"type":"message","length":12,"fields":[…]},
//	           {"field":3,"offset":14,"type":"string","length":13,"value":"+441234567890"},
//	           {"field":4,"offset":29,"type":"varint","value":1588858433593,"time":"2020-05-07T13:33:53.593Z","timeUnit":"ms"}],
//	 "nodes":3,"total":3}
//
// Output is deterministic and bounded by o.
func Tree(m *Message, o TreeOptions) json.RawMessage {
	doc := BuildTree(m, o)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil { // cannot happen: only finite floats are stored
		return json.RawMessage(`{"fields":[],"nodes":0,"total":0}`)
	}
	return json.RawMessage(bytes.TrimRight(buf.Bytes(), "\n"))
}

// BuildTree returns the tree as Go values (what Tree encodes).
func BuildTree(m *Message, o TreeOptions) TreeDoc {
	if o.MaxNodes <= 0 {
		o.MaxNodes = DefaultMaxNodes
	}
	if o.MaxText <= 0 {
		o.MaxText = DefaultMaxText
	}
	if o.MaxHex <= 0 {
		o.MaxHex = DefaultMaxHex
	}
	b := &treeBuilder{o: o}
	doc := TreeDoc{Fields: b.fields(m), Total: count(m)}
	if m != nil {
		doc.Total += m.Omitted // decoded, not kept (Options.MaxKept)
	}
	if doc.Fields == nil {
		doc.Fields = []Node{}
	}
	doc.Nodes = b.n
	doc.Truncated = doc.Nodes < doc.Total
	return doc
}

func count(m *Message) int {
	if m == nil {
		return 0
	}
	n := len(m.Fields)
	for i := range m.Fields {
		n += count(m.Fields[i].Sub)
	}
	return n
}

type treeBuilder struct {
	o TreeOptions
	n int
}

func (b *treeBuilder) fields(m *Message) []Node {
	if m == nil {
		return nil
	}
	var out []Node
	for i := range m.Fields {
		if b.n >= b.o.MaxNodes {
			break
		}
		b.n++
		out = append(out, b.node(&m.Fields[i]))
	}
	return out
}

const maxSafeInt = 1<<53 - 1

func number(v uint64) any {
	if v <= maxSafeInt {
		return json.Number(strconv.FormatUint(v, 10))
	}
	return strconv.FormatUint(v, 10)
}

// Plausible epoch range for time hints: 2000-01-01 … 2100-01-01.
const (
	minEpochS = 946684800
	maxEpochS = 4102444800
)

// TimeHint returns v as a UTC time when it is a plausible epoch value in
// milliseconds or seconds (2000–2100), with its unit.
func TimeHint(v uint64) (time.Time, string, bool) {
	switch {
	case v >= minEpochS*1000 && v < maxEpochS*1000:
		return time.UnixMilli(int64(v)).UTC(), "ms", true
	case v >= minEpochS && v < maxEpochS:
		return time.Unix(int64(v), 0).UTC(), "s", true
	}
	return time.Time{}, "", false
}

func (b *treeBuilder) node(f *Field) Node {
	n := Node{Field: f.Number, Offset: f.Offset, Type: f.Kind.String()}
	switch f.Kind {
	case KindVarint, KindFixed32, KindFixed64:
		n.Value = number(f.Uint)
		if s := f.Int64(); s < 0 {
			n.Signed = &s
		}
		if f.Kind != KindVarint {
			if x := f.Float64(); !math.IsNaN(x) && !math.IsInf(x, 0) && x != 0 {
				n.Float = &x
			}
		}
		if t, unit, ok := TimeHint(f.Uint); ok {
			n.Time, n.TimeUnit = t.Format("2006-01-02T15:04:05.000Z"), unit
		}
	case KindMessage:
		l := len(f.Bytes)
		n.Length = &l
		n.Fields = b.fields(f.Sub)
	case KindString:
		l := len(f.Bytes)
		n.Length = &l
		s := f.Bytes
		if len(s) > b.o.MaxText {
			cut := b.o.MaxText
			for cut > 0 && !utf8.RuneStart(s[cut]) {
				cut--
			}
			s, n.Cut = s[:cut], true
		}
		n.Value = string(s)
	case KindBytes:
		l := len(f.Bytes)
		n.Length = &l
		h := f.Bytes
		if len(h) > b.o.MaxHex {
			h, n.Cut = h[:b.o.MaxHex], true
		}
		n.Hex = hex.EncodeToString(h)
		if l > 0 && l <= b.o.MaxHex {
			if vs, ok := f.Packed(); ok && len(vs) > 1 {
				for _, v := range vs {
					n.Packed = append(n.Packed, json.Number(strconv.FormatUint(v, 10)))
				}
			}
		}
	}
	return n
}
