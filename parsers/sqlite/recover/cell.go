package recover

import (
	"encoding/binary"

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
	intact   bool     // complete cell: payload size, rowid and header all agree
	hdrOK    bool     // the header size survived and agrees with the serial types
	endOK    bool     // the cell ends exactly at a known end (freeblock end, old freeblock size)
	solved   bool     // unk0's size was solved from that end, which then confirms nothing
	frag     int      // fragment bytes assumed between the cell end and the known end
	anchored bool     // a freeblock (or an old freeblock header) starts here
	chained  bool     // another cell starts right where this one ends
	chain    []ovPage // overflow pages read for the payload
}

// An ovPage is an overflow page read for a payload: its bytes start at
// payload offset start (from the record header on).
type ovPage struct {
	pgno  uint32
	start int
	data  []byte
}

// structBits is the evidence, in bits, that the layout of r is right: the
// chance that random or misaligned bytes pass the same checks is about
// 2^-bits.
func (r *rawRec) structBits() float64 {
	if r.intact {
		return 14 // payload size = header + body, a valid header and rowid
	}
	b := 0.0
	if r.anchored {
		b += 3
	}
	if r.hdrOK {
		b += 6
	}
	switch {
	case r.endOK && !r.solved:
		b += 5
	case r.chained:
		b += 4
	}
	return b
}

