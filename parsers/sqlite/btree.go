package sqlite

import (
	"encoding/binary"
	"fmt"
)

// PageType is the b-tree page type byte (fileformat2 §1.6).
type PageType uint8

// B-tree page types.
const (
	PageInteriorIndex PageType = 2
	PageInteriorTable PageType = 5
	PageLeafIndex     PageType = 10
	PageLeafTable     PageType = 13
)

func (t PageType) String() string {
	switch t {
	case PageInteriorIndex:
		return "interior index"
	case PageInteriorTable:
		return "interior table"
	case PageLeafIndex:
		return "leaf index"
	case PageLeafTable:
		return "leaf table"
	}
	return fmt.Sprintf("page type %d", uint8(t))
}

// IsLeaf reports whether t is a leaf page type.
func (t PageType) IsLeaf() bool { return t == PageLeafIndex || t == PageLeafTable }

// IsValid reports whether t is one of the four b-tree page types.
func (t PageType) IsValid() bool {
	return t == PageInteriorIndex || t == PageInteriorTable || t == PageLeafIndex || t == PageLeafTable
}

// maxDepth bounds b-tree depth. SQLite itself refuses trees deeper than 20.
const maxDepth = 40

// maxPayload bounds a record payload (SQLite's default SQLITE_MAX_LENGTH is
// 1e9 and its hard limit 2^31-1).
const maxPayload = 1<<31 - 1

// BTreePage is a decoded b-tree page header plus its cell pointer array.
type BTreePage struct {
	PageNo           uint32
	Type             PageType
	HeaderOffset     int // 100 on page 1, else 0
	FirstFreeblock   int
	NumCells         int
	CellContentStart int // 65536 when stored as 0
	FragmentedBytes  int
	RightChild       uint32 // interior pages only
	CellOffsets      []int  // offsets of the cells within the page, in key order
}

// HeaderSize returns the size of the b-tree page header (8 or 12 bytes).
func (p *BTreePage) HeaderSize() int {
	if p.Type.IsLeaf() {
		return 8
	}
	return 12
}

// ParseBTreePage decodes the b-tree header and cell pointers of page pgno.
// usable is the usable page size (page size minus reserved bytes). Every cell
// offset is checked to lie within the cell content area of the usable page.
func ParseBTreePage(data []byte, pgno uint32, usable int) (BTreePage, error) {
	var p BTreePage
	h, n, err := pageHeader(data, pgno, usable)
	if err != nil {
		return p, err
	}
	p.PageNo = pgno
	p.Type = PageType(data[h])
	p.HeaderOffset = 0
	if pgno == 1 {
		p.HeaderOffset = HeaderSize
	}
	p.FirstFreeblock = int(binary.BigEndian.Uint16(data[h+1:]))
	p.NumCells = n
	p.CellContentStart = int(binary.BigEndian.Uint16(data[h+5:]))
	if p.CellContentStart == 0 {
		p.CellContentStart = 65536
	}
	p.FragmentedBytes = int(data[h+7])
	hs := 8
	if !p.Type.IsLeaf() {
		hs = 12
		p.RightChild = binary.BigEndian.Uint32(data[h+8:])
	}
	p.CellOffsets = make([]int, n)
	for i := range n {
		off, err := cellOffset(data, h+hs, i, n, usable, pgno)
		if err != nil {
			return p, err
		}
		p.CellOffsets[i] = off
	}
	return p, nil
}

// pageHeader validates the b-tree page header of data and returns the header
// offset and the number of cells.
func pageHeader(data []byte, pgno uint32, usable int) (h, n int, err error) {
	if pgno == 1 {
		h = HeaderSize
	}
	if len(data) < usable || usable < h+12 {
		return 0, 0, corruptf(ErrCorrupt, "", pgno, -1, "page of %d bytes shorter than usable size %d", len(data), usable)
	}
	t := PageType(data[h])
	if !t.IsValid() {
		return 0, 0, corruptf(ErrCorrupt, "", pgno, int64(h), "invalid b-tree page type %d", data[h])
	}
	hs := 8
	if !t.IsLeaf() {
		hs = 12
	}
	n = int(binary.BigEndian.Uint16(data[h+3:]))
	if h+hs+2*n > usable {
		return 0, 0, corruptf(ErrCorrupt, "", pgno, int64(h+3), "%d cells do not fit in the page", n)
	}
	return h, n, nil
}

