package recover

import (
	"encoding/binary"
	"slices"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// pageRole is what a page is used for in the current database view.
type pageRole uint8

const (
	roleNone     pageRole = iota // in no b-tree, not on the freelist: orphan
	roleTable                    // table b-tree page (interior or leaf)
	roleIndex                    // index b-tree page
	roleOverflow                 // overflow page of a live cell
	roleTrunk                    // freelist trunk page
	roleFreeLeaf                 // freelist leaf page
	roleReserved                 // pointer-map or lock-byte page
)

// layout maps every page of the current view to its role and, for table
// pages, to the table that owns it.
type layout struct {
	n     uint32
	role  []pageRole
	owner []*shape
}

func (l *layout) get(p uint32) (pageRole, *shape) {
	if p == 0 || p > l.n {
		return roleNone, nil
	}
	return l.role[p], l.owner[p]
}

func (l *layout) set(p uint32, r pageRole, sh *shape) bool {
	if p == 0 || p > l.n || l.role[p] != roleNone {
		return false
	}
	l.role[p] = r
	l.owner[p] = sh
	return true
}

// buildLayout walks every b-tree of the schema (and its overflow chains)
// and the freelist of the current view. Bad pages stop the walk of their
// subtree; the work is bounded by the number of pages.
func buildLayout(db *sqlite.DB, byName map[string]*shape, readPage func(uint32) []byte) *layout {
	n := db.PageCount()
	l := &layout{n: n, role: make([]pageRole, n+1), owner: make([]*shape, n+1)}
	for p := uint32(1); p <= n; p++ {
		if db.IsPtrmapPage(p) || p == db.LockBytePage() {
			l.role[p] = roleReserved
		}
	}
	usable := db.UsableSize()
	walk := func(root uint32, sh *shape, index bool) {
		stack := []uint32{root}
		for len(stack) > 0 {
			p := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			role := roleTable
			if index {
				role = roleIndex
			}
			if !l.set(p, role, sh) {
				continue
			}
			d := readPage(p)
			if d == nil {
				continue
			}
			bp, err := sqlite.ParseBTreePage(d, p, usable)
			if err != nil {
				continue
			}
			interior := bp.Type == sqlite.PageInteriorTable || bp.Type == sqlite.PageInteriorIndex
			if interior && bp.RightChild != 0 {
				stack = append(stack, bp.RightChild)
			}
			// The children are pushed right to left, so that they are
			// walked left to right: in key order, which is mostly file
			// order (one stream in the page: wasm/blobseq.go).
			top := len(stack)
			for _, off := range bp.CellOffsets {
				cell, err := sqlite.ParseCell(d, bp.Type, off, usable)
				if err != nil {
					continue
				}
				if interior {
					stack = append(stack, cell.LeftChild)
				}
				if sh != nil && bp.Type == sqlite.PageLeafTable {
					sh.maxRowid = max(sh.maxRowid, cell.RowID)
					sh.maxPayload = max(sh.maxPayload, cell.PayloadSize)
					sh.noteLive(cell.Local)
				}
				if cell.FirstOverflow != 0 {
					l.markOverflow(cell, usable, readPage)
				}
			}
			slices.Reverse(stack[top:])
		}
	}
	walk(1, byName["sqlite_schema"], false)
	for _, e := range db.Schema() {
		if e.RootPage == 0 {
			continue
		}
		switch e.Type {
		case "table":
			t := db.Table(e.Name)
			sh := byName[e.Name]
			walk(e.RootPage, sh, t != nil && t.WithoutRowID)
		case "index":
			walk(e.RootPage, nil, true)
		}
	}
	trunks, leaves, _ := db.Freelist()
	for _, p := range trunks {
		l.set(p, roleTrunk, nil)
	}
	for _, p := range leaves {
		l.set(p, roleFreeLeaf, nil)
	}
	return l
}

// markOverflow marks the overflow chain of a live cell.
func (l *layout) markOverflow(cell sqlite.Cell, usable int, readPage func(uint32) []byte) {
	per := int64(usable - 4)
	need := (cell.PayloadSize - int64(len(cell.Local)) + per - 1) / per
	p := cell.FirstOverflow
	for k := int64(0); k < need && p != 0; k++ {
		if !l.set(p, roleOverflow, nil) {
			return
		}
		d := readPage(p)
		if len(d) < 4 {
			return
		}
		p = binary.BigEndian.Uint32(d)
	}
}

// walkDropped assigns to a dropped table the pages of its old b-tree that
// are now free or orphaned, starting from its old root page.
func (l *layout) walkDropped(root uint32, sh *shape, usable int, readPage func(uint32) []byte) {
	stack := []uint32{root}
	seen := map[uint32]bool{}
	for len(stack) > 0 && len(seen) <= int(l.n) {
		p := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if p == 0 || p > l.n || seen[p] {
			continue
		}
		seen[p] = true
		role := l.role[p]
		if role != roleNone && role != roleFreeLeaf {
			continue
		}
		if l.owner[p] == nil {
			l.owner[p] = sh
		}
		d := readPage(p)
		if d == nil {
			continue
		}
		bp, err := sqlite.ParseBTreePage(d, p, usable)
		if err != nil || bp.Type != sqlite.PageInteriorTable {
			continue
		}
		stack = append(stack, bp.RightChild)
		for _, off := range bp.CellOffsets {
			if cell, err := sqlite.ParseCell(d, bp.Type, off, usable); err == nil {
				stack = append(stack, cell.LeftChild)
			}
		}
	}
}
