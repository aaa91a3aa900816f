package sqlite

import (
	"container/heap"
	"encoding/binary"
	"errors"
	"math"
)

// Row is one table row. Values has one entry per table column: the
// rowid-alias column holds the rowid, columns missing from a short record
// (added by ALTER TABLE ADD COLUMN) hold the column default, virtual
// generated columns hold NULL. HasRowID is false for WITHOUT ROWID tables.
type Row struct {
	RowID    int64
	HasRowID bool
	Values   []Value
}

// Clone returns a deep copy of r that shares no memory with it.
func (r Row) Clone() Row {
	c := r
	c.Values = make([]Value, len(r.Values))
	for i, v := range r.Values {
		c.Values[i] = v.Clone()
	}
	return c
}

// Rows iterates over the rows of a table: rowid tables in rowid order,
// WITHOUT ROWID tables in primary-key order.
//
// Memory: Row returns a Row with its own Values slice, not reused by later
// calls to Next. Text and blob Bytes point into immutable page images
// (or freshly allocated memory), which are never modified or reused, so
// a Row stays valid indefinitely. RowView avoids the per-row allocation of
// the Values slice: its Values are overwritten by the next call to Next.
//
// Corrupt pages and cells are skipped and reported through DB.Problems;
// Err reports only errors that stop the iteration (e.g. an unreadable root
// page).
type Rows struct {
	db   *DB
	t    *Table
	c    cursor
	vals []Value
	row  Row
	err  error
}

// Rows returns an iterator over t, which must come from db. Virtual tables
// have no rows of their own: the iterator is empty.
func (db *DB) Rows(t *Table) *Rows {
	r := &Rows{db: db, t: t}
	switch {
	case t == nil || t.db != db:
		r.err = ErrNoTable
		return r
	case t.Type == "virtual" || t.RootPage == 0:
		r.c.done = true
		return r
	case t.ParseError != nil && len(t.Columns) == 0:
		r.err = t.ParseError
		return r
	}
	r.c.init(db, t.RootPage, t.WithoutRowID)
	r.vals = make([]Value, len(t.Columns))
	r.row.HasRowID = !t.WithoutRowID
	return r
}

// Next advances to the next row and reports whether there is one.
func (r *Rows) Next() bool {
	if r.err != nil {
		return false
	}
	for r.c.next() {
		if err := r.decode(); err != nil {
			r.db.addProblem(err)
			continue
		}
		return true
	}
	if r.c.err != nil {
		r.err = r.c.err
	}
	return false
}

// Row returns the current row with a Values slice of its own.
func (r *Rows) Row() Row {
	row := r.row
	row.Values = append([]Value(nil), r.vals...)
	return row
}

// RowView returns the current row without copying: its Values slice is
// reused by the next call to Next (the Bytes it points to are not).
func (r *Rows) RowView() Row {
	row := r.row
	row.Values = r.vals
	return row
}

// Err returns the error that ended the iteration, if any.
func (r *Rows) Err() error { return r.err }

