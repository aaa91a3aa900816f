package recover

import (
	"bytes"
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// A cand is a recovered record before filtering.
type cand struct {
	sh      *shape
	vals    []sqlite.Value
	missing []bool
	rowid   *int64
	tbits   float64 // evidence from the serial types fitting the table
	fit     float64 // 0..1: how plausible the values are
	bonus   float64 // evidence from where the cell lies (page's table, region)
	conf    float64
	src     string
	file    string
	page    uint32
	off     int
	fileOff int64
	order   int // processing order, for stable choices between duplicates
	nMiss   int
	how     string

	heur        float64             // heuristic confidence (selection), before calibration
	informative int                 // values that say something (not NULL, empty or zeros)
	truncated   bool                // the record runs past the bytes that belong to it
	owner       bool                // found on a page of its table
	risky       bool                // found where any table's bytes may be
	ref         bool                // a cell the page header points to
	amb         bool                // another reading with other values fits about as well
	margin      float64             // log-odds of this reading over the best one with other values (10: none)
	clean       bool                // in a freed area: cells follow it up to the area's end
	printInts   int                 // integers of 3 bytes or more that are all printable ASCII (text read as a number?)
	valEnd      []int               // per column: payload offset (from the record header) where its bytes end, 0 for none
	claims      []claim             // overflow pages the payload was read from
	feat        *[nFeatures]float64 // only while fitting the weights (calibOn false)
}

// Estimated memory of a kept candidate (cand.bytes), fixed numbers so
// that a limit cuts a database at the same record on every platform: the
// 64-bit size of a cand with a quarter added for the spare capacity of
// carver.out, and per column a sqlite.Value, a Missing flag and a value
// end, each array's allocation rounded up.
const (
	candBytes   = 400
	columnBytes = 64
)

// bytes is the estimated memory of k and what it holds.
func (k *cand) bytes() int64 {
	n := int64(candBytes + columnBytes*len(k.vals) + 16*len(k.claims) + len(k.how))
	if k.rowid != nil {
		n += 8
	}
	for _, v := range k.vals {
		n += int64(len(v.Bytes))
	}
	return n
}

// confOf turns evidence bits and value plausibility into a confidence:
// 8 bits or less is no evidence at all, every further bit halves the
// chance of a wrong reading.
func confOf(bits, fit float64) float64 {
	if bits <= confPrior {
		return 0
	}
	return fit * (1 - math.Exp2(-(bits - confPrior)))
}

// confPrior is the evidence, in bits, that says nothing yet.
const confPrior = 6

// rescore sets k.conf from r's layout evidence and k's.
func rescore(r *rawRec, k *cand) {
	k.conf = confOf(r.structBits()+k.tbits+k.bonus, k.fit)
}

// typeBits is the evidence that serial type st belongs to field f of sh:
// how much of the space of serial types the column excludes.
func (s *shape) typeBits(f int, st uint64) float64 {
	if f == s.alias {
		return 3
	}
	if s.masks != nil {
		return maskBits(s.masks[f], st)
	}
	b := 0.0
	if s.strict != nil && s.strict[f] != "ANY" && s.strict[f] != "" {
		b = 3
	} else {
		switch s.aff[f] {
		case sqlite.AffinityText:
			if st == 0 || (st >= 13 && st&1 == 1) {
				b = 1
			}
		case sqlite.AffinityInteger, sqlite.AffinityNumeric, sqlite.AffinityReal:
			switch {
			case st == 0:
				b = 2
			case st <= 9:
				b = 3
			}
		}
	}
	if s.notNull[f] && st != 0 {
		b += 0.5
	}
	return b
}

// evaluate decodes r as a record of sh from its payload bytes pl; ok is
// false when the record cannot belong to sh. The caller sets k.bonus and
// calls rescore.
func (c *carver) evaluate(r *rawRec, sh *shape, pl []byte) (cand, bool) {
	var k cand
	nf := len(r.types)
	if nf > len(sh.fieldCol) || nf < sh.minFields {
		return k, false
	}
	if r.hs+r.hdrLen >= r.limit-3 && (nf < len(sh.fieldCol) || r.hs+r.local > r.limit) {
		// The header runs up to bytes that are not the cell's (a newer
		// cell): fewer fields than the table means a cut header, not a
		// record older than ALTER TABLE ADD COLUMN; and no byte of the
		// body is left.
		return k, false
	}
	fit := 1.0
	tbits := 0.0
	for f, st := range r.types {
		if f == 0 && r.unk0 {
			continue
		}
		tf := sh.typeFit(f, st)
		if tf == fitNo {
			return k, false
		}
		fit *= tf
		tbits += sh.typeBits(f, st)
	}
	// Values are read into the carver's scratch arrays, sharing the
	// payload's bytes; most readings are rejected below, and only the
	// accepted ones get arrays of their own (emit copies the bytes).
	vals, missing, valEnd := c.scratch(sh.nCols)
	pos := r.hdrLen
	informative, printInts := 0, 0
	truncated := false
	for f := 0; f < nf; f++ {
		col := sh.fieldCol[f]
		var st uint64
		var size int
		if f == 0 && r.unk0 {
			size = r.size0
			var ok bool
			st, ok = guessType(sh, f, size, pl, pos, c.enc)
			if !ok {
				if !usualSize(sh, f, size) {
					// A size no usual value of the column has, or text
					// that does not read as text: more likely a wrong
					// reading.
					fit *= 0.5
				}
				missing[col] = true
				pos += size
				continue
			}
			fit *= 0.9
		} else {
			st = r.types[f]
			size = serialSize(st)
		}
		if st >= 12 && st&1 == 0 && len(r.chain) > 0 && pos >= 0 && pos < len(pl) {
			if cut := c.foreignOverflow(pl, pos, size, r.chain); cut >= 0 {
				pl = pl[:cut]
			}
		}
		if pos < 0 || pos > len(pl) || size > len(pl)-pos {
			missing[col] = true
			truncated = true
			pos = len(pl) + 1
			continue
		}
		v, bad := decodeView(st, pl[pos:pos+size], c.enc)
		pos += size
		if size > 0 {
			valEnd[col] = pos
		}
		switch v.Kind {
		case sqlite.Real:
			if math.IsNaN(v.Float) {
				return k, false // SQLite stores NaN as NULL
			}
			if a := sh.aff[f]; sh.strict == nil && (a == sqlite.AffinityInteger || a == sqlite.AffinityNumeric || a == sqlite.AffinityReal) && v.Float == math.Trunc(v.Float) {
				lim := 9.2e18
				if a == sqlite.AffinityReal {
					lim = 1 << 47
				}
				if math.Abs(v.Float) < lim {
					return k, false // would have been stored as an integer
				}
			}
			if f := math.Abs(v.Float); f != 0 && !math.IsInf(f, 0) {
				switch {
				case f < 1e-30 || f > 1e30:
					fit *= 0.3 // a real like that is more likely bytes read wrongly
				case f < 1e-12 || f > 1e18:
					fit *= 0.6
				}
			}
			informative++
		case sqlite.Text:
			if len(v.Bytes) == 0 {
				break // an empty string says nothing
			}
			if bad {
				fit *= 0.15
			}
			fit *= textQuality(v.Bytes)
			if a := sh.aff[f]; sh.strict == nil && (a == sqlite.AffinityInteger || a == sqlite.AffinityNumeric || a == sqlite.AffinityReal) && looksNumeric(v.Bytes) {
				return k, false // would have been converted to a number
			}
			informative++
		case sqlite.Blob:
			if len(v.Bytes) == 0 {
				break
			}
			if zeros := bytes.Count(v.Bytes, []byte{0}); len(v.Bytes) >= 4 && 2*zeros >= len(v.Bytes) {
				fit *= 0.5 // mostly zeros: more likely empty space than data
				break
			}
			informative++
		case sqlite.Integer:
			if size >= 3 && printable(pl[pos-size:pos]) {
				printInts++
			}
			informative++
		}
		if sh.isReal[col] && v.Kind == sqlite.Integer {
			v = sqlite.RealValue(float64(v.Int))
		}
		vals[col] = v
	}
	if truncated && r.limit < r.hs+r.local {
		// Cut short by a newer cell: earlier occupants of the space in
		// front of that cell (an older version of it, freed since) may
		// have covered the end of the last values before the cut, and
		// nothing tells; values ending near the cut are left missing.
		// How well the values read (fit, informative) still counts: hiding
		// them must not make a wrong reading look better.
		cut := r.limit - r.hs
		left := 0
		for col, e := range valEnd {
			if e > cut-cutMargin && !missing[col] {
				missing[col] = true
				vals[col] = sqlite.Value{}
			}
			if !missing[col] && col != sh.aliasCol && informativeValue(vals[col]) {
				left++
			}
		}
		if left == 0 {
			return k, false
		}
	}
	// Columns after a short record take their defaults, as SQLite reads them.
	for f := nf; f < len(sh.fieldCol); f++ {
		col := sh.fieldCol[f]
		vals[col] = sh.defaults[col]
	}
	if sh.aliasCol >= 0 {
		if r.hasRowid {
			vals[sh.aliasCol] = sqlite.IntValue(r.rowid)
			missing[sh.aliasCol] = false
		} else {
			vals[sh.aliasCol] = sqlite.Value{}
			missing[sh.aliasCol] = true
		}
	}
	switch {
	case informative == 0:
		return k, false
	case informative == 1:
		fit *= 0.6
		if !r.intact {
			fit *= 0.9
		}
	case informative == 2 && !r.intact:
		fit *= 0.85
	}
	if nf < len(sh.fieldCol) {
		fit *= 0.6 // a record from before ALTER TABLE ADD COLUMN: possible, not usual
	}
	if truncated {
		fit *= 0.85
	}
	if r.frag > 0 {
		fit *= 0.85
	}
	vals = append([]sqlite.Value(nil), vals...)
	missing = append([]bool(nil), missing...)
	valEnd = append([]int(nil), valEnd...)
	k = cand{sh: sh, vals: vals, missing: missing, tbits: tbits, fit: fit, informative: informative, truncated: truncated, printInts: printInts, valEnd: valEnd}
	if r.hasRowid {
		id := r.rowid
		k.rowid = &id
	}
	for _, m := range missing {
		if m {
			k.nMiss++
		}
	}
	return k, true
}

// scratch returns the carver's scratch arrays for n columns, cleared.
func (c *carver) scratch(n int) ([]sqlite.Value, []bool, []int) {
	if cap(c.sVals) < n {
		c.sVals, c.sMiss, c.sEnd = make([]sqlite.Value, n), make([]bool, n), make([]int, n)
	}
	v, m, e := c.sVals[:n], c.sMiss[:n], c.sEnd[:n]
	clear(v)
	clear(m)
	clear(e)
	return v, m, e
}

// own gives the text and blob values of k bytes of their own, so that k no
// longer shares the page image it was read from.
func (k *cand) own() {
	for i, v := range k.vals {
		if len(v.Bytes) > 0 {
			k.vals[i].Bytes = append([]byte(nil), v.Bytes...)
		}
	}
}

// cutMargin is how close to where a newer cell cut a record its values may
// end and still be reported.
const cutMargin = 16

// guessType picks the serial type of a field whose type byte was lost, from
// its size and the column affinity; ok is false when that is ambiguous.
func guessType(sh *shape, f, size int, pl []byte, pos int, enc sqlite.Encoding) (uint64, bool) {
	aff := sh.aff[f]
	if sh.masks != nil {
		switch sh.masks[f] &^ clNull {
		case clText:
			aff = sqlite.AffinityText
		case clInt:
			aff = sqlite.AffinityInteger
		case clReal, clReal | clInt:
			aff = sqlite.AffinityReal
		}
	}
	textOK := func() bool {
		if pos < 0 || pos+size > len(pl) || (enc != sqlite.UTF8 && size%2 != 0) {
			return false
		}
		v, bad := decodeView(uint64(2*size+13), pl[pos:pos+size], enc)
		return !bad && textQuality(v.Bytes) == 1
	}
	intType := func() (uint64, bool) {
		switch size {
		case 1, 2, 3, 4:
			return uint64(size), true
		case 6:
			return 5, true
		}
		return 0, false
	}
	switch {
	case size == 0:
		return 0, false // NULL, 0, 1 or an empty string/blob
	case aff == sqlite.AffinityText:
		if textOK() {
			return uint64(2*size + 13), true
		}
	case aff == sqlite.AffinityInteger || aff == sqlite.AffinityNumeric:
		return intType()
	case aff == sqlite.AffinityReal:
		if size == 8 {
			return 7, true
		}
		return intType()
	}
	return 0, false
}

// looksNumeric reports text that SQLite's numeric affinity would have turned
// into a number.
func looksNumeric(b []byte) bool {
	s := strings.TrimSpace(string(b))
	if s == "" || len(s) > 40 {
		return false
	}
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return true
	}
	if strings.ContainsAny(s, "xXpP_nN") { // hex, Inf, NaN, Go-only syntax
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// payloadBytes returns the part of r's payload (from the record header on)
// that can be read: the local bytes up to limit, then the overflow chain as
// far as it is readable.
func (c *carver) payloadBytes(im *image, r *rawRec) []byte {
	d := im.data
	end := min(r.hs+r.local, r.limit, len(d))
	if end <= r.hs {
		return nil
	}
	local := d[r.hs:end]
	if int64(r.local) >= r.payload || end < r.hs+r.local || !r.ovflOK || im.readPage == nil {
		return local
	}
	total := r.payload
	r.chain = nil
	per := c.usable - 4
	// Room for the local part and a first overflow page only: the
	// payload size is the candidate's own claim, which for the many
	// candidates in free space that are no records at all is often
	// large while their chain breaks at once (allocating up to 16 MiB per
	// such candidate made 2 GB of garbage on a 1 GiB dump, and grew the
	// page's never-shrinking wasm memory to 1.2 GiB).
	buf := make([]byte, 0, min(total, int64(len(local)+per)))
	buf = append(buf, local...)
	p := r.ovfl
	seen := map[uint32]bool{}
	for int64(len(buf)) < total {
		if p == 0 || p > c.maxPage || seen[p] || len(seen) > int(c.maxPage) {
			break
		}
		seen[p] = true
		pg := im.readPage(p)
		if len(pg) < c.usable {
			break
		}
		n := min(int64(per), total-int64(len(buf)))
		next := binary.BigEndian.Uint32(pg)
		if int64(len(buf))+n == total && next != 0 {
			// SQLite writes 0 as the next pointer of the last overflow
			// page of a chain: this page has been part of a longer chain
			// since (or is no overflow page at all), its bytes are not
			// this payload's.
			break
		}
		r.chain = append(r.chain, ovPage{pgno: p, start: len(buf), data: pg})
		buf = append(buf, pg[4:4+n]...)
		p = next
		c.work += 64
	}
	return buf
}

// compatible reports whether a and b are the same table and agree on every
// value both have: two readings of the same record, one less complete.
func compatible(a, b cand) bool {
	if a.sh != b.sh || len(a.vals) != len(b.vals) {
		return false
	}
	for i := range a.vals {
		if !a.missing[i] && !b.missing[i] && !a.vals[i].Equal(b.vals[i]) {
			return false
		}
	}
	return true
}

func sameValues(a, b cand) bool {
	if a.sh != b.sh || len(a.vals) != len(b.vals) {
		return false
	}
	for i := range a.vals {
		if a.missing[i] != b.missing[i] || !a.vals[i].Equal(b.vals[i]) {
			return false
		}
	}
	return true
}

// printable reports bytes that are all printable ASCII.
func printable(b []byte) bool {
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return false
		}
	}
	return true
}

