package sqlite

import (
	"encoding/base64"
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind is the storage class of a Value.
type Kind uint8

// Storage classes, as in SQLite's typeof().
const (
	Null Kind = iota
	Integer
	Real
	Text
	Blob
)

var kindNames = [...]string{"null", "integer", "real", "text", "blob"}

// String returns the SQLite typeof() name of k.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// A Value is one column value.
//
// Int holds Integer values, Float holds Real values, Bytes holds Text (always
// UTF-8; UTF-16 databases are converted, invalid sequences become U+FFFD) and
// Blob values. For UTF-8 databases Text bytes are returned as stored, so they
// may hold invalid UTF-8; String and MarshalJSON replace it with U+FFFD.
//
// Bytes may point into a page buffer of the DB's cache. Page buffers are never
// modified or reused once read, so Bytes stays valid for as long as it is
// referenced, but callers must not modify it.
type Value struct {
	Kind  Kind
	Int   int64
	Float float64
	Bytes []byte
}

// IntValue, RealValue, TextValue and BlobValue build values.
func IntValue(i int64) Value    { return Value{Kind: Integer, Int: i} }
func RealValue(f float64) Value { return Value{Kind: Real, Float: f} }
func TextValue(s string) Value  { return Value{Kind: Text, Bytes: []byte(s)} }
func BlobValue(b []byte) Value  { return Value{Kind: Blob, Bytes: b} }
func (v Value) IsNull() bool    { return v.Kind == Null }

// Equal reports whether v and w have the same kind and the same content
// (reals compare bit for bit, so NaN equals NaN).
func (v Value) Equal(w Value) bool {
	if v.Kind != w.Kind {
		return false
	}
	switch v.Kind {
	case Integer:
		return v.Int == w.Int
	case Real:
		return math.Float64bits(v.Float) == math.Float64bits(w.Float)
	case Text, Blob:
		return string(v.Bytes) == string(w.Bytes)
	}
	return true
}

// String renders v for display: NULL as "NULL", integers in decimal, reals
// as in JSON (shortest round-trip form, always with a '.' or exponent, or
// Infinity/-Infinity/NaN), text as its UTF-8 (invalid bytes as U+FFFD), blobs
// as an SQL blob literal x'…'.
func (v Value) String() string {
	switch v.Kind {
	case Null:
		return "NULL"
	case Integer:
		return strconv.FormatInt(v.Int, 10)
	case Real:
		if math.IsInf(v.Float, 1) {
			return "Infinity"
		} else if math.IsInf(v.Float, -1) {
			return "-Infinity"
		} else if math.IsNaN(v.Float) {
			return "NaN"
		}
		return string(appendReal(nil, v.Float))
	case Text:
		return strings.ToValidUTF8(string(v.Bytes), "\uFFFD")
	case Blob:
		return "x'" + strings.ToUpper(hex.EncodeToString(v.Bytes)) + "'"
	}
	return "?"
}

// AsInt64 returns v as an integer: Integer values as they are, Real values
// that hold an exact integer in int64 range, and Text that is a decimal
// integer (surrounding spaces allowed). Otherwise it returns 0, false.
func (v Value) AsInt64() (int64, bool) {
	switch v.Kind {
	case Integer:
		return v.Int, true
	case Real:
		f := v.Float
		if f == math.Trunc(f) && f >= -9223372036854775808 && f < 9223372036854775808 {
			return int64(f), true
		}
	case Text:
		if i, err := strconv.ParseInt(strings.TrimSpace(string(v.Bytes)), 10, 64); err == nil {
			return i, true
		}
	}
	return 0, false
}

// Clone returns a copy of v whose Bytes do not share memory with v.
func (v Value) Clone() Value {
	if v.Bytes != nil {
		v.Bytes = append([]byte(nil), v.Bytes...)
	}
	return v
}

// MarshalJSON encodes v as used by the CLI and the page: null; integers as
// exact JSON integers; finite reals as JSON numbers that always contain '.'
// or an exponent (1.0 is "1.0") and round-trip exactly; non-finite reals as
// {"real":"Infinity"|"-Infinity"|"NaN"}; text as a JSON string (invalid UTF-8
// as U+FFFD); blobs as {"base64":"…"} (standard padded base64).
func (v Value) MarshalJSON() ([]byte, error) {
	return v.AppendJSON(nil), nil
}

// AppendJSON appends the MarshalJSON encoding of v to dst.
func (v Value) AppendJSON(dst []byte) []byte {
	switch v.Kind {
	case Integer:
		return strconv.AppendInt(dst, v.Int, 10)
	case Real:
		f := v.Float
		switch {
		case math.IsInf(f, 1):
			return append(dst, `{"real":"Infinity"}`...)
		case math.IsInf(f, -1):
			return append(dst, `{"real":"-Infinity"}`...)
		case math.IsNaN(f):
			return append(dst, `{"real":"NaN"}`...)
		}
		return appendReal(dst, f)
	case Text:
		return AppendJSONString(dst, v.Bytes)
	case Blob:
		dst = append(dst, `{"base64":"`...)
		dst = base64.StdEncoding.AppendEncode(dst, v.Bytes)
		return append(dst, `"}`...)
	}
	return append(dst, "null"...)
}

// appendReal appends a finite float in the shortest form that round-trips,
// making sure it reads back as a real ('.' or exponent present).
func appendReal(dst []byte, f float64) []byte {
	start := len(dst)
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		dst = strconv.AppendFloat(dst, f, 'e', -1, 64)
	} else {
		dst = strconv.AppendFloat(dst, f, 'f', -1, 64)
	}
	for _, c := range dst[start:] {
		if c == '.' || c == 'e' {
			return dst
		}
	}
	return append(dst, ".0"...)
}

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string literal. Invalid UTF-8 becomes
// U+FFFD; control characters, U+2028 and U+2029 are escaped.
func AppendJSONString(dst []byte, s []byte) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, "\uFFFD"...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
