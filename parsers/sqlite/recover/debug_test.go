//go:build !js

package recover

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// TestDebugMisses explains why surviving deleted rows are missed in one
// scenario (BI_RECOVER_DEBUG=<index into quickScenarios>).
func TestDebugMisses(t *testing.T) {
	v := os.Getenv("BI_RECOVER_DEBUG")
	if v == "" {
		t.Skip("set BI_RECOVER_DEBUG")
	}
	debugHow, keepAllCands = true, true
	defer func() { debugHow, keepAllCands = false, false }()
	i, _ := strconv.Atoi(v)
	sc := quickScenarios()[i]
	f, g := generate(t, sc)
	truth := g.truth(f)
	recs := recoverFiles(t, f)
	s := evaluate(t, sc.Name, recs, truth)
	logScore(t, sc.Name, s)
	matched := map[*truthRow]bool{}
	for ri := range recs {
		r := &recs[ri]
		extra := false
		for c, m := range r.Missing {
			if m && c > 0 {
				extra = true
			}
		}
		if extra {
			continue
		}
		for _, tr := range truth {
			if tr.table == r.Table && !tr.live && consistent(r, tr) {
				matched[tr] = true
			}
		}
	}
	if pg := os.Getenv("BI_RECOVER_PAGE"); pg != "" {
		n, _ := strconv.Atoi(pg)
		debugTile = func(o, end int, node func(p int) (bool, float64, int, string)) {
			if o != 681 {
				return
			}
			for p := o; p >= 0; {
				ok, v, next, how := node(p)
				t.Logf("tile %d: ok %v value %.2f next %d %s", p, ok, v, next, how)
				p = next
			}
		}
		c := search(openFiles(t, f), Options{})
		debugTile = nil
		for _, k := range c.out {
			if k.page == uint32(n) && k.file == "db" {
				t.Logf("cand %s off %d %s conf %.3f rowid %v %s %s", k.sh.name, k.off, k.src, k.conf, k.rowid, k.how, valsString(k.vals))
			}
		}
	}
	byT := map[string][2]int{}
	for _, tr := range truth {
		if tr.live || !tr.survives || tr.rowidLive {
			continue
		}
		v := byT[tr.table]
		v[1]++
		if matched[tr] {
			v[0]++
		}
		byT[tr.table] = v
	}
	t.Logf("per table found/surviving: %v", byT)
	fpT := map[string]int{}
	for ri := range recs {
		r := &recs[ri]
		ok := false
		for _, tr := range truth {
			if tr.table == r.Table && consistent(r, tr) {
				ok = true
				break
			}
		}
		if !ok {
			fpT[r.Table+" "+r.how[:min(len(r.how), 20)]]++
			if tb := os.Getenv("BI_RECOVER_TABLE"); tb == r.Table {
				t.Logf("FP %s page %d off %d %s: %s%s", r.Source, r.Page, r.Offset, r.how, valsString(r.Values), nearest(r, nil))
			}
		}
	}
	t.Logf("false positives by table/how: %v", fpT)
	ps := sc.PageSize
	shown := 0
	for _, tr := range truth {
		if tr.live || !tr.survives || tr.rowidLive || matched[tr] || shown > 25 {
			continue
		}
		if tb := os.Getenv("BI_RECOVER_TABLE"); tb != "" && tb != tr.table {
			continue
		}
		shown++
		var affs []sqlite.Affinity
		if tr.table == "sqlite_schema" {
			continue
		}
		for _, c := range g.tables[tr.table].cols {
			affs = append(affs, sqlite.TypeAffinity(c.decl))
		}
		pl, hl := encodeFor(tr.vals, affs, tr.aliasCol, sc.Encoding)
		local := sqlite.LocalPayload(int64(len(pl)), ps, true)
		body := pl[hl:local]
		where := ""
		for name, b := range map[string][]byte{"db": f.db, "wal": f.wal, "journal": f.journal} {
			for off := 0; ; {
				k := bytes.Index(b[off:], body)
				if k < 0 {
					break
				}
				at := off + k
				off = at + 1
				base := 0
				if name == "wal" {
					base = 32
					fr := (at - 32) / (ps + 24)
					base = 32 + fr*(ps+24) + 24
					where += fmt.Sprintf(" [wal frame %d", fr+1)
				} else if name == "journal" {
					where += " [journal"
				} else {
					base = at / ps * ps
					where += fmt.Sprintf(" [db page %d", at/ps+1)
				}
				in := at - base
				cellStart := in - hl - 1 - varintLen(uint64(len(pl))) // assumes 1-byte rowid
				where += fmt.Sprintf(" body@%d cell~%d", in, cellStart)
				if name == "db" {
					pg := b[base : base+ps]
					bp, err := sqlite.ParseBTreePage(pg, uint32(at/ps+1), ps)
					if err != nil {
						where += " not-btree"
					} else {
						ptrEnd := bp.HeaderOffset + bp.HeaderSize() + 2*bp.NumCells
						where += fmt.Sprintf(" type %d ptrEnd %d content %d", bp.Type, ptrEnd, bp.CellContentStart)
						for fb := bp.FirstFreeblock; fb != 0 && fb+4 <= ps; fb = int(binary.BigEndian.Uint16(pg[fb:])) {
							sz := int(binary.BigEndian.Uint16(pg[fb+2:]))
							if in >= fb && in < fb+sz {
								where += fmt.Sprintf(" in freeblock %d+%d", fb, sz)
							}
							if sz == 0 {
								break
							}
						}
						cs := max(cellStart-2, 0)
						where += fmt.Sprintf(" bytes % x", pg[cs:min(cs+12, ps)])
					}
				}
				where += "]"
			}
		}
		t.Logf("missed %s rowid %d len %d hdr %d: %s\n\t%s", tr.table, tr.rowid, len(pl), hl, valsString(tr.vals), where)
	}
}