// usualSize reports whether a value of size bytes is usual in field f of
// sh: a number in a numeric column (NULL, 0 and 1 take no bytes), anything
// in a column without affinity.
func usualSize(sh *shape, f, size int) bool {
	switch sh.aff[f] {
	case sqlite.AffinityInteger, sqlite.AffinityNumeric, sqlite.AffinityReal:
		switch size {
		case 0, 1, 2, 3, 4, 6, 8:
			return true
		}
		return false
	case sqlite.AffinityText:
		return false // guessType failed: not text
	}
	return true
}

// foreignOverflow looks at a blob of size bytes at payload offset pos whose
// bytes continue on overflow pages: when its bytes before the first page
// boundary are binary (not text in the database encoding) and the bytes of
// a later overflow page read as clean text, that page most likely holds
// another record's text (it was freed and reused since), and the payload
// offset where the page starts is returned; -1 otherwise.
func (c *carver) foreignOverflow(pl []byte, pos, size int, chain []ovPage) int {
	end := min(pos+size, len(pl))
	first := -1
	for i, o := range chain {
		if o.start <= pos || o.start >= end {
			continue
		}
		if first < 0 {
			first = o.start
			if first-pos < 16 || c.cleanText(pl[pos:first]) {
				return -1
			}
		}
		segEnd := end
		if i+1 < len(chain) && chain[i+1].start < end {
			segEnd = chain[i+1].start
		}
		if segEnd-o.start >= 64 && c.cleanText(pl[o.start:segEnd]) {
			return o.start
		}
	}
	return -1
}

