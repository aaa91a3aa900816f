package container

import (
	"archive/tar"
	"bufio"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/androidbackup"
	"github.com/backupinspector/backupinspector/parsers/miui"
	"github.com/klauspost/compress/gzip"
)

func (w *walker) walkContainer(n *node, kind string, br *bufio.Reader, cr *hashReader) error {
	switch kind {
	case "zip":
		return w.walkZip(n, br, cr)
	case "tar":
		w.pushScope()
		defer w.popScope()
		if ts := w.tarSource(n, 0); ts != nil {
			return w.walkTar(n, ts, false, nil, 0)
		}
		return w.walkTar(n, br, false, nil, 0)
	case "gzip":
		return w.walkGzip(n, br, cr)
	case "android-backup":
		return w.walkAB(n, br, 0, nil)
	case "miui-bak":
		return w.walkMIUI(n, br)
	case "key-value":
		return w.walkKV(n, br)
	}
	return fmt.Errorf("unknown container %q", kind)
}

// entryName validates and cleans an archive entry name. ok=false means the
// entry was reported and must be skipped.
func (w *walker) entryName(n *node, raw string, off int64) (string, bool) {
	if unsafeName(raw) {
		w.problem(Problem{Path: n.path + "!" + encodeSegment(strings.ToValidUTF8(raw, "\uFFFD")), Offset: off, Code: CodePathTraversal,
			Message: fmt.Sprintf("entry name %q is absolute or climbs out with \"..\"; skipped", raw)})
		return "", false
	}
	name := cleanName(raw)
	if name == "" {
		w.problem(Problem{Path: n.path, Offset: off, Code: CodeCorrupt, Warning: true, Message: fmt.Sprintf("entry with empty name %q skipped", raw)})
		return "", false
	}
	return name, true
}

func (w *walker) tooMany(n *node, off int64) {
	w.problem(Problem{Path: n.path, Offset: off, Code: CodeTooManyEntries,
		Message: fmt.Sprintf("more than %d entries; the rest is not listed", w.opts.MaxEntries)})
}

// androidPath splits apps/<pkg>/<domain>/... and shared/<n>/...
func androidPath(name string) (pkg, domain string) {
	parts := strings.SplitN(name, "/", 4)
	switch {
	case len(parts) >= 3 && parts[0] == "apps":
		pkg = parts[1]
		if len(parts) >= 4 {
			domain = parts[2]
		}
	case len(parts) >= 2 && parts[0] == "shared":
		domain = "shared"
	}
	return
}

