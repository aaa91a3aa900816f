package sqlite

import (
	"encoding/binary"
	"math"
	"unicode/utf16"
	"unicode/utf8"
)

// Varint decodes a SQLite variable-length integer (1–9 bytes, big-endian,
// high bit = "more"; the ninth byte contributes all 8 bits) from b. It returns
// the value and the number of bytes used, or n == 0 if b ends first.
func Varint(b []byte) (v uint64, n int) {
	if len(b) > 0 && b[0] < 0x80 {
		return uint64(b[0]), 1
	}
	for i := 0; i < 8; i++ {
		if i >= len(b) {
			return 0, 0
		}
		c := b[i]
		v = v<<7 | uint64(c&0x7f)
		if c < 0x80 {
			return v, i + 1
		}
	}
	if len(b) < 9 {
		return 0, 0
	}
	return v<<8 | uint64(b[8]), 9
}

// SerialTypeSize returns the number of payload bytes used by a value of
// serial type t (0 for NULL, the constants 0 and 1, and the reserved types 10
// and 11).
func SerialTypeSize(t uint64) uint64 {
	if t >= 12 {
		return (t - 12) / 2
	}
	return uint64(serialSizes[t])
}

var serialSizes = [12]uint8{0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0}

// SerialTypeKind returns the storage class of serial type t. The reserved
// types 10 and 11 report ok == false.
func SerialTypeKind(t uint64) (k Kind, ok bool) {
	switch {
	case t == 0:
		return Null, true
	case t <= 6 || t == 8 || t == 9:
		return Integer, true
	case t == 7:
		return Real, true
	case t == 10 || t == 11:
		return Null, false
	case t&1 == 0:
		return Blob, true
	}
	return Text, true
}

// Encoding is the database text encoding (header offset 56).
type Encoding uint32

// Text encodings.
const (
	UTF8    Encoding = 1
	UTF16LE Encoding = 2
	UTF16BE Encoding = 3
)

func (e Encoding) String() string {
	switch e {
	case UTF8:
		return "UTF-8"
	case UTF16LE:
		return "UTF-16le"
	case UTF16BE:
		return "UTF-16be"
	}
	return "unknown"
}

// maxRecordFields bounds the number of fields decoded from one record
// (SQLite's hard limit on columns is 32767).
const maxRecordFields = 32767

// DecodeRecord decodes a complete record (the payload of a table-leaf or
// index cell, overflow already appended) into values. Text is converted from
// enc to UTF-8. Text and blob values share memory with payload (UTF-8) or are
// freshly allocated (UTF-16). Errors wrap ErrRecord.
func DecodeRecord(payload []byte, enc Encoding) ([]Value, error) {
	var vals []Value
	vals, err := decodeRecordInto(vals, payload, enc)
	return vals, err
}

// decodeRecordInto appends the fields of record payload to dst.
func decodeRecordInto(dst []Value, p []byte, enc Encoding) ([]Value, error) {
	hdrLen, n := Varint(p)
	if n == 0 || hdrLen < uint64(n) || hdrLen > uint64(len(p)) {
		return dst, recordErr(0, "record header size %d invalid for payload of %d bytes", hdrLen, len(p))
	}
	h := n
	body := int(hdrLen)
	for h < int(hdrLen) {
		var t uint64
		if c := p[h]; c < 0x80 {
			t = uint64(c)
			h++
		} else {
			var m int
			t, m = Varint(p[h:hdrLen])
			if m == 0 {
				return dst, recordErr(int64(h), "serial type varint runs past record header")
			}
			h += m
		}
		if len(dst) >= maxRecordFields {
			return dst, recordErr(int64(h), "more than %d fields", maxRecordFields)
		}
		var v Value
		switch {
		case t == 0:
		case t <= 6:
			sz := int(serialSizes[t])
			if body+sz > len(p) {
				return dst, recordErr(int64(body), "integer field runs past payload end")
			}
			v.Kind = Integer
			v.Int = readInt(p[body : body+sz])
			body += sz
		case t == 7:
			if body+8 > len(p) {
				return dst, recordErr(int64(body), "real field runs past payload end")
			}
			v.Kind = Real
			v.Float = math.Float64frombits(binary.BigEndian.Uint64(p[body:]))
			body += 8
		case t == 8:
			v.Kind = Integer
		case t == 9:
			v.Kind = Integer
			v.Int = 1
		case t == 10 || t == 11:
			return dst, recordErr(int64(h), "reserved serial type %d", t)
		default:
			sz := (t - 12) / 2
			if sz > uint64(len(p)-body) {
				return dst, recordErr(int64(body), "field of %d bytes runs past payload end", sz)
			}
			b := p[body : body+int(sz) : body+int(sz)]
			body += int(sz)
			if t&1 == 0 {
				v.Kind = Blob
				v.Bytes = b
			} else {
				v.Kind = Text
				if enc == UTF16LE || enc == UTF16BE {
					v.Bytes = utf16ToUTF8(b, enc == UTF16BE)
				} else {
					v.Bytes = b
				}
			}
		}
		dst = append(dst, v)
	}
	return dst, nil
}

func recordErr(off int64, format string, args ...any) error {
	return corruptf(ErrRecord, "", 0, -1, "at record byte %d: "+format, append([]any{off}, args...)...)
}

// readInt reads a big-endian two's-complement integer of 1..8 bytes.
func readInt(b []byte) int64 {
	switch len(b) {
	case 1:
		return int64(int8(b[0]))
	case 2:
		return int64(int16(binary.BigEndian.Uint16(b)))
	case 3:
		return int64(int32(uint32(b[0])<<24|uint32(b[1])<<16|uint32(b[2])<<8) >> 8)
	case 4:
		return int64(int32(binary.BigEndian.Uint32(b)))
	case 6:
		return int64(uint64(binary.BigEndian.Uint16(b))<<48|uint64(binary.BigEndian.Uint32(b[2:]))<<16) >> 16
	case 8:
		return int64(binary.BigEndian.Uint64(b))
	}
	return 0
}

// utf16ToUTF8 converts UTF-16 text to UTF-8; unpaired surrogates and a
// trailing odd byte become U+FFFD.
func utf16ToUTF8(b []byte, bigEndian bool) []byte {
	out := make([]byte, 0, len(b)+len(b)/2)
	get := func(i int) uint16 {
		if bigEndian {
			return uint16(b[i])<<8 | uint16(b[i+1])
		}
		return uint16(b[i+1])<<8 | uint16(b[i])
	}
	i := 0
	for ; i+1 < len(b); i += 2 {
		u := get(i)
		switch {
		case u < 0x80:
			out = append(out, byte(u))
		case u < 0xD800 || u > 0xDFFF:
			out = utf8.AppendRune(out, rune(u))
		case u < 0xDC00 && i+3 < len(b):
			u2 := get(i + 2)
			if u2 >= 0xDC00 && u2 <= 0xDFFF {
				out = utf8.AppendRune(out, utf16.DecodeRune(rune(u), rune(u2)))
				i += 2
			} else {
				out = utf8.AppendRune(out, utf8.RuneError)
			}
		default:
			out = utf8.AppendRune(out, utf8.RuneError)
		}
	}
	if i < len(b) {
		out = utf8.AppendRune(out, utf8.RuneError)
	}
	return out
}
