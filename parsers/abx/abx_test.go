package abx

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf16"
)

// writer is a minimal ABX serializer written from formats.md §6 for tests.
type writer struct {
	b      bytes.Buffer
	intern map[string]int
}

func newWriter() *writer {
	w := &writer{intern: map[string]int{}}
	w.b.WriteString(Magic)
	w.b.WriteByte(StartDocument | TypeNull)
	return w
}

func mutf8(s string) []byte {
	var out []byte
	for _, r := range s {
		switch {
		case r == 0:
			out = append(out, 0xC0, 0x80)
		case r < 0x80:
			out = append(out, byte(r))
		case r < 0x800:
			out = append(out, 0xC0|byte(r>>6), 0x80|byte(r)&0x3F)
		case r < 0x10000:
			out = append(out, 0xE0|byte(r>>12), 0x80|byte(r>>6)&0x3F, 0x80|byte(r)&0x3F)
		default:
			a, b := utf16.EncodeRune(r)
			for _, c := range []rune{a, b} {
				out = append(out, 0xE0|byte(c>>12), 0x80|byte(c>>6)&0x3F, 0x80|byte(c)&0x3F)
			}
		}
	}
	return out
}

func (w *writer) u16(v int) { binary.Write(&w.b, binary.BigEndian, uint16(v)) }
func (w *writer) str(s string) {
	m := mutf8(s)
	w.u16(len(m))
	w.b.Write(m)
}
func (w *writer) interned(s string) {
	if i, ok := w.intern[s]; ok {
		w.u16(i)
		return
	}
	w.intern[s] = len(w.intern)
	w.u16(0xFFFF)
	w.str(s)
}
func (w *writer) start(tag string) { w.b.WriteByte(StartTag | TypeStringInterned); w.interned(tag) }
func (w *writer) end(tag string)   { w.b.WriteByte(EndTag | TypeStringInterned); w.interned(tag) }
func (w *writer) attr(typ int, name string, payload func()) {
	w.b.WriteByte(byte(Attribute | typ))
	w.interned(name)
	if payload != nil {
		payload()
	}
}
func (w *writer) text(s string) { w.b.WriteByte(Text | TypeString); w.str(s) }
func (w *writer) done() []byte  { w.b.WriteByte(EndDocument | TypeNull); return w.b.Bytes() }

func sampleDoc() []byte {
	w := newWriter()
	w.start("settings")
	w.attr(TypeInt, "version", func() { binary.Write(&w.b, binary.BigEndian, int32(-1)) })
	w.start("setting")
	w.attr(TypeStringInterned, "id", func() { w.interned("0") })
	w.attr(TypeString, "name", func() { w.str("userkey") })
	w.attr(TypeString, "value", func() { w.str("Ω emoji 😀 nul\x00end") })
	w.attr(TypeIntHex, "flags", func() { binary.Write(&w.b, binary.BigEndian, int32(-2)) })
	w.attr(TypeLong, "time", func() { binary.Write(&w.b, binary.BigEndian, int64(1726319658000)) })
	w.attr(TypeLongHex, "lh", func() { binary.Write(&w.b, binary.BigEndian, int64(255)) })
	w.attr(TypeFloat, "f", func() { binary.Write(&w.b, binary.BigEndian, math.Float32bits(1)) })
	w.attr(TypeDouble, "d", func() { binary.Write(&w.b, binary.BigEndian, math.Float64bits(0.5)) })
	w.attr(TypeBooleanTrue, "yes", nil)
	w.attr(TypeBooleanFalse, "no", nil)
	w.attr(TypeBytesHex, "hex", func() { w.u16(3); w.b.Write([]byte{0xde, 0xad, 0x01}) })
	w.attr(TypeBytesBase64, "b64", func() { w.u16(3); w.b.Write([]byte("abc")) })
	w.attr(TypeNull, "nothing", nil)
	w.end("setting")
	w.start("setting")
	w.attr(TypeStringInterned, "id", func() { w.interned("0") }) // reuse of an interned value
	w.text("a < b & c")
	w.b.WriteByte(EntityRef | TypeString)
	w.str("amp")
	w.b.WriteByte(Comment | TypeString)
	w.str("ignored")
	w.end("setting")
	w.end("settings")
	return w.done()
}