// walkTar lists a tar stream. android marks an Android backup tar; its
// inputOffset (nil for a bare tar) names offsets in the enclosing file.
// rbase is where the tar's first byte is in n's content when the tar
// stream is n's bytes as they are (a bare tar, an uncompressed and
// unencrypted Android backup), else -1.
func (w *walker) walkTar(n *node, src io.Reader, android bool, inputOffset func() int64, rbase int64) error {
	tc := &countReader{r: src}
	if inputOffset == nil {
		inputOffset = func() int64 { return tc.n }
	}
	ts, _ := src.(*tarSource)
	tr := tar.NewReader(tc)
	count := 0
	var dataEnd int64 // where the last entry's padded data ends
	for {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			// archive/tar treats a stream that stops at an entry
			// boundary, or inside the padding, as a clean end.
			if tc.n < dataEnd || (tc.n == 0 && android) {
				return &offsetError{err: io.ErrUnexpectedEOF, offset: tc.n}
			}
			if tc.n < dataEnd+2*tarBlockSize && count > 0 {
				w.problem(Problem{Path: n.path, Offset: inputOffset(), Code: CodeTruncated, Warning: true,
					Message: fmt.Sprintf("truncated at offset %d: the tar end-of-archive marker is missing", inputOffset())})
			}
			return nil
		}
		if err != nil && !errors.Is(err, tar.ErrInsecurePath) {
			var ce *androidbackup.CorruptError
			if errors.As(err, &ce) || isCtxErr(err) {
				return err
			}
			var ge *guardError
			if errors.As(err, &ge) {
				return err
			}
			return &offsetError{err: tarErr(err), offset: tc.n}
		}
		off := max(tc.n-tarBlockSize, 0)
		dataEnd = tc.n + (max(hdr.Size, 0)+tarBlockSize-1)/tarBlockSize*tarBlockSize
		if hdr.Typeflag != tar.TypeReg && hdr.Typeflag != tar.TypeRegA && hdr.Typeflag != tar.TypeCont {
			dataEnd = tc.n
			if hdr.Typeflag == tar.TypeGNUSparse {
				dataEnd = 0 // the sparse map makes the on-disk size unknown here
			}
		}
		count++
		if count > w.opts.MaxEntries {
			w.tooMany(n, off)
			return nil
		}
		switch hdr.Typeflag {
		case tar.TypeReg, tar.TypeRegA, tar.TypeGNUSparse, tar.TypeCont:
		case tar.TypeDir:
			continue
		case tar.TypeSymlink, tar.TypeLink:
			w.problem(Problem{Path: n.path + "!" + encodeSegment(strings.ToValidUTF8(hdr.Name, "\uFFFD")), Offset: off, Code: CodeLink,
				Message: fmt.Sprintf("link %q → %q not followed", hdr.Name, hdr.Linkname)})
			continue
		case tar.TypeChar, tar.TypeBlock, tar.TypeFifo:
			w.problem(Problem{Path: n.path + "!" + encodeSegment(strings.ToValidUTF8(hdr.Name, "\uFFFD")), Offset: off, Code: CodeSpecialFile, Warning: true,
				Message: fmt.Sprintf("special file %q (type %q) skipped", hdr.Name, hdr.Typeflag)})
			continue
		default:
			w.problem(Problem{Path: n.path + "!" + encodeSegment(strings.ToValidUTF8(hdr.Name, "\uFFFD")), Offset: off, Code: CodeUnsupported, Warning: true,
				Message: fmt.Sprintf("tar entry type %q of %q skipped", hdr.Typeflag, hdr.Name)})
			continue
		}
		name, ok := w.entryName(n, hdr.Name, off)
		if !ok {
			continue
		}
		// Sparse entries expand holes without reading input: guard them
		// like a decompressor (for plain entries the ratio stays ~1).
		start := tc.n
		rr := &stickyReader{r: &ratioReader{r: tr, consumed: func() int64 { return tc.n - start + tarBlockSize }, w: w, path: n.path + "!" + encodeSegment(name), notTotal: true}}
		var era io.ReaderAt
		if ts != nil && !sparse(hdr) && hdr.Size >= 0 {
			// Randomly readable, and what nobody reads of it is skipped.
			era = io.NewSectionReader(n.ra, rbase+start, hdr.Size)
		}
		c := w.child(n, name, hdr.Size, hdr.ModTime, rr, era)
		if rbase >= 0 && !sparse(hdr) {
			inRange(c, n, rbase+start)
			c.skip = era != nil
		}
		if android {
			c.android = true
			if pkg, domain := androidPath(name); pkg != "" || domain != "" {
				c.domain = domain
				if pkg != "" {
					c.pkg = pkg
				}
			}
		}
		if _, err := w.handle(c); err != nil {
			var ce *androidbackup.CorruptError
			var ge *guardError
			if errors.As(err, &ce) || errors.As(err, &ge) || isCtxErr(err) {
				return err
			}
			return &offsetError{err: tarErr(err), offset: tc.n}
		}
	}
}

// sparse tells entries whose data is not stored as it is (holes).
func sparse(hdr *tar.Header) bool {
	if hdr.Typeflag == tar.TypeGNUSparse {
		return true
	}
	for k := range hdr.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return false
}

func tarErr(err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// gzipName derives the name of the content of a gzip file.
func gzipName(hdrName, outer string) string {
	if hdrName != "" && !unsafeName(hdrName) && !strings.ContainsAny(hdrName, "/\\") {
		return hdrName
	}
	low := strings.ToLower(outer)
	switch {
	case strings.HasSuffix(low, ".tgz"):
		return outer[:len(outer)-4] + ".tar"
	case strings.HasSuffix(low, ".gz"):
		if s := outer[:len(outer)-3]; s != "" {
			return s
		}
	}
	return outer + ".gunzip"
}

func (w *walker) walkGzip(n *node, br *bufio.Reader, cr *hashReader) error {
	zr, err := gzip.NewReader(br)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
			return &offsetError{err: io.ErrUnexpectedEOF, offset: cr.n}
		}
		return &offsetError{err: fmt.Errorf("gzip: %w", err), offset: 0}
	}
	defer zr.Close()
	name := gzipName(zr.Header.Name, n.name)
	rr := &ratioReader{r: zr, consumed: func() int64 { return cr.n - int64(br.Buffered()) }, w: w, path: n.path}
	c := w.child(n, name, -1, zr.Header.ModTime, &stickyReader{r: rr}, nil)
	if _, err := w.handle(c); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return &offsetError{err: io.ErrUnexpectedEOF, offset: cr.n}
		}
		return err
	}
	return nil
}

// stickyReader repeats the first error.
type stickyReader struct {
	r   io.Reader
	err error
}

