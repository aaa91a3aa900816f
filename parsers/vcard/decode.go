package vcard

import (
	"bytes"
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// decodeQP decodes quoted-printable bytes (soft breaks already joined).
// Malformed escapes are kept as written.
func decodeQP(b []byte) []byte {
	if bytes.IndexByte(b, '=') < 0 {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == '=' && i+2 < len(b) {
			h, l := hexv(b[i+1]), hexv(b[i+2])
			if h >= 0 && l >= 0 {
				out = append(out, byte(h<<4|l))
				i += 2
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

func hexv(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// decodeBase64 decodes base64 leniently: whitespace ignored, padding
// optional, extra '=' at the end tolerated.
func decodeBase64(b []byte) ([]byte, bool) {
	clean := make([]byte, 0, len(b))
	for _, c := range b {
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
		default:
			clean = append(clean, c)
		}
	}
	clean = bytes.TrimRight(clean, "=")
	if len(clean) == 0 {
		return nil, false
	}
	out, err := base64.RawStdEncoding.DecodeString(string(clean))
	if err != nil {
		out, err = base64.RawURLEncoding.DecodeString(string(clean))
	}
	if err != nil {
		return nil, false
	}
	return out, true
}

// charsetEncoding maps CHARSET parameter values to decoders. Big5 and
// EUC-KR are left out to keep the wasm module small (their tables add
// about 250 KB); such values decode as UTF-8 with U+FFFD for bad bytes.
func charsetEncoding(name string) encoding.Encoding {
	switch strings.ToUpper(strings.TrimSpace(name)) {
	case "SHIFT_JIS", "SHIFT-JIS", "SJIS", "X-SJIS", "MS_KANJI", "CP932", "WINDOWS-31J":
		return japanese.ShiftJIS
	case "EUC-JP", "EUCJP":
		return japanese.EUCJP
	case "ISO-2022-JP":
		return japanese.ISO2022JP
	case "GBK", "GB2312", "GB_2312-80", "CP936", "X-GBK", "EUC-CN":
		return simplifiedchinese.GBK
	case "GB18030":
		return simplifiedchinese.GB18030
	case "ISO-8859-1", "ISO8859-1", "LATIN1":
		return charmap.ISO8859_1
	case "ISO-8859-2":
		return charmap.ISO8859_2
	case "ISO-8859-5":
		return charmap.ISO8859_5
	case "ISO-8859-7":
		return charmap.ISO8859_7
	case "ISO-8859-15":
		return charmap.ISO8859_15
	case "WINDOWS-1250", "CP1250":
		return charmap.Windows1250
	case "WINDOWS-1251", "CP1251":
		return charmap.Windows1251
	case "WINDOWS-1252", "CP1252":
		return charmap.Windows1252
	case "KOI8-R":
		return charmap.KOI8R
	case "UTF-16", "UTF-16BE":
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	case "UTF-16LE":
		return unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	}
	return nil
}

// toUTF8 converts b from charset (the CHARSET parameter, "" = UTF-8) to
// valid UTF-8. Unknown charsets and undecodable bytes become U+FFFD.
func toUTF8(b []byte, charset string) string {
	if enc := charsetEncoding(charset); enc != nil {
		if out, err := enc.NewDecoder().Bytes(b); err == nil {
			return strings.ToValidUTF8(string(out), "\uFFFD")
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// Text returns the property's value as text, with the escapes of its
// version undone: in 3.0/4.0 "\n" (or "\N") is a line break and "\\",
// "\;", "\," and "\:" are the characters; 2.1 values are taken as written
// (Android's 2.1 writer escapes only ';' in structured values).
func (c *Card) Text(p *Property) string {
	if c.Version == "2.1" {
		return p.Value
	}
	return unescape30(p.Value)
}

func unescape30(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case 'n', 'N':
				b.WriteByte('\n')
				i++
				continue
			case '\\', ';', ',', ':':
				b.WriteByte(s[i+1])
				i++
				continue
			}
		}
		b.WriteByte(ch)
	}
	return b.String()
}

// Components splits a structured value (N, ADR, ORG, X-ANDROID-CUSTOM…)
// on unescaped ';' and undoes the escapes inside each component: "\;",
// "\\" and "\:" in 2.1, plus "\," and "\n" in 3.0/4.0.
func (c *Card) Components(p *Property) []string {
	s := p.Value
	var out []string
	var b strings.Builder
	v21 := c.Version == "2.1"
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == '\\' && i+1 < len(s) {
			n := s[i+1]
			switch {
			case n == ';' || n == '\\' || n == ':':
				b.WriteByte(n)
				i++
				continue
			case !v21 && n == ',':
				b.WriteByte(n)
				i++
				continue
			case !v21 && (n == 'n' || n == 'N'):
				b.WriteByte('\n')
				i++
				continue
			}
		}
		if ch == ';' {
			out = append(out, b.String())
			b.Reset()
			continue
		}
		b.WriteByte(ch)
	}
	return append(out, b.String())
}

// List splits a 3.0/4.0 comma-separated list value (NICKNAME, CATEGORIES)
// on unescaped ','.
func (c *Card) List(p *Property) []string {
	if c.Version == "2.1" {
		return []string{p.Value}
	}
	var out []string
	var b strings.Builder
	s := p.Value
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch == '\\' && i+1 < len(s) {
			b.WriteByte(s[i])
			b.WriteByte(s[i+1])
			i++
			continue
		}
		if ch == ',' {
			out = append(out, unescape30(b.String()))
			b.Reset()
			continue
		}
		b.WriteByte(ch)
	}
	return append(out, unescape30(b.String()))
}
