package recover

import (
	"encoding/binary"
	"hash/maphash"
	"math"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// varintLen returns how many bytes SQLite uses to encode v as a varint.
func varintLen(v uint64) int {
	n := 1
	for v >= 0x80 && n < 9 {
		v >>= 7
		n++
	}
	return n
}

// serialSize is sqlite.SerialTypeSize as an int, clamped to keep sums of
// sizes far from overflow.
func serialSize(t uint64) int {
	s := sqlite.SerialTypeSize(t)
	if s > 1<<40 {
		return 1 << 40
	}
	return int(s)
}

// readInt reads a big-endian two's-complement integer of 1..8 bytes.
func readInt(b []byte) int64 {
	var v int64
	if len(b) > 0 && b[0]&0x80 != 0 {
		v = -1
	}
	for _, c := range b {
		v = v<<8 | int64(c)
	}
	return v
}

// decodeView decodes a field of serial type t from b (exactly the field's
// bytes). bad reports text that is not valid in the database encoding. A
// blob or UTF-8 text value shares b's bytes (cand.own copies them).
func decodeView(t uint64, b []byte, enc sqlite.Encoding) (v sqlite.Value, bad bool) {
	switch {
	case t == 0:
		return sqlite.Value{}, false
	case t <= 6:
		return sqlite.IntValue(readInt(b)), false
	case t == 7:
		return sqlite.RealValue(math.Float64frombits(binary.BigEndian.Uint64(b))), false
	case t == 8:
		return sqlite.IntValue(0), false
	case t == 9:
		return sqlite.IntValue(1), false
	case t&1 == 0:
		return sqlite.BlobValue(b), false
	}
	if enc == sqlite.UTF16LE || enc == sqlite.UTF16BE {
		s, bad := utf16Text(b, enc == sqlite.UTF16BE)
		return sqlite.Value{Kind: sqlite.Text, Bytes: s}, bad
	}
	return sqlite.Value{Kind: sqlite.Text, Bytes: b}, !utf8.Valid(b)
}

// utf16Text converts UTF-16 to UTF-8 exactly as the sqlite package does
// (unpaired surrogates and an odd trailing byte become U+FFFD) and reports
// whether anything had to be replaced.
func utf16Text(b []byte, bigEndian bool) ([]byte, bool) {
	out := make([]byte, 0, len(b)+len(b)/2)
	bad := false
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
				bad = true
			}
		default:
			out = utf8.AppendRune(out, utf8.RuneError)
			bad = true
		}
	}
	if i < len(b) {
		out = utf8.AppendRune(out, utf8.RuneError)
		bad = true
	}
	return out, bad
}

// textQuality rates decoded (UTF-8) text: 1 for ordinary text, lower for
// text that looks like other bytes read as text: control characters, or
// characters from many unrelated scripts and rarely used blocks, which is
// what arbitrary bytes become when read as UTF-16.
func textQuality(s []byte) float64 {
	ctl, rare, n := 0, 0, 0
	var classes [16]bool
	nclass := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRune(s)
		s = s[size:]
		n++
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' {
			ctl++
			continue
		}
		k := runeClass(r)
		if k == classRare {
			rare++
		}
		if !classes[k] && k != classASCII && k != classLatin && k != classPunct && k != classEmoji && k != classRare {
			classes[k] = true
			nclass++
		}
	}
	q := 1.0
	switch {
	case ctl == 0:
	case ctl == 1 && n >= 16:
		q = 0.7
	case ctl*10 <= n:
		q = 0.4
	default:
		q = 0.15
	}
	switch {
	case rare == 0:
	case rare*10 <= n && rare <= 2:
		q *= 0.8
	case rare*4 <= n:
		q *= 0.4
	default:
		q *= 0.1
	}
	if nclass >= 3 {
		q *= 0.5 // three unrelated scripts in one value
	}
	return q
}

// Rune classes for textQuality.
const (
	classASCII = iota
	classLatin
	classPunct // general punctuation, currency, symbols, CJK punctuation
	classCJK
	classKana
	classHangul
	classCyrillic
	classGreek
	classArabic
	classHebrew
	classIndic
	classThai
	classEmoji
	classRare
)

func runeClass(r rune) int {
	switch {
	case r < 0x80:
		return classASCII
	case r < 0x250, r >= 0x1E00 && r < 0x1F00:
		return classLatin
	case r >= 0x370 && r < 0x400:
		return classGreek
	case r >= 0x400 && r < 0x530:
		return classCyrillic
	case r >= 0x590 && r < 0x600:
		return classHebrew
	case r >= 0x600 && r < 0x700:
		return classArabic
	case r >= 0x900 && r < 0xE00 && r < 0xD80:
		return classIndic
	case r >= 0xE00 && r < 0xE80:
		return classThai
	case r >= 0x2000 && r < 0x2C00, r >= 0x3000 && r < 0x3040, r >= 0xFF00 && r < 0xFFF0, r == 0xFEFF:
		return classPunct
	case r >= 0x3040 && r < 0x3100:
		return classKana
	case r >= 0x4E00 && r < 0xA000, r >= 0x3400 && r < 0x4DC0, r >= 0xF900 && r < 0xFB00:
		return classCJK
	case r >= 0xAC00 && r < 0xD7A4, r >= 0x1100 && r < 0x1200:
		return classHangul
	case r >= 0x1F000 && r < 0x1FB00, r >= 0x2600 && r < 0x2800, r == 0xFE0F, r == 0x200D:
		return classEmoji
	}
	return classRare
}

var hashSeed = maphash.MakeSeed()

// hashValues hashes values (skipping index skip, -1 for none) for the
// live-row and duplicate indexes.
func hashValues(vals []sqlite.Value, skip int) uint64 {
	var h maphash.Hash
	h.SetSeed(hashSeed)
	var buf [9]byte
	for i, v := range vals {
		if i == skip {
			continue
		}
		buf[0] = byte(v.Kind)
		switch v.Kind {
		case sqlite.Integer:
			binary.LittleEndian.PutUint64(buf[1:], uint64(v.Int))
			h.Write(buf[:9])
		case sqlite.Real:
			binary.LittleEndian.PutUint64(buf[1:], math.Float64bits(v.Float))
			h.Write(buf[:9])
		case sqlite.Text, sqlite.Blob:
			binary.LittleEndian.PutUint64(buf[1:], uint64(len(v.Bytes)))
			h.Write(buf[:9])
			h.Write(v.Bytes)
		default:
			h.Write(buf[:1])
		}
	}
	return h.Sum64()
}
