//go:build js && wasm

package main

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"syscall/js"
)

// seqMin is the smallest ReadAt that, continuing the previous one, is
// served from a stream.
const seqMin = 16 << 10

// seqReaderAt is the ReaderAt of an input File: random reads go through
// blobReaderAt (FileReaderSync, 64 KiB blocks), but a run of sequential
// reads — a stored zip entry or a .bak inside a zip being read, a database
// scanned — is served from blob.slice(off).stream() with a BYOB reader.
// Measured on a 1 GiB MIUI zip, reading stored entries block by block took
// ~60 % of the page's CPU and drove the renderer to 1.6 GB: every
// FileReaderSync result is an ArrayBuffer that Go's js.Value table keeps
// until Go's garbage collector runs, which streaming avoids (one reused
// buffer).
//
// The stream stays open across reads elsewhere, and a read a little past
// where it is (up to seqSkip) skips the bytes between: a walk that reads in
// increasing order with detours — a b-tree's leaves and the overflow pages
// of their cells, pages of other tables between a table's pages — is one
// stream instead of a FileReaderSync call a block (~0.5 ms each here
// whatever its size up to 256 KiB: 90–130 MiB/s in 64 KiB blocks).
type seqReaderAt struct {
	mu      sync.Mutex // ReadAt may wait for the stream: one at a time
	ra      io.ReaderAt
	blob    js.Value
	size    int64
	lastEnd int64       // end of the previous ReadAt
	seq     *blobReader // stream from seqPos, or nil
	seqPos  int64
	opened  int // streams opened (tests)
}

// seqSkip is how far past the stream's position a read may start and
// still be served from the stream (the bytes between are skipped: ~0.3 ms
// a MiB, against ~0.5 ms for one FileReaderSync call).
const seqSkip = 1 << 20

func newSeqReaderAt(ra io.ReaderAt, blob js.Value, size int64) *seqReaderAt {
	return &seqReaderAt{ra: ra, blob: blob, size: size, lastEnd: -1}
}

var errShortStream = errors.New("stream ended before the file's size")

func (s *seqReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errNegativeOffset
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	useSeq := s.seq != nil && off >= s.seqPos && off-s.seqPos <= seqSkip
	if !useSeq && off == s.lastEnd && len(p) >= seqMin && off < s.size {
		if s.seq != nil {
			s.seq.Close()
		}
		s.seq = newBlobReader(s.blob.Call("slice", off, s.size))
		s.seqPos = off
		s.opened++
		useSeq = true
	}
	if useSeq && off > s.seqPos {
		k, err := io.CopyN(io.Discard, s.seq, off-s.seqPos)
		s.seqPos += k
		if err != nil {
			s.seq.Close()
			s.seq = nil
			useSeq = false
		}
	}
	if !useSeq {
		n, err := s.ra.ReadAt(p, off)
		s.lastEnd = off + int64(n)
		return n, err
	}
	want := p
	if rest := s.size - off; int64(len(want)) > rest {
		want = want[:rest]
	}
	n, err := io.ReadFull(s.seq, want)
	s.seqPos += int64(n)
	s.lastEnd = off + int64(n)
	switch {
	case err == nil && n == len(p):
		return n, nil
	case err == nil || (errors.Is(err, io.EOF) && off+int64(n) == s.size):
		return n, io.EOF // p reaches past the end of the file
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		s.seq.Close()
		s.seq = nil
		return n, fmt.Errorf("reading at offset %d: %w", off+int64(n), errShortStream)
	default:
		s.seq.Close()
		s.seq = nil
		return n, err
	}
}
