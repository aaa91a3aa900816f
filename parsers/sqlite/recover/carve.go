package recover

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// A region tells which tables a part of a page can hold and how much its
// position says about a reading.
type region struct {
	shapes []*shape
	owner  *shape  // the page's table, if known
	bonus  float64 // bits added to readings of owner
	base   float64 // bits added to every reading (negative for risky regions)
	lost   bool    // freed cells (lost first bytes) are looked for
}

func (x *region) bits(sh *shape) float64 {
	if sh == x.owner {
		return x.base + x.bonus
	}
	return x.base
}

func (x *region) allows(sh *shape) bool {
	for _, s := range x.shapes {
		if s == sh {
			return true
		}
	}
	return false
}

// A hyp is one reading of a cell.
type hyp struct {
	r rawRec
	k cand
}

// shapesFor returns the shapes whose field counts admit n fields.
func (c *carver) shapesFor(n int) []*shape {
	if n < 1 || n >= len(c.byCount) {
		return nil
	}
	return c.byCount[n]
}

// intactHyps reads a complete cell at p against every table that can hold
// it, best first.
func (c *carver) intactHyps(im *image, p, limit int, x *region) []hyp {
	r, ok := c.intact(im.data, p, limit)
	if !ok {
		return nil
	}
	var hs []hyp
	pl := c.payloadBytes(im, &r)
	for _, sh := range c.shapesFor(len(r.types)) {
		if !x.allows(sh) {
			continue
		}
		k, ok := c.evaluate(&r, sh, pl)
		if !ok {
			continue
		}
		k.bonus = x.bits(sh)
		k.owner, k.risky = x.owner == sh, x.base < 0
		rescore(&r, &k)
		if k.conf > 0 {
			hs = append(hs, hyp{r, k})
		}
	}
	sortHyps(hs)
	return hs
}

// lostHyps reads a freed cell at o (first 4 bytes lost) against every table
// of x, best first.
func (c *carver) lostHyps(im *image, o, limit int, ends []int, anchored bool, probe func(int) bool, x *region) []hyp {
	d := im.data
	seqs := c.areaCache(d, o, limit).seqs
	// The result lives in c.hypBuf until the next call (readingsAt copies
	// it).
	hs := c.hypBuf[:0]
	defer func() { c.hypBuf = hs[:0] }()
	for _, sh := range x.shapes {
		for _, r := range c.lostPrefix(d, o, limit, ends, sh, seqs, probe) {
			r.anchored = anchored
			pl := c.payloadBytes(im, &r)
			k, ok := c.evaluate(&r, sh, pl)
			if !ok {
				continue
			}
			k.bonus = x.bits(sh)
			k.owner, k.risky = x.owner == sh, x.base < 0
			rescore(&r, &k)
			hs = append(hs, hyp{r, k})
		}
	}
	sortHyps(hs)
	return hs
}

func sortHyps(hs []hyp) {
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].k.conf > hs[j].k.conf })
}

// emitBest emits the best of hs unless it is too weak; a reading with other
// values that fits about as well halves its confidence.
func (c *carver) emitBest(im *image, hs []hyp, src string) (rawRec, bool) {
	if len(hs) == 0 {
		return rawRec{}, false
	}
	best := hs[0]
	best.k.margin = 10
	for _, o := range hs[1:] {
		if !compatible(best.k, o.k) {
			ho := o
			best.k.margin = min(evidenceValue(&best)-evidenceValue(&ho), 10)
			break
		}
	}
	for _, o := range hs[1:] {
		if o.k.conf <= 0.8*best.k.conf {
			break
		}
		if !compatible(best.k, o.k) {
			best.k.conf *= 0.5
			best.k.amb = true
			break
		}
	}
	if best.k.conf < c.floor {
		return rawRec{}, false
	}
	c.emit(im, &best.r, best.k, src)
	return best.r, true
}

