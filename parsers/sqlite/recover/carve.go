package recover

import (
	"encoding/binary"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// A rawRec is a table-leaf cell found in a page image, before it is matched
// to a table: where it lies and the serial types of its record.
type rawRec struct {
	off      int      // cell start in the image
	hs       int      // record header start in the image
	hdrLen   int      // record header length
	types    []uint64 // serial type per field
	unk0     bool     // the serial type of field 0 was overwritten; its size is size0
	size0    int
	payload  int64 // total payload size (header + body)
	local    int   // payload bytes stored in the page
	ovfl     uint32
	ovflOK   bool // the overflow pointer lies inside the usable bytes
	cellEnd  int  // end of the cell in the image (may exceed limit when truncated)
	limit    int  // bytes at or past limit do not belong to the cell
	rowid    int64
	hasRowid bool
	hdrOK    bool // the header length byte survived and agrees with the types
	endOK    bool // the cell ends exactly where the free region or the next record starts
	intact   bool // complete cell: payload size, rowid and header all agree
}

// base is the structural confidence of r before looking at its values.
func (r *rawRec) base() float64 {
	switch {
	case r.intact:
		return 0.97
	case r.hdrOK && r.endOK:
		return 0.95
	case r.hdrOK || r.endOK:
		return 0.86
	}
	return 0.55
}

// uvarint decodes a varint at d[i:limit]; n == 0 when it does not fit.
func uvarint(d []byte, i, limit int) (uint64, int) {
	if i < 0 || i >= limit || limit > len(d) {
		return 0, 0
	}
	return sqlite.Varint(d[i:limit])
}

// maxHeader bounds a record header: SQLite allows 32767 columns, each type
// at most 9 bytes; we only need the widest known table.
func (c *carver) maxHeader() int { return 2 + 9*c.maxFields }

// intact parses a complete table-leaf cell at d[o:] that must start before
// limit; its end may run past limit (then the record is truncated there).
func (c *carver) intact(d []byte, o, limit int) (rawRec, bool) {
	var r rawRec
	P, n1 := uvarint(d, o, limit)
	if n1 == 0 || P < 2 || int64(P) > c.maxPayload {
		return r, false
	}
	R, n2 := uvarint(d, o+n1, limit)
	if n2 == 0 {
		return r, false
	}
	hs := o + n1 + n2
	H, n3 := uvarint(d, hs, limit)
	if n3 == 0 || H < uint64(n3)+1 || H > P || H > uint64(c.maxHeader()) || hs+int(H) > limit {
		return r, false
	}
	types := c.typesBuf[:0]
	body := uint64(0)
	for i := hs + n3; i < hs+int(H); {
		t, m := uvarint(d, i, hs+int(H))
		if m == 0 || t == 10 || t == 11 || len(types) >= c.maxFields {
			return r, false
		}
		types = append(types, t)
		body += uint64(serialSize(t))
		i += m
	}
	if H+body != P || !c.fieldCountKnown(len(types)) {
		return r, false
	}
	r = rawRec{off: o, hs: hs, hdrLen: int(H), payload: int64(P), rowid: int64(R), hasRowid: true,
		hdrOK: true, intact: true, limit: limit}
	r.types = append([]uint64(nil), types...)
	c.finishCell(d, &r)
	return r, true
}

// finishCell sets local, cellEnd and the overflow pointer of r from its
// payload size.
func (c *carver) finishCell(d []byte, r *rawRec) {
	r.local = sqlite.LocalPayload(r.payload, c.usable, true)
	r.cellEnd = r.hs + r.local
	if int64(r.local) < r.payload {
		if r.cellEnd+4 <= r.limit && r.cellEnd+4 <= len(d) {
			r.ovfl = binary.BigEndian.Uint32(d[r.cellEnd:])
			r.ovflOK = true
		}
		r.cellEnd += 4
	}
	if r.cellEnd < r.off+4 {
		r.cellEnd = r.off + 4 // SQLite never makes a cell smaller than 4 bytes
	}
}

func (c *carver) fieldCountKnown(n int) bool {
	return n >= 1 && n < len(c.countOK) && c.countOK[n]
}

// lostPrefix reconstructs a freed cell at o whose first 4 bytes were
// overwritten by a freeblock header (next pointer and size), assuming the
// record shape of sh. ends lists positions where the cell may end exactly
// (the end of its freeblock, or the size in an old freeblock header); a
// cell ending there (give or take 3 fragment bytes) has endOK set.
//
// Layout: payload-size varint, rowid varint (together a >= 2 bytes), then the
// record header: header-size varint, one serial type per field. At most the
// header size and the first serial type fall inside the 4 lost bytes; the
// rest of the header and the whole body survive.
func (c *carver) lostPrefix(d []byte, o, limit int, ends []int, sh *shape) []rawRec {
	if o+5 > limit {
		return nil
	}
	var out []rawRec
	nfMax := len(sh.fieldCol)
	for a := 2; a <= 13; a++ {
		hs := o + a
		if hs >= limit {
			break
		}
		for hl := 1; hl <= 2; hl++ {
			H := -1 // surviving header size, -1 when lost
			if hs >= o+4 {
				h, n := uvarint(d, hs, limit)
				if n == 0 || n != hl {
					continue
				}
				H = int(h)
			}
			stStart := hs + hl
			lost0 := stStart < o+4
			for st0Len := 1; st0Len <= 2; st0Len++ {
				if st0Len == 2 && (!lost0 || sh.alias == 0) {
					break
				}
				for nf := nfMax; nf >= sh.minFields; nf-- {
					c.work++
					if r, ok := c.lostHyp(d, o, limit, ends, sh, a, hl, H, stStart, lost0, st0Len, nf); ok {
						out = append(out, r)
					}
				}
			}
		}
	}
	return out
}

// endMatch reports whether a cell ending at e ends at one of ends (up to 3
// fragment bytes before it).
func endMatch(e int, ends []int) bool {
	for _, x := range ends {
		if e <= x && x-e <= 3 {
			return true
		}
	}
	return false
}

// lostHyp checks one layout hypothesis for lostPrefix.
func (c *carver) lostHyp(d []byte, o, limit int, ends []int, sh *shape, a, hl, H, stStart int, lost0 bool, st0Len, nf int) (rawRec, bool) {
	var r rawRec
	hs := o + a
	types := make([]uint64, nf)
	i := stStart
	f := 0
	unk0 := false
	lowByte := -1
	if lost0 {
		if sh.alias == 0 {
			types[0] = 0
		} else {
			unk0 = true
		}
		i = o + 4
		if st0Len == 2 {
			// The serial type's first byte is lost; its last byte is at o+4.
			if i >= limit || d[i] >= 0x80 {
				return r, false
			}
			lowByte = int(d[i])
			i++
		}
		f = 1
	}
	known := 0
	for ; f < nf; f++ {
		t, m := uvarint(d, i, limit)
		if m == 0 || sh.typeFit(f, t) == fitNo {
			return r, false
		}
		types[f] = t
		known += serialSize(t)
		i += m
	}
	he := i
	Hc := he - hs
	if (hl == 1 && Hc > 127) || (hl == 2 && (Hc < 128 || Hc > 16383)) {
		return r, false
	}
	if H >= 0 && H != Hc {
		return r, false
	}
	r = rawRec{off: o, hs: hs, hdrLen: Hc, types: types, limit: limit, hdrOK: H >= 0}
	if !unk0 {
		r.payload = int64(Hc + known)
		if !c.sizeFitsPrefix(r.payload, a) {
			return r, false
		}
		c.finishCell(d, &r)
		r.endOK = endMatch(r.cellEnd, ends)
		return r, true
	}
	// The size of field 0 is unknown: solve it from where the cell ends.
	// Only cells without overflow are solved this way.
	for _, e := range ends {
		for frag := 0; frag <= 3; frag++ {
			size0 := e - frag - he - known
			if size0 < 0 {
				break
			}
			if st0Len == 1 && size0 > 57 {
				continue
			}
			if st0Len == 2 {
				okSize := false
				for _, t := range []int{2*size0 + 12, 2*size0 + 13} {
					if t >= 128 && t < 1<<14 && t&0x7f == lowByte {
						okSize = true
					}
				}
				if !okSize {
					continue
				}
			}
			rr := r
			rr.unk0, rr.size0 = true, size0
			rr.payload = int64(Hc + size0 + known)
			if !c.sizeFitsPrefix(rr.payload, a) {
				continue
			}
			c.finishCell(d, &rr)
			if rr.cellEnd == e-frag && int64(rr.local) == rr.payload {
				rr.endOK = true
				return rr, true
			}
		}
	}
	return r, false
}

// sizeFitsPrefix checks that a payload of size p leaves room for a rowid
// varint of 1..9 bytes in a prefix of a bytes.
func (c *carver) sizeFitsPrefix(p int64, a int) bool {
	if p < 2 || p > c.maxPayload {
		return false
	}
	rl := a - varintLen(uint64(p))
	return rl >= 1 && rl <= 9
}

// staleEnd returns the end implied by the old freeblock header in the
// first 4 bytes at o (next pointer, size), or 0 if they cannot be one.
func (c *carver) staleEnd(d []byte, o, limit int) int {
	if o+4 > len(d) {
		return 0
	}
	next := int(binary.BigEndian.Uint16(d[o:]))
	size := int(binary.BigEndian.Uint16(d[o+2:]))
	if size < 4 || o+size > c.usable || (next != 0 && (next < o+size || next >= c.usable)) {
		return 0
	}
	return o + size
}

// A cand is a recovered record before filtering.
type cand struct {
	sh      *shape
	vals    []sqlite.Value
	missing []bool
	rowid   *int64
	conf    float64
	src     string
	file    string
	page    uint32
	off     int
	fileOff int64
	order   int // processing order, for stable choices between duplicates
	nMiss   int
}

// evaluate decodes r as a record of sh and scores it; ok is false when the
// record cannot belong to sh.
func (c *carver) evaluate(im *image, r *rawRec, sh *shape, pl []byte) (cand, bool) {
	var k cand
	nf := len(r.types)
	if nf > len(sh.fieldCol) || nf < sh.minFields {
		return k, false
	}
	fit := 1.0
	for f, st := range r.types {
		if f == 0 && r.unk0 {
			continue
		}
		tf := sh.typeFit(f, st)
		if tf == fitNo {
			return k, false
		}
		fit *= tf
	}
	vals := make([]sqlite.Value, sh.nCols)
	missing := make([]bool, sh.nCols)
	pos := r.hdrLen
	informative := 0
	truncated := false
	for f := 0; f < nf; f++ {
		col := sh.fieldCol[f]
		var st uint64
		var size int
		guessed := false
		if f == 0 && r.unk0 {
			size = r.size0
			var ok bool
			st, ok = guessType(sh, f, size, pl, pos)
			if !ok {
				missing[col] = true
				pos += size
				continue
			}
			guessed = true
		} else {
			st = r.types[f]
			size = serialSize(st)
		}
		if pos < 0 || size > len(pl)-pos {
			missing[col] = true
			truncated = true
			pos += size
			if pos > len(pl) {
				pos = len(pl) + 1
			}
			continue
		}
		v, bad := decodeValue(st, pl[pos:pos+size], c.enc)
		pos += size
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
			informative++
		case sqlite.Text:
			if bad {
				fit *= 0.15
			}
			fit *= textQuality(v.Bytes)
			if a := sh.aff[f]; sh.strict == nil && (a == sqlite.AffinityInteger || a == sqlite.AffinityNumeric || a == sqlite.AffinityReal) && looksNumeric(v.Bytes) {
				return k, false // would have been converted to a number
			}
			informative++
		case sqlite.Blob, sqlite.Integer:
			informative++
		}
		if guessed {
			fit *= 0.9
		}
		if sh.isReal[col] && v.Kind == sqlite.Integer {
			v = sqlite.RealValue(float64(v.Int))
		}
		vals[col] = v
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
	conf := r.base() * fit
	switch {
	case informative == 0:
		return k, false
	case informative == 1:
		conf *= 0.6
	case informative == 2:
		conf *= 0.85
	}
	if nf < len(sh.fieldCol) {
		conf *= 0.85
	}
	if truncated {
		conf *= 0.85
	}
	k = cand{sh: sh, vals: vals, missing: missing, conf: conf}
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

// guessType picks the serial type of a field whose type byte was lost, from
// its size and the column affinity; ok is false when that is ambiguous.
func guessType(sh *shape, f, size int, pl []byte, pos int) (uint64, bool) {
	aff := sh.aff[f]
	textOK := func() bool {
		if pos < 0 || pos+size > len(pl) {
			return false
		}
		return textQuality(pl[pos:pos+size]) == 1
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
	buf := make([]byte, 0, min(total, 1<<24))
	buf = append(buf, local...)
	per := c.usable - 4
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
		buf = append(buf, pg[4:4+n]...)
		p = binary.BigEndian.Uint32(pg)
		c.work += 64
	}
	return buf
}

// consider evaluates r against the candidate shapes and records the best
// match.
func (c *carver) consider(im *image, r *rawRec, shapes []*shape, src string) {
	pl := c.payloadBytes(im, r)
	var best cand
	bestScore := 0.0
	second := 0.0
	for _, sh := range shapes {
		k, ok := c.evaluate(im, r, sh, pl)
		if !ok {
			continue
		}
		score := k.conf
		if im.owner != nil && sh != im.owner {
			score *= 0.9
		}
		if score > bestScore {
			second = bestScore
			best, bestScore = k, score
		} else if score > second {
			second = score
		}
	}
	if bestScore == 0 {
		return
	}
	best.conf = bestScore
	if second > 0.9*bestScore {
		best.conf *= 0.7 // another table fits as well
	}
	c.emit(im, r, best, src)
}

// shapesFor returns the shapes whose field counts admit n fields.
func (c *carver) shapesFor(n int) []*shape {
	if n < 1 || n >= len(c.byCount) {
		return nil
	}
	return c.byCount[n]
}

func (c *carver) emit(im *image, r *rawRec, k cand, src string) {
	if k.conf < c.floor {
		return
	}
	k.src = src
	k.file = im.file
	k.page = im.pgno
	k.off = r.off
	k.fileOff = im.fileOff + int64(r.off)
	k.order = c.nextOrder
	c.nextOrder++
	if len(c.out) >= maxCandidates {
		c.truncated = true
		return
	}
	c.out = append(c.out, k)
}

// A hyp is one reading of a freed cell.
type hyp struct {
	r     rawRec
	k     cand
	score float64
}

// lostCands evaluates every shape's lost-prefix readings of a cell at o,
// best first. Readings whose structural confidence is below minBase are
// dropped.
func (c *carver) lostCands(im *image, o, limit int, ends []int, minBase float64) []hyp {
	d := im.data
	var hs []hyp
	for _, sh := range c.shapes {
		for _, r := range c.lostPrefix(d, o, limit, ends, sh) {
			if r.base() < minBase {
				continue
			}
			pl := c.payloadBytes(im, &r)
			k, ok := c.evaluate(im, &r, sh, pl)
			if !ok {
				continue
			}
			score := k.conf
			if im.owner != nil && sh != im.owner {
				score *= 0.9
			}
			hs = append(hs, hyp{r, k, score})
		}
	}
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].score > hs[j].score })
	return hs
}

