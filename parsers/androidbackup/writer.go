package androidbackup

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/klauspost/compress/zlib"
)

// WriterOptions configure NewWriter.
type WriterOptions struct {
	Version  int    // format version written in the header (default 5)
	Compress bool   // zlib-compress the payload
	Password string // non-empty: AES-256 encrypt
	Rounds   int    // PBKDF2 rounds (default DefaultRounds)
	// Legacy8bit computes the master-key checksum over the raw key bytes
	// (pre-Android-4.4 writers and the abe PC tool) instead of the UTF-8
	// form current Android uses.
	Legacy8bit bool
	// Rand supplies salts, IVs and the master key (default crypto/rand).
	// A seeded source gives reproducible output for test samples.
	Rand io.Reader
}

// A Writer writes an Android backup: header, then the tar bytes written to
// it, compressed and encrypted as configured. Close must be called to flush
// the zlib stream and the final padded block; it does not close the
// underlying writer.
type Writer struct {
	w    io.Writer
	zw   io.WriteCloser
	enc  *cbcWriter
	body io.Writer
}

// NewWriter writes the header to w and returns a Writer for the tar bytes.
func NewWriter(w io.Writer, o WriterOptions) (*Writer, error) {
	if o.Version == 0 {
		o.Version = MaxKnownVersion
	}
	if o.Rounds == 0 {
		o.Rounds = DefaultRounds
	}
	if o.Rand == nil {
		o.Rand = rand.Reader
	}
	var hdr strings.Builder
	comp := "0"
	if o.Compress {
		comp = "1"
	}
	fmt.Fprintf(&hdr, "%s\n%d\n%s\n", Magic, o.Version, comp)
	bw := &Writer{w: w, body: w}
	if o.Password == "" {
		hdr.WriteString(EncryptionNone + "\n")
	} else {
		rnd := func(n int) ([]byte, error) {
			b := make([]byte, n)
			_, err := io.ReadFull(o.Rand, b)
			return b, err
		}
		userSalt, err := rnd(SaltSize)
		if err != nil {
			return nil, err
		}
		ckSalt, _ := rnd(SaltSize)
		userIV, _ := rnd(IVSize)
		mkIV, _ := rnd(IVSize)
		mk, err := rnd(KeySize)
		if err != nil {
			return nil, err
		}
		userKey, err := pbkdf2.Key(sha1.New, o.Password, userSalt, o.Rounds, KeySize)
		if err != nil {
			return nil, err
		}
		ckPw := checksumPasswordUTF8(mk)
		if o.Legacy8bit {
			ckPw = string(mk)
		}
		sum, err := pbkdf2.Key(sha1.New, ckPw, ckSalt, o.Rounds, KeySize)
		if err != nil {
			return nil, err
		}
		var blob []byte
		blob = append(blob, byte(len(mkIV)))
		blob = append(blob, mkIV...)
		blob = append(blob, byte(len(mk)))
		blob = append(blob, mk...)
		blob = append(blob, byte(len(sum)))
		blob = append(blob, sum...)
		blob = pad(blob)
		block, _ := aes.NewCipher(userKey)
		cipher.NewCBCEncrypter(block, userIV).CryptBlocks(blob, blob)
		up := strings.ToUpper
		fmt.Fprintf(&hdr, "%s\n%s\n%s\n%d\n%s\n%s\n", EncryptionAES256, up(hex.EncodeToString(userSalt)),
			up(hex.EncodeToString(ckSalt)), o.Rounds, up(hex.EncodeToString(userIV)), up(hex.EncodeToString(blob)))
		mb, _ := aes.NewCipher(mk)
		bw.enc = &cbcWriter{w: w, mode: cipher.NewCBCEncrypter(mb, mkIV)}
		bw.body = bw.enc
	}
	if _, err := io.WriteString(w, hdr.String()); err != nil {
		return nil, err
	}
	if o.Compress {
		zw, err := zlib.NewWriterLevel(bw.body, zlib.BestCompression)
		if err != nil {
			return nil, err
		}
		bw.zw = zw
		bw.body = zw
	}
	return bw, nil
}

// Write writes tar bytes.
func (bw *Writer) Write(p []byte) (int, error) { return bw.body.Write(p) }

// Close flushes the compressor and the final encrypted block.
func (bw *Writer) Close() error {
	var err error
	if bw.zw != nil {
		err = bw.zw.Close()
	}
	if bw.enc != nil {
		err = errors.Join(err, bw.enc.Close())
	}
	return err
}

func pad(b []byte) []byte {
	n := aes.BlockSize - len(b)%aes.BlockSize
	for i := 0; i < n; i++ {
		b = append(b, byte(n))
	}
	return b
}

type cbcWriter struct {
	w    io.Writer
	mode cipher.BlockMode
	buf  []byte
}

func (c *cbcWriter) Write(p []byte) (int, error) {
	c.buf = append(c.buf, p...)
	n := len(c.buf) - len(c.buf)%aes.BlockSize
	if n >= 64<<10 {
		c.mode.CryptBlocks(c.buf[:n], c.buf[:n])
		if _, err := c.w.Write(c.buf[:n]); err != nil {
			return 0, err
		}
		c.buf = append(c.buf[:0], c.buf[n:]...)
	}
	return len(p), nil
}

func (c *cbcWriter) Close() error {
	b := pad(c.buf)
	c.mode.CryptBlocks(b, b)
	_, err := c.w.Write(b)
	c.buf = nil
	return err
}
