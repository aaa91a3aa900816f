package smsbr

import (
	"bytes"
	"io"
	"strconv"
	"unicode/utf8"
)

// filter rewrites an SMS Backup & Restore file into XML that encoding/xml
// reads without surprises, in one streaming pass with bounded memory:
//
//   - a pair of character references to UTF-16 surrogate halves
//     (&#55357;&#56832;) becomes the UTF-8 of the character they encode;
//     a lone surrogate reference, a reference to a character XML does not
//     allow (&#1;) and raw control bytes or invalid UTF-8 become U+FFFD;
//   - the base64 "data" attribute of <part> elements is not passed on:
//     its decoded size is emitted instead as the attribute dataSizeAttr, so a
//     file with hundreds of MB of media never holds it in memory;
//   - any other attribute value longer than maxValue bytes is cut, and the
//     attribute's name is added to a cutAttr attribute;
//   - character data, comments, CDATA sections, processing instructions
//     (including the XML declaration) and DOCTYPE declarations are dropped:
//     the format keeps everything in attributes;
//   - a '<' inside a quoted value is written as &lt;.
//
// It records the input offset of every start tag it emits, in order, so
// that the reader can name the byte offset of each record.
type filter struct {
	r       io.Reader
	in      []byte // unprocessed input
	inOff   int64  // input offset of in[0]
	out     []byte // processed bytes; out[outPos:] not yet returned
	outPos  int
	outBase int64 // output offset of out[0]
	eof     bool
	rerr    error

	st        state
	quote     byte
	name      []byte // current name token inside a tag (element or attribute), capped
	elem      []byte // element name of the current tag
	attr      []byte // name of the attribute whose value is being read
	nameDone  bool   // the element name of the current tag is complete
	isPart    bool   // current tag is <part …>
	skipData  bool   // in a part's data value: count, don't emit
	dataChars int64  // base64 alphabet characters in the data value
	valueLen  int    // bytes emitted for the current value
	cut       []string
	tagBytes  int // bytes emitted for the current tag
	declDepth int // '[' nesting inside <!DOCTYPE …>

	starts  []startTag // emitted start tags not yet claimed by the reader
	claimed startTag   // the last claimed one
}

// startTag is where a start tag is in the input and in the output.
type startTag struct{ in, out int64 }

type state uint8

const (
	stText state = iota
	stTag
	stValue
	stComment
	stCDATA
	stPI
	stDecl
)

// Limits of the filter.
const (
	maxValue    = 1 << 20 // bytes of one attribute value
	maxTagBytes = 8 << 20 // bytes of one tag outside values already cut
	maxName     = 256     // bytes of an element or attribute name kept for matching
	chunk       = 32 << 10
	lookahead   = 32 // longest construct decided on at once (two numeric references)
)

// Names of the attributes the filter adds.
const (
	dataSizeAttr = "bi-data-size"
	cutAttr      = "bi-cut"
)

func newFilter(r io.Reader) *filter { return &filter{r: r} }

func (f *filter) Read(p []byte) (int, error) {
	for f.outPos == len(f.out) {
		f.outBase += int64(len(f.out))
		f.out, f.outPos = f.out[:0], 0
		if f.eof && len(f.in) == 0 {
			if f.rerr != nil {
				return 0, f.rerr
			}
			return 0, io.EOF
		}
		if !f.eof && len(f.in) < chunk {
			f.fill()
		}
		f.process()
	}
	n := copy(p, f.out[f.outPos:])
	f.outPos += n
	return n, nil
}

func (f *filter) fill() {
	if len(f.in) > 0 && cap(f.in)-len(f.in) < chunk {
		buf := make([]byte, len(f.in), len(f.in)+2*chunk)
		copy(buf, f.in)
		f.in = buf
	} else if cap(f.in) == 0 {
		f.in = make([]byte, 0, 2*chunk)
	}
	for len(f.in) < chunk && !f.eof {
		n, err := f.r.Read(f.in[len(f.in):cap(f.in)])
		f.in = f.in[:len(f.in)+n]
		if err != nil {
			f.eof = true
			if err != io.EOF {
				f.rerr = err
			}
		}
		if n == 0 && err == nil {
			continue
		}
		if n > 0 {
			break
		}
	}
}

// need reports whether at least n bytes are available at i, or no more
// will come.
func (f *filter) need(i, n int) bool { return len(f.in)-i >= n || f.eof }