// bestLost recovers the freed cell at o, if any reading fits, and returns
// it. ends are the known exact end positions (see lostPrefix).
func (c *carver) bestLost(im *image, o, limit int, ends []int, src string, minBase float64) (rawRec, bool) {
	if se := c.staleEnd(im.data, o, limit); se > 0 && se <= limit {
		ends = append(ends[:len(ends):len(ends)], se)
	}
	hs := c.lostCands(im, o, limit, ends, 0.5)
	// A reading whose end is not confirmed is confirmed by another freed
	// cell starting right after it.
	for i := range hs[:min(len(hs), 3)] {
		h := &hs[i]
		if h.r.endOK || h.r.cellEnd+5 > limit {
			continue
		}
		if c.chainAt(im, h.r.cellEnd, limit) {
			old := h.r.base()
			h.r.endOK = true
			f := h.r.base() / old
			h.score *= f
			h.k.conf *= f
		}
	}
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].score > hs[j].score })
	if len(hs) == 0 || hs[0].r.base() < minBase {
		return rawRec{}, false
	}
	best := hs[0]
	best.k.conf = best.score
	if len(hs) > 1 && hs[1].score > 0.9*best.score && !sameValues(best.k, hs[1].k) {
		best.k.conf *= 0.6 // two readings of these bytes fit about as well
	}
	c.emit(im, &best.r, best.k, src)
	return best.r, true
}

