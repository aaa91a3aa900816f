// Package androidbackup reads Android "adb backup" streams (.ab files, and the
// stream embedded in Xiaomi MIUI .bak files).
//
// An Android backup is a short text header ("ANDROID BACKUP", format version,
// compression flag, encryption name and, when encrypted, the key-derivation
// parameters) followed by a payload that is optionally AES-256-CBC encrypted
// and optionally zlib compressed. The decoded payload is a tar archive.
//
// A Reader is an io.Reader over those tar bytes, much like compress/gzip's
// Reader is over the uncompressed data: wrap it in archive/tar to list the
// entries. Everything streams: decryption holds back one 16-byte block for
// padding removal, so a multi-gigabyte backup never sits in memory.
//
// Errors are typed: ErrPasswordRequired and ErrWrongPassword for encrypted
// backups, *HeaderError for a malformed header (it names the line), and
// *CorruptError for damaged or truncated payloads (it carries the byte
// offset; errors.Is(err, ErrTruncated) tells truncation apart).
package androidbackup

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/pbkdf2"
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/klauspost/compress/zlib"
)

// Magic is the first header line of every Android backup.
const Magic = "ANDROID BACKUP"

// MaxKnownVersion is the newest format version this package knows about.
// Newer versions are accepted with a warning (Header.Warning).
const MaxKnownVersion = 5

// Encryption names used in header line 4.
const (
	EncryptionNone   = "none"
	EncryptionAES256 = "AES-256"
)

// Constants of the encryption scheme (formats.md §3.3).
const (
	SaltSize      = 64 // bytes of the user and checksum salts
	IVSize        = 16 // AES block size and IV length
	KeySize       = 32 // AES-256 key length
	DefaultRounds = 10000
	// MaxRounds bounds the PBKDF2 iteration count read from a file so a
	// hostile header cannot make unlocking take hours.
	MaxRounds = 200000
	// maxLine bounds a header line; the longest legitimate one is the
	// 192-hex-character master-key blob.
	maxLine = 1024
	// maxBlob bounds the encrypted master-key blob (96 bytes in practice).
	maxBlob = 512
)

var (
	// ErrPasswordRequired is returned for an encrypted backup when no
	// password was supplied.
	ErrPasswordRequired = errors.New("androidbackup: password required")
	// ErrWrongPassword is returned when the password does not decrypt the
	// master key (bad padding or master-key checksum mismatch).
	ErrWrongPassword = errors.New("androidbackup: wrong password")
	// ErrHeader matches every *HeaderError through errors.Is.
	ErrHeader = errors.New("androidbackup: invalid header")
	// ErrNotAndroidBackup matches a *HeaderError about the magic line.
	ErrNotAndroidBackup = errors.New("androidbackup: not an Android backup")
	// ErrCorrupt matches every *CorruptError through errors.Is.
	ErrCorrupt = errors.New("androidbackup: corrupt payload")
	// ErrTruncated matches a *CorruptError whose cause is a premature end.
	ErrTruncated = errors.New("androidbackup: truncated")
)

// A HeaderError reports a malformed header line.
type HeaderError struct {
	Offset int64  // byte offset of the start of the line in the input
	Line   int    // 1-based header line number
	Field  string // what the line holds, e.g. "user password salt"
	Reason string // what is wrong
}

func (e *HeaderError) Error() string {
	return fmt.Sprintf("androidbackup: bad header line %d (%s) at offset %d: %s", e.Line, e.Field, e.Offset, e.Reason)
}

// Is makes errors.Is(err, ErrHeader) true, and errors.Is(err,
// ErrNotAndroidBackup) true for a bad magic line.
func (e *HeaderError) Is(target error) bool {
	return target == ErrHeader || (target == ErrNotAndroidBackup && e.Line == 1)
}

// A CorruptError reports a damaged or truncated payload.
type CorruptError struct {
	Offset    int64  // byte offset in the input where the problem was noticed
	Truncated bool   // the input ended too early
	Layer     string // "header", "aes", "zlib"
	Err       error  // underlying error, may be nil
}