// cellOffset returns the checked offset of cell i of a page whose cell pointer
// array starts at ptrs.
func cellOffset(data []byte, ptrs, i, n, usable int, pgno uint32) (int, error) {
	off := int(data[ptrs+2*i])<<8 | int(data[ptrs+2*i+1])
	if off < ptrs+2*n || off >= usable-3 {
		return 0, corruptf(ErrCorrupt, "", pgno, int64(ptrs+2*i), "cell %d offset %d outside the cell content area %d..%d", i, off, ptrs+2*n, usable-4)
	}
	return off, nil
}

// LocalPayload returns how many bytes of a payload of size p are stored in
// the cell itself (the rest goes to overflow pages), for a page of usable
// size u. table is true for table b-tree leaves, false for index b-trees.
func LocalPayload(p int64, u int, table bool) int {
	var x int64
	if table {
		x = int64(u) - 35
	} else {
		x = int64(u-12)*64/255 - 23
	}
	if p <= x {
		return int(p)
	}
	m := int64(u-12)*32/255 - 23
	k := m + (p-m)%int64(u-4)
	if k <= x {
		return int(k)
	}
	return int(m)
}

// A Cell is a parsed b-tree cell.
type Cell struct {
	Offset        int    // offset of the cell in its page
	Size          int    // bytes the cell occupies in the page (incl. overflow pointer)
	LeftChild     uint32 // interior cells: the child page left of the key
	RowID         int64  // table cells: the integer key
	PayloadSize   int64  // total payload bytes (local + overflow); 0 for interior table cells
	Local         []byte // the part of the payload stored in the page
	FirstOverflow uint32 // first overflow page, 0 if none
}

// ParseCell parses the cell at offset off of a b-tree page of type t. usable
// is the usable page size. The payload's overflow part is not followed (use
// DB.Payload).
func ParseCell(page []byte, t PageType, off int, usable int) (Cell, error) {
	c := Cell{Offset: off}
	if off < 0 || off >= usable || usable > len(page) {
		return c, corruptf(ErrCorrupt, "", 0, int64(off), "cell offset %d outside usable page of %d bytes", off, usable)
	}
	b := page[:usable]
	i := off
	if t == PageInteriorTable || t == PageInteriorIndex {
		if i+4 > usable {
			return c, corruptf(ErrCorrupt, "", 0, int64(off), "cell runs past the page end")
		}
		c.LeftChild = binary.BigEndian.Uint32(b[i:])
		i += 4
	}
	if t == PageInteriorTable {
		k, n := Varint(b[i:])
		if n == 0 {
			return c, corruptf(ErrCorrupt, "", 0, int64(i), "rowid varint runs past the page end")
		}
		c.RowID = int64(k)
		c.Size = i + n - off
		return c, nil
	}
	ps, n := Varint(b[i:])
	if n == 0 {
		return c, corruptf(ErrCorrupt, "", 0, int64(i), "payload size varint runs past the page end")
	}
	i += n
	if ps > maxPayload {
		return c, corruptf(ErrPayloadSize, "", 0, int64(off), "payload size %d", ps)
	}
	c.PayloadSize = int64(ps)
	if t == PageLeafTable {
		k, n := Varint(b[i:])
		if n == 0 {
			return c, corruptf(ErrCorrupt, "", 0, int64(i), "rowid varint runs past the page end")
		}
		c.RowID = int64(k)
		i += n
	}
	local := LocalPayload(c.PayloadSize, usable, t == PageLeafTable)
	if i+local > usable {
		return c, corruptf(ErrCorrupt, "", 0, int64(off), "local payload of %d bytes runs past the page end", local)
	}
	c.Local = b[i : i+local : i+local]
	i += local
	if int64(local) < c.PayloadSize {
		if i+4 > usable {
			return c, corruptf(ErrCorrupt, "", 0, int64(off), "overflow pointer runs past the page end")
		}
		c.FirstOverflow = binary.BigEndian.Uint32(b[i:])
		i += 4
	}
	c.Size = i - off
	return c, nil
}

// pageSet is a bitmap of page numbers, used to detect cycles.
type pageSet []uint64

func newPageSet(n uint32) pageSet { return make(pageSet, n/64+1) }

// add marks pgno and reports whether it was already marked.
func (s pageSet) add(pgno uint32) bool {
	w, b := pgno/64, uint64(1)<<(pgno%64)
	if int(w) >= len(s) {
		return true
	}
	seen := s[w]&b != 0
	s[w] |= b
	return seen
}