func (s *stickyReader) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.r.Read(p)
	if err != nil {
		s.err = err
	}
	return n, err
}

// passwordFunc adapts Options.Password for one stream and records whether
// the user supplied anything.
func (w *walker) passwordFunc(p string, asked *bool) func(int, error) (string, bool) {
	if w.opts.Password == nil {
		return nil
	}
	return func(attempt int, last error) (string, bool) {
		pw, ok := w.opts.Password(PasswordRequest{Path: p, Attempt: attempt, LastErr: last})
		if ok {
			*asked = true
		}
		return pw, ok
	}
}

// walkAB reads an Android backup stream at base (the MIUI header size for
// a .bak). mh is the MIUI header, nil for a plain .ab.
func (w *walker) walkAB(n *node, src io.Reader, base int64, mh *miui.Header) error {
	var supplied bool
	opts := &androidbackup.Options{BaseOffset: base, Password: w.passwordFunc(n.path, &supplied)}
	if mh != nil && mh.EncryptedPwd != "" {
		opts.Candidates = []string{mh.EncryptedPwd}
	}
	ar, err := androidbackup.NewReader(src, opts)
	if w.opts.OnContainer != nil {
		info := &ContainerInfo{Path: n.path, Kind: "android-backup", Depth: n.depth, MIUI: mh}
		if mh != nil {
			info.Kind = "miui-bak"
		}
		if ar != nil {
			info.AndroidBackup = ar.Header()
		}
		w.opts.OnContainer(info)
	}
	if err != nil {
		if errors.Is(err, androidbackup.ErrWrongPassword) || errors.Is(err, androidbackup.ErrPasswordRequired) {
			if !supplied {
				msg := "encrypted Android backup: password required"
				if mh != nil {
					msg = "encrypted MIUI backup: password required (how MIUI turns the backup password into the AES key is unverified)"
				}
				return &guardError{code: CodePasswordRequired, msg: msg, path: n.path, offset: base}
			}
			if mh != nil {
				return &guardError{code: CodeEncryptedUnknownMethod, path: n.path, offset: base,
					msg: "encrypted (method unknown): the password given did not unlock this MIUI backup (MIUI may transform the password)"}
			}
			return &guardError{code: CodeWrongPassword, msg: "wrong password", path: n.path, offset: base}
		}
		return err
	}
	defer ar.Close()
	if h := ar.Header(); h.Warning != "" {
		w.warn(n.path, base, h.Warning)
	}
	rbase := int64(-1)
	inputOffset := ar.InputOffset
	dropped := int64(0) // junk after the last tar block, read through a tarSource
	if ar.Header().Compressed {
		n2 := &ratioReader{r: ar, consumed: func() int64 { return ar.InputOffset() - base }, w: w, path: n.path}
		src = &stickyReader{r: n2}
	} else {
		src = ar
		if !ar.Header().Encrypted() {
			// The tar is the rest of the file as it is.
			rbase = ar.InputOffset()
			if ts := w.tarSource(n, rbase); ts != nil {
				dropped = ts.dropJunkTail()
				src, inputOffset = ts, func() int64 {
					if ts.n >= ts.sr.Size() {
						return rbase + ts.n + dropped // all of it read, as androidbackup counts
					}
					return rbase + ts.n
				}
			}
		}
	}
	w.pushScope()
	err = w.walkTar(n, src, true, inputOffset, rbase)
	w.popScope()
	if err != nil {
		// Name truncation by its offset in the file, not in the tar.
		var oe *offsetError
		if errors.As(err, &oe) && errors.Is(oe.err, io.ErrUnexpectedEOF) {
			return &offsetError{err: io.ErrUnexpectedEOF, offset: inputOffset()}
		}
		return err
	}
	// Read what follows the tar end (zero blocks, zlib trailer) so
	// damage there is noticed too.
	if _, err := io.Copy(io.Discard, src); err != nil {
		return err
	}
	for _, msg := range ar.Warnings() {
		if msg != ar.Header().Warning {
			w.warn(n.path, inputOffset(), msg)
		}
	}
	if dropped > 0 {
		// As androidbackup's reader says it when it reads the tar.
		w.warn(n.path, n.size, fmt.Sprintf("%d stray byte(s) after the last 512-byte tar block at offset %d ignored", dropped, n.size-dropped))
	}
	return nil
}