func (e *CorruptError) Error() string {
	var s string
	if e.Truncated {
		s = fmt.Sprintf("androidbackup: truncated at offset %d", e.Offset)
	} else {
		s = fmt.Sprintf("androidbackup: corrupt %s data at offset %d", e.Layer, e.Offset)
	}
	if e.Truncated && e.Layer != "" {
		s += " (in " + e.Layer + " layer)"
	}
	if e.Err != nil && !errors.Is(e.Err, io.ErrUnexpectedEOF) {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is makes errors.Is(err, ErrCorrupt) true, and errors.Is(err, ErrTruncated)
// true for truncation.
func (e *CorruptError) Is(target error) bool {
	return target == ErrCorrupt || (target == ErrTruncated && e.Truncated)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Header is the parsed text header.
type Header struct {
	Version    int    // format version (1–5 known)
	Compressed bool   // payload is a zlib stream
	Encryption string // EncryptionNone or EncryptionAES256
	// Encryption parameters; nil/zero when not encrypted.
	UserSalt      []byte
	ChecksumSalt  []byte
	Rounds        int
	UserIV        []byte
	MasterKeyBlob []byte
	// Size is the header length in bytes (the payload starts there,
	// relative to the start of the Android backup stream).
	Size int64
	// Warning is non-empty for an accepted oddity such as a version
	// newer than MaxKnownVersion.
	Warning string
}

// Encrypted reports whether the payload is AES-256 encrypted.
func (h *Header) Encrypted() bool { return h.Encryption == EncryptionAES256 }

// Options configure NewReader. The zero value reads unencrypted backups and
// fails with ErrPasswordRequired on encrypted ones.
type Options struct {
	// Candidates are passwords tried silently, in order, before Password
	// is asked.
	Candidates []string
	// Password is called when the backup is encrypted. attempt counts from
	// 1; lastErr is ErrWrongPassword when an earlier password failed.
	// Returning ok=false stops asking.
	Password func(attempt int, lastErr error) (password string, ok bool)
	// MaxAttempts bounds the calls to Password (default 3).
	MaxAttempts int
	// BaseOffset is added to every offset in errors (the position of the
	// stream in the enclosing file, e.g. after a MIUI header).
	BaseOffset int64
}

// StaticPassword returns an Options.Password function that supplies p once.
func StaticPassword(p string) func(int, error) (string, bool) {
	return func(attempt int, _ error) (string, bool) { return p, attempt == 1 }
}

// A Reader is an io.Reader over the decoded tar bytes of an Android backup.
type Reader struct {
	hdr     *Header
	payload *countingReader // counts payload bytes consumed from the input
	out     io.Reader       // final decoded stream
	zr      io.ReadCloser   // zlib reader, if compressed
	base    int64           // BaseOffset + header size
	err     error           // sticky error
	blocks  *blockReader    // for plain payloads
	// MatchedMode describes which key-derivation variant unlocked an
	// encrypted backup ("utf8" or "8bit" for the password, same for the
	// checksum); empty when unencrypted.
	mode string
}

// NewReader parses the header from r, unlocks the master key if the backup
// is encrypted, and returns a Reader over the tar bytes. r is read
// sequentially and never past what is needed.
func NewReader(r io.Reader, opts *Options) (*Reader, error) {
	if opts == nil {
		opts = &Options{}
	}
	br, ok := r.(*bufio.Reader)
	if !ok || br.Size() < 4096 {
		br = bufio.NewReaderSize(r, 64<<10)
	}
	hdr, err := readHeader(br, opts.BaseOffset)
	if err != nil {
		return nil, err
	}
	ar := &Reader{hdr: hdr, base: opts.BaseOffset + hdr.Size}
	ar.payload = &countingReader{r: br}
	var src io.Reader = ar.payload
	if hdr.Encrypted() {
		key, iv, mode, err := unlock(hdr, opts)
		if err != nil {
			return nil, err
		}
		ar.mode = mode
		block, _ := aes.NewCipher(key)
		src = &cbcReader{src: ar.payload, mode: cipher.NewCBCDecrypter(block, iv), base: ar.base}
	}
	if hdr.Compressed {
		zr, err := zlib.NewReader(src)
		if err != nil {
			return nil, ar.wrap(err, "zlib")
		}
		ar.zr = zr
		src = zr
	}
	if !hdr.Compressed && !hdr.Encrypted() {
		ar.blocks = &blockReader{src: src}
		src = ar.blocks
	}
	ar.out = src
	return ar, nil
}

// Header returns the parsed header.
func (r *Reader) Header() *Header { return r.hdr }

// KeyMode tells which encoding variants unlocked an encrypted backup, e.g.
// "password=utf8 checksum=8bit"; empty for an unencrypted one.
func (r *Reader) KeyMode() string { return r.mode }

// Warnings returns notes about oddities that did not stop reading, such as
// a newer format version or trailing bytes after the tar.
func (r *Reader) Warnings() []string {
	var w []string
	if r.hdr.Warning != "" {
		w = append(w, r.hdr.Warning)
	}
	if r.blocks != nil && r.blocks.dropped > 0 {
		w = append(w, fmt.Sprintf("%d stray byte(s) after the last 512-byte tar block at offset %d ignored", r.blocks.dropped, r.InputOffset()-int64(r.blocks.dropped)))
	}
	return w
}

// InputOffset returns how many bytes of the input (plus Options.BaseOffset)
// have been consumed so far.
func (r *Reader) InputOffset() int64 { return r.base + r.payload.n }

// Read reads decoded tar bytes.
func (r *Reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	n, err := r.out.Read(p)
	if err != nil && err != io.EOF {
		layer := "zlib"
		if r.zr == nil {
			layer = "aes"
		}
		r.err = r.wrap(err, layer)
		return n, r.err
	}
	if err == io.EOF {
		r.err = io.EOF
	}
	return n, err
}

// Close releases the zlib reader. It does not close the underlying input.
func (r *Reader) Close() error {
	if r.zr != nil {
		return r.zr.Close()
	}
	return nil
}

func (r *Reader) wrap(err error, layer string) error {
	var ce *CorruptError
	if errors.As(err, &ce) {
		return ce
	}
	var re *readError
	if errors.As(err, &re) {
		return re.err // an error of the underlying input, e.g. context canceled
	}
	trunc := errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF)
	return &CorruptError{Offset: r.InputOffset(), Truncated: trunc, Layer: layer, Err: err}
}

// readError marks an error that came from the underlying input (not from
// the format) so it is passed through unchanged.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	if err != nil && err != io.EOF {
		err = &readError{err}
	}
	return n, err
}