func TestDebugPage1(t *testing.T) {
	if os.Getenv("BI_RECOVER_DEBUG") == "" {
		t.Skip()
	}
	sc := quickScenarios()[0]
	f, _ := generate(t, sc)
	db := openFiles(t, f)
	d, _ := db.MainPage(1)
	bp, err := sqlite.ParseBTreePage(d, 1, db.UsableSize())
	t.Logf("%+v %v", bp, err)
	i := bytes.Index(d, []byte("CREATE TABLE \"tmp_drop\""))
	t.Logf("create at %d: % x", i, d[max(i-40, 0):i+10])
}

func TestDebugPage(t *testing.T) {
	v := os.Getenv("BI_RECOVER_PG")
	if v == "" {
		t.Skip()
	}
	debugHow, keepAllCands = true, true
	defer func() { debugHow, keepAllCands = false, false }()
	var si, pg int
	fmt.Sscanf(v, "%d:%d", &si, &pg)
	sc := quickScenarios()[si]
	f, _ := generate(t, sc)
	db := openFiles(t, f)
	c := search(db, Options{})
	d, _ := db.MainPage(uint32(pg))
	bp, err := sqlite.ParseBTreePage(d, uint32(pg), db.UsableSize())
	t.Logf("%+v %v", bp, err)
	role, owner := c.lay.get(uint32(pg))
	t.Logf("role %d owner %v", role, owner != nil)
	for fb := bp.FirstFreeblock; fb != 0 && fb+4 <= len(d); fb = int(binary.BigEndian.Uint16(d[fb:])) {
		t.Logf("freeblock %d size %d", fb, binary.BigEndian.Uint16(d[fb+2:]))
	}
	for _, off := range bp.CellOffsets {
		r, ok := c.intact(d, off, c.usable)
		t.Logf("cell %d: intact %v types %v % x", off, ok, r.types, d[off:off+12])
	}
}
