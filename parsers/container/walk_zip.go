package container

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/bzip2"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"time"

	"github.com/klauspost/compress/flate"
)

const (
	zipMethodBzip2   = 12
	zipFlagEncrypted = 0x1
	zipFlagDataDesc  = 0x8
	sigLocal         = 0x04034b50
	sigCentral       = 0x02014b50
	sigEnd           = 0x06054b50
	sigEnd64         = 0x06064b50
	sigEnd64Locator  = 0x07064b50
	sigDataDesc      = 0x08074b50
)

// walkZip lists a zip: through archive/zip when random access exists (a
// loose file, one spooled out of memory past MemorySpoolMax, or one spooled
// to memory within the budget), else by streaming the local headers.
func (w *walker) walkZip(n *node, br *bufio.Reader, cr *hashReader) error {
	w.pushScope()
	defer w.popScope()
	if n.ra != nil && n.size >= 0 {
		zr, err := zip.NewReader(n.ra, n.size)
		if err == nil || errors.Is(err, zip.ErrInsecurePath) {
			return w.walkZipRA(n, zr, n.ra)
		}
		w.warn(n.path, 0, fmt.Sprintf("zip central directory unreadable (%v); reading the local headers in order", err))
		return w.walkZipStream(n, br)
	}
	if w.opts.Spool != nil && n.size > MemorySpoolMax && n.size <= w.opts.SpoolOutLimit-w.spoolOutUsed {
		// Big: held out of memory (a Blob, a temporary file) and read
		// through its central directory from there.
		if sf, err := w.opts.Spool(n.size); err == nil {
			ra, got, err := spoolOut(sf, br)
			if w.spoolFailed(n, err) {
				return nil
			}
			if err != nil {
				return err
			}
			w.spoolOutUsed += got
			if got < n.size {
				// Shorter than declared: stream what there is.
				return w.walkZipStream(n, bufio.NewReader(io.NewSectionReader(ra, 0, got)))
			}
			zr, err := zip.NewReader(ra, got)
			if err == nil || errors.Is(err, zip.ErrInsecurePath) {
				return w.walkZipRA(n, zr, ra)
			}
			w.warn(n.path, 0, fmt.Sprintf("zip central directory unreadable (%v); reading the local headers in order", err))
			return w.walkZipStream(n, bufio.NewReader(io.NewSectionReader(ra, 0, got)))
		}
	}
	if n.size >= 0 && n.size <= w.opts.SpoolLimit-w.spoolUsed {
		buf := make([]byte, n.size)
		got, err := io.ReadFull(br, buf)
		if err != nil {
			if cr.upErr != nil {
				return cr.upErr
			}
			// Shorter than declared: stream what there is.
			return w.walkZipStream(n, bufio.NewReader(bytes.NewReader(buf[:got])))
		}
		w.spoolUsed += n.size
		defer func() { w.spoolUsed -= n.size }()
		ra := bytes.NewReader(buf)
		zr, err := zip.NewReader(ra, n.size)
		if err == nil || errors.Is(err, zip.ErrInsecurePath) {
			return w.walkZipRA(n, zr, ra)
		}
		w.warn(n.path, 0, fmt.Sprintf("zip central directory unreadable (%v); reading the local headers in order", err))
		return w.walkZipStream(n, bufio.NewReader(bytes.NewReader(buf)))
	}
	return w.walkZipStream(n, br)
}

