package sqlite

import (
	"io"
	"sync"
)

// The main file is read in blocks of at least blockSize bytes (whole pages),
// so that a scan makes few ReadAt calls: each call is costly when the
// ReaderAt is a browser File.
const blockSize = 64 << 10

// defaultCacheBytes is the page cache size when Options.CachePages is 0.
const defaultCacheBytes = 8 << 20

// pager hands out read-only page images, applying the WAL when present.
// Page images are never modified or recycled once read: callers may keep
// references to them (the cache only drops its own reference).
type pager struct {
	r        io.ReaderAt
	size     int64
	pageSize int
	bsize    int64 // block size (a multiple of pageSize)
	nPages   uint32
	wal      *walFile // nil: main file only

	mu       sync.Mutex
	cache    map[uint64]*centry
	head     centry // LRU list sentinel: head.next is most recent
	used     int64  // bytes held by the cache
	capBytes int64
}

type centry struct {
	key        uint64
	data       []byte
	prev, next *centry
}

const walKey = 1 << 63

func newPager(r io.ReaderAt, size int64, pageSize int, cachePages int) *pager {
	p := &pager{r: r, size: size, pageSize: pageSize, cache: make(map[uint64]*centry)}
	p.bsize = int64(max(pageSize, blockSize))
	if cachePages <= 0 {
		p.capBytes = defaultCacheBytes
	} else {
		p.capBytes = int64(cachePages) * int64(pageSize)
	}
	p.capBytes = max(p.capBytes, 2*p.bsize)
	p.head.next, p.head.prev = &p.head, &p.head
	return p
}

func (p *pager) lookup(key uint64) []byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	e := p.cache[key]
	if e == nil {
		return nil
	}
	if p.head.next != e { // move to front
		e.prev.next, e.next.prev = e.next, e.prev
		e.next, e.prev = p.head.next, &p.head
		p.head.next.prev = e
		p.head.next = e
	}
	return e.data
}

func (p *pager) insert(key uint64, data []byte) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.cache[key]; ok {
		return
	}
	e := &centry{key: key, data: data}
	e.next, e.prev = p.head.next, &p.head
	p.head.next.prev = e
	p.head.next = e
	p.cache[key] = e
	p.used += int64(cap(data))
	for p.used > p.capBytes && p.head.prev != e {
		old := p.head.prev
		old.prev.next, old.next.prev = old.next, old.prev
		delete(p.cache, old.key)
		p.used -= int64(cap(old.data))
	}
}

// page returns the image of page pgno (1-based) as SQLite would see it. The
// returned slice must not be modified.
func (p *pager) page(pgno uint32) ([]byte, error) {
	if pgno == 0 || pgno > p.nPages {
		return nil, corruptf(ErrPageRange, FileMain, pgno, -1, "page %d not in 1..%d", pgno, p.nPages)
	}
	if p.wal != nil {
		if fi, ok := p.wal.pages[pgno]; ok {
			return p.walPage(fi)
		}
	}
	return p.mainPage(pgno)
}

// mainPage reads page pgno from the main file, ignoring the WAL.
func (p *pager) mainPage(pgno uint32) ([]byte, error) {
	off := int64(pgno-1) * int64(p.pageSize)
	if off+int64(p.pageSize) > p.size {
		return nil, corruptf(ErrTruncated, FileMain, pgno, off, "page %d lies past the end of the %d-byte file", pgno, p.size)
	}
	bno := off / p.bsize
	blk := p.lookup(uint64(bno))
	if blk == nil {
		bstart := bno * p.bsize
		n := min(p.bsize, p.size-bstart)
		blk = make([]byte, n)
		if err := readFull(p.r, blk, bstart, FileMain, pgno); err != nil {
			return nil, err
		}
		p.insert(uint64(bno), blk)
	}
	in := off - bno*p.bsize
	return blk[in : in+int64(p.pageSize) : in+int64(p.pageSize)], nil
}

func (p *pager) walPage(fi int32) ([]byte, error) {
	key := walKey | uint64(fi)
	if b := p.lookup(key); b != nil {
		return b, nil
	}
	f := &p.wal.frames[fi]
	b := make([]byte, p.pageSize)
	if err := readFull(p.wal.r, b, f.Offset+WALFrameHeaderSize, FileWAL, f.PageNo); err != nil {
		return nil, err
	}
	p.insert(key, b)
	return b, nil
}

// pageOffset returns the file and byte offset a page image comes from, for
// error messages.
func (p *pager) pageOffset(pgno uint32) (string, int64) {
	if p.wal != nil {
		if fi, ok := p.wal.pages[pgno]; ok {
			return FileWAL, p.wal.frames[fi].Offset + WALFrameHeaderSize
		}
	}
	return FileMain, int64(pgno-1) * int64(p.pageSize)
}
