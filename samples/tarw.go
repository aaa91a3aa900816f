//go:build !js

package samples

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"strings"
	"time"
)

// androidTar writes a tar stream the way Android's backup writer
// (write_tarfile in libs/androidfw/BackupHelpers.cpp) lays it out: ustar
// headers with empty user/group names, no directory entries, a pax 'x'
// header for long or non-ASCII names, and 1024 zero bytes at the end.
type androidTar struct {
	w       io.Writer
	entries []TruthEntry
	prefix  string // provenance prefix for entries ("" or "x.bak!")
	n       int64
}

func newAndroidTar(w io.Writer, provenance string) *androidTar {
	return &androidTar{w: w, prefix: provenance}
}

func (t *androidTar) write(p []byte) error {
	n, err := t.w.Write(p)
	t.n += int64(n)
	return err
}

func octal(b []byte, s string) { copy(b, s) }

// header builds one 512-byte header.
func tarHeader(name, prefix string, mode int, uid int, size int64, mtime int64, typ byte) []byte {
	h := make([]byte, 512)
	copy(h[0:100], name)
	octal(h[100:108], fmt.Sprintf("%06o ", mode&0o7777))
	octal(h[108:116], fmt.Sprintf("0%o", uid))
	octal(h[116:124], fmt.Sprintf("0%o", uid))
	octal(h[124:136], fmt.Sprintf("%011o", size))
	octal(h[136:148], fmt.Sprintf("%o", mtime))
	h[156] = typ
	copy(h[257:263], "ustar\x00")
	copy(h[263:265], "00")
	copy(h[345:500], prefix)
	for i := 148; i < 156; i++ {
		h[i] = ' '
	}
	sum := 0
	for _, c := range h {
		sum += int(c)
	}
	s := fmt.Sprintf("%06o", sum)
	copy(h[148:154], s)
	h[154] = 0
	h[155] = ' '
	return h
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func paxRecord(key, value string) string {
	rec := " " + key + "=" + value + "\n"
	n := len(rec)
	for {
		l := len(fmt.Sprint(n + len(fmt.Sprint(n))))
		if l+len(rec) == n {
			break
		}
		n = l + len(rec)
	}
	return fmt.Sprint(n) + rec
}

// File writes one regular file. full is "apps/<pkg>/<domain>/<rel>" or
// "apps/<pkg>/_manifest". size must be exact; r supplies the data.
func (t *androidTar) File(full string, mode int, uid int, mtime time.Time, size int64, r io.Reader) error {
	var mt int64
	if !mtime.IsZero() {
		mt = mtime.Unix()
	}
	// split into domain prefix and relative path: apps/<pkg>/<domain>
	domainPrefix, rel := full, ""
	parts := strings.SplitN(full, "/", 4)
	if len(parts) == 4 {
		domainPrefix, rel = strings.Join(parts[:3], "/"), parts[3]
	}
	name, prefix := full, ""
	needPax := !isASCII(full) || size > 0o77777777777 || len(domainPrefix) >= 155 || len(rel) >= 100
	if len(full) > 100 {
		name, prefix = rel, domainPrefix
	}
	if needPax {
		data := paxRecord("size", fmt.Sprint(size)) + paxRecord("path", full)
		leaf := path.Base(full)
		pxName := "PaxHeader/" + leaf // raw UTF-8, as Android writes it
		if len(pxName) > 100 {
			pxName = pxName[:100]
		}
		if err := t.write(tarHeader(pxName, domainPrefix, mode, uid, int64(len(data)), mt, 'x')); err != nil {
			return err
		}
		if err := t.write(padBlock([]byte(data))); err != nil {
			return err
		}
		if len(name) > 100 {
			name = name[:100] // raw UTF-8, cut; the pax path is authoritative
		}
	}
	sz := size
	if sz > 0o77777777777 {
		sz = 0
	}
	if err := t.write(tarHeader(name, prefix, mode, uid, sz, mt, '0')); err != nil {
		return err
	}
	hs := sha256.New()
	n, err := io.Copy(io.MultiWriter(writerFunc(t.write), hs), io.LimitReader(r, size))
	if err != nil {
		return err
	}
	if n != size {
		return fmt.Errorf("tar: %s: wrote %d of %d bytes", full, n, size)
	}
	if pad := (512 - size%512) % 512; pad > 0 {
		if err := t.write(make([]byte, pad)); err != nil {
			return err
		}
	}
	t.entries = append(t.entries, TruthEntry{Path: t.prefix + full, Size: size, SHA256: hex.EncodeToString(hs.Sum(nil))})
	return nil
}

// Bytes writes a file held in memory.
func (t *androidTar) Bytes(full string, mode, uid int, mtime time.Time, data []byte) error {
	return t.File(full, mode, uid, mtime, int64(len(data)), strings.NewReader(string(data)))
}

// Close writes the end-of-archive marker (1024 zero bytes).
func (t *androidTar) Close() error { return t.write(make([]byte, 1024)) }

func padBlock(b []byte) []byte {
	if r := len(b) % 512; r != 0 {
		b = append(b, make([]byte, 512-r)...)
	}
	return b
}

type writerFunc func([]byte) error

func (f writerFunc) Write(p []byte) (int, error) {
	if err := f(p); err != nil {
		return 0, err
	}
	return len(p), nil
}