func (w *walker) walkZipRA(n *node, zr *zip.Reader, ra io.ReaderAt) error {
	files := zr.File
	if len(files) > w.opts.MaxEntries {
		w.tooMany(n, 0)
		files = files[:w.opts.MaxEntries]
	}
	for _, f := range files {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		off, err := f.DataOffset()
		if err != nil {
			w.problem(Problem{Path: n.path + "!" + encodeSegment(f.Name), Code: CodeCorrupt, Message: "bad local header: " + err.Error()})
			continue
		}
		if f.Mode().IsDir() || (len(f.Name) > 0 && f.Name[len(f.Name)-1] == '/') {
			continue
		}
		if f.Mode()&fs.ModeSymlink != 0 {
			w.problem(Problem{Path: n.path + "!" + encodeSegment(f.Name), Offset: off, Code: CodeLink, Message: fmt.Sprintf("symbolic link %q not followed", f.Name)})
			continue
		}
		name, ok := w.entryName(n, f.Name, off)
		if !ok {
			continue
		}
		if f.Flags&zipFlagEncrypted != 0 {
			w.problem(Problem{Path: n.path + "!" + encodeSegment(name), Offset: off, Code: CodeUnsupported, Message: "encrypted zip entry (zip encryption is not supported)"})
			continue
		}
		raw, err := f.OpenRaw()
		if err != nil {
			w.problem(Problem{Path: n.path + "!" + encodeSegment(name), Offset: off, Code: CodeCorrupt, Message: err.Error()})
			continue
		}
		var era io.ReaderAt
		if f.Method == zip.Store && f.CompressedSize64 == f.UncompressedSize64 && f.UncompressedSize64 <= 1<<62 {
			era = io.NewSectionReader(ra, off, int64(f.UncompressedSize64))
		}
		content, err := w.zipContent(n, name, f.Method, raw, f.CRC32, int64(f.UncompressedSize64), true)
		if err != nil {
			w.problem(Problem{Path: n.path + "!" + encodeSegment(name), Offset: off, Code: CodeUnsupported, Message: err.Error()})
			continue
		}
		size := int64(f.UncompressedSize64)
		if f.UncompressedSize64 > 1<<62 {
			size = -1
		}
		c := w.child(n, name, size, f.Modified, content, era)
		if era != nil {
			inRange(c, n, off)
			c.zipCRC, c.hasCRC = f.CRC32, true
		}
		if _, err := w.handle(c); err != nil {
			if isCtxErr(err) {
				return err
			}
			// The entry's own data is damaged: report it and go on.
			p := Problem{Path: c.path, Offset: off}
			var ge *guardError
			switch {
			case errors.As(err, &ge):
				p.Code, p.Message = ge.code, ge.msg
			case errors.Is(err, io.ErrUnexpectedEOF):
				p.Code, p.Message = CodeTruncated, fmt.Sprintf("truncated at offset %d", off+int64(f.CompressedSize64))
			default:
				p.Code, p.Message = CodeCorrupt, err.Error()
			}
			w.problem(p)
		}
	}
	return nil
}

// zipContent decompresses raw and checks size and CRC-32 at the end.
// checkCRC is false when the CRC is only known after the data (streaming
// with a data descriptor); then the caller checks.
func (w *walker) zipContent(n *node, name string, method uint16, raw io.Reader, crc uint32, size int64, checkCRC bool) (*zipEntryReader, error) {
	var src io.Reader
	var consumed func() int64
	if cb, ok := raw.(*countByteReader); ok {
		// Keep io.ByteReader so flate does not read past the entry.
		start := cb.n
		src, consumed = cb, func() int64 { return cb.n - start }
	} else {
		rc := &countReader{r: raw}
		src, consumed = rc, func() int64 { return rc.n }
	}
	var dec io.Reader
	switch method {
	case zip.Store:
		dec = src
	case zip.Deflate:
		dec = flate.NewReader(src)
	case zipMethodBzip2:
		dec = bzip2.NewReader(src)
	default:
		return nil, fmt.Errorf("zip compression method %d is not supported", method)
	}
	if method != zip.Store {
		dec = &stickyReader{r: &ratioReader{r: dec, consumed: consumed, w: w, path: n.path + "!" + encodeSegment(name)}}
	}
	return &zipEntryReader{r: dec, h: crc32.NewIEEE(), crc: crc, size: size, checkCRC: checkCRC}, nil
}

// zipEntryReader verifies the uncompressed size and the CRC-32.
type zipEntryReader struct {
	r        io.Reader
	h        hash.Hash32
	crc      uint32
	size     int64 // -1 unknown
	n        int64
	checkCRC bool
	err      error
}

var errZipChecksum = errors.New("zip entry checksum mismatch")

func (z *zipEntryReader) Read(p []byte) (int, error) {
	if z.err != nil {
		return 0, z.err
	}
	n, err := z.r.Read(p)
	z.h.Write(p[:n])
	z.n += int64(n)
	if z.size >= 0 && z.n > z.size {
		z.err = fmt.Errorf("zip entry longer than its declared %d bytes", z.size)
		return n, z.err
	}
	if err == io.EOF {
		if z.size >= 0 && z.n < z.size {
			err = io.ErrUnexpectedEOF
		} else if z.checkCRC && z.h.Sum32() != z.crc {
			err = errZipChecksum
		}
	}
	if err != nil {
		z.err = err
	}
	return n, err
}

