package androidbackup

import (
	"crypto/aes"
	"crypto/cipher"
	"errors"
	"io"
)

// cbcReader decrypts an AES-CBC stream block by block. It always holds back
// the last ciphertext block until the input ends, so the PKCS#5 padding can
// be checked and removed.
type cbcReader struct {
	src  *countingReader
	mode cipher.BlockMode
	base int64 // offset of src's first byte in the input

	raw  []byte // ciphertext buffer
	nraw int    // bytes in raw
	out  []byte // decrypted bytes ready to return (slice of dec)
	dec  []byte
	eof  bool
	err  error
}

const cbcChunk = 64 << 10

func (c *cbcReader) Read(p []byte) (int, error) {
	for len(c.out) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		c.fill()
	}
	n := copy(p, c.out)
	c.out = c.out[n:]
	return n, nil
}

// fill reads more ciphertext and decrypts everything but the last block.
func (c *cbcReader) fill() {
	if c.raw == nil {
		c.raw = make([]byte, cbcChunk+aes.BlockSize)
		c.dec = make([]byte, cbcChunk+aes.BlockSize)
	}
	if c.eof {
		c.err = io.EOF
		return
	}
	// Read until we have at least two blocks (one to return, one to hold
	// back) or the input ends.
	for !c.eof && c.nraw < 2*aes.BlockSize {
		n, err := c.src.Read(c.raw[c.nraw:])
		c.nraw += n
		if err == io.EOF {
			c.eof = true
		} else if err != nil {
			c.err = err
			return
		}
	}
	if c.eof {
		if c.nraw%aes.BlockSize != 0 || c.nraw == 0 {
			c.err = &CorruptError{Offset: c.base + c.src.n, Truncated: true, Layer: "aes",
				Err: errors.New("ciphertext is not a whole number of 16-byte blocks")}
			return
		}
		c.mode.CryptBlocks(c.dec[:c.nraw], c.raw[:c.nraw])
		plain, ok := unpad(c.dec[:c.nraw])
		if !ok {
			c.err = &CorruptError{Offset: c.base + c.src.n, Truncated: true, Layer: "aes",
				Err: errors.New("invalid padding in the last block")}
			return
		}
		c.out = plain
		c.nraw = 0
		return
	}
	// Decrypt all whole blocks except the last one.
	whole := (c.nraw / aes.BlockSize) * aes.BlockSize
	keep := c.nraw - whole + aes.BlockSize // partial tail + one held-back block
	if whole == c.nraw {
		keep = aes.BlockSize
	}
	n := c.nraw - keep
	n -= n % aes.BlockSize
	c.mode.CryptBlocks(c.dec[:n], c.raw[:n])
	c.out = c.dec[:n]
	copy(c.raw, c.raw[n:c.nraw])
	c.nraw -= n
}
