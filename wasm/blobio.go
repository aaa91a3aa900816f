//go:build js && wasm

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"syscall/js"
	"time"
)

// yieldEvery is how long a run may read synchronously (FileReaderSync)
// before it lets the worker's event loop run, so that a cancel request is
// seen while a big file is being read.
const yieldEvery = 50 * time.Millisecond

var lastYield time.Time

// checkRun returns context.Canceled once the page cancelled the running
// inspection, and now and then yields to the JS event loop.
func checkRun() error {
	if !running.Load() {
		return nil
	}
	if canceled.Load() {
		return context.Canceled
	}
	if now := time.Now(); now.Sub(lastYield) > yieldEvery {
		lastYield = now
		yieldToJS()
		if canceled.Load() {
			return context.Canceled
		}
	}
	return nil
}

// yieldToJS blocks the calling goroutine until a zero-delay timer fires,
// letting the worker handle its messages meanwhile.
func yieldToJS() {
	done := make(chan struct{})
	var f js.Func
	f = js.FuncOf(func(js.Value, []js.Value) any {
		close(done)
		return nil
	})
	js.Global().Call("setTimeout", f, 0)
	<-done
	f.Release()
}

// byobChunk is the size of the buffer handed to the BYOB reader. Chromium
// returns ~300 KB a read whatever is asked; 1 MiB leaves room.
const byobChunk = 1 << 20

// blobReader is an io.Reader over blob.stream() with a BYOB reader that
// reuses one ArrayBuffer, so memory stays flat whatever the file size.
type blobReader struct {
	blob    js.Value
	rd      js.Value
	ab      js.Value
	buf     []byte
	r, n    int
	done    bool
	started bool
	pos     int64    // bytes of the blob read into buf so far
	frs     js.Value // set when the stream stalled: the rest is read with FileReaderSync
}

// readStall is how long a stream read may take before the stream is given
// up: Chromium 156 now and then never settles a BYOB read (seen in the
// hash worker on a 64 MiB slice at the end of a 4 GiB input).
var readStall = 8 * time.Second

func newBlobReader(blob js.Value) *blobReader { return &blobReader{blob: blob} }

// spare is the buffers of the last blobReader that ended: the next one
// takes them (a stored zip entry's check, a tar in a zip, a database
// scanned: many readers one after the other), instead of each leaving a
// 1 MiB ArrayBuffer for V8 and a 1 MiB slice for Go to collect (a 1 GiB
// dump zip's 39 entries: ~40 MiB of each).
var spare struct {
	sync.Mutex
	ab  js.Value
	buf []byte
}

func (b *blobReader) start() {
	b.started = true
	b.rd = b.blob.Call("stream").Call("getReader", map[string]any{"mode": "byob"})
	spare.Lock()
	b.ab, b.buf = spare.ab, spare.buf
	spare.ab, spare.buf = js.Value{}, nil
	spare.Unlock()
	if b.buf == nil {
		b.ab = js.Global().Get("ArrayBuffer").New(byobChunk)
		b.buf = make([]byte, byobChunk)
	}
}

// release hands the reader's buffers to the next one, when its ArrayBuffer
// is still whole (not transferred to a read that did not settle).
func (b *blobReader) release() {
	if b.buf != nil && b.ab.Type() == js.TypeObject && b.ab.Get("byteLength").Int() == byobChunk {
		spare.Lock()
		spare.ab, spare.buf = b.ab, b.buf
		spare.Unlock()
	}
	b.ab, b.buf, b.r, b.n = js.Value{}, nil, 0, 0
}

func (b *blobReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if running.Load() && canceled.Load() {
		return 0, context.Canceled
	}
	if !b.started {
		b.start()
	}
	for b.r >= b.n {
		if b.done {
			return 0, io.EOF
		}
		if b.frs.Truthy() {
			if err := b.readSync(); err != nil {
				return 0, err
			}
			continue
		}
		res, err := awaitFor(b.rd.Call("read", js.Global().Get("Uint8Array").New(b.ab, 0, byobChunk)), readStall)
		if errors.Is(err, errStalled) {
			frs := js.Global().Get("FileReaderSync")
			if !frs.Truthy() {
				return 0, fmt.Errorf("reading %s: a read of its stream did not complete in %v", b.blob.Get("name").String(), readStall)
			}
			b.rd.Call("cancel")
			b.frs = frs.New()
			b.ab = js.Value{}
			continue
		}
		if err != nil {
			return 0, fmt.Errorf("reading %s: %w", b.blob.Get("name").String(), err)
		}
		if res.Get("done").Bool() {
			b.done = true
			if v := res.Get("value"); v.Type() == js.TypeObject {
				b.ab = v.Get("buffer") // the buffer the read was given, handed back
			}
			b.release()
			return 0, io.EOF
		}
		v := res.Get("value")
		b.n, b.r = js.CopyBytesToGo(b.buf, v), 0
		b.pos += int64(b.n)
		b.ab = v.Get("buffer") // the same memory, handed back for the next read
	}
	n := copy(p, b.buf[b.r:b.n])
	b.r += n
	return n, nil
}

