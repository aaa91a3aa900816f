package recover

import (
	"bytes"
	"encoding/binary"
	"hash/maphash"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// A claim is an overflow page image a recovered payload was read from; its
// bytes start at payload offset start.
type claim struct {
	key   uint64 // page number and content
	start int
}

// pageKey identifies a page image by its number and content.
func pageKey(pgno uint32, data []byte) uint64 {
	var h maphash.Hash
	h.SetSeed(hashSeed)
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], pgno)
	h.Write(b[:])
	h.Write(data)
	return h.Sum64()
}

// cutSharedOverflow handles overflow pages that the payloads of two
// different records were both read from. A page holds one payload's bytes
// at a time: it was used by one of the records and later reused by the
// other (freed, then allocated again), and nothing on the page tells which
// came last. So every value of either record with bytes on that page or
// after it becomes missing, instead of possibly showing another record's
// bytes. Readings of the same record (compatible values) do not conflict.
// Records left without any informative value are dropped (nil).
func cutSharedOverflow(ks []*cand) []*cand {
	by := map[uint64][]*cand{}
	for _, k := range ks {
		for _, cl := range k.claims {
			by[cl.key] = append(by[cl.key], k)
		}
	}
	cut := map[*cand]int{} // smallest payload offset from which k's bytes are doubtful
	for key, owners := range by {
		if len(owners) < 2 {
			continue
		}
		for i, a := range owners {
			for _, b := range owners[i+1:] {
				if a == b || compatible(*a, *b) {
					continue
				}
				for _, k := range []*cand{a, b} {
					for _, cl := range k.claims {
						if cl.key == key {
							if s, ok := cut[k]; !ok || cl.start < s {
								cut[k] = cl.start
							}
						}
					}
				}
			}
		}
	}
	if len(cut) == 0 {
		return ks
	}
	out := ks[:0]
	for _, k := range ks {
		if start, ok := cut[k]; ok && !k.cutAt(start) {
			continue
		}
		out = append(out, k)
	}
	return out
}

// cutAt marks missing every value of k with bytes at or past payload
// offset start; it reports whether k still has an informative value.
func (k *cand) cutAt(start int) bool {
	left := 0
	for col := range k.vals {
		if k.missing[col] {
			continue
		}
		if col < len(k.valEnd) && k.valEnd[col] > start {
			k.missing[col] = true
			k.vals[col] = sqlite.Value{}
			k.nMiss++
			continue
		}
		if col != k.sh.aliasCol && informativeValue(k.vals[col]) {
			left++
		}
	}
	return left > 0
}

// informativeValue reports a value that says something about a record (as
// counted by evaluate): a number, non-empty text, a blob not mostly zeros.
func informativeValue(v sqlite.Value) bool {
	switch v.Kind {
	case sqlite.Integer, sqlite.Real:
		return true
	case sqlite.Text:
		return len(v.Bytes) > 0
	case sqlite.Blob:
		return len(v.Bytes) > 0 && !(len(v.Bytes) >= 4 && 2*bytes.Count(v.Bytes, []byte{0}) >= len(v.Bytes))
	}
	return false
}
