package recover

import (
	"encoding/binary"
	"io"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// A journalPage is one page image saved in a rollback journal: the content
// of database page pgno before the transaction that wrote the journal.
type journalPage struct {
	pgno    uint32
	dataOff int64 // offset of the page image in the journal file
}

// journalPages lists the page records of a rollback journal
// (sqlite.org/fileformat2.html §3): segments of a header padded to the
// sector size, then records of [page number][page image][checksum]. A
// journal left by journal_mode=PERSIST has its header zeroed but keeps the
// records; the sector size is then guessed from where plausible records
// start. Records after the declared count (left over from an earlier,
// longer transaction) are read as long as they look like records.
func journalPages(r io.ReaderAt, size int64, pageSize int, maxPage uint32) []journalPage {
	if r == nil || size < 28 || pageSize < 512 {
		return nil
	}
	recLen := int64(pageSize) + 8
	var out []journalPage
	seen := map[int64]bool{}
	readU32 := func(off int64) (uint32, bool) {
		var b [4]byte
		if off < 0 || off+4 > size {
			return 0, false
		}
		if _, err := r.ReadAt(b[:], off); err != nil {
			return 0, false
		}
		return binary.BigEndian.Uint32(b[:]), true
	}
	plausible := func(off int64) bool {
		p, ok := readU32(off)
		return ok && p >= 1 && p <= maxPage && off+recLen <= size
	}
	// records reads records from off on; declared < 0 means "as long as
	// they look right".
	records := func(off int64, declared int64) int64 {
		n := int64(0)
		for off+recLen <= size && len(out) < 1<<22 {
			if declared >= 0 && n >= declared {
				break
			}
			if !plausible(off) {
				break
			}
			if !seen[off] {
				seen[off] = true
				p, _ := readU32(off)
				out = append(out, journalPage{pgno: p, dataOff: off + 4})
			}
			off += recLen
			n++
		}
		return off
	}
	var hdr [28]byte
	off := int64(0)
	for segs := 0; off+28 <= size && segs < 1<<16; segs++ {
		if _, err := r.ReadAt(hdr[:], off); err != nil {
			break
		}
		if string(hdr[:8]) != sqlite.JournalMagic {
			if off == 0 {
				// Zeroed (PERSIST) header: find the sector size at which
				// records start.
				best, bestN := int64(0), 0
				for ss := int64(512); ss <= 65536; ss *= 2 {
					n := 0
					for o := ss; n < 4 && plausible(o); o += recLen {
						n++
					}
					if n > bestN {
						best, bestN = ss, n
					}
				}
				if bestN > 0 {
					records(best, -1)
				}
			}
			break
		}
		nRec := int64(binary.BigEndian.Uint32(hdr[8:]))
		sector := int64(binary.BigEndian.Uint32(hdr[20:]))
		ps := int(binary.BigEndian.Uint32(hdr[24:]))
		if ps != pageSize || sector < 28 || sector > 1<<20 {
			break
		}
		if nRec == 0 || nRec == 0xffffffff {
			nRec = -1
		}
		end := records(off+sector, nRec)
		// Next segment: at the next sector boundary, if a header is there;
		// otherwise stale records of an earlier transaction may follow.
		next := (end + sector - 1) / sector * sector
		if next+28 <= size {
			var m [8]byte
			if _, err := r.ReadAt(m[:], next); err == nil && string(m[:]) == sqlite.JournalMagic {
				off = next
				continue
			}
		}
		records(end, -1)
		break
	}
	return out
}