// process consumes as much of f.in as can be decided now.
func (f *filter) process() {
	i := 0
	in := f.in
	defer func() {
		f.inOff += int64(i)
		f.in = in[i:]
		if len(f.in) == 0 {
			f.in = in[:0]
		}
	}()
	for i < len(in) {
		c := in[i]
		switch f.st {
		case stText:
			if c != '<' {
				// Character data is dropped.
				if k := bytes.IndexByte(in[i:], '<'); k >= 0 {
					i += k
				} else {
					i = len(in)
				}
				continue
			}
			if !f.need(i, 9) {
				return
			}
			rest := in[i:]
			switch {
			case bytes.HasPrefix(rest, []byte("<!--")):
				f.st, i = stComment, i+4
			case bytes.HasPrefix(rest, []byte("<![CDATA[")):
				f.st, i = stCDATA, i+9
			case bytes.HasPrefix(rest, []byte("<!")):
				f.st, f.declDepth, i = stDecl, 0, i+2
			case bytes.HasPrefix(rest, []byte("<?")):
				f.st, i = stPI, i+2
			case bytes.HasPrefix(rest, []byte("</")):
				f.beginTag()
				f.emit("</")
				i += 2
			default:
				f.beginTag()
				f.starts = append(f.starts, startTag{in: f.inOff + int64(i), out: f.outBase + int64(len(f.out))})
				f.emit("<")
				i++
			}
		case stComment, stCDATA, stPI:
			end := map[state]string{stComment: "-->", stCDATA: "]]>", stPI: "?>"}[f.st]
			k := bytes.IndexByte(in[i:], end[0])
			if k < 0 {
				i = len(in)
				continue
			}
			i += k
			if !f.need(i, len(end)) {
				return
			}
			if bytes.HasPrefix(in[i:], []byte(end)) {
				f.st, i = stText, i+len(end)
			} else {
				i++
			}
		case stDecl:
			switch c {
			case '[':
				f.declDepth++
			case ']':
				f.declDepth--
			case '>':
				if f.declDepth <= 0 {
					f.st = stText
				}
			}
			i++
		case stTag:
			switch {
			case c == '"' || c == '\'':
				f.endName()
				f.quote, f.st, f.valueLen = c, stValue, 0
				f.skipData = f.isPart && string(f.attr) == "data"
				f.dataChars = 0
				f.emitByte(c)
				i++
			case c == '>':
				f.endName()
				f.endTag()
				f.emitByte('>')
				f.st = stText
				i++
			case c == '=' || c == '/' || c == ' ' || c == '\t' || c == '\n' || c == '\r':
				f.endName()
				if c == '=' {
					f.emitByte('=')
				} else if c == '/' {
					f.emitByte('/')
				} else {
					f.emitByte(' ')
				}
				i++
			case c == '<':
				// A tag that never closed: end it so the decoder reports a
				// clear error instead of reading on.
				f.endName()
				f.emitByte('>')
				f.st = stText
			default:
				n, ok := f.rawRune(in, i)
				if !ok {
					return
				}
				if len(f.name) < maxName {
					f.name = append(f.name, in[i:i+n]...)
				}
				i += n
			}
			if f.tagBytes > maxTagBytes && f.st == stTag {
				// Runaway tag: close it; the decoder reports what follows.
				f.emitByte('>')
				f.st = stText
			}
		case stValue:
			if c == f.quote {
				f.emitByte(c)
				if f.skipData {
					f.emit(" " + dataSizeAttr + "=\"" + strconv.FormatInt(f.dataChars*6/8, 10) + "\"")
					f.skipData = false
				}
				f.st = stTag
				f.attr = f.attr[:0]
				i++
				continue
			}
			if f.skipData {
				if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '-' || c == '_' {
					f.dataChars++
				}
				i++
				continue
			}
			// A run of plain ASCII passes through as it is.
			if c >= 0x20 && c < 0x7f && c != '&' && c != '<' && c != f.quote {
				j := i + 1
				for j < len(in) {
					d := in[j]
					if d < 0x20 || d >= 0x7f || d == '&' || d == '<' || d == f.quote {
						break
					}
					j++
				}
				run := in[i:j]
				if room := maxValue - f.valueLen; len(run) > room {
					run = run[:max(room, 0)]
					if len(f.cut) == 0 || f.cut[len(f.cut)-1] != string(f.attr) {
						f.cut = append(f.cut, string(f.attr))
					}
				}
				f.out = append(f.out, run...)
				f.valueLen += len(run)
				f.tagBytes += len(run)
				i = j
				continue
			}
			var piece []byte
			n := 1
			switch c {
			case '&':
				var ok bool
				piece, n, ok = f.reference(in, i)
				if !ok {
					return
				}
			case '<':
				piece = []byte("&lt;")
			default:
				var ok bool
				n, ok = f.rawRune(in, i)
				if !ok {
					return
				}
				piece = sanitizeRune(in[i : i+n])
			}
			if f.valueLen+len(piece) > maxValue {
				if len(f.cut) == 0 || f.cut[len(f.cut)-1] != string(f.attr) {
					f.cut = append(f.cut, string(f.attr))
				}
			} else {
				f.out = append(f.out, piece...)
				f.valueLen += len(piece)
				f.tagBytes += len(piece)
			}
			i += n
		}
	}
}

func (f *filter) beginTag() {
	f.st = stTag
	f.name, f.elem, f.attr = f.name[:0], f.elem[:0], f.attr[:0]
	f.nameDone, f.isPart = false, false
	f.cut = f.cut[:0]
	f.tagBytes = 0
}

