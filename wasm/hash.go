//go:build js && wasm

package main

import (
	"crypto/sha256"
	"hash"
	"syscall/js"
)

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