// decode decodes the current cell's record into r.vals.
func (r *Rows) decode() error {
	c := &r.c
	p := c.payload
	t := r.t
	plan := &t.plan
	vals := r.vals
	enc := r.db.header.TextEncoding
	r.row.RowID = c.rowid

	hdrLen, n := uint64(0), 0
	if len(p) > 0 && p[0] < 0x80 {
		hdrLen, n = uint64(p[0]), 1
	} else {
		hdrLen, n = Varint(p)
	}
	if n == 0 || hdrLen < uint64(n) || hdrLen > uint64(len(p)) {
		return r.cellErr("record header size %d invalid for payload of %d bytes", hdrLen, len(p))
	}
	h := n
	hend := int(hdrLen)
	body := hend
	fieldCol := plan.fieldCol
	f := 0
	for h < hend && f < len(fieldCol) {
		var st uint64
		if b := p[h]; b < 0x80 {
			st = uint64(b)
			h++
		} else {
			var m int
			st, m = Varint(p[h:hend])
			if m == 0 {
				return r.cellErr("serial type varint runs past the record header")
			}
			h += m
		}
		v := &vals[fieldCol[f]]
		f++
		switch {
		case st == 0:
			*v = Value{}
		case st <= 6:
			sz := int(serialSizes[st])
			if body+sz > len(p) {
				return r.cellErr("integer field runs past the payload end")
			}
			var x int64
			switch sz {
			case 1:
				x = int64(int8(p[body]))
			case 2:
				x = int64(int16(binary.BigEndian.Uint16(p[body:])))
			default:
				x = readInt(p[body : body+sz])
			}
			*v = Value{Kind: Integer, Int: x}
			body += sz
		case st == 7:
			if body+8 > len(p) {
				return r.cellErr("real field runs past the payload end")
			}
			*v = Value{Kind: Real, Float: math.Float64frombits(binary.BigEndian.Uint64(p[body:]))}
			body += 8
		case st == 8:
			*v = Value{Kind: Integer}
		case st == 9:
			*v = Value{Kind: Integer, Int: 1}
		case st < 12:
			return r.cellErr("reserved serial type %d", st)
		default:
			sz := (st - 12) >> 1
			if sz > uint64(len(p)-body) {
				return r.cellErr("field of %d bytes runs past the payload end", sz)
			}
			e := body + int(sz)
			b := p[body:e:e]
			body = e
			if st&1 == 0 {
				*v = Value{Kind: Blob, Bytes: b}
			} else if enc == UTF8 {
				*v = Value{Kind: Text, Bytes: b}
			} else {
				*v = Value{Kind: Text, Bytes: utf16ToUTF8(b, enc == UTF16BE)}
			}
		}
	}
	for ; f < len(fieldCol); f++ { // short record: defaults
		c := fieldCol[f]
		vals[c] = plan.defaults[c]
	}
	for _, c := range plan.virtual {
		vals[c] = Value{}
	}
	if plan.anyReal {
		for i, isReal := range plan.isReal {
			if isReal && vals[i].Kind == Integer {
				vals[i] = Value{Kind: Real, Float: float64(vals[i].Int)}
			}
		}
	}
	if plan.rowidCol >= 0 {
		vals[plan.rowidCol] = Value{Kind: Integer, Int: c.rowid}
	}
	return nil
}

func (r *Rows) cellErr(format string, args ...any) error {
	file, off := r.db.pager.pageOffset(r.c.cellPage)
	return corruptf(ErrRecord, file, r.c.cellPage, off+int64(r.c.cellOff), "table %q rowid %d: "+format,
		append([]any{r.t.Name, r.c.rowid}, args...)...)
}

// Count returns the number of rows in t without decoding records: the
// cells of its b-tree whose headers parse (payload size, rowid and the part
// of the payload on the page; overflow chains are not followed). Corrupt
// pages and cells are skipped and reported through Problems, as by Rows.
//
// The first call counts every table of the database in one sweep: the
// b-trees are read a level at a time, each level's pages in file order,
// so that a page cache smaller than the database reads each block of it
// once per level rather than once per table (the tables' pages are often
// interleaved). The counts are remembered.
func (db *DB) Count(t *Table) (int64, error) {
	r := db.Rows(t)
	if r.err != nil || r.c.done {
		return 0, r.err
	}
	db.countMu.Lock()
	defer db.countMu.Unlock()
	key := countKey{t.RootPage, t.WithoutRowID}
	if db.counts == nil {
		db.counts = make(map[countKey]countResult)
		var trees []countKey
		for _, o := range db.tables {
			k := countKey{o.RootPage, o.WithoutRowID}
			if o.Type == "virtual" || o.RootPage == 0 || (o.ParseError != nil && len(o.Columns) == 0) {
				continue
			}
			if _, dup := db.counts[k]; !dup {
				db.counts[k] = countResult{}
				trees = append(trees, k)
			}
		}
		for i, res := range db.countTrees(trees) {
			db.counts[trees[i]] = res
		}
	}
	res, ok := db.counts[key]
	if !ok {
		res = db.countTrees([]countKey{key})[0]
		db.counts[key] = res
	}
	return res.n, res.err
}

