package recover

import (
	"sort"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// Value classes of serial types, as bits of a mask.
const (
	clNull uint8 = 1 << iota
	clInt
	clReal
	clText
	clBlob
)

// classOf returns the class bit of serial type st.
func classOf(st uint64) uint8 {
	switch {
	case st == 0:
		return clNull
	case st <= 6, st == 8, st == 9:
		return clInt
	case st == 7:
		return clReal
	case st >= 13 && st&1 == 1:
		return clText
	case st >= 12:
		return clBlob
	}
	return 0
}

// maxInferFields bounds the width of an inferred table.
const maxInferFields = 64

// recordTypes parses the record header at the start of payload; ok is false
// when it is not a well-formed header of 1..maxInferFields fields whose
// body fits payloadSize exactly.
func recordTypes(local []byte, payloadSize int64) ([]uint64, bool) {
	H, n := sqlite.Varint(local)
	if n == 0 || H < uint64(n)+1 || H > uint64(len(local)) || int64(H) > payloadSize {
		return nil, false
	}
	var types []uint64
	body := int64(0)
	for i := n; i < int(H); {
		t, m := sqlite.Varint(local[i:H])
		if m == 0 || t == 10 || t == 11 || len(types) >= maxInferFields {
			return nil, false
		}
		types = append(types, t)
		body += int64(serialSize(t))
		i += m
	}
	if len(types) == 0 || int64(H)+body != payloadSize {
		return nil, false
	}
	return types, true
}

// A signature is what the records of one page say about their table.
type signature struct {
	masks []uint8
	cells int
	pages []uint32
}

// inferShapes builds table shapes from the referenced cells of table leaf
// pages that no longer belong to the database (freelist leaves, orphans,
// older WAL frames, journal images) when no known table can hold them: the
// pages of a table whose CREATE statement is gone. Pages whose cells share a
// field count and compatible value classes make one table; it has no name.
func (c *carver) inferShapes() []*shape {
	byCount := map[int][]*signature{}
	pagesSeen := map[uint32]bool{}
	visit := func(im *image) {
		if im.liveCells || len(im.data) < c.usable {
			return
		}
		d := im.data[:c.usable]
		bp, err := sqlite.ParseBTreePage(d, im.pgno, c.usable)
		if err != nil || bp.Type != sqlite.PageLeafTable || bp.NumCells == 0 {
			return
		}
		var sig *signature
		n := -1
		for _, off := range bp.CellOffsets {
			cell, err := sqlite.ParseCell(d, bp.Type, off, c.usable)
			if err != nil {
				return
			}
			types, ok := recordTypes(cell.Local, cell.PayloadSize)
			if !ok || (n >= 0 && len(types) != n) {
				return // not one table's records
			}
			n = len(types)
			if c.explained(types) {
				return
			}
			if sig == nil {
				sig = &signature{masks: make([]uint8, n)}
			}
			for i, t := range types {
				sig.masks[i] |= classOf(t)
			}
			sig.cells++
		}
		if sig == nil {
			return
		}
		sig.pages = []uint32{im.pgno}
		// Merge with a signature of the same width whose classes agree
		// on every field that both have seen as non-null.
		for _, o := range byCount[n] {
			if compatibleMasks(o.masks, sig.masks) {
				for i := range o.masks {
					o.masks[i] |= sig.masks[i]
				}
				o.cells += sig.cells
				if !pagesSeen[im.pgno] {
					o.pages = append(o.pages, im.pgno)
				}
				pagesSeen[im.pgno] = true
				return
			}
		}
		pagesSeen[im.pgno] = true
		byCount[n] = append(byCount[n], sig)
	}
	c.forEachImage(visit, func(*shape) bool { return false })
	var counts []int
	for n := range byCount {
		counts = append(counts, n)
	}
	sort.Ints(counts)
	var out []*shape
	for _, n := range counts {
		for _, sig := range byCount[n] {
			if sig.cells < 2 || len(out) >= 64 {
				continue
			}
			sh := inferredShape(sig)
			out = append(out, sh)
			for _, p := range sig.pages {
				if role, owner := c.lay.get(p); owner == nil && role != roleTable && role != roleIndex {
					c.lay.setOwner(p, sh)
				}
			}
		}
	}
	return out
}

// explained reports whether some known table can hold a record with these
// serial types.
func (c *carver) explained(types []uint64) bool {
	for _, sh := range c.shapesFor(len(types)) {
		ok := true
		for f, st := range types {
			if sh.typeFit(f, st) == fitNo {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// compatibleMasks: two pages of the same table see the same classes, up to
// NULLs and the integer/real mix of numeric columns.
func compatibleMasks(a, b []uint8) bool {
	for i := range a {
		x, y := a[i]&^clNull, b[i]&^clNull
		if x == 0 || y == 0 {
			continue
		}
		num := clInt | clReal
		if x&^num == 0 && y&^num == 0 {
			continue
		}
		if x != y {
			return false
		}
	}
	return true
}

// inferredShape builds the shape of a table known only from its records.
// Values are reported as stored (no affinity is applied). A first field
// that is always NULL is taken for an INTEGER PRIMARY KEY alias, the usual
// reason for it.
func inferredShape(sig *signature) *shape {
	n := len(sig.masks)
	s := &shape{dropped: true, inferred: true, alias: -1, aliasCol: -1, nCols: n, minFields: n, stored: n}
	s.masks = append([]uint8(nil), sig.masks...)
	for i := 0; i < n; i++ {
		s.fieldCol = append(s.fieldCol, i)
		s.aff = append(s.aff, sqlite.AffinityBlob)
		s.notNull = append(s.notNull, false)
		s.isReal = append(s.isReal, false)
		s.defaults = append(s.defaults, sqlite.Value{})
	}
	if n > 1 && sig.masks[0] == clNull && sig.cells >= 3 {
		s.alias, s.aliasCol = 0, 0
		s.stored--
	}
	return s
}

// setOwner attributes page p to sh (a table known from its records).
func (l *layout) setOwner(p uint32, sh *shape) {
	if p == 0 || p > l.n {
		return
	}
	l.owner[p] = sh
}

// maskFit is typeFit for a field of an inferred table.
func maskFit(m uint8, st uint64) float64 {
	k := classOf(st)
	switch {
	case k == 0:
		return fitNo
	case m&k != 0:
		return fitOK
	case k == clNull:
		return fitUnusual
	case (k == clInt || k == clReal) && m&(clInt|clReal) != 0:
		return fitUnusual
	}
	return fitNo
}

// maskBits is typeBits for a field of an inferred table.
func maskBits(m uint8, st uint64) float64 {
	m &^= clNull
	switch {
	case m == 0:
		return 0
	case m&^(clInt|clReal) == 0:
		if st == 0 {
			return 2
		}
		return 3
	case m == clText || m == clBlob:
		return 1
	}
	return 0
}