func (c *carver) emit(im *image, r *rawRec, k cand, src string) {
	k.heur = k.conf
	f := c.features(im, r, &k)
	if calibOn {
		k.conf = calibrated(&f)
	} else {
		k.feat = &f // fitting the weights
	}
	k.order = c.nextOrder
	c.nextOrder++
	if c.limited || k.conf < c.dropFloor {
		return // never reported: not kept
	}
	k.src = src
	k.file = im.file
	k.page = im.pgno
	k.off = r.off
	k.fileOff = im.fileOff + int64(r.off)
	switch {
	case r.intact:
		k.how = "intact"
	case !debugHow:
		k.how = "lost"
	default:
		k.how = fmt.Sprintf("lost a=%d unk0=%v hdr=%v end=%v solved=%v chain=%v anch=%v bits=%.1f+%.1f+%.1f fit=%.2f",
			r.hs-r.off, r.unk0, r.hdrOK, r.endOK, r.solved, r.chained, r.anchored, r.structBits(), k.tbits, k.bonus, k.fit)
	}
	for _, o := range r.chain {
		k.claims = append(k.claims, claim{key: pageKey(o.pgno, o.data), start: o.start})
	}
	n := k.bytes()
	if c.held+n > c.maxBytes {
		// The bound is reached: the search stops here, keeping what it
		// has (the same records on every run: the order is fixed).
		c.limited = true
		c.work = c.budget
		return
	}
	c.held += n
	k.own()
	if len(k.claims) == 0 {
		k.valEnd = nil // only cutSharedOverflow needs them
	}
	c.out = append(c.out, &k)
}

// debugHow, set by tests, describes how every freed cell was rebuilt in
// Record.how (otherwise "lost").
var debugHow = false

// cellLike reports whether something that looks like the start of a cell
// (complete, or freed with an old freeblock header) is at p.
func (c *carver) cellLike(d []byte, p, limit int) bool {
	if r, ok := c.intact(d, p, limit); ok && len(c.shapesFor(len(r.types))) > 0 {
		return true
	}
	return c.staleEnd(d, p, limit) > p+5
}

// readingsAt returns the readings of a cell at p inside a freed area ending
// at end, complete or freed, best first (at most 6).
func (c *carver) readingsAt(im *image, p, end int, x *region, anchored bool) []hyp {
	hs := c.intactHyps(im, p, end, x)
	if x.lost {
		ends := []int{end}
		if se := c.staleEnd(im.data, p, end); se > 0 && se <= end {
			ends = append(ends, se)
		}
		ac := c.areaCache(im.data, p, end)
		probe := func(q int) bool { return ac.cellLike(q) }
		// Most places have no intact reading: take the lost ones as they
		// are (append to nil copied them: ~200 MB of a 1 GiB dump's
		// parse, its largest allocation).
		if l := c.lostHyps(im, p, end, ends, anchored, probe, x); len(hs) == 0 {
			hs = l
		} else {
			hs = append(hs, l...)
		}
		sortHyps(hs)
	}
	if len(hs) > 6 {
		hs = hs[:6]
	}
	return hs
}

// checkReadings, set by tests, has tile count in readingsChanged the
// readings of a place that changed while it went through them (a nested
// search overwriting them).
var (
	checkReadings   bool
	readingsChanged int
)

func sameReading(a, b hyp) bool {
	return a.r.off == b.r.off && a.r.hs == b.r.hs && a.r.cellEnd == b.r.cellEnd && a.k.sh == b.k.sh && a.k.conf == b.k.conf
}

