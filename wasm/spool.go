//go:build js && wasm

package main

import (
	"errors"
	"io"
	"syscall/js"

	"github.com/backupinspector/backupinspector/parsers/inspect"
)

// Databases found inside streams (a compressed or encrypted .ab, a
// deflated zip entry) must be read at random. Past inspect.MemorySpoolMax
// they are not held in Go's memory but copied into a Blob, a Blob per MiB
// through one 1 MiB JS buffer, with a turn of the event loop every 8 MiB
// (Chromium then moves the Blobs' bytes out of the renderer, into the
// browser's blob storage, which spills to disk when they are big), and
// read back through FileReaderSync in 64 KiB blocks as the SQLite reader
// asks for pages (newBlobReaderAt). Without it a database of more than the
// spool limit (256 MiB with the default budget) was not read at all, and
// one under it grew Go's memory by its size.

const spoolChunk = 1 << 20

// blobSpool is an inspect.SpoolFile over a Blob being built.
type blobSpool struct {
	parts   js.Value // the Blobs so far
	scratch js.Value // Uint8Array(spoolChunk)
	buf     []byte
	n       int64
	pending int64 // bytes since the last turn of the event loop
}

func newBlobSpool(int64) (inspect.SpoolFile, error) {
	if !js.Global().Get("FileReaderSync").Truthy() {
		return nil, errors.New("no FileReaderSync here (not a worker)")
	}
	return &blobSpool{parts: js.Global().Get("Array").New(), scratch: js.Global().Get("Uint8Array").New(spoolChunk),
		buf: make([]byte, 0, spoolChunk)}, nil
}

func (s *blobSpool) Write(p []byte) (int, error) {
	if s.buf == nil {
		return 0, errors.New("spool already read")
	}
	n := len(p)
	for len(p) > 0 {
		c := min(len(p), cap(s.buf)-len(s.buf))
		s.buf = append(s.buf, p[:c]...)
		p = p[c:]
		if len(s.buf) == cap(s.buf) {
			s.flush()
		}
	}
	s.n += int64(n)
	return n, nil
}

func (s *blobSpool) flush() {
	if len(s.buf) == 0 {
		return
	}
	js.CopyBytesToJS(s.scratch, s.buf)
	s.parts.Call("push", js.Global().Get("Blob").New([]any{s.scratch.Call("subarray", 0, len(s.buf))}))
	s.pending += int64(len(s.buf))
	s.buf = s.buf[:0]
	if s.pending >= 8*spoolChunk {
		s.pending = 0
		yieldToJS()
	}
}

// ReaderAt ends the writing: the bytes are one Blob, read at random.
func (s *blobSpool) ReaderAt() (io.ReaderAt, error) {
	if s.buf == nil {
		return nil, errors.New("spool already read")
	}
	s.flush()
	blob := js.Global().Get("Blob").New(s.parts)
	s.parts, s.scratch, s.buf = js.Undefined(), js.Undefined(), nil
	g := js.Global() // how many bytes this worker spooled (bi-result's spooled)
	prev := 0.0
	if v := g.Get("biSpooled"); v.Type() == js.TypeNumber {
		prev = v.Float()
	}
	g.Set("biSpooled", prev+float64(s.n))
	ra := newBlobReaderAt(blob, s.n)
	if ra == nil {
		return nil, errors.New("no FileReaderSync here (not a worker)")
	}
	return &spooledBlob{ReaderAt: ra, blob: blob}, nil
}

// spooledBlob is a spooled file's bytes: its Blob goes as it is to the
// worker that takes the report over (session.go exportPart).
type spooledBlob struct {
	io.ReaderAt
	blob js.Value
}
