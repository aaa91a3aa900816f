package sqlite

import (
	"encoding/binary"
	"errors"
	"io"
)

// WAL file constants (sqlite.org/fileformat2.html §4).
const (
	WALHeaderSize      = 32
	WALFrameHeaderSize = 24
	WALMagicLE         = 0x377f0682 // checksums over little-endian words
	WALMagicBE         = 0x377f0683 // checksums over big-endian words
	WALFormatVersion   = 3007000
)

// WALInfo summarises the write-ahead log given to Open.
type WALInfo struct {
	Present           bool   // a WAL was supplied (and NoWAL was not set)
	Size              int64  // bytes
	HeaderValid       bool   // magic, version, page size and header checksum are good
	BigEndianChecksum bool   // magic 0x377f0683
	PageSize          int    // page size from the WAL header
	CheckpointSeq     uint32 // checkpoint sequence number
	Salt1, Salt2      uint32 // salts from the WAL header
	FramesTotal       int    // complete frames in the file
	ValidFrames       int    // frames with matching salts and checksums (a prefix of the file)
	Commits           int    // valid commit frames
	LastCommitFrame   int    // index (0-based) of the last valid commit frame, -1 if none
	LastCommitSize    uint32 // database size in pages after the last valid commit
	AppliedFrames     int    // frames up to and including the last valid commit (the WAL view)
	UncommittedFrames int    // valid frames after the last commit (ignored, as by SQLite)
	FirstInvalid      int    // index of the first invalid frame, -1 if none
	Applied           bool   // committed frames are applied to the DB view
}

// A WALFrame is one frame of the WAL.
type WALFrame struct {
	Index      int    // 0-based frame number
	Offset     int64  // byte offset of the frame header in the WAL file
	PageNo     uint32 // database page the frame holds
	CommitSize uint32 // database size in pages after this commit; 0 if not a commit frame
	Salt1      uint32
	Salt2      uint32
	Checksum1  uint32
	Checksum2  uint32
	SaltOK     bool // salts equal the WAL header's
	Valid      bool // salts and cumulative checksum are right and all earlier frames are valid
	Committed  bool // valid and at or before the last valid commit frame (part of the WAL view)

	w *walFile
}

// Data reads the page image stored in the frame (a fresh copy).
func (f WALFrame) Data() ([]byte, error) {
	if f.w == nil {
		return nil, errors.New("sqlite: WALFrame has no WAL")
	}
	buf := make([]byte, f.w.pageSize)
	if err := readFull(f.w.r, buf, f.Offset+WALFrameHeaderSize, FileWAL, f.PageNo); err != nil {
		return nil, err
	}
	return buf, nil
}

type walFile struct {
	r        io.ReaderAt
	size     int64
	pageSize int
	info     WALInfo
	frames   []WALFrame
	pages    map[uint32]int32 // page number → latest committed frame index
}

func walChecksum(b []byte, bigEndian bool, s0, s1 uint32) (uint32, uint32) {
	if bigEndian {
		for i := 0; i+8 <= len(b); i += 8 {
			s0 += binary.BigEndian.Uint32(b[i:]) + s1
			s1 += binary.BigEndian.Uint32(b[i+4:]) + s0
		}
	} else {
		for i := 0; i+8 <= len(b); i += 8 {
			s0 += binary.LittleEndian.Uint32(b[i:]) + s1
			s1 += binary.LittleEndian.Uint32(b[i+4:]) + s0
		}
	}
	return s0, s1
}

// WALChecksum computes the WAL checksum of b (length a multiple of 8) seeded
// with s0, s1, summing 32-bit words in big- or little-endian order.
func WALChecksum(b []byte, bigEndian bool, s0, s1 uint32) (uint32, uint32) {
	return walChecksum(b, bigEndian, s0, s1)
}