type countKey struct {
	root  uint32
	index bool
}

type countResult struct {
	n   int64
	err error
}

// countTrees counts the rows of the b-trees rooted at trees, reading all of
// them together a level at a time, each level in page order, with the
// levels aligned on the leaves: the leftmost path of each tree gives its
// height, and the pages of all the trees that are that far above their
// leaves are read in one sweep, the leaves (most of the pages) in the last.
// A cache smaller than the database then reads most blocks once.
func (db *DB) countTrees(trees []countKey) []countResult {
	out := make([]countResult, len(trees))
	cs := make([]cursor, len(trees))
	var q countQueue
	for i, k := range trees {
		cs[i].init(db, k.root, k.index)
		cs[i].noOverflow = true
		cs[i].visited = newPageSet(db.pager.nPages)
		heap.Push(&q, countRef{rank: cs[i].height() - 1, tree: i, pgno: k.root, ptrOff: -1})
	}
	for q.Len() > 0 {
		r := heap.Pop(&q).(countRef)
		c := &cs[r.tree]
		if c.err != nil {
			continue
		}
		pg, h, n, leaf, err := c.node(r.pgno, r.depth == 0, r.parent, r.ptrOff, r.depth)
		if err != nil {
			if r.depth == 0 {
				c.err = c.locate(err, r.pgno)
			} else {
				c.problem(err, r.pgno)
			}
			continue
		}
		if leaf {
			for i := 0; i < n; i++ {
				if c.cell(pg, r.pgno, h+8, i, n, false) {
					out[r.tree].n++
				}
			}
			continue
		}
		push := func(child uint32, ptrOff int) {
			heap.Push(&q, countRef{rank: r.rank - 1, tree: r.tree, pgno: child, parent: r.pgno, ptrOff: ptrOff, depth: r.depth + 1})
		}
		ptrs := h + 12
		for i := 0; i < n; i++ {
			off, err := cellOffset(pg, ptrs, i, n, c.usable, r.pgno)
			if err != nil {
				c.problem(err, r.pgno)
				continue
			}
			push(binary.BigEndian.Uint32(pg[off:]), off)
			if c.index && c.cell(pg, r.pgno, ptrs, i, n, true) {
				out[r.tree].n++
			}
		}
		push(binary.BigEndian.Uint32(pg[h+8:]), ptrs-4)
	}
	for i := range out {
		if cs[i].err != nil {
			out[i] = countResult{err: cs[i].err}
		}
	}
	return out
}

// height returns the number of levels of the b-tree on its leftmost path
// (1: the root is a leaf), reading the path without marking it visited;
// where the path cannot be followed it ends there.
func (c *cursor) height() int {
	pgno := c.root
	for h := 1; h < maxDepth; h++ {
		if pgno == 0 || pgno > c.db.pager.nPages {
			return h
		}
		pg, err := c.db.page(pgno)
		if err != nil {
			return h
		}
		hd, n, err := pageHeader(pg, pgno, c.usable)
		if err != nil {
			return h
		}
		if t := PageType(pg[hd]); t != PageInteriorTable && t != PageInteriorIndex {
			return h
		}
		if n == 0 {
			pgno = binary.BigEndian.Uint32(pg[hd+8:])
			continue
		}
		off, err := cellOffset(pg, hd+12, 0, n, c.usable, pgno)
		if err != nil {
			return h
		}
		pgno = binary.BigEndian.Uint32(pg[off:])
	}
	return maxDepth
}

// countRef is a page for countTrees to read: of b-tree tree, below depth
// interior pages and presumably rank levels above the leaves, pointed to
// from offset ptrOff of page parent.
type countRef struct {
	rank   int
	pgno   uint32
	tree   int
	parent uint32
	ptrOff int
	depth  int
}