// tile reads a freed area [o, end) — a freeblock, or an old one found by
// its header — as the best sequence of cells: the first lost its first 4
// bytes to the freeblock header; cells freed later and merged into it lost
// theirs too, unless they were freed together with it (SQLite writes one
// header for a run of adjacent cells), then they are complete. Up to 3
// fragment bytes may separate merged cells, and the last cell may have been
// cut short by a newer cell allocated from the end of the freeblock.
// Every cell on a tiling that reaches the end is confirmed by its
// neighbours. tile returns the number of records emitted.
//
// An old freeblock header found in unallocated space is only a guess: when
// no cell reads right after it (speculative), the area is not searched
// further.
func (c *carver) tile(im *image, o, end int, src string, x *region, speculative bool) (emitted, last int) {
	type node struct {
		ok    bool
		value float64 // sum of evidenceValue over the cells from here
		h     *hyp
		next  int // -1: last
		alt   float64
	}
	memo := map[int]*node{}
	ac := c.areaCache(im.data, o, end)
	var suffix func(p int) *node
	suffix = func(p int) *node {
		if n, ok := memo[p]; ok {
			return n
		}
		n := &node{next: -1, alt: math.Inf(-1)}
		memo[p] = n
		if p >= end-3 {
			n.ok = true
			return n
		}
		if len(memo) > end-o+64 || c.work >= c.budget {
			return n
		}
		if p > o && c.staleEnd(im.data, p, end) == end {
			// an old freeblock header reaching the end: the front of a
			// cell whose tail a newer cell overwrote
			n.ok = true
		} else if p > o && end-p <= 64 {
			// a short tail nothing explains
			n.ok, n.value = true, -2
		}
		base := len(c.hypStack)
		c.hypStack = append(c.hypStack, c.readingsAt(im, p, end, x, true)...)
		hs := c.hypStack[base:]
		var snap []hyp
		if checkReadings {
			snap = slices.Clone(hs)
		}
		for i := range hs {
			h := hs[i] // hs stays as it is while suffix searches further on
			if checkReadings && !sameReading(h, snap[i]) {
				readingsChanged++
			}
			cont := math.Inf(-1)
			next := -1
			chained := false
			if h.r.cellEnd > end {
				if h.r.hs+h.r.hdrLen <= end {
					cont = -0.5 // cut short by a newer cell
				}
			} else {
				for g := 0; g <= 3 && h.r.cellEnd+g <= end; g++ {
					if s := suffix(h.r.cellEnd + g); s.ok && s.value-fragCost(g) > cont {
						cont, next, chained = s.value-fragCost(g), h.r.cellEnd+g, s.h != nil
					}
				}
			}
			if math.IsInf(cont, -1) {
				continue
			}
			h.r.chained = chained
			rescore(&h.r, &h.k)
			if h.k.conf <= 0 {
				continue
			}
			tot := evidenceValue(&h) + cont
			switch {
			case n.h == nil && (!n.ok || tot > 0):
				chosen := h
				n.ok, n.value, n.h, n.next = true, tot, &chosen, next
			case n.h != nil && tot > n.value:
				if !compatible(n.h.k, h.k) {
					n.alt = max(n.alt, n.value)
				}
				chosen := h
				n.value, n.h, n.next = tot, &chosen, next
			case n.h != nil && !compatible(n.h.k, h.k):
				n.alt = max(n.alt, tot)
			}
		}
		clear(c.hypStack[base:])
		c.hypStack = c.hypStack[:base]
		if n.h == nil && !(speculative && p == o) {
			// Bytes nothing explains (a cell overwritten in part): skip to
			// the next place where a cell seems to start.
			const gapCost = 3
			found := 0
			for q := p + 4; q+5 <= end && q < p+4096 && found < 3 && c.work < c.budget; q++ {
				c.work++
				if !ac.cellLike(q) {
					continue
				}
				found++
				if s := suffix(q); s.ok && s.h != nil && s.value-gapCost > 0 && (!n.ok || s.value-gapCost > n.value) {
					n.ok, n.value, n.next = true, s.value-gapCost, q
				}
			}
		}
		return n
	}
	suffix(o)
	if debugTile != nil && (debugPage == 0 || debugPage == im.pgno) && im.file == "db" {
		debugTile(o, end, func(p int) (bool, float64, int, string) {
			n := memo[p]
			if n == nil {
				return false, 0, -1, "nil"
			}
			how := ""
			if n.h != nil {
				how = fmt.Sprintf("%s conf %.3f end %d a=%d bits %.1f+%.1f+%.1f fit %.2f %v", n.h.k.sh.name, n.h.k.conf, n.h.r.cellEnd, n.h.r.hs-n.h.r.off, n.h.r.structBits(), n.h.k.tbits, n.h.k.bonus, n.h.k.fit, n.h.k.vals[1])
			}
			return n.ok, n.value, n.next, how
		})
	}
	last = o
	var path []*node
	for p := o; p >= 0 && len(path) <= len(memo); {
		n := memo[p]
		if n == nil {
			break
		}
		path = append(path, n)
		p = n.next
	}
	// Cells followed by cells up to the end of the area are explained
	// together with their neighbours.
	clean := make([]bool, len(path))
	for i, ok := len(path)-1, true; i >= 0; i-- {
		ok = ok && path[i].h != nil
		clean[i] = ok
	}
	for i, n := range path {
		if n.h == nil {
			continue
		}
		k := n.h.k
		if n.value-n.alt < 1 {
			k.conf *= 0.5 // another reading fits about as well
			k.amb = true
		}
		k.margin = min(n.value-n.alt, 10)
		k.clean = clean[i]
		if k.conf >= c.floor {
			c.emit(im, &n.h.r, k, src)
			emitted++
			last = min(n.h.r.cellEnd, end)
		}
	}
	return emitted, last
}

