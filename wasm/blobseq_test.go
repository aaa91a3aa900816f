//go:build js && wasm

package main

import (
	"bytes"
	"io"
	"math/rand"
	"syscall/js"
	"testing"
)

// TestSeqReaderAt: random and sequential ReadAt runs over a JS Blob give
// the bytes of a bytes.Reader, including at and past the end.
func TestSeqReaderAt(t *testing.T) {
	data := make([]byte, 3<<20+123)
	rand.New(rand.NewSource(1)).Read(data)
	u := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(u, data)
	blob := js.Global().Get("Blob").New([]any{u})
	ref := bytes.NewReader(data)
	s := newSeqReaderAt(ref, blob, int64(len(data)))
	check := func(off int64, n int) {
		t.Helper()
		got := make([]byte, n)
		want := make([]byte, n)
		gn, gerr := s.ReadAt(got, off)
		wn, werr := ref.ReadAt(want, off)
		if gn != wn || (gerr == nil) != (werr == nil) || !bytes.Equal(got[:gn], want[:wn]) {
			t.Fatalf("ReadAt(%d, %d) = %d, %v; want %d, %v", off, n, gn, gerr, wn, werr)
		}
	}
	// A sequential run (streamed after the first read), with a jump back.
	for off := int64(0); off < 1<<20; off += 64 << 10 {
		check(off, 64<<10)
	}
	if s.seq == nil {
		t.Fatal("a sequential run was not streamed")
	}
	check(100, 4096)
	if s.seq != nil {
		t.Fatal("a jump kept the stream")
	}
	// Sequential to the end and past it.
	for off := int64(2 << 20); off < int64(len(data))+(64<<10); off += 64 << 10 {
		check(off, 64<<10)
	}
	// Random reads.
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 200; i++ {
		check(r.Int63n(int64(len(data))+10), 1+r.Intn(100<<10))
	}
	if _, err := s.ReadAt(make([]byte, 1), -1); err == nil {
		t.Fatal("negative offset accepted")
	}
	var _ io.ReaderAt = s
}