// countQueue orders pages by rank, highest first, then page number.
type countQueue []countRef

func (q countQueue) Len() int { return len(q) }
func (q countQueue) Less(i, j int) bool {
	if q[i].rank != q[j].rank {
		return q[i].rank > q[j].rank
	}
	if q[i].pgno != q[j].pgno {
		return q[i].pgno < q[j].pgno
	}
	return q[i].tree < q[j].tree
}
func (q countQueue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *countQueue) Push(x any)   { *q = append(*q, x.(countRef)) }
func (q *countQueue) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// cursor walks a table or index b-tree in key order.
type cursor struct {
	db      *DB
	index   bool // index b-tree (WITHOUT ROWID table)
	root    uint32
	usable  int
	started bool
	done    bool
	err     error
	visited pageSet

	stack [maxDepth]cframe
	depth int

	noOverflow bool // cell: the payload's local part only (counting)

	leaf     []byte
	leafPg   uint32
	leafPtrs int
	leafN    int
	leafI    int

	// current cell
	rowid    int64
	payload  []byte
	cellPage uint32
	cellOff  int
}

type cframe struct {
	page  []byte
	pgno  uint32
	ptrs  int // offset of the cell pointer array
	n     int
	idx   int // next child to visit; n = right child
	right uint32
	emit  bool // index trees: emit cell idx-1 before moving on
}

func (c *cursor) init(db *DB, root uint32, index bool) {
	c.db, c.root, c.index, c.usable = db, root, index, db.usable
}

// next moves to the next cell that holds a row; it reports false at the end
// or on a fatal error (c.err).
func (c *cursor) next() bool {
	if c.done {
		return false
	}
	for {
		if c.leaf != nil {
			if c.leafI < c.leafN {
				i := c.leafI
				c.leafI++
				if c.cell(c.leaf, c.leafPg, c.leafPtrs, i, c.leafN, false) {
					return true
				}
				continue
			}
			c.leaf = nil
		}
		if !c.started {
			c.started = true
			c.visited = newPageSet(c.db.pager.nPages)
			if !c.descend(c.root, true, 0, -1) {
				c.done = true
				return false
			}
			continue
		}
		if c.depth == 0 {
			c.done = true
			return false
		}
		top := &c.stack[c.depth-1]
		if top.emit {
			top.emit = false
			if c.cell(top.page, top.pgno, top.ptrs, top.idx-1, top.n, true) {
				return true
			}
			continue
		}
		if top.idx > top.n {
			c.depth--
			continue
		}
		var child uint32
		var ptrOff int
		if top.idx < top.n {
			off, err := cellOffset(top.page, top.ptrs, top.idx, top.n, c.usable, top.pgno)
			top.idx++
			if err != nil {
				c.problem(err, top.pgno)
				continue
			}
			child, ptrOff = binary.BigEndian.Uint32(top.page[off:]), off
			if c.index {
				top.emit = true
			}
		} else {
			top.idx++
			child, ptrOff = top.right, top.ptrs-4
		}
		c.descend(child, false, top.pgno, ptrOff)
	}
}

// descend loads page pgno as the next level. Failures are problems (the
// subtree is skipped), or fatal for the root.
// parent and ptrOff locate the pointer to pgno (0, -1 for the root).
func (c *cursor) descend(pgno uint32, root bool, parent uint32, ptrOff int) bool {
	pg, h, n, leaf, err := c.node(pgno, root, parent, ptrOff, c.depth)
	if err != nil {
		if root {
			c.err = c.locate(err, pgno)
		} else {
			c.problem(err, pgno)
		}
		return false
	}
	if leaf {
		c.leaf, c.leafPg, c.leafPtrs, c.leafN, c.leafI = pg, pgno, h+8, n, 0
	} else {
		c.stack[c.depth] = cframe{page: pg, pgno: pgno, ptrs: h + 12, n: n, right: binary.BigEndian.Uint32(pg[h+8:])}
		c.depth++
	}
	return true
}

