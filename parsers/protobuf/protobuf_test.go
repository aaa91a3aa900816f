package protobuf

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

type w struct{ b []byte }

func (m *w) str(n protowire.Number, s string) *w {
	m.b = protowire.AppendTag(m.b, n, protowire.BytesType)
	m.b = protowire.AppendString(m.b, s)
	return m
}
func (m *w) raw(n protowire.Number, v []byte) *w {
	m.b = protowire.AppendTag(m.b, n, protowire.BytesType)
	m.b = protowire.AppendBytes(m.b, v)
	return m
}
func (m *w) msg(n protowire.Number, s *w) *w { return m.raw(n, s.b) }
func (m *w) varint(n protowire.Number, v uint64) *w {
	m.b = protowire.AppendTag(m.b, n, protowire.VarintType)
	m.b = protowire.AppendVarint(m.b, v)
	return m
}
func (m *w) fixed32(n protowire.Number, v uint32) *w {
	m.b = protowire.AppendTag(m.b, n, protowire.Fixed32Type)
	m.b = protowire.AppendFixed32(m.b, v)
	return m
}
func (m *w) fixed64(n protowire.Number, v uint64) *w {
	m.b = protowire.AppendTag(m.b, n, protowire.Fixed64Type)
	m.b = protowire.AppendFixed64(m.b, v)
	return m
}

// callLog is the MIUI call-log payload shape of formats.md §2.7.
func callLog() []byte {
	c := (&w{}).str(2, "17").str(3, "+441234567890").varint(4, 1588858433593).varint(5, 0).varint(6, 2).varint(7, 1)
	return (&w{}).msg(2, (&w{}).msg(1, c)).b
}

func TestParseCallLogShape(t *testing.T) {
	m, err := Parse(callLog())
	if err != nil {
		t.Fatal(err)
	}
	box := m.Get(2)
	if box == nil || box.Kind != KindMessage {
		t.Fatalf("field 2: %+v", box)
	}
	calls := box.Sub.All(1)
	if len(calls) != 1 || calls[0].Kind != KindMessage {
		t.Fatalf("calls: %+v", calls)
	}
	c := calls[0].Sub
	if got := c.String(3); got != "+441234567890" {
		t.Errorf("number %q", got)
	}
	if got, ok := c.Int64(4); !ok || got != 1588858433593 {
		t.Errorf("date %d %v", got, ok)
	}
	if got := c.Get(2); got.Kind != KindString || got.Text() != "17" {
		t.Errorf("id %+v", got)
	}
	if calls[0].Offset != 2 || c.Fields[0].Offset != 4 {
		t.Errorf("offsets %d %d", calls[0].Offset, c.Fields[0].Offset)
	}
}

