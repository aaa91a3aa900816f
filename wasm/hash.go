//go:build js && wasm

package main

import (
	"crypto/sha256"
	"hash"
	"sync"
	"sync/atomic"
	"syscall/js"
	"time"
)

// suppliedRangeCRC32 is suppliedRangeSHA256 for a stored zip entry
// (container.InputFile.RangeCRC32): self.biRangeHash(placeholder, offset,
// length, crc) has the hash worker also check the entry's CRC-32; the page
// reads the inputs again, Go checking, when one differs (app.js).
func suppliedRangeCRC32(f js.Value) func(off, n int64, crc uint32) func() string {
	v := f.Get("sha256")
	fn := js.Global().Get("biRangeHash")
	if v.Type() != js.TypeString || fn.Type() != js.TypeFunction {
		return nil
	}
	key := v.String()
	return func(off, n int64, crc uint32) func() string {
		r := fn.Invoke(key, float64(off), float64(n), float64(crc))
		if r.Type() != js.TypeString {
			return nil
		}
		s := r.String()
		return func() string { return s }
	}
}

// Go's crypto/sha256 runs as generic Go code in wasm (~70–100 MiB/s in
// Chromium here); hash-wasm's SHA-256 (hand-written C compiled to wasm)
// runs at ~200 MiB/s. The worker glue (web/src/hash-pool.js) keeps a pool
// of hash-wasm hashers; jsSHA256 drives one of them and is what
// container.Options.NewHash returns when the pool is there. Without it
// (Node tests, the pool empty) newFileHash returns nil and the walker uses
// crypto/sha256.

// hashChunk is the size of the JS buffer the bytes are copied through.
const hashChunk = 64 << 10

var (
	jsHasher        js.Value // biHasher() → a hash-wasm hasher or null
	jsHasherRelease js.Value
	jsHashUpdate    js.Value // biHashUpdate(h, n): h.update(scratch[0:n])
	jsHashScratch   js.Value // Uint8Array(hashChunk)
	jsHashOK        bool
)

func initJSHash() {
	g := js.Global()
	jsHasher, jsHasherRelease, jsHashUpdate, jsHashScratch = g.Get("biHasher"), g.Get("biHasherRelease"), g.Get("biHashUpdate"), g.Get("biHashScratch")
	jsHashOK = jsHasher.Type() == js.TypeFunction && jsHasherRelease.Type() == js.TypeFunction &&
		jsHashUpdate.Type() == js.TypeFunction && jsHashScratch.Truthy() && jsHashScratch.Length() == hashChunk
}

// newFileHash is container.Options.NewHash in the browser: a hash-wasm
// SHA-256, or nil (crypto/sha256) when none is free.
func newFileHash() hash.Hash {
	if !jsHashOK {
		return nil
	}
	h := jsHasher.Invoke()
	if !h.Truthy() {
		return nil
	}
	return &jsSHA256{h: h}
}

// jsSHA256 is a SHA-256 computed by a hash-wasm hasher. Sum finalises it:
// later Writes are ignored and Sum returns the same digest; Release gives
// the hasher back to the pool.
type jsSHA256 struct {
	h        js.Value
	sum      []byte
	n        int64
	released bool
}

func (s *jsSHA256) Write(p []byte) (int, error) {
	if s.sum != nil || s.released {
		return len(p), nil
	}
	n := len(p)
	for len(p) > 0 {
		c := min(len(p), hashChunk)
		js.CopyBytesToJS(jsHashScratch, p[:c])
		jsHashUpdate.Invoke(s.h, c)
		p = p[c:]
	}
	s.n += int64(n)
	return n, nil
}

func (s *jsSHA256) Sum(b []byte) []byte {
	if s.sum == nil && !s.released {
		d := s.h.Call("digest", "binary")
		s.sum = make([]byte, sha256.Size)
		js.CopyBytesToGo(s.sum, d)
	}
	return append(b, s.sum...)
}

func (s *jsSHA256) Release() {
	if !s.released {
		s.released = true
		jsHasherRelease.Invoke(s.h)
	}
}

func (s *jsSHA256) Reset()         { s.h.Call("init"); s.sum = nil; s.n = 0 }
func (s *jsSHA256) Size() int      { return sha256.Size }
func (s *jsSHA256) BlockSize() int { return sha256.BlockSize }

// suppliedSHA256 is the SHA-256 the page computes for a top-level file in
// its hash worker, in parallel with the parse: an input file's "sha256"
// (a placeholder the page replaces in the report when the hash is done).
func suppliedSHA256(f js.Value) func() string {
	v := f.Get("sha256")
	if v.Type() != js.TypeString {
		return nil
	}
	s := v.String()
	return func() string { return s }
}

// suppliedRangeSHA256 asks the page for the SHA-256 of a byte range of a
// top-level file (container.InputFile.RangeSHA256): the hash worker that
// hashes the file hashes the range in the same pass (hash-worker.js).
// self.biRangeHash(placeholder, offset, length) returns a placeholder for
// the range's hash (replaced in the report like the file's own), or null
// to have Go hash it. Without biRangeHash (Node) Go hashes everything.
func suppliedRangeSHA256(f js.Value) func(off, n int64) func() string {
	v := f.Get("sha256")
	fn := js.Global().Get("biRangeHash")
	if v.Type() != js.TypeString || fn.Type() != js.TypeFunction {
		return nil
	}
	key := v.String()
	return func(off, n int64) func() string {
		r := fn.Invoke(key, float64(off), float64(n))
		if r.Type() != js.TypeString {
			return nil
		}
		s := r.String()
		return func() string { return s }
	}
}