func TestParse(t *testing.T) {
	root, err := Parse(sampleDoc())
	if err != nil {
		t.Fatal(err)
	}
	if root.Name != "settings" || root.Get("version") != "-1" || len(root.Children) != 2 {
		t.Fatalf("root: %+v", root)
	}
	s := root.Children[0]
	want := map[string]string{
		"id": "0", "name": "userkey", "value": "Ω emoji 😀 nul\x00end", "flags": "fffffffe", "time": "1726319658000",
		"lh": "ff", "f": "1.0", "d": "0.5", "yes": "true", "no": "false", "hex": "DEAD01", "b64": "YWJj", "nothing": "",
	}
	for k, v := range want {
		if got, ok := s.Attr(k); !ok || got != v {
			t.Errorf("attr %s = %q (%v), want %q", k, got, ok, v)
		}
	}
	if s.Attrs[3].Type != TypeIntHex {
		t.Errorf("type of flags = %#x", s.Attrs[3].Type)
	}
	c := root.Children[1]
	if c.Get("id") != "0" || c.Text != "a < b & c&" {
		t.Errorf("second setting: %+v", c)
	}
	var buf bytes.Buffer
	if err := WriteXML(&buf, root); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, frag := range []string{`<settings version="-1">`, "value=\"Ω emoji 😀 nul\uFFFDend\"", `<setting id="0">a &lt; b &amp; c&amp;</setting>`} {
		if !strings.Contains(out, frag) {
			t.Errorf("XML lacks %q:\n%s", frag, out)
		}
	}
	// The text rendering parses back to the same attributes.
	again, err := ParseXML(buf.Bytes())
	if err != nil {
		t.Fatalf("re-parse: %v", err)
	}
	if again.Children[0].Get("time") != "1726319658000" || again.Children[1].Text != "a < b & c&" {
		t.Errorf("round trip: %+v", again.Children)
	}
}

func TestModifiedUTF8(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		want string
	}{
		{[]byte("plain"), "plain"},
		{[]byte{0xC0, 0x80}, "\x00"},
		{mutf8("😀"), "😀"},
		{[]byte("\xF0\x9F\x98\x80"), "😀"},    // standard UTF-8 accepted
		{[]byte{0xED, 0xA0, 0xBD}, "\uFFFD"}, // lone high surrogate
		{[]byte{0xED, 0xB8, 0x80}, "\uFFFD"}, // lone low surrogate
		{[]byte{0xFF, 'a'}, "\uFFFDa"},
		{[]byte{0xE2, 0x82}, "\uFFFD\uFFFD"},
	} {
		if got := DecodeModifiedUTF8(tc.in); got != tc.want {
			t.Errorf("DecodeModifiedUTF8(% x) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestErrors(t *testing.T) {
	doc := sampleDoc()
	if _, err := Parse([]byte("<xml/>")); !errors.Is(err, ErrNotABX) {
		t.Errorf("not ABX: %v", err)
	}
	// Every truncation is an error with an offset inside the input, never a panic.
	for n := len(Magic); n < len(doc)-1; n++ {
		_, err := Parse(doc[:n])
		var se *SyntaxError
		if !errors.As(err, &se) || !errors.Is(err, ErrSyntax) {
			t.Fatalf("truncated at %d: %v", n, err)
		}
		if se.Offset < 0 || se.Offset > int64(n) {
			t.Fatalf("truncated at %d: offset %d", n, se.Offset)
		}
	}
	bad := append([]byte(Magic), StartDocument|TypeNull, StartTag|TypeStringInterned, 0x00, 0x05)
	if _, err := Parse(bad); err == nil || !strings.Contains(err.Error(), "interned string 5") {
		t.Errorf("undefined interned index: %v", err)
	}
	w := newWriter()
	w.start("a")
	w.end("b")
	if _, err := Parse(w.done()); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Errorf("mismatched end: %v", err)
	}
	w = newWriter()
	for i := 0; i < MaxDepth+1; i++ {
		w.start("x")
	}
	if _, err := Parse(w.done()); err == nil || !strings.Contains(err.Error(), "deeper") {
		t.Errorf("depth: %v", err)
	}
}

func TestParseAnyText(t *testing.T) {
	root, err := ParseAny([]byte("<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n  <string name=\"cc\">7</string>\n  <boolean name=\"b\" value=\"true\" />\n</map>\n"))
	if err != nil {
		t.Fatal(err)
	}
	if root.Name != "map" || len(root.Children) != 2 || root.Children[0].Text != "7" || root.Children[1].Get("value") != "true" {
		t.Errorf("text XML: %+v", root)
	}
	if _, err := ParseXML([]byte("not xml")); err == nil {
		t.Error("no element accepted")
	}
	n := 0
	root.Walk(func(el *Element, parents []*Element) {
		n++
		if el != root && (len(parents) != 1 || parents[0] != root) {
			t.Errorf("parents of %s", el.Name)
		}
	})
	if n != 3 {
		t.Errorf("walk visited %d", n)
	}
}

func FuzzParse(f *testing.F) {
	f.Add(sampleDoc())
	f.Add([]byte(Magic + "\x10\x32\xff\xff\x00\x01a\x2f\xff\xff\x00\x01b\x00\x02\xc0\x80\x33\x00\x00\x11"))
	f.Fuzz(func(t *testing.T, b []byte) {
		root, err := Parse(b)
		if err == nil {
			var buf bytes.Buffer
			if err := WriteXML(&buf, root); err != nil {
				t.Fatal(err)
			}
		}
		DecodeModifiedUTF8(b)
	})
}