func TestClassify(t *testing.T) {
	tests := []struct {
		name  string
		value []byte
		want  Kind
	}{
		{"ascii text", []byte("hello world"), KindString},
		{"short text that is also a message", []byte("hi"), KindString}, // 0x68 0x69 = field 13 varint 105
		{"cyrillic", []byte("Иван Новиков"), KindString},
		{"emoji", []byte("Look 🏔️"), KindString},
		{"nested", (&w{}).str(1, "abc").b, KindMessage},
		{"nested varint", (&w{}).varint(1, 150).b, KindMessage},
		{"empty", nil, KindBytes},
		{"binary", []byte{0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10}, KindBytes},
		{"control chars", []byte{0x01, 0x02, 0x03}, KindBytes},
		{"huge field number", []byte{0xf8, 0xff, 0xff, 0xff, 0x0f, 0x01}, KindBytes},
		{"group wire type", []byte{0x0b, 0x0c}, KindBytes},
		{"invalid utf-8", []byte{'a', 0xc3, 'b'}, KindBytes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse((&w{}).raw(5, tt.value).b)
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Fields[0].Kind; got != tt.want {
				t.Errorf("kind %v, want %v", got, tt.want)
			}
		})
	}
	// A caller can still read "hi" as a message.
	m, _ := Parse((&w{}).raw(5, []byte("hi")).b)
	sub := m.Fields[0].Message()
	if sub == nil || sub.Fields[0].Number != 13 || sub.Fields[0].Uint != 105 {
		t.Errorf("Message() of \"hi\": %+v", sub)
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name   string
		in     []byte
		err    error
		offset int64
	}{
		{"truncated varint", []byte{0x08, 0x80}, ErrTruncated, 1},
		{"truncated length", []byte{0x08, 0x01, 0x12, 0x05, 'a'}, ErrTruncated, 3},
		{"field zero", []byte{0x00, 0x01}, ErrFieldNumber, 0},
		{"group", []byte{0x0b}, ErrWireType, 0},
		{"wire type 7", []byte{0x0f}, ErrWireType, 0},
		{"truncated fixed32", []byte{0x0d, 1, 2}, ErrTruncated, 1},
		{"truncated fixed64", []byte{0x09, 1, 2, 3}, ErrTruncated, 1},
		{"overflow", []byte{0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}, ErrOverflow, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.in)
			var pe *Error
			if !errors.Is(err, tt.err) || !errors.As(err, &pe) {
				t.Fatalf("err %v, want %v", err, tt.err)
			}
			if pe.Offset != tt.offset {
				t.Errorf("offset %d, want %d (%v)", pe.Offset, tt.offset, err)
			}
			if !strings.Contains(err.Error(), "offset") {
				t.Errorf("message does not name the offset: %v", err)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	// 40 levels of nesting: the guess stops at MaxDepth and leaves bytes.
	inner := (&w{}).varint(1, 1)
	for i := 0; i < 40; i++ {
		inner = (&w{}).msg(1, inner)
	}
	m, err := Parse(inner.b)
	if err != nil {
		t.Fatal(err)
	}
	depth := 0
	for f := &m.Fields[0]; f.Kind == KindMessage; f = &f.Sub.Fields[0] {
		depth++
	}
	if depth != DefaultMaxDepth-1 {
		t.Errorf("depth %d", depth)
	}
	many := &w{}
	for i := 0; i < 100; i++ {
		many.varint(1, uint64(i))
	}
	if _, err := ParseOptions(many.b, Options{MaxFields: 50}); !errors.Is(err, ErrTooMany) {
		t.Errorf("MaxFields: %v", err)
	}
	if _, err := ParseOptions(inner.b, Options{MaxDepth: 0}); err != nil {
		t.Errorf("default depth: %v", err)
	}
}

func TestTree(t *testing.T) {
	b := (&w{}).msg(1, (&w{}).str(1, "Amelia <b>").varint(2, 2)).
		varint(4, 1588858433593).
		varint(5, 1700000000).
		varint(6, ^uint64(0)). // -1 as int64
		fixed32(7, 0x3fc00000).
		fixed64(8, 1<<60).
		raw(9, []byte{0xff, 0x01, 0x80, 0x01}).
		raw(10, []byte(strings.Repeat("x", 100)))
	m, err := Parse(b.b)
	if err != nil {
		t.Fatal(err)
	}
	raw := Tree(m, TreeOptions{MaxText: 10, MaxHex: 8})
	var doc TreeDoc
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Nodes != 10 || doc.Total != 10 || doc.Truncated {
		t.Errorf("nodes %d total %d truncated %v", doc.Nodes, doc.Total, doc.Truncated)
	}
	s := string(raw)
	for _, want := range []string{
		`"value":"Amelia <b>"`,
		`"time":"2020-05-07T13:33:53.593Z","timeUnit":"ms"`,
		`"time":"2023-11-14T22:13:20.000Z","timeUnit":"s"`,
		`"value":"18446744073709551615","signed":-1`,
		`"float":1.5`,
		`"value":"1152921504606846976"`,
		`"hex":"ff018001","packed":[255,128]`,
		`"value":"xxxxxxxxxx","cut":true`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("tree lacks %s\n%s", want, s)
		}
	}
	// Node limit.
	doc = BuildTree(m, TreeOptions{MaxNodes: 3})
	if doc.Nodes != 3 || !doc.Truncated || doc.Total != 10 {
		t.Errorf("limited: %+v", doc)
	}
	// Deterministic.
	if string(Tree(m, TreeOptions{MaxText: 10, MaxHex: 8})) != s {
		t.Error("Tree is not deterministic")
	}
	// Empty message.
	if got := string(Tree(&Message{}, TreeOptions{})); got != `{"fields":[],"nodes":0,"total":0}` {
		t.Errorf("empty: %s", got)
	}
}