// streamMin is the size from which a file's bytes are hashed by the hash
// worker (a stream, worker.js streamHasher) instead of here: below it a
// message and a 1 MiB buffer each would cost more than hashing it.
const streamMin = 64 << 10

// streamChunk is how many bytes go to the hash worker at a time
// (worker.js STREAM_CHUNK).
const streamChunk = 1 << 20

// streamStall is how long Go waits for the hash worker to hand a buffer
// back before it gives the stream up.
var streamStall = 30 * time.Second

// streamsGone: the hash worker stopped answering in this run.
var streamsGone atomic.Bool

var jsStream struct {
	open, buf, send, abort, wait js.Value
}

// newStreamHash returns a streamSHA256 when the page gave this run a
// stream port (worker.js installStreams), else nil.
func newStreamHash() hash.Hash {
	g := js.Global()
	open := g.Get("biStreamOpen")
	if open.Type() != js.TypeFunction || streamsGone.Load() {
		return nil
	}
	jsStream.open, jsStream.buf, jsStream.send, jsStream.abort, jsStream.wait = open, g.Get("biStreamBuf"), g.Get("biStreamSend"), g.Get("biStreamAbort"), g.Get("biStreamWait")
	return &streamSHA256{}
}

// streamBufs are the 1 MiB buffers of the streams being written.
var streamBufs = sync.Pool{New: func() any { b := make([]byte, 0, streamChunk); return &b }}

// streamSHA256 is the SHA-256 of a file inside an input that the hash
// worker computes from the bytes sent to it (a 1 GiB compressed .ab: the
// ~3.5 s of hashing its entries leave the parse's thread). Its result is a
// placeholder (container's Placeholder hook), replaced in the report like
// the inputs' hashes. A file shorter than streamMin is hashed here when it
// ends (Sum).
type streamSHA256 struct {
	buf    *[]byte  // bytes not yet sent (all of them until streamMin)
	st     js.Value // the stream, once opened
	id     string
	ended  bool
	failed bool
}

func (s *streamSHA256) Write(p []byte) (int, error) {
	n := len(p)
	if s.ended || s.failed {
		return n, nil
	}
	if s.buf == nil {
		s.buf = streamBufs.Get().(*[]byte)
	}
	for len(p) > 0 {
		b := *s.buf
		c := min(len(p), cap(b)-len(b))
		b = append(b, p[:c]...)
		*s.buf = b
		p = p[c:]
		if len(b) == cap(b) && !s.flush(false) {
			return n, nil
		}
	}
	return n, nil
}

// flush sends the buffered bytes (opening the stream first); false when
// the stream cannot go on (the run ended).
func (s *streamSHA256) flush(last bool) bool {
	if s.st.IsUndefined() {
		s.st = jsStream.open.Invoke()
		if s.st.Type() != js.TypeObject {
			s.failed = true
			return false
		}
	}
	b := *s.buf
	u8 := jsStream.buf.Invoke(s.st)
	js.CopyBytesToJS(u8, b)
	wait := jsStream.send.Invoke(s.st, len(b), last).Truthy()
	*s.buf = b[:0]
	if wait {
		// In flight at the credit's limit: wait for the hash worker. One
		// that does not answer (gone) leaves the file without a hash, the
		// parse going on; a cancelled run stops.
		if _, err := awaitFor(jsStream.wait.Invoke(), streamStall); err != nil || (running.Load() && canceled.Load()) {
			if err != nil {
				streamsGone.Store(true) // the rest of the run hashes here
			}
			s.failed = true
			return false
		}
	}
	return true
}

// Placeholder ends the stream and returns its placeholder, or "" for a
// file hashed here (Sum).
func (s *streamSHA256) Placeholder() string {
	if s.failed {
		return ""
	}
	if s.st.IsUndefined() && (s.buf == nil || len(*s.buf) < streamMin) {
		return ""
	}
	if !s.ended {
		if s.buf == nil {
			s.buf = streamBufs.Get().(*[]byte)
		}
		if !s.flush(true) {
			return ""
		}
		s.ended = true
		s.id = s.st.Get("id").String()
	}
	return s.id
}

// Sum is the hash of a file shorter than streamMin. The walker asks
// Placeholder (and Failed) first: a stream's hash is the hash worker's.
func (s *streamSHA256) Sum(b []byte) []byte {
	var small []byte
	if s.buf != nil && s.st.IsUndefined() {
		small = *s.buf
	}
	if h := newFileHash(); h != nil {
		h.Write(small)
		b = h.Sum(b)
		h.(*jsSHA256).Release()
		return b
	}
	sum := sha256.Sum256(small)
	return append(b, sum[:]...)
}

// Failed: the bytes could not all be sent: the file gets no hash.
func (s *streamSHA256) Failed() bool { return s.failed }

func (s *streamSHA256) Release() {
	if !s.st.IsUndefined() && !s.ended {
		jsStream.abort.Invoke(s.st)
	}
	s.ended = true
	if s.buf != nil {
		*s.buf = (*s.buf)[:0]
		streamBufs.Put(s.buf)
		s.buf = nil
	}
}

func (s *streamSHA256) Reset() {
	s.Release()
	s.st, s.id, s.ended, s.failed = js.Undefined(), "", false, false
}
func (s *streamSHA256) Size() int      { return sha256.Size }
func (s *streamSHA256) BlockSize() int { return sha256.BlockSize }