// chainAt reports whether another freed cell plausibly starts at e (give or
// take 3 fragment bytes) with a confirmed header or end.
func (c *carver) chainAt(im *image, e, limit int) bool {
	for g := 0; g <= 3 && e+g+5 <= limit; g++ {
		ends := []int{limit}
		if se := c.staleEnd(im.data, e+g, limit); se > 0 && se <= limit {
			ends = append(ends, se)
		}
		if len(c.lostCands(im, e+g, limit, ends, 0.8)) > 0 {
			return true
		}
	}
	return false
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

// An interval of bytes within a page image.
type span struct{ start, end int }

// carveFreeblock recovers the freed cells of a freeblock [o, end): the
// first cell lost its first 4 bytes to the freeblock header; cells freed
// next to it (merged freeblocks) lost theirs too.
func (c *carver) carveFreeblock(im *image, o, end int, src string) {
	p := o
	first := true
	for p+5 <= end && c.work < c.budget {
		var r rawRec
		ok := false
		for g := 0; g <= 3 && !ok && p+g+5 <= end; g++ {
			minBase := 0.8
			if first {
				minBase = 0.5
			}
			r, ok = c.bestLost(im, p+g, end, []int{end}, src, minBase)
			if first {
				break
			}
		}
		first = false
		if !ok || r.cellEnd <= p {
			break
		}
		p = r.cellEnd
	}
	if p < end {
		c.scanRegion(im, p, end, src, false)
	}
}

// scanRegion looks for complete cells at every offset of [s, e), and for
// freed cells where the bytes look like an old freeblock header.
func (c *carver) scanRegion(im *image, s, e int, src string, indexPage bool) {
	d := im.data
	p := s
	for p < e && c.work < c.budget {
		c.work++
		if r, ok := c.intact(d, p, e); ok {
			if shapes := c.shapesFor(len(r.types)); len(shapes) > 0 {
				before := len(c.out)
				c.consider(im, &r, shapes, src)
				if len(c.out) > before {
					p = max(p+1, min(r.cellEnd, e))
					continue
				}
			}
		}
		if !indexPage && p+8 <= e {
			if se := c.staleEnd(d, p, e); se > p+5 {
				lim := min(se, e)
				if r, ok := c.bestLost(im, p, e, []int{lim}, src, 0.8); ok && r.cellEnd > p {
					p = min(r.cellEnd, e)
					continue
				}
			}
		}
		p++
	}
}

// processImage recovers records from one page image.
func (c *carver) processImage(im *image) {
	d := im.data
	if len(d) < c.usable {
		return
	}
	d = d[:c.usable]
	im.data = d
	c.work = 0
	if im.trunk {
		n := int(binary.BigEndian.Uint32(d[4:]))
		start := 8 + 4*min(n, (c.usable-8)/4)
		c.scanRegion(im, start, c.usable, im.src, false)
		return
	}
	hdrOff := 0
	if im.pgno == 1 {
		hdrOff = sqlite.HeaderSize
	}
	bp, err := sqlite.ParseBTreePage(d, im.pgno, c.usable)
	if err != nil || !bp.Type.IsValid() {
		c.scanRegion(im, hdrOff, c.usable, im.src, false)
		return
	}
	index := bp.Type == sqlite.PageLeafIndex || bp.Type == sqlite.PageInteriorIndex
	ptrEnd := bp.HeaderOffset + bp.HeaderSize() + 2*bp.NumCells
	var used []span
	used = append(used, span{0, ptrEnd})
	for _, off := range bp.CellOffsets {
		cell, err := sqlite.ParseCell(d, bp.Type, off, c.usable)
		if err != nil {
			continue
		}
		used = append(used, span{off, off + cell.Size})
		if bp.Type == sqlite.PageLeafTable && !im.liveCells {
			if r, ok := c.intact(d, off, c.usable); ok {
				if shapes := c.shapesFor(len(r.types)); len(shapes) > 0 {
					c.consider(im, &r, shapes, im.cellSrc)
				}
			}
		}
	}
	// Freeblocks: an ascending chain inside the cell content area.
	var frees []span
	fb := bp.FirstFreeblock
	prev := 0
	for fb != 0 && len(frees) < c.usable/4 {
		if fb < ptrEnd || fb <= prev || fb+4 > c.usable {
			break
		}
		size := int(binary.BigEndian.Uint16(d[fb+2:]))
		if size < 4 || fb+size > c.usable {
			break
		}
		frees = append(frees, span{fb, fb + size})
		prev = fb
		fb = int(binary.BigEndian.Uint16(d[fb:]))
	}
	freeSrc, unallocSrc := im.src, im.src
	if im.physical {
		freeSrc, unallocSrc = SourceFreeblock, SourceUnallocated
	}
	for _, f := range frees {
		if index {
			c.scanRegion(im, f.start+4, f.end, freeSrc, true)
		} else {
			c.carveFreeblock(im, f.start, f.end, freeSrc)
		}
		used = append(used, f)
	}
	// Everything else that no cell, freeblock or header uses: the
	// unallocated space and fragments.
	sort.Slice(used, func(i, j int) bool { return used[i].start < used[j].start })
	p := ptrEnd
	for _, u := range used {
		if u.start > p {
			c.scanRegion(im, p, min(u.start, c.usable), unallocSrc, index)
		}
		p = max(p, u.end)
	}
	if p < c.usable {
		c.scanRegion(im, p, c.usable, unallocSrc, index)
	}
}