// countByteReader counts bytes of a bufio.Reader and keeps io.ByteReader,
// so flate stops exactly at the end of a deflate stream.
type countByteReader struct {
	br *bufio.Reader
	n  int64
}

func (c *countByteReader) Read(p []byte) (int, error) {
	n, err := c.br.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countByteReader) ReadByte() (byte, error) {
	b, err := c.br.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

// walkZipStream reads a zip front to back through its local headers, for
// zips without random access (nested in a stream beyond the spool budget,
// or without a readable central directory).
func (w *walker) walkZipStream(n *node, br *bufio.Reader) error {
	cb := &countByteReader{br: br}
	le := binary.LittleEndian
	readFull := func(b []byte) error {
		_, err := io.ReadFull(cb, b)
		if err == io.EOF {
			return io.ErrUnexpectedEOF
		}
		return err
	}
	count := 0
	for {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		off := cb.n
		var sb [4]byte
		if err := readFull(sb[:]); err != nil {
			return &offsetError{err: err, offset: cb.n}
		}
		switch sig := le.Uint32(sb[:]); sig {
		case sigLocal:
		case sigCentral, sigEnd, sigEnd64, sigEnd64Locator:
			return w.zipStreamTail(cb, le.Uint32(sb[:]))
		case sigDataDesc:
			if off == 0 { // spanned-archive marker
				continue
			}
			fallthrough
		default:
			return &offsetError{err: fmt.Errorf("unexpected zip signature %#08x", sig), offset: off}
		}
		var h [26]byte
		if err := readFull(h[:]); err != nil {
			return &offsetError{err: err, offset: cb.n}
		}
		flags := le.Uint16(h[2:])
		method := le.Uint16(h[4:])
		mtime, mdate := le.Uint16(h[6:]), le.Uint16(h[8:])
		crc := le.Uint32(h[10:])
		csize := int64(le.Uint32(h[14:]))
		usize := int64(le.Uint32(h[18:]))
		nameLen, extraLen := int(le.Uint16(h[22:])), int(le.Uint16(h[24:]))
		nb := make([]byte, nameLen+extraLen)
		if err := readFull(nb); err != nil {
			return &offsetError{err: err, offset: cb.n}
		}
		rawName, extra := string(nb[:nameLen]), nb[nameLen:]
		zip64 := false
		mod := msdosTime(mdate, mtime)
		for len(extra) >= 4 {
			tag, sz := le.Uint16(extra), int(le.Uint16(extra[2:]))
			if 4+sz > len(extra) {
				break
			}
			body := extra[4 : 4+sz]
			switch tag {
			case 0x0001:
				zip64 = true
				if usize == 0xFFFFFFFF && len(body) >= 8 {
					usize = int64(le.Uint64(body))
					body = body[8:]
				}
				if csize == 0xFFFFFFFF && len(body) >= 8 {
					csize = int64(le.Uint64(body))
				}
			case 0x5455:
				if len(body) >= 5 && body[0]&1 != 0 {
					mod = time.Unix(int64(int32(le.Uint32(body[1:]))), 0)
				}
			}
			extra = extra[4+sz:]
		}
		if csize < 0 || usize < 0 {
			return &offsetError{err: errors.New("zip entry size out of range"), offset: off}
		}
		count++
		if count > w.opts.MaxEntries {
			w.tooMany(n, off)
			return nil
		}
		desc := flags&zipFlagDataDesc != 0
		if desc && method != zip.Deflate {
			return &guardError{code: CodeUnsupported, path: n.path, offset: off,
				msg: fmt.Sprintf("zip entry %q (method %d) with a data descriptor cannot be streamed; rest of the zip skipped", rawName, method)}
		}
		dataOff := cb.n
		var raw io.Reader
		if desc {
			raw = cb
		} else {
			raw = io.LimitReader(cb, csize)
		}
		skipData := func() error {
			if desc {
				return &guardError{code: CodeUnsupported, path: n.path, offset: off,
					msg: fmt.Sprintf("cannot skip zip entry %q without knowing its size; rest of the zip skipped", rawName)}
			}
			if _, err := io.Copy(io.Discard, raw); err != nil {
				return &offsetError{err: err, offset: cb.n}
			}
			if cb.n-off-30-int64(nameLen+extraLen) < csize {
				return &offsetError{err: io.ErrUnexpectedEOF, offset: cb.n}
			}
			return nil
		}
		isDir := len(rawName) > 0 && (rawName[len(rawName)-1] == '/' || rawName[len(rawName)-1] == '\\')
		name := ""
		ok := false
		if !isDir {
			name, ok = w.entryName(n, rawName, off)
		}
		if ok && flags&zipFlagEncrypted != 0 {
			w.problem(Problem{Path: n.path + "!" + encodeSegment(name), Offset: off, Code: CodeUnsupported, Message: "encrypted zip entry (zip encryption is not supported)"})
			ok = false
		}
		var content *zipEntryReader
		if ok {
			var err error
			size := usize
			if desc {
				size = -1
			}
			content, err = w.zipContent(n, name, method, raw, crc, size, !desc)
			if err != nil {
				w.problem(Problem{Path: n.path + "!" + encodeSegment(name), Offset: off, Code: CodeUnsupported, Message: err.Error()})
				ok = false
			}
		}
		if !ok {
			if err := skipData(); err != nil {
				return err
			}
			continue
		}
		size := usize
		if desc {
			size = -1
		}
		c := w.child(n, name, size, mod, content, nil)
		if method == zip.Store && !desc && csize == usize {
			inRange(c, n, dataOff)
		}
		if _, err := w.handle(c); err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return &offsetError{err: io.ErrUnexpectedEOF, offset: cb.n}
			}
			return err
		}
		// Consume what the decompressor left of the compressed data.
		if !desc {
			if _, err := io.Copy(io.Discard, raw); err != nil {
				return &offsetError{err: err, offset: cb.n}
			}
			continue
		}
		// Data descriptor: [signature] crc32, sizes (8 bytes each with zip64).
		n4, err := cb.br.Peek(4)
		if err != nil {
			return &offsetError{err: io.ErrUnexpectedEOF, offset: cb.n + int64(cb.br.Buffered())}
		}
		if le.Uint32(n4) == sigDataDesc {
			cb.br.Discard(4)
			cb.n += 4
		}
		dl := 12
		if zip64 {
			dl = 20
		}
		d := make([]byte, dl)
		if err := readFull(d); err != nil {
			return &offsetError{err: err, offset: cb.n}
		}
		if got := content.h.Sum32(); got != le.Uint32(d) {
			return &offsetError{err: errZipChecksum, offset: cb.n - int64(dl)}
		}
	}
}