// endName finishes the name token being read: the first one is the
// element name, later ones attribute names.
func (f *filter) endName() {
	if len(f.name) == 0 {
		return
	}
	f.emitBytes(f.name)
	if !f.nameDone {
		f.elem = append(f.elem[:0], f.name...)
		f.nameDone = true
		f.isPart = string(f.elem) == "part"
	} else {
		f.attr = append(f.attr[:0], f.name...)
	}
	f.name = f.name[:0]
}

// endTag adds the cut marker before the tag closes.
func (f *filter) endTag() {
	if len(f.cut) > 0 {
		selfClosing := len(f.out) > 0 && f.out[len(f.out)-1] == '/'
		if selfClosing {
			f.out = f.out[:len(f.out)-1]
		}
		for _, a := range f.cut {
			f.emit(" " + cutAttr + "=\"")
			f.emitBytes(escapeAttr(a))
			f.emit("\"")
		}
		if selfClosing {
			f.emitByte('/')
		}
	}
}

func escapeAttr(s string) []byte {
	var b []byte
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			b = append(b, "&quot;"...)
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		default:
			b = append(b, s[i])
		}
	}
	return b
}

func (f *filter) emit(s string) {
	f.out = append(f.out, s...)
	f.tagBytes += len(s)
}

func (f *filter) emitBytes(b []byte) {
	f.out = append(f.out, b...)
	f.tagBytes += len(b)
}

func (f *filter) emitByte(c byte) {
	f.out = append(f.out, c)
	f.tagBytes++
}

// rawRune returns the length of the (possibly invalid) UTF-8 sequence at
// in[i], or false when more input is needed to tell.
func (f *filter) rawRune(in []byte, i int) (int, bool) {
	if in[i] < utf8.RuneSelf {
		return 1, true
	}
	if !utf8.FullRune(in[i:]) && !f.eof {
		return 0, false
	}
	_, n := utf8.DecodeRune(in[i:])
	return n, true
}

var replacement = []byte("\uFFFD")

// sanitizeRune returns b (one UTF-8 sequence or one invalid byte), or
// U+FFFD when it is invalid or not allowed in XML.
func sanitizeRune(b []byte) []byte {
	r, n := utf8.DecodeRune(b)
	if r == utf8.RuneError && n <= 1 || !xmlChar(r) {
		return replacement
	}
	return b
}

// xmlChar reports whether XML 1.0 allows r (the Char production).
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// reference handles '&' at in[i] inside a value. It returns what to emit,
// how many input bytes it stands for, and false when more input is needed.
func (f *filter) reference(in []byte, i int) ([]byte, int, bool) {
	if !f.need(i, lookahead) {
		return nil, 0, false
	}
	r, n, ok := numericRef(in[i:])
	if !ok {
		return []byte("&"), 1, true // named entity or stray '&': the decoder decides
	}
	switch {
	case r >= 0xD800 && r <= 0xDBFF:
		if r2, n2, ok := numericRef(in[i+n:]); ok && r2 >= 0xDC00 && r2 <= 0xDFFF {
			c := 0x10000 + (r-0xD800)<<10 + (r2 - 0xDC00)
			return utf8.AppendRune(nil, c), n + n2, true
		}
		return replacement, n, true
	case r >= 0xDC00 && r <= 0xDFFF, !xmlChar(r):
		return replacement, n, true
	}
	return in[i : i+n], n, true
}

// numericRef parses "&#123;" or "&#x1F600;" at the start of b.
func numericRef(b []byte) (rune, int, bool) {
	if len(b) < 4 || b[0] != '&' || b[1] != '#' {
		return 0, 0, false
	}
	j, base := 2, 10
	if b[2] == 'x' || b[2] == 'X' {
		j, base = 3, 16
	}
	start := j
	var v int64
	for j < len(b) && j-start <= 10 {
		d := digitVal(b[j], base)
		if d < 0 {
			break
		}
		v = v*int64(base) + int64(d)
		j++
	}
	if j == start || j >= len(b) || b[j] != ';' || j-start > 10 {
		return 0, 0, false
	}
	if v > 0x10FFFF {
		return utf8.RuneError, j + 1, true
	}
	return rune(v), j + 1, true
}

func digitVal(c byte, base int) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case base == 16 && c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case base == 16 && c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// claimStart returns the input offset of the next start tag the decoder
// reports.
func (f *filter) claimStart() int64 {
	if len(f.starts) == 0 {
		return -1
	}
	f.claimed = f.starts[0]
	f.starts = f.starts[1:]
	return f.claimed.in
}

// tagAt returns the input offset of the start tag in which output offset
// out lies (the last start tag emitted at or before it), as far as the
// reader has not claimed beyond it.
func (f *filter) tagAt(out int64) int64 {
	best := f.claimed
	for _, s := range f.starts {
		if s.out > out {
			break
		}
		best = s
	}
	return best.in
}