// evidenceValue is the log-odds that a reading is right, for comparing
// tilings: positive for readings more likely right than wrong.
func evidenceValue(h *hyp) float64 {
	p := h.k.conf
	if p <= 0 {
		return -10
	}
	if p >= 0.9999 {
		p = 0.9999
	}
	return math.Log(p / (1 - p))
}

// fragCost is the cost of assuming g fragment bytes between merged cells.
func fragCost(g int) float64 {
	if g == 0 {
		return 0
	}
	return 1.5
}

// scanRegion looks for complete cells at every offset of [s, e), then,
// between them, for freed areas that start with an old freeblock header.
func (c *carver) scanRegion(im *image, s, e int, src string, x *region) {
	d := im.data
	var cells []span
	for p := s; p < e && c.work < c.budget; {
		if d[p] == 0 {
			// No cell starts with a zero byte (a payload size of 0):
			// skip the run at once, counting the work as if every
			// position had been tried, so the result is the same.
			n := min(nonZero(d, p, e)-p, c.budget-c.work)
			c.work += n
			p += n
			continue
		}
		c.work++
		hs := c.intactHyps(im, p, e, x)
		if len(hs) > 0 && hs[0].k.conf >= c.floor {
			end := max(p+1, min(hs[0].r.cellEnd, e))
			if q := c.overwrittenAt(im, p, e, end, x, false); q < end {
				hs = c.intactHyps(im, p, q, x)
				end = q
			}
			if r, ok := c.emitBest(im, hs, src); ok {
				cells = append(cells, span{p, max(p+1, min(r.cellEnd, end))})
			}
			p = end
			continue
		}
		p++
	}
	if !x.lost {
		return
	}
	cells = append(cells, span{e, e})
	from := s
	tries := 0
	for _, cell := range cells {
		for p := from; p+8 <= cell.start && c.work < c.budget && tries < 512; p++ {
			if z := nonZero(d, p+2, cell.start); z-3 > p {
				// Positions up to z-4 have a zero size in their would-be
				// freeblock header: skip them, counting the work.
				n := min(z-3-p, cell.start-8-p+1, c.budget-c.work)
				c.work += n
				p += n - 1
				continue
			}
			c.work++
			if se := c.staleEnd(d, p, cell.start); se > p+5 && !c.intactNear(im, p, cell.start, x) {
				tries++
				if n, last := c.tile(im, p, min(se, cell.start), src, x, true); n > 0 && last > p {
					p = last - 1
				}
			}
		}
		from = max(from, cell.end)
	}
}

// overwrittenAt returns where the bytes of the complete cell at p (ending
// at end, in an area ending at e) stop being its own, end if nowhere: a
// complete cell that starts inside it was written after it, so this one's
// bytes from there on are overwritten; so is one that an old cell pointer
// points into.
// Old cell pointers do not cut a cell the page still points to
// (referenced): such a cell is newer than they are.
func (c *carver) overwrittenAt(im *image, p, e, end int, x *region, referenced bool) int {
	for q := p + 2; q < end && c.work < c.budget; q++ {
		c.work++
		if (!referenced && im.oldPtr[q]) || c.newerCellAt(im, q, e, end, x) {
			return q
		}
	}
	return end
}

// newerCellAt reports whether a complete cell starting at q, inside an
// older cell ending at end, was written over the older cell's tail: its
// payload size agrees with its header, its serial types fit a table of x,
// and it runs to the older cell's end or past it. Its values need not be
// readable (a newer cell may itself be cut by a still newer one): the
// structure alone says the older bytes from q on are not the older cell's.
func (c *carver) newerCellAt(im *image, q, e, end int, x *region) bool {
	if ns := c.intactHyps(im, q, e, x); len(ns) > 0 {
		return ns[0].r.cellEnd > end-4
	}
	r, ok := c.intact(im.data, q, e)
	if !ok || r.cellEnd <= end-4 || r.hs+r.hdrLen > e {
		return false
	}
	for _, sh := range c.shapesFor(len(r.types)) {
		if !x.allows(sh) {
			continue
		}
		fits := true
		for f, st := range r.types {
			if sh.typeFit(f, st) == fitNo {
				fits = false
				break
			}
		}
		if fits {
			return true
		}
	}
	return false
}