// readSync fills buf from b.pos with FileReaderSync (after a stall).
func (b *blobReader) readSync() error {
	size := int64(b.blob.Get("size").Float())
	if b.pos >= size {
		b.done = true
		return nil
	}
	end := min(b.pos+byobChunk, size)
	ab := b.frs.Call("readAsArrayBuffer", b.blob.Call("slice", b.pos, end))
	b.n, b.r = js.CopyBytesToGo(b.buf, js.Global().Get("Uint8Array").New(ab)), 0
	if int64(b.n) != end-b.pos {
		return fmt.Errorf("reading %s: short read at offset %d", b.blob.Get("name").String(), b.pos)
	}
	b.pos = end
	return nil
}

func (b *blobReader) Close() error {
	if b.started && !b.done {
		if !b.frs.Truthy() {
			b.rd.Call("cancel")
		}
		b.done = true
		b.release()
	}
	return nil
}

// blobReaderAt is an io.ReaderAt over a Blob, reading slices synchronously
// with FileReaderSync (available in workers only). Reads go through a small
// block cache so that page-sized reads of an SQLite file do not each cross
// into JS.
type blobReaderAt struct {
	blob  js.Value
	size  int64
	frs   js.Value
	into  js.Value // self.biReadInto, when the worker has it
	buf   js.Value // a Uint8Array of blockSize that into fills
	cache [cacheBlocks]cacheBlock
	tick  uint64
}

const (
	blockSize   = 64 << 10
	cacheBlocks = 16
)

type cacheBlock struct {
	off  int64
	n    int
	used uint64
	data []byte
}

func newBlobReaderAt(blob js.Value, size int64) io.ReaderAt {
	frs := js.Global().Get("FileReaderSync")
	if !frs.Truthy() {
		return nil // not in a worker: sequential reads only
	}
	b := &blobReaderAt{blob: blob, size: size, frs: frs.New()}
	// self.biReadInto(blob, off, end, u8) reads [off, end) into u8 and
	// returns how many bytes there were (web/src/worker.js). With it a
	// block costs Go no js.Value: every value a call returns (the slice,
	// FileReaderSync's ArrayBuffer, a Uint8Array of it) stays referenced
	// from Go's table until a finalizer of Go's runs, and finalizers run
	// only when Go waits (they do not while its code runs synchronously).
	// A 1 GiB dump reads 1,864 blocks (116 MiB) so; the renderer's peak
	// did not move measurably with it (the parse waits often enough), but
	// the buffers no longer depend on when Go waits.
	if into := js.Global().Get("biReadInto"); into.Type() == js.TypeFunction {
		b.into, b.buf = into, js.Global().Get("Uint8Array").New(blockSize)
	}
	for i := range b.cache {
		b.cache[i].off = -1
	}
	return newSeqReaderAt(b, blob, size) // sequential runs from a stream
}

var errNegativeOffset = errors.New("negative offset")

func (b *blobReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errNegativeOffset
	}
	if err := checkRun(); err != nil {
		return 0, err
	}
	n := 0
	for n < len(p) {
		pos := off + int64(n)
		if pos >= b.size {
			return n, io.EOF
		}
		blk, err := b.block(pos - pos%blockSize)
		if err != nil {
			return n, err
		}
		i := int(pos - blk.off)
		if i >= blk.n {
			return n, io.EOF
		}
		n += copy(p[n:], blk.data[i:blk.n])
	}
	return n, nil
}

func (b *blobReaderAt) block(off int64) (*cacheBlock, error) {
	b.tick++
	victim := 0
	for i := range b.cache {
		c := &b.cache[i]
		if c.off == off {
			c.used = b.tick
			return c, nil
		}
		if c.used < b.cache[victim].used {
			victim = i
		}
	}
	c := &b.cache[victim]
	end := off + blockSize
	if end > b.size {
		end = b.size
	}
	if c.data == nil {
		c.data = make([]byte, blockSize)
	}
	if b.into.Truthy() {
		v := b.into.Invoke(b.blob, off, end, b.buf)
		if v.Type() != js.TypeNumber {
			// The browser could not read the file (changed or gone since it
			// was chosen): the helper says why instead of throwing.
			c.off = -1
			return nil, fmt.Errorf("reading %s at offset %d: the browser could not read it: %s", b.blob.Get("name").String(), off, v.String())
		}
		c.n = v.Int()
		if int64(c.n) == end-off {
			js.CopyBytesToGo(c.data[:c.n], b.buf)
		}
	} else {
		ab := b.frs.Call("readAsArrayBuffer", b.blob.Call("slice", off, end))
		c.n = js.CopyBytesToGo(c.data, js.Global().Get("Uint8Array").New(ab))
	}
	if int64(c.n) != end-off {
		c.off = -1
		return nil, fmt.Errorf("reading %s: short read at offset %d", b.blob.Get("name").String(), off)
	}
	c.off, c.used = off, b.tick
	return c, nil
}