// uvarint decodes a varint at d[i:limit]; n == 0 when it does not fit or
// is not in the shortest form, the only one SQLite writes (a leading 0x80
// byte adds nothing).
func uvarint(d []byte, i, limit int) (uint64, int) {
	if i < 0 || i >= limit || limit > len(d) || d[i] == 0x80 {
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
		if H+body > P {
			return r, false
		}
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

// typeSeq is a run of serial-type varints parsed from one position.
type typeSeq struct {
	types []uint64
	ends  []int // position after each type
	sizes []int // prefix sums of the value sizes: sizes[k] = sum of sizes of types[:k]
	fit   []int // by 2*shape index + f0: 1 + the longest prefix of types that fits the shape's fields from f0 (0: not known yet)
}

// fitLen returns the length of the longest prefix of q's types that fits
// the fields of sh from f0 on.
func (q *typeSeq) fitLen(sh *shape, f0, nShapes int) int {
	i := 2*sh.idx + f0
	if f0 < 2 && sh.idx < nShapes {
		if q.fit == nil {
			q.fit = make([]int, 2*nShapes)
		}
		if v := q.fit[i]; v > 0 {
			return v - 1
		}
	}
	L := 0
	for L < len(q.types) && f0+L < len(sh.fieldCol) && sh.typeFit(f0+L, q.types[L]) != fitNo {
		L++
	}
	if f0 < 2 && sh.idx < nShapes {
		q.fit[i] = L + 1
	}
	return L
}

// seqCache memoizes typeSeq by start position for one cell start.
type seqCache struct {
	c     *carver
	d     []byte
	limit int
	base  int
	m     []*typeSeq // by position-base
}

func (s *seqCache) get(p int) *typeSeq {
	idx := p - s.base
	if idx >= 0 && idx < len(s.m) && s.m[idx] != nil {
		return s.m[idx]
	}
	n := min(s.c.maxFields, max(s.limit-p, 0))
	q := &typeSeq{types: make([]uint64, 0, n), ends: make([]int, 0, n), sizes: make([]int, 1, n+1)}
	for i := p; len(q.types) < s.c.maxFields; {
		t, m := uvarint(s.d, i, s.limit)
		if m == 0 || t == 10 || t == 11 {
			break
		}
		i += m
		q.types = append(q.types, t)
		q.ends = append(q.ends, i)
		q.sizes = append(q.sizes, q.sizes[len(q.sizes)-1]+serialSize(t))
		s.c.work++
	}
	if idx >= 0 && idx < len(s.m) {
		s.m[idx] = q
	}
	return q
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
func (c *carver) lostPrefix(d []byte, o, limit int, ends []int, sh *shape, seqs *seqCache, probe func(int) bool) []rawRec {
	if o+5 > limit || sh.stored < 1 {
		return nil
	}
	// The result lives in c.prefixBuf until the next call (lostHyps reads it
	// in between).
	out := c.prefixBuf[:0]
	defer func() { c.prefixBuf = out[:0] }()
	amax := sh.maxPrefix(c.usable)
	for a := 2; a <= amax; a++ {
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
			if stStart >= o+4 {
				out = c.lostFields(out, d, o, limit, ends, probe, sh, seqs, a, hl, H, stStart, 0, false, -1)
				continue
			}
			// The first serial type (at o+3) is lost.
			if sh.alias == 0 {
				out = c.lostFields(out, d, o, limit, ends, probe, sh, seqs, a, hl, H, o+4, 1, false, -1)
				continue
			}
			out = c.lostFields(out, d, o, limit, ends, probe, sh, seqs, a, hl, H, o+4, 1, true, -1)
			if o+4 < limit && d[o+4] < 0x80 {
				// a 2-byte first serial type whose last byte is at o+4
				out = c.lostFields(out, d, o, limit, ends, probe, sh, seqs, a, hl, H, o+5, 1, true, int(d[o+4]))
			}
		}
	}
	return out
}

// endMatch reports whether a cell ending at e ends at one of ends, up to 3
// fragment bytes before it, and how many.
func endMatch(e int, ends []int) (bool, int) {
	best := -1
	for _, x := range ends {
		if e <= x && x-e <= 3 && (best < 0 || x-e < best) {
			best = x - e
		}
	}
	return best >= 0, max(best, 0)
}

// lostFields completes one layout hypothesis of lostPrefix: fields f0.. are
// read from the type sequence at seqStart; field 0's type is unknown when
// unk0 (lowByte >= 0: it is 2 bytes long and its last byte is lowByte).
func (c *carver) lostFields(out []rawRec, d []byte, o, limit int, ends []int, probe func(int) bool, sh *shape, seqs *seqCache, a, hl, H, seqStart, f0 int, unk0 bool, lowByte int) []rawRec {
	seq := seqs.get(seqStart)
	hs := o + a
	// Longest compatible prefix.
	L := seq.fitLen(sh, f0, len(c.shapes))
	// Field counts nf from the table's down to its shortest record, with
	// k = nf-f0 types read, 0 <= k <= L: one unit of work each.
	lo, hi := max(sh.minFields, f0), min(len(sh.fieldCol), f0+L)
	if hi < lo {
		return out
	}
	c.work += hi - lo + 1
	inf := L // index of the first type that can hold an informative value
	for i, t := range seq.types[:L] {
		if t != 0 && t != 12 && t != 13 {
			inf = i
			break
		}
	}
	var types []uint64
	for nf := hi; nf >= lo; nf-- {
		k := nf - f0
		types = nil
		he := seqStart
		if k > 0 {
			he = seq.ends[k-1]
		}
		Hc := he - hs
		if (hl == 1 && Hc > 127) || (hl == 2 && (Hc < 128 || Hc > 16383)) {
			continue
		}
		if H >= 0 && H != Hc {
			continue
		}
		if !unk0 && inf >= k {
			continue // evaluate would find no informative value
		}
		mkTypes := func() []uint64 {
			if types == nil {
				types = make([]uint64, nf)
				copy(types[f0:], seq.types[:k])
			}
			return types
		}
		known := seq.sizes[k]
		r := rawRec{off: o, hs: hs, hdrLen: Hc, limit: limit, hdrOK: H >= 0}
		if !unk0 {
			r.payload = int64(Hc + known)
			if !c.sizeFitsPrefix(r.payload, a) {
				continue
			}
			r.types = mkTypes()
			c.finishCell(d, &r)
			r.endOK, r.frag = endMatch(r.cellEnd, ends)
			if sh.stored < 2 && !r.endOK && (probe == nil || r.cellEnd+5 > limit || !probe(r.cellEnd)) {
				continue // one value: only an exact end tells it from other bytes
			}
			out = append(out, r)
			continue
		}
		// The size of field 0 is unknown: solve it from where the cell
		// ends (such an end then proves nothing), or from where another
		// cell starts right after it. Only cells without overflow are
		// solved.
		solve := func(size0 int) (rawRec, bool) {
			if size0 < 0 || (lowByte < 0 && size0 > 57) {
				return r, false
			}
			if lowByte >= 0 {
				ok := false
				for _, t := range []int{2*size0 + 12, 2*size0 + 13} {
					if t >= 128 && t < 1<<14 && t&0x7f == lowByte {
						ok = true
					}
				}
				if !ok {
					return r, false
				}
			}
			if size0 == 0 && inf >= k {
				return r, false // no informative value
			}
			rr := r
			rr.unk0, rr.size0 = true, size0
			rr.payload = int64(Hc + size0 + known)
			if !c.sizeFitsPrefix(rr.payload, a) {
				return r, false
			}
			c.finishCell(d, &rr)
			if int64(rr.local) != rr.payload {
				return r, false
			}
			rr.types = mkTypes()
			return rr, true
		}
		for _, e := range ends {
			// No fragment bytes assumed here: any of them would give
			// another, equally good reading.
			if rr, ok := solve(e - he - known); ok && rr.cellEnd == e {
				rr.endOK, rr.solved = true, true
				out = append(out, rr)
			}
		}
		if probe != nil && lowByte < 0 {
			for size0 := 0; size0 <= 57; size0++ {
				e := he + known + size0
				if e+5 > limit {
					break
				}
				if probe(e) {
					if rr, ok := solve(size0); ok && rr.cellEnd == e {
						out = append(out, rr)
					}
				}
			}
		}
	}
	return out
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
// first 4 bytes at o (next pointer, size), or 0 if they cannot be one: the
// size must fit the page and the next freeblock, if any, must come after
// this one and have a plausible header itself.
func (c *carver) staleEnd(d []byte, o, limit int) int {
	if o+4 > len(d) || o+4 > c.usable {
		return 0
	}
	next := int(binary.BigEndian.Uint16(d[o:]))
	size := int(binary.BigEndian.Uint16(d[o+2:]))
	if size < 4 || o+size > c.usable {
		return 0
	}
	if next != 0 && (next < o+size+4 || next+4 > c.usable) {
		// SQLite merges freeblocks less than 4 bytes apart; the next
		// freeblock's own header may have been reused since.
		return 0
	}
	return o + size
}
