package abx

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// MaxXMLSize bounds the text XML ParseXML accepts.
const MaxXMLSize = 64 << 20

// ParseXML parses a text XML document into the same element tree Parse
// builds from ABX. Invalid UTF-8 becomes U+FFFD; the declared encoding is
// ignored (Android writes UTF-8).
func ParseXML(data []byte) (*Element, error) {
	if len(data) > MaxXMLSize {
		return nil, fmt.Errorf("abx: XML document larger than %d bytes", MaxXMLSize)
	}
	data = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	var root *Element
	var stack []*Element
	count := 0
	for {
		off := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			if root != nil && len(stack) == 0 {
				break // trailing garbage after the document
			}
			return root, &SyntaxError{Offset: dec.InputOffset(), Msg: err.Error()}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			count++
			if count > MaxElements || len(stack) >= MaxDepth {
				return root, &SyntaxError{Offset: off, Msg: "too many or too deeply nested elements"}
			}
			el := &Element{Name: t.Name.Local, Offset: off}
			for _, a := range t.Attr {
				el.Attrs = append(el.Attrs, Attr{Name: a.Name.Local, Value: a.Value})
			}
			if len(stack) == 0 {
				if root != nil {
					return root, &SyntaxError{Offset: off, Msg: "second root element"}
				}
				root = el
			} else {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, el)
			}
			stack = append(stack, el)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if len(stack) > 0 {
				el := stack[len(stack)-1]
				if len(el.Text) < 16<<20 {
					el.Text += string(t)
				}
			}
		}
	}
	if root == nil {
		return nil, &SyntaxError{Offset: 0, Msg: "no XML element"}
	}
	return root, nil
}

// ParseAny parses data as ABX when it starts with the ABX magic, else as
// text XML.
func ParseAny(data []byte) (*Element, error) {
	if IsABX(data) {
		return Parse(data)
	}
	return ParseXML(data)
}

// WriteXML writes the tree as indented text XML with an XML declaration,
// as Android's abx2xml prints a converted document.
func WriteXML(w io.Writer, root *Element) error {
	if root == nil {
		return errors.New("abx: no element")
	}
	var b strings.Builder
	b.WriteString("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
	var rec func(e *Element, depth int)
	rec = func(e *Element, depth int) {
		ind := strings.Repeat("    ", depth)
		b.WriteString(ind + "<" + e.Name)
		for _, a := range e.Attrs {
			b.WriteString(" " + a.Name + "=\"")
			xmlEscape(&b, a.Value, true)
			b.WriteString("\"")
		}
		text := e.Text
		if strings.TrimSpace(text) == "" {
			text = ""
		}
		switch {
		case len(e.Children) == 0 && text == "":
			b.WriteString(" />\n")
		case len(e.Children) == 0:
			b.WriteString(">")
			xmlEscape(&b, text, false)
			b.WriteString("</" + e.Name + ">\n")
		default:
			b.WriteString(">")
			if text != "" {
				xmlEscape(&b, text, false)
			}
			b.WriteString("\n")
			for _, c := range e.Children {
				rec(c, depth+1)
			}
			b.WriteString(ind + "</" + e.Name + ">\n")
		}
	}
	rec(root, 0)
	_, err := io.WriteString(w, b.String())
	return err
}

func xmlEscape(b *strings.Builder, s string, attr bool) {
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			if attr {
				b.WriteString("&quot;")
			} else {
				b.WriteRune(r)
			}
		case '\n':
			if attr {
				b.WriteString("&#10;")
			} else {
				b.WriteRune(r)
			}
		default:
			if r < 0x20 && r != '\t' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
				b.WriteRune('\uFFFD') // not representable in XML 1.0
			} else {
				b.WriteRune(r)
			}
		}
	}
}