// debugTile, when set by a test, is shown every freed-area tiling.
var debugTile func(o, end int, node func(p int) (bool, float64, int, string))

// intactNear reports whether a complete cell starts within the 4 bytes
// after p: what looks like an old freeblock header at p is then more likely
// zeros in front of that cell.
func (c *carver) intactNear(im *image, p, e int, x *region) bool {
	for q := p + 1; q <= p+4 && q < e; q++ {
		if len(c.intactHyps(im, q, e, x)) > 0 {
			return true
		}
	}
	return false
}

// An interval of bytes within a page image.
type span struct{ start, end int }

// processImage recovers records from one page image.
func (c *carver) processImage(im *image) {
	d := im.data
	if len(d) < c.usable {
		return
	}
	d = d[:c.usable]
	im.data = d
	if nonZero(d, 0, len(d)) == len(d) {
		return // a zeroed page holds nothing
	}
	c.work = 0
	defer func() {
		if c.work >= c.budget {
			budgetHits++
			if debugBudget != nil {
				debugBudget(im)
			}
		}
	}()
	anywhere := &region{shapes: c.shapes, base: -4, lost: true}
	if im.trunk {
		n := int(binary.BigEndian.Uint32(d[4:]))
		start := 8 + 4*min(n, (c.usable-8)/4)
		c.scanRegion(im, start, c.usable, im.src, anywhere)
		return
	}
	hdrOff := 0
	if im.pgno == 1 {
		hdrOff = sqlite.HeaderSize
	}
	bp, err := sqlite.ParseBTreePage(d, im.pgno, c.usable)
	if err != nil || !bp.Type.IsValid() {
		c.scanRegion(im, hdrOff, c.usable, im.src, anywhere)
		return
	}
	leaf := bp.Type == sqlite.PageLeafTable
	tablePage := leaf || bp.Type == sqlite.PageInteriorTable
	ptrEnd := bp.HeaderOffset + bp.HeaderSize() + 2*bp.NumCells
	im.oldPtr = oldPointers(d, ptrEnd, c.usable)
	used := []span{{0, ptrEnd}}
	// The page's referenced cells: live rows, or old rows when this image
	// is no longer the database's. They also tell which table the page
	// belongs to.
	votes := map[*shape]int{}
	all := &region{shapes: c.shapes}
	cellOffsets := bp.CellOffsets
	if im.liveCells && (im.owner != nil || !leaf) && bp.CellContentStart >= ptrEnd && bp.CellContentStart <= c.usable {
		// Live rows of a known table: nothing to read in them, and
		// everything from the cell content area on is cells, freeblocks
		// or fragments (too short to hold anything).
		cellOffsets = nil
		used = append(used, span{bp.CellContentStart, c.usable})
	}
	for _, off := range cellOffsets {
		cell, err := sqlite.ParseCell(d, bp.Type, off, c.usable)
		if err != nil {
			continue
		}
		used = append(used, span{off, off + cell.Size})
		if !leaf {
			continue
		}
		hs := c.intactHyps(im, off, c.usable, all)
		if len(hs) > 0 {
			votes[hs[0].k.sh]++
			if !im.liveCells {
				// A page no longer in use may have been reused and
				// freed again since its pointers were written.
				end := min(hs[0].r.cellEnd, c.usable)
				if q := c.overwrittenAt(im, off, c.usable, end, all, true); q < end {
					if debugCut != nil {
						debugCut(im, off, q, end)
					}
					hs = c.intactHyps(im, off, q, all)
				}
			}
		}
		for i := range hs {
			hs[i].k.ref = true
		}
		if !im.liveCells {
			c.emitBest(im, hs, im.cellSrc)
		}
	}
	owner := im.owner
	if !im.liveCells || owner == nil {
		best, n, total := (*shape)(nil), 0, 0
		for sh, v := range votes {
			total += v
			if v > n {
				best, n = sh, v
			}
		}
		if best != nil && n*10 >= total*6 {
			owner = best
		}
	}
	if !tablePage || owner == nil || owner.idx >= len(c.shapes) || c.shapes[owner.idx] != owner {
		owner = nil // not a table looked for in this pass
	}
	// Freeblocks: an ascending chain inside the cell content area. On a
	// table leaf they hold freed cells of the page's table: a page reused
	// from the freelist gets a new header, so older tables' bytes can only
	// be in its unallocated space.
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
		if im.fbStart == nil {
			im.fbStart = map[int]bool{}
		}
		im.fbStart[fb] = true
		prev = fb
		fb = int(binary.BigEndian.Uint16(d[fb:]))
	}
	freeSrc, unallocSrc := im.src, im.src
	if im.physical {
		freeSrc, unallocSrc = SourceFreeblock, SourceUnallocated
	}
	inFree := &region{shapes: c.shapes, lost: true}
	if owner != nil {
		inFree = &region{shapes: []*shape{owner}, owner: owner, bonus: 4, lost: true}
	}
	for _, f := range frees {
		used = append(used, f)
		if leaf {
			if n, last := c.tile(im, f.start, f.end, freeSrc, inFree, false); n == 0 {
				c.scanRegion(im, f.start+4, f.end, freeSrc, inFree)
			} else if last < f.end-4 {
				c.scanRegion(im, last, f.end, freeSrc, inFree)
			}
		}
	}
	// Everything else that no cell, freeblock or header uses: the
	// unallocated space and fragments. It may hold cells of any table, from
	// before the page was last reused.
	rest := &region{shapes: c.shapes, owner: owner, bonus: 2, base: -4, lost: tablePage}
	sort.Slice(used, func(i, j int) bool { return used[i].start < used[j].start })
	p := ptrEnd
	for _, u := range used {
		if u.start > p {
			c.scanRegion(im, p, min(u.start, c.usable), unallocSrc, rest)
		}
		p = max(p, u.end)
	}
	if p < c.usable {
		c.scanRegion(im, p, c.usable, unallocSrc, rest)
	}
}