func (w *walker) walkMIUI(n *node, br *bufio.Reader) error {
	mr, err := miui.NewReader(br)
	if err != nil {
		return err
	}
	h := mr.Header
	if h.Package != "" {
		n.pkg = h.Package
	}
	for _, msg := range h.Warnings {
		w.warn(n.path, 0, "MIUI header: "+msg)
	}
	if !h.StreamFound {
		if w.opts.OnContainer != nil {
			w.opts.OnContainer(&ContainerInfo{Path: n.path, Kind: "miui-bak", Depth: n.depth, MIUI: h})
		}
		rest, _ := br.Peek(4096)
		if h.Encrypted() || looksRandom(rest) {
			return &guardError{code: CodeEncryptedUnknownMethod, path: n.path, offset: h.Size,
				msg: "encrypted (method unknown): no Android backup stream follows the MIUI header"}
		}
		return &guardError{code: CodeCorrupt, path: n.path, offset: h.Size,
			msg: fmt.Sprintf("no Android backup stream after the MIUI header (ends at offset %d)", h.Size)}
	}
	return w.walkAB(n, mr, h.Size, h)
}

// looksRandom: high byte entropy (encrypted or compressed data).
func looksRandom(b []byte) bool {
	if len(b) < 256 {
		return false
	}
	var counts [256]int
	for _, c := range b {
		counts[c]++
	}
	var ent float64
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / float64(len(b))
			ent -= p * math.Log2(p)
		}
	}
	return ent > 7.2
}

func (w *walker) walkKV(n *node, br *bufio.Reader) error {
	kr := androidbackup.NewKVReader(br)
	count := 0
	for {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		rec, err := kr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		count++
		if count > w.opts.MaxEntries {
			w.tooMany(n, rec.Offset)
			return nil
		}
		if rec.Size < 0 {
			continue
		}
		key := strings.ReplaceAll(encodeSegment(rec.Key), "/", "%2F")
		c := &node{path: n.path + "!" + key, name: rec.Key, dir: n.path, size: rec.Size,
			pkg: n.pkg, domain: n.domain, depth: n.depth + 1, r: kr}
		if _, err := w.handle(c); err != nil {
			return err
		}
	}
}

// A tarSource is the tar inside a randomly readable file (n.ra) whose own
// SHA-256 is supplied (n.sum: nothing needs its bytes streamed), read
// through a ReaderAt instead of the file's stream. archive/tar seeks past
// entry data nobody read when its reader is an io.Seeker, so the data of
// entries whose hashes are supplied too (range hashes: a browser's hash
// worker reads them) and that no module reads is never read here: a 1 GiB
// MIUI set or .ab of media is walked by reading its tar headers and
// databases. The entries get ReaderAts into the file (databases are then
// read in place instead of spooled).
type tarSource struct {
	sr *io.SectionReader
	n  int64 // position from the tar's start
	w  *walker
}

// tarSource returns the tar source of n's content from off on, or nil
// when n is not randomly readable or its bytes must be streamed.
func (w *walker) tarSource(n *node, off int64) *tarSource {
	if n.ra == nil || n.sum == nil || n.size < 0 || off < 0 || off > n.size {
		return nil
	}
	return &tarSource{sr: io.NewSectionReader(n.ra, off, n.size-off), w: w}
}

// dropJunkTail leaves out a short tail after the last whole 512-byte block
// made only of NULs and line-end bytes, as androidbackup's reader of plain
// payloads does (an Android backup's tar is whole blocks), and returns its
// length.
func (t *tarSource) dropJunkTail() int64 {
	size := t.sr.Size()
	tail := size % tarBlockSize
	if tail == 0 {
		return 0
	}
	buf := make([]byte, tail)
	if k, _ := t.sr.ReadAt(buf, size-tail); int64(k) != tail {
		return 0
	}
	for _, c := range buf {
		if c != 0 && c != '\n' && c != '\r' && c != ' ' {
			return 0
		}
	}
	ra, off, n := t.sr.Outer()
	t.sr = io.NewSectionReader(ra, off, n-tail)
	return tail
}

func (t *tarSource) Read(p []byte) (int, error) {
	k, err := t.sr.Read(p)
	t.n += int64(k)
	return k, err
}

// Seek moves forward from the current position (all archive/tar asks),
// at most to the end (archive/tar then reads on and finds it truncated,
// with the offset a read would have found); the bytes skipped count as
// done for progress.
func (t *tarSource) Seek(off int64, whence int) (int64, error) {
	if whence != io.SeekCurrent || off < 0 {
		return -1, errors.New("container: a tar source only seeks forward")
	}
	off = min(off, max(t.sr.Size()-t.n, 0))
	pos, err := t.sr.Seek(off, io.SeekCurrent)
	if err != nil {
		return -1, err
	}
	t.w.raDone += pos - t.n
	t.w.progress(false)
	t.n = pos
	return pos, nil
}
