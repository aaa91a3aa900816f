//go:build !js

package samples

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"
)

// vcEsc escapes a vCard 3.0 text value.
func vcEsc(s string) string {
	r := strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`)
	return r.Replace(s)
}

// fold folds a content line at 75 octets (CRLF + space), never inside a
// UTF-8 sequence.
func fold(line string) string {
	if len(line) <= 75 {
		return line + "\r\n"
	}
	var b strings.Builder
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = 74
	}
	b.WriteString(line + "\r\n")
	return b.String()
}

var telTypes = map[int]string{1: "HOME", 2: "CELL", 3: "WORK", 17: "WORK;TYPE=CELL"}

// vcard30 renders one contact as vCard 3.0 (Android style).
func (p *Phone) vcard30(c *Contact, photo bool) string {
	var b strings.Builder
	b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\n")
	b.WriteString(fold("N:" + vcEsc(c.Family) + ";" + vcEsc(c.Given) + ";;;"))
	b.WriteString(fold("FN:" + vcEsc(c.Display)))
	for _, ph := range c.Phones {
		b.WriteString(fold("TEL;TYPE=" + telTypes[ph.Type] + ":" + ph.Number))
	}
	for _, e := range c.Emails {
		b.WriteString(fold("EMAIL;TYPE=HOME:" + vcEsc(e)))
	}
	if c.Org != "" {
		b.WriteString(fold("ORG:" + vcEsc(c.Org)))
		if c.Title != "" {
			b.WriteString(fold("TITLE:" + vcEsc(c.Title)))
		}
	}
	if c.Note != "" {
		b.WriteString(fold("NOTE:" + vcEsc(c.Note)))
	}
	if c.Birthday != "" {
		b.WriteString("BDAY:" + c.Birthday + "\r\n")
	}
	if c.XiaomiID != "" {
		b.WriteString("X-ANDROID-CUSTOM:vnd.com.miui.cursor.item/xiaomiId;" + c.XiaomiID + strings.Repeat(";", 14) + "\r\n")
	}
	if photo {
		if p.Hostile {
			b.WriteString("PHOTO;VALUE=uri:https://tracker.example.invalid/photo.jpg?id=" + itoa(c.ID) + "\r\n")
		} else {
			b.WriteString(fold("PHOTO;ENCODING=b;TYPE=JPEG:" + base64.StdEncoding.EncodeToString(smallJPEG(uint64(c.ID)*7919))))
			b.WriteString("\r\n")
		}
	}
	if p.Hostile {
		b.WriteString("URL:javascript:alert(document.cookie)\r\n")
	}
	b.WriteString("END:VCARD\r\n")
	return b.String()
}

// qp encodes every byte as =XX with a soft break after 23 bytes.
func qp(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if i > 0 && i%23 == 0 {
			b.WriteString("=\r\n")
		}
		fmt.Fprintf(&b, "=%02X", s[i])
	}
	return b.String()
}

func isPlainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// vcard21 renders one contact as Android's vCard 2.1 with quoted-printable
// for non-ASCII values.
func (p *Phone) vcard21(c *Contact) string {
	var b strings.Builder
	b.WriteString("BEGIN:VCARD\r\nVERSION:2.1\r\n")
	prop := func(name string, parts ...string) {
		all := strings.Join(parts, ";")
		if isPlainASCII(all) {
			esc := make([]string, len(parts))
			for i, x := range parts {
				esc[i] = strings.ReplaceAll(x, ";", `\;`)
			}
			b.WriteString(name + ":" + strings.Join(esc, ";") + "\r\n")
			return
		}
		enc := make([]string, len(parts))
		for i, x := range parts {
			enc[i] = qp(x)
		}
		b.WriteString(name + ";CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:" + strings.Join(enc, ";") + "\r\n")
	}
	prop("N", c.Family, c.Given, "", "", "")
	prop("FN", c.Display)
	for _, ph := range c.Phones {
		t := map[int]string{1: "HOME", 2: "CELL", 3: "WORK", 17: "WORK;CELL"}[ph.Type]
		b.WriteString("TEL;" + t + ":" + ph.Number + "\r\n")
	}
	for _, e := range c.Emails {
		prop("EMAIL;HOME", e)
	}
	if c.Note != "" {
		prop("NOTE", c.Note)
	}
	b.WriteString("END:VCARD\r\n")
	return b.String()
}

// vcardFile renders the live contacts: 3.0 cards, and the last two as 2.1
// quoted-printable cards (all 2.1 when v21 is set).
func (p *Phone) vcardFile(v21 bool) (string, []*Contact) {
	var b strings.Builder
	cs := p.LiveContacts()
	for i, c := range cs {
		if v21 || i >= len(cs)-2 {
			b.WriteString(p.vcard21(c))
		} else {
			b.WriteString(p.vcard30(c, i%5 == 2))
		}
	}
	return b.String(), cs
}