// headerFields names the header lines for error messages.
var headerFields = [...]string{"", "magic", "format version", "compression flag", "encryption",
	"user password salt", "master key checksum salt", "PBKDF2 rounds", "user key IV", "master key blob"}

// ReadHeader parses the header from br, consuming exactly the header bytes.
// base is added to offsets in errors.
func ReadHeader(br *bufio.Reader, base int64) (*Header, error) {
	return readHeader(br, base)
}

func readHeader(br *bufio.Reader, base int64) (*Header, error) {
	h := &Header{}
	var off int64
	line := func(n int) (string, int64, error) {
		start := off
		var b []byte
		for {
			c, err := br.ReadByte()
			if err != nil {
				if err == io.EOF {
					if n == 1 && len(b) == 0 {
						return "", start, &HeaderError{Offset: base + start, Line: 1, Field: headerFields[1], Reason: "empty input"}
					}
					return "", start, &CorruptError{Offset: base + off, Truncated: true, Layer: "header",
						Err: fmt.Errorf("inside header line %d (%s)", n, headerFields[n])}
				}
				return "", start, &readError{err}
			}
			off++
			if c == '\n' {
				break
			}
			if len(b) >= maxLine {
				return "", start, &HeaderError{Offset: base + start, Line: n, Field: headerFields[n], Reason: fmt.Sprintf("line longer than %d bytes", maxLine)}
			}
			b = append(b, c)
		}
		return strings.TrimSuffix(string(b), "\r"), start, nil
	}
	bad := func(n int, start int64, format string, args ...any) error {
		return &HeaderError{Offset: base + start, Line: n, Field: headerFields[n], Reason: fmt.Sprintf(format, args...)}
	}

	// Line 1: the magic. Check the first bytes before reading a whole
	// "line" so binary input fails fast and with a clear message.
	if p, _ := br.Peek(len(Magic)); string(p) != Magic[:len(p)] || len(p) < len(Magic) {
		if len(p) == 0 {
			return nil, &HeaderError{Offset: base, Line: 1, Field: headerFields[1], Reason: "empty input"}
		}
		if string(p) == Magic[:len(p)] {
			return nil, &CorruptError{Offset: base + int64(len(p)), Truncated: true, Layer: "header", Err: errors.New("inside header line 1 (magic)")}
		}
		return nil, &HeaderError{Offset: base, Line: 1, Field: headerFields[1], Reason: fmt.Sprintf("got %q, want %q", printable(p), Magic)}
	}
	s, start, err := line(1)
	if err != nil {
		return nil, err
	}
	if s != Magic {
		return nil, bad(1, start, "got %q, want %q", printable([]byte(s)), Magic)
	}

	s, start, err = line(2)
	if err != nil {
		return nil, err
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 || v > 1000 {
		return nil, bad(2, start, "got %q, want a version number 1..%d", printable([]byte(s)), MaxKnownVersion)
	}
	h.Version = v
	if v > MaxKnownVersion {
		h.Warning = fmt.Sprintf("format version %d is newer than %d; reading it as version %d", v, MaxKnownVersion, MaxKnownVersion)
	}

	s, start, err = line(3)
	if err != nil {
		return nil, err
	}
	switch s {
	case "0":
	case "1":
		h.Compressed = true
	default:
		return nil, bad(3, start, "got %q, want 0 or 1", printable([]byte(s)))
	}

	s, start, err = line(4)
	if err != nil {
		return nil, err
	}
	switch s {
	case EncryptionNone:
		h.Encryption = s
		h.Size = off
		return h, nil
	case EncryptionAES256:
		h.Encryption = s
	default:
		return nil, bad(4, start, "unsupported encryption %q (want %q or %q)", printable([]byte(s)), EncryptionNone, EncryptionAES256)
	}

	hexLine := func(n, want int) ([]byte, error) {
		s, start, err := line(n)
		if err != nil {
			return nil, err
		}
		b, err := hex.DecodeString(s)
		if err != nil {
			return nil, bad(n, start, "not hexadecimal: %v", err)
		}
		if want > 0 && len(b) != want {
			return nil, bad(n, start, "%d bytes (%d hex digits), want %d bytes", len(b), len(s), want)
		}
		if want == 0 && (len(b) == 0 || len(b)%aes.BlockSize != 0 || len(b) > maxBlob) {
			return nil, bad(n, start, "%d bytes, want a non-empty multiple of %d up to %d", len(b), aes.BlockSize, maxBlob)
		}
		return b, nil
	}
	if h.UserSalt, err = hexLine(5, SaltSize); err != nil {
		return nil, err
	}
	if h.ChecksumSalt, err = hexLine(6, SaltSize); err != nil {
		return nil, err
	}
	s, start, err = line(7)
	if err != nil {
		return nil, err
	}
	rounds, err := strconv.Atoi(s)
	if err != nil || rounds < 1 || rounds > MaxRounds {
		return nil, bad(7, start, "got %q, want an iteration count 1..%d", printable([]byte(s)), MaxRounds)
	}
	h.Rounds = rounds
	if h.UserIV, err = hexLine(8, IVSize); err != nil {
		return nil, err
	}
	if h.MasterKeyBlob, err = hexLine(9, 0); err != nil {
		return nil, err
	}
	h.Size = off
	return h, nil
}

func printable(b []byte) string {
	if len(b) > 40 {
		b = b[:40]
	}
	return strings.ToValidUTF8(string(b), "\uFFFD")
}

// unlock tries the candidate passwords, then asks opts.Password.
func unlock(h *Header, opts *Options) (key, iv []byte, mode string, err error) {
	tried := false
	for _, p := range opts.Candidates {
		tried = true
		if key, iv, mode, err = h.Unlock(p); err == nil {
			return key, iv, mode, nil
		}
	}
	if opts.Password == nil {
		if tried {
			return nil, nil, "", ErrWrongPassword
		}
		return nil, nil, "", ErrPasswordRequired
	}
	max := opts.MaxAttempts
	if max <= 0 {
		max = 3
	}
	var last error
	if tried {
		last = ErrWrongPassword
	}
	for attempt := 1; attempt <= max; attempt++ {
		p, ok := opts.Password(attempt, last)
		if !ok {
			break
		}
		tried = true
		key, iv, mode, err = h.Unlock(p)
		if err == nil {
			return key, iv, mode, nil
		}
		last = err
	}
	if !tried {
		return nil, nil, "", ErrPasswordRequired
	}
	return nil, nil, "", ErrWrongPassword
}

// Unlock derives the user key from password, decrypts the master-key blob
// and verifies its checksum, trying both the UTF-8 and the legacy 8-bit
// encodings (formats.md §3.4). It returns the payload key and IV, and which
// variants matched. A failure is ErrWrongPassword.
func (h *Header) Unlock(password string) (key, iv []byte, mode string, err error) {
	if !h.Encrypted() {
		return nil, nil, "", errors.New("androidbackup: backup is not encrypted")
	}
	pwModes := []struct {
		name string
		pw   string
	}{{"utf8", password}}
	if pw8 := eightBit(password); pw8 != password {
		pwModes = append(pwModes, struct {
			name string
			pw   string
		}{"8bit", pw8})
	}
	for _, pm := range pwModes {
		userKey, err := pbkdf2.Key(sha1.New, pm.pw, h.UserSalt, h.Rounds, KeySize)
		if err != nil {
			return nil, nil, "", err
		}
		plain, ok := decryptBlob(userKey, h.UserIV, h.MasterKeyBlob)
		if !ok {
			continue
		}
		mkIV, mk, sum, ok := splitBlob(plain)
		if !ok {
			continue
		}
		for _, cm := range []struct {
			name string
			pw   string
		}{{"utf8", checksumPasswordUTF8(mk)}, {"8bit", string(mk)}} {
			calc, err := pbkdf2.Key(sha1.New, cm.pw, h.ChecksumSalt, h.Rounds, len(sum))
			if err != nil {
				return nil, nil, "", err
			}
			if bytes.Equal(calc, sum) {
				if len(mk) != KeySize || len(mkIV) != IVSize {
					return nil, nil, "", ErrWrongPassword
				}
				return mk, mkIV, "password=" + pm.name + " checksum=" + cm.name, nil
			}
		}
	}
	return nil, nil, "", ErrWrongPassword
}

// eightBit returns the legacy password bytes: each UTF-16 code unit of p
// truncated to its low byte.
func eightBit(p string) string {
	units := utf16.Encode([]rune(p))
	b := make([]byte, len(units))
	for i, u := range units {
		b[i] = byte(u)
	}
	return string(b)
}

// checksumPasswordUTF8 turns master-key bytes into the UTF-8 encoding of
// Java chars made by sign extension (0x9C → U+FF9C).
func checksumPasswordUTF8(mk []byte) string {
	b := make([]byte, 0, len(mk)*3)
	for _, c := range mk {
		if c < 0x80 {
			b = append(b, c)
		} else {
			b = utf8.AppendRune(b, rune(0xFF00|uint16(c)))
		}
	}
	return string(b)
}

func decryptBlob(key, iv, blob []byte) ([]byte, bool) {
	block, err := aes.NewCipher(key)
	if err != nil || len(blob) == 0 || len(blob)%aes.BlockSize != 0 {
		return nil, false
	}
	plain := make([]byte, len(blob))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(plain, blob)
	return unpad(plain)
}

// unpad strips PKCS#5 padding.
func unpad(b []byte) ([]byte, bool) {
	if len(b) == 0 {
		return nil, false
	}
	n := int(b[len(b)-1])
	if n < 1 || n > aes.BlockSize || n > len(b) {
		return nil, false
	}
	for _, c := range b[len(b)-n:] {
		if int(c) != n {
			return nil, false
		}
	}
	return b[:len(b)-n], true
}

// splitBlob reads the length-prefixed IV, key and checksum.
func splitBlob(p []byte) (iv, key, sum []byte, ok bool) {
	field := func() ([]byte, bool) {
		if len(p) < 1 {
			return nil, false
		}
		n := int(p[0])
		if n == 0 || 1+n > len(p) {
			return nil, false
		}
		f := p[1 : 1+n]
		p = p[1+n:]
		return f, true
	}
	if iv, ok = field(); !ok {
		return
	}
	if key, ok = field(); !ok {
		return
	}
	sum, ok = field()
	return
}

// blockReader passes an uncompressed, unencrypted tar payload through in
// whole 512-byte blocks. A short tail of only NULs or line-end bytes after
// the last whole block (e.g. a newline an editor appended) cannot belong to
// the tar and is dropped, with a warning.
type blockReader struct {
	src     io.Reader
	buf     []byte
	n       int // bytes in buf
	out     []byte
	eof     bool
	err     error
	dropped int
	shift   int // whole bytes handed out from the front of buf
}

const tarBlock = 512

func (b *blockReader) Read(p []byte) (int, error) {
	for len(b.out) == 0 {
		if b.err != nil {
			return 0, b.err
		}
		if b.eof {
			b.err = io.EOF
			tail := b.buf[:b.n]
			junk := len(tail) > 0
			for _, c := range tail {
				if c != 0 && c != '\n' && c != '\r' && c != ' ' {
					junk = false
					break
				}
			}
			if junk {
				b.dropped = len(tail)
			} else {
				b.out = tail
			}
			b.n = 0
			continue
		}
		if b.buf == nil {
			b.buf = make([]byte, 64<<10)
		}
		for b.n < tarBlock && !b.eof {
			m, err := b.src.Read(b.buf[b.n:])
			b.n += m
			if err == io.EOF {
				b.eof = true
			} else if err != nil {
				b.err = err
				return 0, err
			}
		}
		whole := b.n - b.n%tarBlock
		if whole == 0 {
			continue
		}
		b.out = b.buf[:whole]
		b.shift = whole
	}
	n := copy(p, b.out)
	b.out = b.out[n:]
	if len(b.out) == 0 && b.shift > 0 {
		copy(b.buf, b.buf[b.shift:b.n])
		b.n -= b.shift
		b.shift = 0
	}
	return n, nil
}