// node checks and reads page pgno of the b-tree as a node below depth
// interior pages, marking it visited: it returns the page, the offset of
// its header, its cell count and whether it is a leaf.
func (c *cursor) node(pgno uint32, root bool, parent uint32, ptrOff, depth int) (pg []byte, h, n int, leaf bool, err error) {
	if pgno == 0 || pgno > c.db.pager.nPages {
		if root {
			return nil, 0, 0, false, corruptf(ErrPageRange, FileMain, 0, -1, "root page %d not in 1..%d", pgno, c.db.pager.nPages)
		}
		return nil, 0, 0, false, corruptf(ErrPageRange, "", parent, int64(ptrOff), "child page %d not in 1..%d", pgno, c.db.pager.nPages)
	}
	if !root && pgno == 1 {
		// Page 1 is the schema's root: it is never anyone's child.
		return nil, 0, 0, false, corruptf(ErrCorrupt, "", parent, int64(ptrOff), "child page 1 (the schema's root page) in the b-tree rooted at %d", c.root)
	}
	if c.visited.add(pgno) {
		return nil, 0, 0, false, corruptf(ErrCycle, "", parent, int64(ptrOff), "page %d reached twice in the b-tree rooted at %d", pgno, c.root)
	}
	if depth >= maxDepth {
		return nil, 0, 0, false, corruptf(ErrTooDeep, "", pgno, -1, "b-tree rooted at %d deeper than %d", c.root, maxDepth)
	}
	if lb := c.db.LockBytePage(); lb != 0 && pgno == lb {
		return nil, 0, 0, false, corruptf(ErrCorrupt, "", pgno, -1, "b-tree uses the lock-byte page")
	}
	pg, err = c.db.page(pgno)
	if err != nil {
		return nil, 0, 0, false, err
	}
	h, n, err = pageHeader(pg, pgno, c.usable)
	if err != nil {
		return nil, 0, 0, false, err
	}
	t := PageType(pg[h])
	wantLeaf, wantInterior := PageLeafTable, PageInteriorTable
	if c.index {
		wantLeaf, wantInterior = PageLeafIndex, PageInteriorIndex
	}
	switch t {
	case wantLeaf:
		return pg, h, n, true, nil
	case wantInterior:
		return pg, h, n, false, nil
	}
	return nil, 0, 0, false, corruptf(ErrCorrupt, "", pgno, int64(h), "%v page in a %s b-tree", t, map[bool]string{false: "table", true: "index"}[c.index])
}

// cell parses cell i of a page into c.rowid/c.payload. For table trees only
// leaf cells are passed here; for index trees, leaf and interior cells.
func (c *cursor) cell(pg []byte, pgno uint32, ptrs, i, n int, interior bool) bool {
	off, err := cellOffset(pg, ptrs, i, n, c.usable, pgno)
	if err != nil {
		c.problem(err, pgno)
		return false
	}
	c.cellPage, c.cellOff = pgno, off
	u := c.usable
	b := pg[:u]
	j := off
	if interior {
		j += 4
	}
	var psz uint64
	if j < u && b[j] < 0x80 {
		psz = uint64(b[j])
		j++
	} else {
		var m int
		psz, m = Varint(b[j:])
		if m == 0 {
			c.problem(corruptf(ErrCorrupt, "", pgno, int64(j), "payload size varint runs past the page end"), pgno)
			return false
		}
		j += m
	}
	if !c.index {
		if j < u && b[j] < 0x80 {
			c.rowid = int64(b[j])
			j++
		} else {
			k, m := Varint(b[j:])
			if m == 0 {
				c.problem(corruptf(ErrCorrupt, "", pgno, int64(j), "rowid varint runs past the page end"), pgno)
				return false
			}
			c.rowid = int64(k)
			j += m
		}
	}
	if psz <= uint64(u-35) && !c.index && j+int(psz) <= u {
		c.payload = b[j : j+int(psz) : j+int(psz)]
		return true
	}
	if psz > maxPayload {
		c.problem(corruptf(ErrPayloadSize, "", pgno, int64(off), "payload size %d", psz), pgno)
		return false
	}
	local := LocalPayload(int64(psz), u, !c.index)
	if j+local > u || (local < int(psz) && j+local+4 > u) {
		c.problem(corruptf(ErrCorrupt, "", pgno, int64(off), "cell of %d local payload bytes runs past the page end", local), pgno)
		return false
	}
	if local == int(psz) || c.noOverflow {
		c.payload = b[j : j+local : j+local]
		return true
	}
	first := binary.BigEndian.Uint32(b[j+local:])
	p, err := c.db.overflow(b[j:j+local], int64(psz), first)
	if err != nil {
		c.problem(err, pgno)
		return false
	}
	c.payload = p
	return true
}