// nonZero returns the index of the first non-zero byte of d[i:e], e if
// none.
func nonZero(d []byte, i, e int) int {
	e = min(e, len(d))
	for ; i < e && i&7 != 0; i++ {
		if d[i] != 0 {
			return i
		}
	}
	for ; i+8 <= e; i += 8 {
		if binary.LittleEndian.Uint64(d[i:]) != 0 {
			break
		}
	}
	for ; i < e; i++ {
		if d[i] != 0 {
			return i
		}
	}
	return max(i, e)
}

// oldPointers reads the cell pointers left after the end of a page's cell
// pointer array by cells that were removed: offsets where cells started.
// They stop at the first value that cannot be a cell offset.
func oldPointers(d []byte, ptrEnd, usable int) map[int]bool {
	var m map[int]bool
	for i := ptrEnd; i+2 <= len(d) && i < ptrEnd+128; i += 2 {
		v := int(binary.BigEndian.Uint16(d[i:]))
		if v < ptrEnd+2 || v+4 > usable {
			break
		}
		if m == nil {
			m = map[int]bool{}
		}
		m[v] = true
	}
	return m
}

var budgetHits int
var debugCut func(im *image, off, q, end int)
var debugBudget func(*image)
var debugPage uint32

// An areaCache holds what readings of one freed area share: the serial-type
// runs parsed from each position and where cells seem to start.
type areaCache struct {
	c           *carver
	d           []byte
	base, limit int
	seqs        *seqCache
	like        []int8 // by position-base: 0 unknown, 1 a cell seems to start, -1 not
}

// areaCache returns the cache of the area of d from base to limit.
func (c *carver) areaCache(d []byte, base, limit int) *areaCache {
	if a := c.area; a != nil && a.limit == limit && a.base <= base && len(a.d) == len(d) && (len(d) == 0 || &a.d[0] == &d[0]) {
		return a
	}
	base = max(min(base, limit), 0)
	c.area = &areaCache{c: c, d: d, base: base, limit: limit, like: make([]int8, limit-base+1),
		seqs: &seqCache{c: c, d: d, limit: limit, base: base, m: make([]*typeSeq, limit-base+1)}}
	return c.area
}

// cellLike is c.cellLike(d, q, limit), remembered.
func (a *areaCache) cellLike(q int) bool {
	if q < a.base || q > a.limit {
		return a.c.cellLike(a.d, q, a.limit)
	}
	switch a.like[q-a.base] {
	case 1:
		return true
	case -1:
		return false
	}
	v := a.c.cellLike(a.d, q, a.limit)
	a.like[q-a.base] = -1
	if v {
		a.like[q-a.base] = 1
	}
	return v
}
