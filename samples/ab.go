//go:build !js

package samples

import (
	"bytes"
	"compress/zlib"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"

	kzlib "github.com/klauspost/compress/zlib"
)

// ABOptions selects the Android backup stream variant.
type ABOptions struct {
	Version  int    // 1..5
	Compress bool   // zlib layer
	Password string // "" = not encrypted
	// EightBit uses the pre-4.4 checksum form (master key bytes used
	// directly as the PBKDF2 password, and 8-bit password bytes).
	EightBit bool
	Rounds   int  // PBKDF2 iterations (default 10000)
	Fast     bool // compress with level 1 (klauspost) instead of Java's level 9
}

// abWriter stacks tar → zlib → AES-256-CBC → file.
type abWriter struct {
	out   io.Writer
	zw    io.WriteCloser
	enc   *cbcWriter
	inner io.Writer // where the tar goes
}

// newABWriter writes the "ANDROID BACKUP" header to out and returns the
// writer the tar must be written to. r supplies salts, IVs and the master
// key (deterministic per seed).
func newABWriter(out io.Writer, o ABOptions, r *Rand) (*abWriter, error) {
	if o.Version == 0 {
		o.Version = 5
	}
	if o.Rounds == 0 {
		o.Rounds = 10000
	}
	comp := 0
	if o.Compress {
		comp = 1
	}
	a := &abWriter{out: out}
	var hdr strings.Builder
	fmt.Fprintf(&hdr, "ANDROID BACKUP\n%d\n%d\n", o.Version, comp)
	payload := out
	if o.Password == "" {
		hdr.WriteString("none\n")
	} else {
		userSalt, ckSalt := r.Bytes(64), r.Bytes(64)
		userIV, mIV, mKey := r.Bytes(16), r.Bytes(16), r.Bytes(32)
		pw := passwordBytes(o.Password, o.EightBit)
		userKey, err := pbkdf2.Key(sha1.New, string(pw), userSalt, o.Rounds, 32)
		if err != nil {
			return nil, err
		}
		ck, err := pbkdf2.Key(sha1.New, string(masterKeyAsPassword(mKey, o.EightBit)), ckSalt, o.Rounds, 32)
		if err != nil {
			return nil, err
		}
		var blob bytes.Buffer
		blob.WriteByte(16)
		blob.Write(mIV)
		blob.WriteByte(32)
		blob.Write(mKey)
		blob.WriteByte(32)
		blob.Write(ck)
		encBlob, err := cbcEncryptAll(userKey, userIV, blob.Bytes())
		if err != nil {
			return nil, err
		}
		up := func(b []byte) string { return strings.ToUpper(hex.EncodeToString(b)) }
		fmt.Fprintf(&hdr, "AES-256\n%s\n%s\n%d\n%s\n%s\n", up(userSalt), up(ckSalt), o.Rounds, up(userIV), up(encBlob))
		blk, err := aes.NewCipher(mKey)
		if err != nil {
			return nil, err
		}
		a.enc = &cbcWriter{w: out, mode: cipher.NewCBCEncrypter(blk, mIV)}
		payload = a.enc
	}
	if _, err := io.WriteString(out, hdr.String()); err != nil {
		return nil, err
	}
	a.inner = payload
	if o.Compress {
		var err error
		if o.Fast {
			a.zw, err = kzlib.NewWriterLevel(payload, kzlib.BestSpeed)
		} else {
			a.zw, err = zlib.NewWriterLevel(payload, zlib.BestCompression) // Java Deflater level 9: 78 DA
		}
		if err != nil {
			return nil, err
		}
		a.inner = a.zw
	}
	return a, nil
}

func (a *abWriter) Write(p []byte) (int, error) { return a.inner.Write(p) }

// Close flushes zlib and the final padded cipher block.
func (a *abWriter) Close() error {
	if a.zw != nil {
		if err := a.zw.Close(); err != nil {
			return err
		}
	}
	if a.enc != nil {
		return a.enc.Close()
	}
	return nil
}

// passwordBytes encodes the user password: UTF-8, or (8-bit mode) the low
// byte of each UTF-16 code unit.
func passwordBytes(pw string, eightBit bool) []byte {
	if !eightBit {
		return []byte(pw)
	}
	u := utf16.Encode([]rune(pw))
	b := make([]byte, len(u))
	for i, c := range u {
		b[i] = byte(c)
	}
	return b
}

// masterKeyAsPassword reproduces Android's checksum quirk: each key byte
// becomes a Java char by sign extension, and the chars are UTF-8 encoded
// (or, in 8-bit mode, the raw bytes are used).
func masterKeyAsPassword(key []byte, eightBit bool) []byte {
	if eightBit {
		return append([]byte(nil), key...)
	}
	var out []byte
	for _, b := range key {
		if b < 0x80 {
			out = append(out, b)
			continue
		}
		c := uint16(0xFF00) | uint16(b) // sign extension: U+FF80..U+FFFF
		out = append(out, 0xE0|byte(c>>12), 0x80|byte(c>>6)&0x3F, 0x80|byte(c)&0x3F)
	}
	return out
}

func pkcs7(b []byte) []byte {
	n := 16 - len(b)%16
	return append(b, bytes.Repeat([]byte{byte(n)}, n)...)
}

func cbcEncryptAll(key, iv, plain []byte) ([]byte, error) {
	blk, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	p := pkcs7(append([]byte(nil), plain...))
	cipher.NewCBCEncrypter(blk, iv).CryptBlocks(p, p)
	return p, nil
}

// cbcWriter encrypts a stream with AES-CBC and PKCS#7 padding at Close.
type cbcWriter struct {
	w    io.Writer
	mode cipher.BlockMode
	buf  []byte
	out  []byte
}

func (c *cbcWriter) Write(p []byte) (int, error) {
	n := len(p)
	c.buf = append(c.buf, p...)
	full := len(c.buf) / 16 * 16
	if full > 0 {
		if cap(c.out) < full {
			c.out = make([]byte, full)
		}
		out := c.out[:full]
		c.mode.CryptBlocks(out, c.buf[:full])
		if _, err := c.w.Write(out); err != nil {
			return 0, err
		}
		c.buf = append(c.buf[:0], c.buf[full:]...)
	}
	return n, nil
}

func (c *cbcWriter) Close() error {
	last := pkcs7(c.buf)
	c.mode.CryptBlocks(last, last)
	_, err := c.w.Write(last)
	c.buf = nil
	return err
}
