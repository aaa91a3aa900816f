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
type seqReaderAt struct {
	mu      sync.Mutex // ReadAt may wait for the stream: one at a time
	ra      io.ReaderAt
	blob    js.Value
	size    int64
	lastEnd int64       // end of the previous ReadAt
	seq     *blobReader // stream from seqPos, or nil
	seqPos  int64
}

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
	if s.seq != nil && off != s.seqPos {
		s.seq.Close()
		s.seq = nil
	}
	if s.seq == nil && off == s.lastEnd && len(p) >= seqMin && off < s.size {
		s.seq = newBlobReader(s.blob.Call("slice", off, s.size))
		s.seqPos = off
	}
	if s.seq == nil {
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