// problem records a non-fatal error located on page pgno.
func (c *cursor) problem(err error, pgno uint32) {
	c.db.addProblem(c.locate(err, pgno))
}

// locate fills in the page number and turns an in-page offset into a file
// offset for errors built without them.
func (c *cursor) locate(err error, pgno uint32) error {
	return c.db.locate(err, pgno)
}

func (db *DB) locate(err error, pgno uint32) error {
	var ce *CorruptError
	if errors.As(err, &ce) && ce.File == "" {
		cp := *ce
		if cp.Page == 0 {
			cp.Page = pgno
		}
		if cp.Page != 0 && cp.Page <= db.pager.nPages {
			file, base := db.pager.pageOffset(cp.Page)
			cp.File = file
			if cp.Offset >= 0 {
				cp.Offset += base
			}
		} else {
			cp.File = FileMain
		}
		return &cp
	}
	return err
}

// Payload returns the whole payload of a cell parsed by ParseCell, following
// its overflow chain. The result may share memory with the page.
func (db *DB) Payload(c Cell) ([]byte, error) {
	if c.FirstOverflow == 0 || int64(len(c.Local)) >= c.PayloadSize {
		return c.Local, nil
	}
	p, err := db.overflow(c.Local, c.PayloadSize, c.FirstOverflow)
	if err != nil {
		return nil, db.locate(err, 0)
	}
	return p, nil
}

// overflow assembles a payload of size total from its local part and the
// overflow chain starting at first.
func (db *DB) overflow(local []byte, total int64, first uint32) ([]byte, error) {
	per := int64(db.usable - 4)
	rest := total - int64(len(local))
	need := (rest + per - 1) / per
	if need > int64(db.pager.nPages) {
		return nil, corruptf(ErrPayloadSize, "", 0, -1, "payload of %d bytes needs %d overflow pages, database has %d pages", total, need, db.pager.nPages)
	}
	buf := make([]byte, total)
	n := copy(buf, local)
	next, prev := first, uint32(0) // prev: page holding the pointer to next (0: the cell's page)
	var small [16]uint32
	var seen map[uint32]bool
	for k := int64(0); n < len(buf); k++ {
		if next == 0 || next > db.pager.nPages {
			return nil, corruptf(ErrOverflow, "", prev, -1, "overflow page %d (number %d of %d in the chain starting at %d) out of range", next, k+1, need, first)
		}
		if k < int64(len(small)) {
			for _, s := range small[:k] {
				if s == next {
					return nil, corruptf(ErrOverflow, "", prev, -1, "overflow chain starting at %d loops back to page %d", first, next)
				}
			}
			small[k] = next
		} else {
			if seen == nil {
				seen = make(map[uint32]bool)
				for _, s := range small {
					seen[s] = true
				}
			}
			if seen[next] {
				return nil, corruptf(ErrOverflow, "", prev, -1, "overflow chain starting at %d loops back to page %d", first, next)
			}
			seen[next] = true
		}
		pg, err := db.page(next)
		if err != nil {
			return nil, err
		}
		n += copy(buf[n:], pg[4:db.usable])
		prev, next = next, binary.BigEndian.Uint32(pg)
	}
	return buf, nil
}
