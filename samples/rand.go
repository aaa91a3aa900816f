//go:build !js

package samples

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"hash/fnv"
	"strconv"
	"strings"
)

// Rand is the generator's deterministic pseudo-random source (SplitMix64).
// It is defined here rather than taken from math/rand so that the byte
// output of a seed can never change with a Go release.
type Rand struct{ s uint64 }

// NewRand returns a source for seed and a stream label. Different labels give
// independent streams, so adding a field to one part of the model does not
// shift the values of another part.
func NewRand(seed uint64, label string) *Rand {
	h := fnv.New64a()
	h.Write([]byte(label))
	r := &Rand{s: seed ^ h.Sum64()}
	r.Uint64()
	return r
}

// Uint64 returns the next 64 pseudo-random bits.
func (r *Rand) Uint64() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// Intn returns a value in [0, n). n must be > 0.
func (r *Rand) Intn(n int) int {
	if n <= 0 {
		panic("samples: Intn with n <= 0")
	}
	return int(r.Uint64() % uint64(n))
}

// Range returns a value in [lo, hi] (inclusive).
func (r *Rand) Range(lo, hi int) int { return lo + r.Intn(hi-lo+1) }

// Int63n returns a value in [0, n).
func (r *Rand) Int63n(n int64) int64 { return int64(r.Uint64() % uint64(n)) }

// Chance is true with probability p.
func (r *Rand) Chance(p float64) bool {
	return float64(r.Uint64()>>11)/float64(1<<53) < p
}

// Digits returns n random decimal digits.
func (r *Rand) Digits(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(byte('0' + r.Intn(10)))
	}
	return b.String()
}

// Hex returns n random lower-case hex digits.
func (r *Rand) Hex(n int) string {
	const hx = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = hx[r.Intn(16)]
	}
	return string(b)
}

// Bytes returns n random bytes.
func (r *Rand) Bytes(n int) []byte {
	b := make([]byte, n)
	for i := 0; i < n; i += 8 {
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], r.Uint64())
		copy(b[i:], w[:])
	}
	return b
}

// pick returns a random element of s.
func pick[T any](r *Rand, s []T) T { return s[r.Intn(len(s))] }

// shuffle permutes s in place (Fisher-Yates).
func shuffle[T any](r *Rand, s []T) {
	for i := len(s) - 1; i > 0; i-- {
		j := r.Intn(i + 1)
		s[i], s[j] = s[j], s[i]
	}
}

// byteStream is a fast deterministic filler for bulk media bytes: AES-256-CTR
// over zeros, keyed from the seed and a label (several GB/s with AES-NI).
type byteStream struct{ s cipher.Stream }

func newByteStream(seed uint64, label string) *byteStream {
	r := NewRand(seed, "bytes:"+label)
	blk, err := aes.NewCipher(r.Bytes(32))
	if err != nil {
		panic(err)
	}
	return &byteStream{s: cipher.NewCTR(blk, r.Bytes(16))}
}

// Read fills p; it never fails.
func (b *byteStream) Read(p []byte) (int, error) {
	clear(p)
	b.s.XORKeyStream(p, p)
	return len(p), nil
}

func itoa(i int) string     { return strconv.Itoa(i) }
func i64toa(i int64) string { return strconv.FormatInt(i, 10) }