// cleanText reports bytes that read as ordinary text in the database
// encoding: valid, no NUL, no control characters, no unusual scripts.
// The bytes may start and end inside a character (a page boundary cuts
// text anywhere): a partial character at either end is ignored.
func (c *carver) cleanText(b []byte) bool {
	if c.enc == sqlite.UTF8 {
		for i := 0; i < 3 && len(b) > 0 && b[0]&0xC0 == 0x80; i++ {
			b = b[1:]
		}
		for i := 0; i < 3 && len(b) > 0 && b[len(b)-1]&0x80 != 0; i++ {
			if r, _ := utf8.DecodeLastRune(b); r != utf8.RuneError {
				break
			}
			b = b[:len(b)-1]
		}
		return c.cleanAt(b)
	}
	// UTF-16: the text may start at an odd offset; the first and last code
	// unit may be half of a surrogate pair.
	for skip := 0; skip < 2 && skip < len(b); skip++ {
		u := b[skip:]
		u = u[:len(u)&^1]
		if len(u) >= 8 && c.cleanAt(u[2:len(u)-2]) {
			return true
		}
	}
	return false
}

func (c *carver) cleanAt(b []byte) bool {
	v, bad := decodeView(13, b, c.enc)
	if bad || len(v.Bytes) == 0 || bytes.IndexByte(v.Bytes, 0) >= 0 {
		return false
	}
	return textQuality(v.Bytes) == 1
}