// readWAL parses a WAL. dbPageSize is the main database page size, or 0 when
// the main file has no header (the WAL's page size is then used). Problems are
// returned in probs; a nil *walFile means the WAL is unusable.
func readWAL(r io.ReaderAt, size int64, dbPageSize int) (w *walFile, probs []error) {
	w = &walFile{r: r, size: size}
	w.info.Present = true
	w.info.Size = size
	w.info.LastCommitFrame = -1
	w.info.FirstInvalid = -1
	if size == 0 {
		return w, nil
	}
	if size < WALHeaderSize {
		return w, []error{corruptf(ErrWALHeader, FileWAL, 0, 0, "WAL is %d bytes, shorter than its %d-byte header", size, WALHeaderSize)}
	}
	var hdr [WALHeaderSize]byte
	if err := readFull(r, hdr[:], 0, FileWAL, 0); err != nil {
		return w, []error{err}
	}
	be := binary.BigEndian
	magic := be.Uint32(hdr[0:])
	if magic != WALMagicLE && magic != WALMagicBE {
		return w, []error{corruptf(ErrWALHeader, FileWAL, 0, 0, "bad WAL magic %#08x", magic)}
	}
	bigEnd := magic == WALMagicBE
	w.info.BigEndianChecksum = bigEnd
	if v := be.Uint32(hdr[4:]); v != WALFormatVersion {
		return w, []error{corruptf(ErrWALHeader, FileWAL, 0, 4, "WAL format version %d, want %d", v, WALFormatVersion)}
	}
	ps := int(be.Uint32(hdr[8:]))
	if ps < 512 || ps > 65536 || ps&(ps-1) != 0 {
		return w, []error{corruptf(ErrWALHeader, FileWAL, 0, 8, "WAL page size %d invalid", ps)}
	}
	w.info.PageSize = ps
	w.pageSize = ps
	w.info.CheckpointSeq = be.Uint32(hdr[12:])
	w.info.Salt1, w.info.Salt2 = be.Uint32(hdr[16:]), be.Uint32(hdr[20:])
	c0, c1 := walChecksum(hdr[:24], bigEnd, 0, 0)
	if c0 != be.Uint32(hdr[24:]) || c1 != be.Uint32(hdr[28:]) {
		return w, []error{corruptf(ErrWALHeader, FileWAL, 0, 24, "WAL header checksum mismatch")}
	}
	if dbPageSize != 0 && ps != dbPageSize {
		return w, []error{corruptf(ErrWALHeader, FileWAL, 0, 8, "WAL page size %d differs from database page size %d", ps, dbPageSize)}
	}
	w.info.HeaderValid = true

	frameSize := int64(WALFrameHeaderSize + ps)
	nFrames := (size - WALHeaderSize) / frameSize
	w.info.FramesTotal = int(nFrames)
	w.frames = make([]WALFrame, 0, min(nFrames, 1<<16))
	buf := make([]byte, frameSize)
	s0, s1 := c0, c1
	valid := true
	lastCommit := -1
	for i := int64(0); i < nFrames; i++ {
		off := WALHeaderSize + i*frameSize
		if err := readFull(r, buf, off, FileWAL, 0); err != nil {
			probs = append(probs, err)
			break
		}
		f := WALFrame{
			Index: int(i), Offset: off, w: w,
			PageNo:     be.Uint32(buf[0:]),
			CommitSize: be.Uint32(buf[4:]),
			Salt1:      be.Uint32(buf[8:]),
			Salt2:      be.Uint32(buf[12:]),
			Checksum1:  be.Uint32(buf[16:]),
			Checksum2:  be.Uint32(buf[20:]),
		}
		f.SaltOK = f.Salt1 == w.info.Salt1 && f.Salt2 == w.info.Salt2
		if valid {
			n0, n1 := walChecksum(buf[:8], bigEnd, s0, s1)
			n0, n1 = walChecksum(buf[WALFrameHeaderSize:], bigEnd, n0, n1)
			switch {
			case !f.SaltOK:
				valid = false
				probs = append(probs, corruptf(ErrWALFrame, FileWAL, f.PageNo, off, "frame %d salt mismatch; it and later frames ignored", i))
			case n0 != f.Checksum1 || n1 != f.Checksum2:
				valid = false
				probs = append(probs, corruptf(ErrWALFrame, FileWAL, f.PageNo, off, "frame %d checksum mismatch; it and later frames ignored", i))
			case f.PageNo == 0:
				valid = false
				probs = append(probs, corruptf(ErrWALFrame, FileWAL, 0, off, "frame %d has page number 0; it and later frames ignored", i))
			}
			if valid {
				s0, s1 = n0, n1
			} else {
				w.info.FirstInvalid = int(i)
			}
		}
		f.Valid = valid
		if valid {
			w.info.ValidFrames++
			if f.CommitSize != 0 {
				w.info.Commits++
				lastCommit = int(i)
				w.info.LastCommitSize = f.CommitSize
			}
		}
		w.frames = append(w.frames, f)
	}
	w.info.LastCommitFrame = lastCommit
	w.info.AppliedFrames = lastCommit + 1
	w.info.UncommittedFrames = w.info.ValidFrames - w.info.AppliedFrames
	w.pages = make(map[uint32]int32)
	for i := 0; i <= lastCommit; i++ {
		w.frames[i].Committed = true
		w.pages[w.frames[i].PageNo] = int32(i)
	}
	return w, probs
}

// readFull reads exactly len(buf) bytes at off; a short read is ErrTruncated.
func readFull(r io.ReaderAt, buf []byte, off int64, file string, page uint32) error {
	n, err := r.ReadAt(buf, off)
	if n == len(buf) {
		return nil
	}
	if err == nil || err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return corruptf(ErrTruncated, file, page, off, "wanted %d bytes, file has %d", len(buf), n)
	}
	return &CorruptError{Err: err, File: file, Page: page, Offset: off, Detail: "read failed"}
}
