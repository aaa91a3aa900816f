package recover

import (
	"errors"
	"hash/maphash"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// Sources: where a record was found. WAL frames are "wal-frame N", N being
// the 1-based frame number in the -wal file.
const (
	SourceFreeblock    = "freeblock"    // a freeblock of a b-tree page in the main file
	SourceUnallocated  = "unallocated"  // unallocated space or a fragment of a page in the main file
	SourceFreelist     = "freelist"     // a freelist trunk or leaf page in the main file
	SourceUnreferenced = "unreferenced" // a cell of a main-file page the database no longer uses
	SourceJournal      = "journal"      // a page image saved in the rollback journal
	SourceWALFrame     = "wal-frame"    // prefix of "wal-frame N"
)

// Options selects what Recover reports.
type Options struct {
	// Table restricts the result to one table (ASCII case-insensitive);
	// "" reports every table. Records are still matched against every
	// table, so restricting never changes which table a record goes to.
	Table string
	// MinConfidence drops records whose Confidence is lower.
	MinConfidence float64
	// Journal is the rollback journal ("DB-journal") beside the database,
	// if any: its page images are searched too. sqlite.Options.Journal is
	// not visible through sqlite.DB, so it is passed again here.
	Journal     io.ReaderAt
	JournalSize int64
	// MaxBytes bounds the memory of the records Recover holds while it
	// searches, as estimated from the records alone (so a database is cut
	// at the same record on every machine); 0 means DefaultMaxBytes. When
	// it is reached the search stops, and Recover returns the records
	// found so far with ErrLimit.
	MaxBytes int64
}

// A Record is a deleted or superseded row found in a database, its WAL or
// its rollback journal.
type Record struct {
	Table      string   // best matching table
	Columns    []string // that table's column names
	Confidence float64  // 0..1: how sure the bytes are a record of Table, read right
	// RowID is nil when unknown: a freed cell loses its rowid to the
	// freeblock header.
	RowID *int64
	// Values has one entry per column, as SQLite would read them (the
	// rowid alias holds the rowid, REAL columns hold reals, a short record
	// takes the column defaults). Missing[i] is true when value i could not
	// be recovered; Values[i] is then NULL and means nothing.
	Values  []sqlite.Value
	Missing []bool
	// Source is SourceFreeblock, SourceUnallocated, SourceFreelist,
	// SourceUnreferenced, SourceJournal or "wal-frame N".
	Source string
	File   string // "db", "wal" or "journal" (sqlite.FileMain, FileWAL, FileJournal)
	Page   uint32 // database page number of the page image
	// Offset is the byte offset of the cell within the page image;
	// FileOffset is the same place as a byte offset in File.
	Offset     int64
	FileOffset int64
	// Superseded: an older version of a row that is still live (same rowid)
	// with other values. Otherwise the row is no longer in the table.
	Superseded bool
	// Dropped: Table is no longer in the schema; its CREATE statement was
	// recovered from a deleted sqlite_schema row.
	Dropped bool

	how string // which reconstruction produced the record (tests, debugging)
}

var (
	// ErrNoDB is returned for a nil database.
	ErrNoDB = errors.New("recover: nil database")
	// ErrLimit is returned, with the records found so far, when the
	// records found reach Options.MaxBytes: the search stopped there.
	ErrLimit = errors.New("recover: records reached the memory limit; search stopped")
)

// DefaultMaxBytes is the memory limit of Options.MaxBytes 0.
const DefaultMaxBytes = 256 << 20

// image is one page image to search, with its provenance.
type image struct {
	data      []byte
	pgno      uint32
	file      string
	fileOff   int64
	src       string // source label for free space when !physical, and for whole-page scans
	cellSrc   string // source label for the page's referenced cells
	physical  bool   // free space is labelled freeblock/unallocated
	liveCells bool   // the page's referenced cells are live rows: skip them
	trunk     bool   // freelist trunk page
	owner     *shape // table that owns (or owned) this page number, if known
	readPage  func(uint32) []byte
	fbStart   map[int]bool // starts of the page's current freeblocks
	oldPtr    map[int]bool // offsets in old cell pointers after the pointer array
}

// carver holds the state of one Recover call.
type carver struct {
	// Scratch slices for lostPrefix and lostHyps, whose results their
	// callers read (or copy) before calling them again: the many
	// candidates in free space made them most of the search's allocations.
	prefixBuf []rawRec
	hypBuf    []hyp
	// hypStack holds the readings tile's searches are going through, a
	// region per search: a search nested in another (its suffix) adds its
	// region above and removes it when done, so none is overwritten while
	// it is read (hypBuf is: the nested search's lostHyps reuses it).
	hypStack []hyp

	db         *sqlite.DB
	enc        sqlite.Encoding
	usable     int
	pageSize   int
	mainPages  uint32
	maxPage    uint32
	maxPayload int64
	lay        *layout

	shapes    []*shape
	byCount   [][]*shape
	countOK   []bool
	maxFields int
	typesBuf  []uint64
	sVals     []sqlite.Value // evaluate's scratch arrays
	sMiss     []bool
	sEnd      []int

	area         *areaCache // of the freed area being read
	work, budget int
	floor        float64 // heuristic confidence a reading needs to be selected
	outFloor     float64 // calibrated confidence a record needs to be kept
	out          []*cand
	nextOrder    int
	dropFloor    float64 // candidates below it are not kept
	held         int64   // estimated bytes of out (cand.bytes)
	maxBytes     int64
	limited      bool // held reached maxBytes: the search stopped

	frames       []sqlite.WALFrame
	viewFrame    map[uint32]int
	framesByPage map[uint32][]int
	journal      io.ReaderAt
	jpages       []journalPage
	jByPage      map[uint32]int
}

// Recover searches db for deleted and superseded rows of its rowid tables:
// freeblocks, unallocated space and fragments of b-tree pages, freelist
// pages, pages no longer referenced, every WAL frame (when the WAL is
// applied, i.e. given and not NoWAL) and the rollback journal in opts.
// Records equal to a live row of the same table are never returned.
// Corrupt pages are searched as far as they make sense; the work per page is
// bounded.
func Recover(db *sqlite.DB, opts Options) ([]Record, error) {
	if db == nil {
		return nil, ErrNoDB
	}
	c := search(db, opts)
	if c == nil {
		return nil, nil
	}
	recs := c.finish(opts)
	if c.limited {
		return recs, ErrLimit
	}
	return recs, nil
}

// search runs both passes and leaves the candidates in c.out.
func search(db *sqlite.DB, opts Options) *carver {
	c := &carver{db: db, enc: db.Encoding(), usable: db.UsableSize(), pageSize: db.PageSize(), floor: selectFloor, outFloor: keepFloor}
	if c.enc != sqlite.UTF16LE && c.enc != sqlite.UTF16BE {
		c.enc = sqlite.UTF8
	}
	if c.usable < 480 || c.pageSize < c.usable {
		return nil
	}
	c.budget = 40*c.usable + 200000
	c.maxBytes = opts.MaxBytes
	if c.maxBytes <= 0 {
		c.maxBytes = DefaultMaxBytes
	}
	c.mainPages = countMainPages(db)
	c.maxPage = max(db.PageCount(), c.mainPages)

	wi := db.WALInfo()
	if wi.Present && wi.PageSize == c.pageSize {
		c.frames = db.WALFrames()
		c.viewFrame = map[uint32]int{}
		c.framesByPage = map[uint32][]int{}
		for i, f := range c.frames {
			c.framesByPage[f.PageNo] = append(c.framesByPage[f.PageNo], i)
			if wi.Applied && f.Committed {
				c.viewFrame[f.PageNo] = i
			}
			if f.PageNo < 1<<31 {
				c.maxPage = max(c.maxPage, f.PageNo)
			}
		}
	}
	if opts.Journal != nil {
		c.journal = opts.Journal
		lim := max(c.maxPage, db.JournalInfo().InitialPages)
		c.jpages = journalPages(opts.Journal, opts.JournalSize, c.pageSize, max(lim, 1)+lim/2+16)
		c.jByPage = map[uint32]int{}
		for i, jp := range c.jpages {
			if _, ok := c.jByPage[jp.pgno]; !ok {
				c.jByPage[jp.pgno] = i
			}
			c.maxPage = max(c.maxPage, jp.pgno)
		}
	}
	c.maxPayload = min(int64(c.maxPage+1)*int64(c.usable), 1<<31)

	// Shapes of the live tables.
	byName := map[string]*shape{}
	var live []*shape
	for _, t := range db.Tables() {
		if sh := newShape(t, false); sh != nil {
			live = append(live, sh)
			byName[t.Name] = sh
		}
	}
	schemaShape := newShape(db.Table("sqlite_schema"), false)
	if schemaShape == nil {
		return nil
	}
	schemaShape.name = "sqlite_schema"
	schemaShape.minFields = len(schemaShape.fieldCol) // never altered
	byName["sqlite_schema"] = schemaShape
	c.lay = buildLayout(db, byName, c.viewPage)

	// Pass 1: deleted sqlite_schema rows give the shapes of dropped tables.
	c.setShapes([]*shape{schemaShape})
	c.dropFloor = droppedFloor
	if !calibOn || keepAllCands {
		c.dropFloor = math.Inf(-1)
	}
	c.forEachImage(c.processImage, func(sh *shape) bool { return sh == schemaShape })
	dropped := c.droppedShapes(c.out)
	c.out, c.nextOrder, c.held = nil, 0, 0
	if c.limited {
		return c
	}
	// Candidates that finish would leave out are not kept.
	if c.dropFloor > 0 {
		c.dropFloor = max(c.outFloor, opts.MinConfidence)
	}

	// Pass 2: every table, and tables known only from their records.
	all := append(append(append([]*shape(nil), live...), dropped...), schemaShape)
	c.setShapes(all)
	for _, sh := range dropped {
		if sh.t.RootPage != 0 {
			c.lay.walkDropped(sh.t.RootPage, sh, c.usable, c.viewPage)
		}
	}
	if inferred := c.inferShapes(); len(inferred) > 0 {
		all = append(all, inferred...)
		c.setShapes(all)
	}
	c.forEachImage(c.processImage, nil)
	return c
}

// countMainPages returns the number of whole pages in the main file.
func countMainPages(db *sqlite.DB) uint32 {
	ok := func(p uint32) bool {
		_, err := db.MainPageView(p)
		return err == nil
	}
	if !ok(1) {
		return 0
	}
	lo, hi := uint32(1), uint32(2)
	for ok(hi) {
		lo = hi
		if hi >= 1<<30 {
			return hi
		}
		hi *= 2
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if ok(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

func (c *carver) setShapes(shapes []*shape) {
	c.shapes = shapes
	c.area = nil // its type sequences remember fits by shape index
	c.maxFields = 0
	for i, sh := range shapes {
		sh.idx = i
		c.maxFields = max(c.maxFields, len(sh.fieldCol))
	}
	c.byCount = make([][]*shape, c.maxFields+1)
	c.countOK = make([]bool, c.maxFields+1)
	for _, sh := range shapes {
		for n := sh.minFields; n <= len(sh.fieldCol); n++ {
			c.byCount[n] = append(c.byCount[n], sh)
			c.countOK[n] = true
		}
	}
	c.typesBuf = make([]uint64, 0, c.maxFields+1)
}

// viewPage returns page p as the database sees it, nil if unreadable.
func (c *carver) viewPage(p uint32) []byte {
	d, err := c.db.PageView(p)
	if err != nil || len(d) < c.usable {
		return nil
	}
	return d
}

// replaced reports whether the main-file image of page p is not the one
// the database view uses (a WAL frame replaced it, or it lies past the end).
func (c *carver) replaced(p uint32) bool {
	if p > c.db.PageCount() {
		return true
	}
	_, ok := c.viewFrame[p]
	return ok
}

// dbReadPage reads page p of the main file for an overflow chain, unless
// the database still uses that image for something else.
func (c *carver) dbReadPage(p uint32) []byte {
	if p == 0 || p > c.mainPages {
		return nil
	}
	if !c.replaced(p) {
		switch role, _ := c.lay.get(p); role {
		case roleTable, roleIndex, roleOverflow, roleReserved, roleTrunk:
			return nil
		}
	}
	d, err := c.db.MainPageView(p)
	if err != nil {
		return nil
	}
	return d
}

// walReadPage reads page p as it was when frame i was written.
func (c *carver) walReadPage(i int) func(uint32) []byte {
	return func(p uint32) []byte {
		fs := c.framesByPage[p]
		k := sort.SearchInts(fs, i+1) - 1
		if k >= 0 {
			if d, err := c.frames[fs[k]].Data(); err == nil && len(d) >= c.usable {
				return d
			}
			return nil
		}
		return c.dbReadPage(p)
	}
}

func (c *carver) journalReadPage(p uint32) []byte {
	if i, ok := c.jByPage[p]; ok {
		return c.readJournal(c.jpages[i])
	}
	return c.dbReadPage(p)
}

func (c *carver) readJournal(jp journalPage) []byte {
	d := make([]byte, c.pageSize)
	if _, err := c.journal.ReadAt(d, jp.dataOff); err != nil && err != io.EOF {
		return nil
	}
	return d
}

// forEachImage calls fn for every page image worth searching, in a fixed
// order: main-file pages, WAL frames, journal pages. Images of live b-tree
// pages are skipped when live is not nil and says no for their table.
func (c *carver) forEachImage(fn func(*image), live func(*shape) bool) {
	seen := map[uint64]bool{}
	dup := func(d []byte, p uint32) bool {
		if len(d) >= c.usable && nonZero(d, 0, c.usable) == c.usable {
			return true // a zeroed page holds nothing (processImage)
		}
		var h maphash.Hash
		h.SetSeed(hashSeed)
		h.Write(d)
		k := h.Sum64() ^ uint64(p)*0x9e3779b97f4a7c15
		if seen[k] {
			return true
		}
		seen[k] = true
		return false
	}
	for p := uint32(1); p <= c.mainPages && !c.limited; p++ {
		role, owner := c.lay.get(p)
		if !c.replaced(p) && (role == roleTable || role == roleIndex) && live != nil && !live(owner) {
			continue
		}
		if !c.replaced(p) && (role == roleReserved || role == roleOverflow) {
			continue // skipped below too: not read (a database of big blobs is mostly overflow pages)
		}
		d, err := c.db.MainPageView(p)
		if err != nil {
			continue
		}
		im := &image{data: d, pgno: p, file: sqlite.FileMain, fileOff: int64(p-1) * int64(c.pageSize),
			readPage: c.dbReadPage, physical: true, src: SourceUnreferenced, cellSrc: SourceUnreferenced}
		im.owner = owner
		if !c.replaced(p) {
			switch role {
			case roleReserved, roleOverflow:
				continue
			case roleTable, roleIndex:
				im.liveCells = true
			case roleTrunk:
				im.trunk, im.src, im.physical = true, SourceFreelist, false
			case roleFreeLeaf:
				im.src, im.cellSrc, im.physical = SourceFreelist, SourceFreelist, false
			}
		}
		if dup(d, p) {
			continue
		}
		fn(im)
	}
	for i, f := range c.frames {
		if c.limited {
			return
		}
		d, err := f.Data()
		if err != nil || len(d) < c.usable {
			continue
		}
		label := SourceWALFrame + " " + strconv.Itoa(i+1)
		im := &image{data: d, pgno: f.PageNo, file: sqlite.FileWAL, fileOff: f.Offset + sqlite.WALFrameHeaderSize,
			src: label, cellSrc: label, readPage: c.walReadPage(i)}
		role, owner := c.lay.get(f.PageNo)
		im.owner = owner
		if vf, ok := c.viewFrame[f.PageNo]; ok && vf == i {
			switch role {
			case roleReserved, roleOverflow:
				continue
			case roleTable, roleIndex:
				if live != nil && !live(owner) {
					continue
				}
				im.liveCells = true
			case roleTrunk:
				im.trunk = true
			}
		}
		if dup(d, f.PageNo) {
			continue
		}
		fn(im)
	}
	for _, jp := range c.jpages {
		if c.limited {
			return
		}
		d := c.readJournal(jp)
		if d == nil {
			continue
		}
		_, owner := c.lay.get(jp.pgno)
		im := &image{data: d, pgno: jp.pgno, file: sqlite.FileJournal, fileOff: jp.dataOff,
			src: SourceJournal, cellSrc: SourceJournal, readPage: c.journalReadPage, owner: owner}
		if dup(d, jp.pgno) {
			continue
		}
		fn(im)
	}
}

// droppedFloor is the confidence a deleted sqlite_schema row needs to give
// the shape of a dropped table.
const droppedFloor = 0.5

// keepAllCands, set by tests, keeps every candidate, also those finish
// leaves out.
var keepAllCands = false

// droppedShapes builds table shapes from recovered sqlite_schema rows of
// tables that are no longer in the schema (or whose CREATE statement
// changed).
func (c *carver) droppedShapes(cands []*cand) []*shape {
	var out []*shape
	done := map[string]bool{}
	for _, k := range cands {
		if k.sh.name != "sqlite_schema" || len(k.vals) != 5 || k.missing[0] || k.missing[1] || k.missing[4] || k.conf < droppedFloor {
			continue
		}
		typ, name, sql := k.vals[0], k.vals[1], k.vals[4]
		if typ.Kind != sqlite.Text || string(typ.Bytes) != "table" || name.Kind != sqlite.Text || sql.Kind != sqlite.Text {
			continue
		}
		n, s := string(name.Bytes), string(sql.Bytes)
		if t := c.db.Table(n); t != nil && t.SQL == s {
			continue
		}
		if strings.HasPrefix(strings.ToLower(n), "sqlite_") || done[n+"\x00"+s] {
			continue
		}
		done[n+"\x00"+s] = true
		t := tableFromSQL(n, s)
		if t == nil {
			continue
		}
		if rp, ok := k.vals[3].AsInt64(); ok && !k.missing[3] && rp > 0 && rp < 1<<32 {
			t.RootPage = uint32(rp)
		} else {
			t.RootPage = 0
		}
		if sh := newShape(t, true); sh != nil {
			out = append(out, sh)
		}
		if len(out) >= 256 {
			break
		}
	}
	return out
}

// liveIndex holds hashes of a table's live rows.
type liveIndex struct {
	full    map[uint64]bool
	noAlias map[uint64]bool
	byRowid map[int64]bool
}

func (c *carver) liveRows(sh *shape) *liveIndex {
	li := &liveIndex{full: map[uint64]bool{}, noAlias: map[uint64]bool{}, byRowid: map[int64]bool{}}
	t := c.db.Table(sh.name)
	if t == nil || sh.dropped {
		return li
	}
	rows := c.db.Rows(t)
	for rows.Next() {
		r := rows.RowView()
		if len(r.Values) != sh.nCols {
			continue
		}
		li.full[hashValues(r.Values, -1)] = true
		if sh.aliasCol >= 0 {
			li.noAlias[hashValues(r.Values, sh.aliasCol)] = true
		}
		li.byRowid[r.RowID] = true
	}
	return li
}

// covers reports whether every value that k has equals vals.
func covers(vals []sqlite.Value, k *cand) bool {
	for i, v := range k.vals {
		if !k.missing[i] && !v.Equal(vals[i]) {
			return false
		}
	}
	return true
}

// finish filters the candidates (live rows, duplicates, records that
// another record recovers more completely) and builds the Records.
func (c *carver) finish(opts Options) []Record {
	var keep []*cand
	for _, k := range c.out {
		if k.sh.internal || k.conf < opts.MinConfidence || k.conf < c.outFloor {
			continue
		}
		if opts.Table != "" && !strings.EqualFold(k.sh.name, opts.Table) {
			continue
		}
		keep = append(keep, k)
	}
	keep = cutSharedOverflow(keep)
	// Live rows: never report a record equal to one.
	lives := map[*shape]*liveIndex{}
	pending := map[*shape][]*cand{}
	superseded := map[*cand]bool{}
	dropped := map[*cand]bool{}
	for _, k := range keep {
		li := lives[k.sh]
		if li == nil {
			li = c.liveRows(k.sh)
			lives[k.sh] = li
		}
		switch {
		case k.nMiss == 0:
			if li.full[hashValues(k.vals, -1)] {
				dropped[k] = true
				continue
			}
		case k.nMiss == 1 && k.sh.aliasCol >= 0 && k.missing[k.sh.aliasCol]:
			if li.noAlias[hashValues(k.vals, k.sh.aliasCol)] {
				dropped[k] = true
				continue
			}
		default:
			pending[k.sh] = append(pending[k.sh], k)
		}
		if k.rowid != nil && li.byRowid[*k.rowid] {
			superseded[k] = true
		}
	}
	for sh, ks := range pending {
		t := c.db.Table(sh.name)
		if t == nil || sh.dropped {
			continue
		}
		if len(ks) > 20000 {
			for _, k := range ks[20000:] {
				dropped[k] = true // too many to check: do not risk a live row
			}
			ks = ks[:20000]
		}
		rows := c.db.Rows(t)
		for rows.Next() {
			r := rows.RowView()
			if len(r.Values) != sh.nCols {
				continue
			}
			for _, k := range ks {
				if !dropped[k] && covers(r.Values, k) {
					dropped[k] = true
				}
			}
		}
	}
	// Duplicates: the same version found in several places is reported
	// once, where it was found first (main file, then WAL frames in order,
	// then the journal).
	type key struct {
		sh    *shape
		rowid int64
		has   bool
		h     uint64
		miss  string
	}
	seen := map[key]bool{}
	var uniq []*cand
	for _, k := range keep {
		if dropped[k] {
			continue
		}
		kk := key{sh: k.sh, h: hashValues(k.vals, -1)}
		if k.rowid != nil {
			kk.rowid, kk.has = *k.rowid, true
		}
		if k.nMiss > 0 {
			m := make([]byte, len(k.missing))
			for i, b := range k.missing {
				if b {
					m[i] = 1
				}
			}
			kk.miss = string(m)
		}
		if seen[kk] {
			continue
		}
		seen[kk] = true
		uniq = append(uniq, k)
	}
	// Records that another record recovers more completely (the same
	// version with its rowid, or with more values) are left out.
	byShape := map[*shape][]*cand{}
	for _, k := range uniq {
		byShape[k.sh] = append(byShape[k.sh], k)
	}
	full := map[uint64][]*cand{}
	for _, k := range uniq {
		if k.nMiss == 0 && k.sh.aliasCol >= 0 {
			h := hashValues(k.vals, k.sh.aliasCol) ^ uint64(k.sh.idx)
			full[h] = append(full[h], k)
		}
	}
	var recs []Record
	for _, k := range uniq {
		if k.nMiss > 0 {
			sub := false
			if k.nMiss == 1 && k.sh.aliasCol >= 0 && k.missing[k.sh.aliasCol] {
				sub = len(full[hashValues(k.vals, k.sh.aliasCol)^uint64(k.sh.idx)]) > 0
			} else if ks := byShape[k.sh]; len(ks) <= 20000 {
				for _, o := range ks {
					if o != k && o.nMiss < k.nMiss && covers(o.vals, k) && (k.rowid == nil || (o.rowid != nil && *o.rowid == *k.rowid)) && subsetMissing(o, k) {
						sub = true
						break
					}
				}
			}
			if sub {
				continue
			}
		}
		r := Record{
			Table: k.sh.name, Columns: k.sh.columns, Confidence: roundConf(k.conf), RowID: k.rowid,
			Values: k.vals, Missing: k.missing, Source: k.src, File: k.file, Page: k.page,
			Offset: int64(k.off), FileOffset: k.fileOff, Superseded: superseded[k], Dropped: k.sh.dropped,
			how: k.how,
		}
		recs = append(recs, r)
	}
	order := map[string]int{}
	for _, k := range uniq {
		order[k.sh.name] = k.sh.idx
	}
	sort.SliceStable(recs, func(i, j int) bool { return order[recs[i].Table] < order[recs[j].Table] })
	return recs
}

// subsetMissing reports whether every value o lacks is also lacking in k.
func subsetMissing(o, k *cand) bool {
	for i := range o.missing {
		if o.missing[i] && !k.missing[i] {
			return false
		}
	}
	return true
}

func roundConf(f float64) float64 {
	if f > 1 {
		f = 1
	}
	if f < 0 {
		f = 0
	}
	return float64(int(f*1000+0.5)) / 1000
}

// MarshalJSON encodes r in the CLI format:
// {"table":…,"rowid":N|null,"values":[…],"source":…,"page":N,"offset":N,
// "confidence":F,"file":…,"superseded":B,"dropped":B}, values as in
// "sqlite dump", a missing value as {"missing":true}. offset is the offset in
// the page image.
func (r Record) MarshalJSON() ([]byte, error) {
	return r.AppendJSON(nil), nil
}

// AppendJSON appends the MarshalJSON encoding of r to b.
func (r Record) AppendJSON(b []byte) []byte {
	b = append(b, `{"table":`...)
	if r.Table == "" {
		b = append(b, "null"...)
	} else {
		b = sqlite.AppendJSONString(b, []byte(r.Table))
	}
	b = append(b, `,"rowid":`...)
	if r.RowID != nil {
		b = strconv.AppendInt(b, *r.RowID, 10)
	} else {
		b = append(b, "null"...)
	}
	b = append(b, `,"values":[`...)
	for i, v := range r.Values {
		if i > 0 {
			b = append(b, ',')
		}
		if i < len(r.Missing) && r.Missing[i] {
			b = append(b, `{"missing":true}`...)
		} else {
			b = v.AppendJSON(b)
		}
	}
	b = append(b, `],"source":`...)
	b = sqlite.AppendJSONString(b, []byte(r.Source))
	b = append(b, `,"page":`...)
	b = strconv.AppendUint(b, uint64(r.Page), 10)
	b = append(b, `,"offset":`...)
	b = strconv.AppendInt(b, r.Offset, 10)
	b = append(b, `,"confidence":`...)
	b = strconv.AppendFloat(b, r.Confidence, 'f', 3, 64)
	b = append(b, `,"file":`...)
	b = sqlite.AppendJSONString(b, []byte(r.File))
	b = append(b, `,"superseded":`...)
	b = strconv.AppendBool(b, r.Superseded)
	b = append(b, `,"dropped":`...)
	b = strconv.AppendBool(b, r.Dropped)
	return append(b, '}')
}
