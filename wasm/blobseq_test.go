//go:build js && wasm

package main

import (
	"bytes"
	"io"
	"math/rand"
	"strings"
	"syscall/js"
	"testing"
	"time"
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
	check(100, 4096) // a jump back: read at random, the stream kept
	if s.seq == nil || s.opened != 1 {
		t.Fatalf("a jump back: stream %v, %d opened", s.seq != nil, s.opened)
	}
	// Reads continuing the stream after a detour, and a little past it
	// (the bytes between skipped): the same stream.
	check(1<<20, 64<<10)
	check(3<<20, 4096)
	check(1<<20+64<<10+8192, 64<<10)
	check(1<<20+192<<10+4096, 32<<10)
	if s.opened != 1 {
		t.Fatalf("%d streams opened for one run with detours", s.opened)
	}
	// Far past it: at random, the stream kept.
	pos := s.seqPos
	check(3<<20+50, 64)
	if s.opened != 1 || s.seqPos != pos {
		t.Fatalf("%d streams opened, stream at %d (was %d)", s.opened, s.seqPos, pos)
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

// TestBlobReaderStall: when a read of the blob's stream does not settle,
// blobReader gives the stream up and reads the rest with FileReaderSync:
// the same bytes, in order.
func TestBlobReaderStall(t *testing.T) {
	defer func(d time.Duration) { readStall = d }(readStall)
	readStall = 50 * time.Millisecond
	data := make([]byte, 3<<20+77)
	rand.New(rand.NewSource(3)).Read(data)
	u8 := js.Global().Get("Uint8Array")
	promise := js.Global().Get("Promise")
	var funcs []js.Func
	fn := func(f func(args []js.Value) any) js.Func {
		jf := js.FuncOf(func(_ js.Value, a []js.Value) any { return f(a) })
		funcs = append(funcs, jf)
		return jf
	}
	defer func() {
		for _, f := range funcs {
			f.Release()
		}
	}()
	pos, reads := 0, 0
	reader := js.Global().Get("Object").New()
	reader.Set("read", fn(func(a []js.Value) any {
		reads++
		if reads > 2 {
			return promise.New(fn(func([]js.Value) any { return nil })) // never settles
		}
		view := a[0]
		n := min(300_000, view.Length(), len(data)-pos)
		js.CopyBytesToJS(view, data[pos:pos+n])
		pos += n
		res := js.Global().Get("Object").New()
		res.Set("done", false)
		res.Set("value", u8.New(view.Get("buffer"), 0, n))
		return promise.Call("resolve", res)
	}))
	reader.Set("cancel", fn(func([]js.Value) any { return promise.Call("resolve") }))
	blob := js.Global().Get("Object").New()
	blob.Set("size", len(data))
	blob.Set("name", "fake")
	blob.Set("stream", fn(func([]js.Value) any {
		s := js.Global().Get("Object").New()
		s.Set("getReader", fn(func([]js.Value) any { return reader }))
		return s
	}))
	blob.Set("slice", fn(func(a []js.Value) any {
		s := js.Global().Get("Object").New()
		s.Set("a", a[0])
		s.Set("b", a[1])
		return s
	}))
	frsObj := js.Global().Get("Object").New()
	frsObj.Set("readAsArrayBuffer", fn(func(a []js.Value) any {
		lo, hi := a[0].Get("a").Int(), a[0].Get("b").Int()
		out := u8.New(hi - lo)
		js.CopyBytesToJS(out, data[lo:hi])
		return out.Get("buffer")
	}))
	old := js.Global().Get("FileReaderSync")
	js.Global().Set("FileReaderSync", fn(func([]js.Value) any { return frsObj }))
	defer js.Global().Set("FileReaderSync", old)

	got, err := io.ReadAll(newBlobReader(blob))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, data) || reads != 3 {
		t.Fatalf("read %d bytes (equal: %v) in %d stream reads; want %d", len(got), bytes.Equal(got, data), reads, len(data))
	}
}

// TestBlobReaderAtInto: with self.biReadInto (the worker's), blocks are read
// through it into one Uint8Array — no FileReaderSync call from Go — and a
// short read is an error naming the offset, not a silent short block.
func TestBlobReaderAtInto(t *testing.T) {
	data := make([]byte, 5*blockSize+333)
	rand.New(rand.NewSource(4)).Read(data)
	u8 := js.Global().Get("Uint8Array")
	blob := js.Global().Get("Blob").New([]any{func() js.Value { u := u8.New(len(data)); js.CopyBytesToJS(u, data); return u }()})
	frsCalls, intoCalls, short, refuse := 0, 0, false, false
	frs := js.FuncOf(func(js.Value, []js.Value) any {
		o := js.Global().Get("Object").New()
		o.Set("readAsArrayBuffer", js.FuncOf(func(js.Value, []js.Value) any { frsCalls++; return u8.New(0).Get("buffer") }))
		return o
	})
	into := js.FuncOf(func(_ js.Value, a []js.Value) any {
		intoCalls++
		if refuse {
			return "NotReadableError: the file could not be read"
		}
		off, end, dst := a[1].Int(), a[2].Int(), a[3]
		if short {
			end--
		}
		js.CopyBytesToJS(dst, data[off:end])
		return end - off
	})
	defer frs.Release()
	defer into.Release()
	oldFRS, oldInto := js.Global().Get("FileReaderSync"), js.Global().Get("biReadInto")
	js.Global().Set("FileReaderSync", frs)
	js.Global().Set("biReadInto", into)
	defer js.Global().Set("FileReaderSync", oldFRS)
	defer js.Global().Set("biReadInto", oldInto)

	ra := newBlobReaderAt(blob, int64(len(data)))
	r := rand.New(rand.NewSource(5))
	for i := 0; i < 300; i++ {
		off := r.Int63n(int64(len(data)))
		n := 1 + r.Intn(3000)
		got := make([]byte, n)
		gn, err := ra.ReadAt(got, off)
		want := data[off:min(off+int64(n), int64(len(data)))]
		if gn != len(want) || !bytes.Equal(got[:gn], want) || (gn < n) != (err != nil) {
			t.Fatalf("ReadAt(%d, %d) = %d, %v", off, n, gn, err)
		}
	}
	if frsCalls != 0 || intoCalls == 0 {
		t.Fatalf("FileReaderSync read %d times, biReadInto %d", frsCalls, intoCalls)
	}
	short = true
	if _, err := newBlobReaderAt(blob, int64(len(data))).ReadAt(make([]byte, 10), 2*blockSize+5); err == nil || !strings.Contains(err.Error(), "short read at offset 131072") {
		t.Fatalf("a short block read gave %v", err)
	}
	short, refuse = false, true
	if _, err := newBlobReaderAt(blob, int64(len(data))).ReadAt(make([]byte, 10), 3*blockSize+7); err == nil || !strings.Contains(err.Error(), "at offset 196608: the browser could not read it: NotReadableError") {
		t.Fatalf("a read the browser refused gave %v", err)
	}
}