func msdosTime(d, t uint16) time.Time {
	if d == 0 {
		return time.Time{}
	}
	return time.Date(int(d>>9)+1980, time.Month(d>>5&0xf), int(d&0x1f), int(t>>11), int(t>>5&0x3f), int(t&0x1f)*2, 0, time.UTC)
}

// zipStreamTail reads the central directory and end records after the last
// local entry, so a zip cut inside them is reported as truncated.
func (w *walker) zipStreamTail(cb *countByteReader, sig uint32) error {
	le := binary.LittleEndian
	read := func(n int) ([]byte, error) {
		b := make([]byte, n)
		if _, err := io.ReadFull(cb, b); err != nil {
			return nil, &offsetError{err: io.ErrUnexpectedEOF, offset: cb.n}
		}
		return b, nil
	}
	for i := 0; ; i++ {
		if i > w.opts.MaxEntries+16 {
			return nil
		}
		switch sig {
		case sigCentral:
			h, err := read(42)
			if err != nil {
				return err
			}
			if _, err := read(int(le.Uint16(h[24:])) + int(le.Uint16(h[26:])) + int(le.Uint16(h[28:]))); err != nil {
				return err
			}
		case sigEnd64:
			h, err := read(8)
			if err != nil {
				return err
			}
			n := le.Uint64(h)
			if n > 1<<20 {
				return &offsetError{err: errors.New("zip64 end record too large"), offset: cb.n}
			}
			if _, err := read(int(n)); err != nil {
				return err
			}
		case sigEnd64Locator:
			if _, err := read(16); err != nil {
				return err
			}
		case sigEnd:
			h, err := read(18)
			if err != nil {
				return err
			}
			_, err = read(int(le.Uint16(h[16:])))
			return err
		default:
			return &offsetError{err: fmt.Errorf("unexpected zip signature %#08x in the central directory", sig), offset: cb.n - 4}
		}
		b, err := read(4)
		if err != nil {
			return err
		}
		sig = le.Uint32(b)
	}
}
