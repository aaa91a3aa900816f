package container

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/backupinspector/backupinspector/parsers/androidbackup"
	"github.com/backupinspector/backupinspector/parsers/miui"
)

type walker struct {
	ctx   context.Context
	opts  Options
	visit Visit
	res   *Result

	input        string // current top-level input name
	inputSize    int64
	seqDone      int64 // sequential bytes of the input consumed
	raDone       int64 // bytes read through the input's ReaderAt
	lastProg     time.Time
	lastDone     int64
	curPath      string
	expanded     int64 // bytes produced by decompressors for this input
	listed       int64 // cost of Entries so far (MaxListBytes)
	listFull     bool  // this input's too-many-entries problem for MaxListBytes was reported
	spoolUsed    int64
	spoolOutUsed int64 // bytes spooled out of memory (Options.Spool)

	root  *scope
	scope *scope
}

// A scope collects the names seen in each directory of one container (or
// the top level), to match descript.xml against its siblings.
type scope struct {
	parent    *scope
	names     map[string]map[string]bool // dir -> names
	prefix    map[string]string          // dir -> provenance prefix of its children
	descripts []MIUISet
}

func newScope(parent *scope) *scope {
	return &scope{parent: parent, names: map[string]map[string]bool{}, prefix: map[string]string{}}
}

func (s *scope) add(n *node) {
	m := s.names[n.dir]
	if m == nil {
		m = map[string]bool{}
		s.names[n.dir] = m
		s.prefix[n.dir] = strings.TrimSuffix(n.path, encodeSegment(n.name))
	}
	m[n.name] = true
}

func newWalker(ctx context.Context, o Options, visit Visit) *walker {
	if o.MaxRatio <= 0 {
		o.MaxRatio = DefaultMaxRatio
	}
	if o.RatioMinBytes <= 0 {
		o.RatioMinBytes = DefaultRatioMinBytes
	}
	if o.MaxTotalRatio <= 0 {
		o.MaxTotalRatio = DefaultMaxTotalRatio
	}
	if o.TotalMinBytes <= 0 {
		o.TotalMinBytes = DefaultTotalMinBytes
	}
	if o.MaxDepth <= 0 {
		o.MaxDepth = DefaultMaxDepth
	}
	if o.MaxListBytes <= 0 {
		o.MaxListBytes = DefaultMaxListBytes
	}
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.SpoolLimit <= 0 {
		o.SpoolLimit = DefaultSpoolLimit
	}
	if o.SpoolOutLimit <= 0 {
		o.SpoolOutLimit = DefaultSpoolOutLimit
	}
	w := &walker{ctx: ctx, opts: o, visit: visit, res: &Result{}}
	w.root = newScope(nil)
	w.scope = w.root
	return w
}

// node is a file being processed.
type node struct {
	path, name, dir string
	size            int64
	modTime         time.Time
	pkg, domain     string
	depth           int
	r               io.Reader
	ra              io.ReaderAt
	sum             func() string // the SHA-256 supplied for a top-level file
	top             bool          // a top-level file: count progress
	android         bool          // inside an Android backup tar
	// rsum is InputFile.RangeSHA256 of the top-level file whose bytes
	// [roff, roff+size) are exactly this file's content; nil when the
	// content is not such a range (decompressed, decrypted) or nobody
	// supplies range hashes.
	rsum  func(off, n int64) func() string
	rcrc  func(off, n int64, crc uint32) func() string // InputFile.RangeCRC32 of it
	roff  int64
	rsize int64 // size of that top-level file
	// zipCRC: a stored zip entry's CRC-32 (hasCRC), for rcrc.
	zipCRC uint32
	hasCRC bool
	// skip: the enclosing container skips what is not read of this file
	// (an entry of a tar read through a tarSource).
	skip bool
}

// inRange marks c, found in p, as the bytes of p's content from off on,
// when p's content is itself a range of a top-level file.
func inRange(c, p *node, off int64) {
	if p.rsum != nil && off >= 0 {
		c.rsum, c.rcrc, c.roff, c.rsize = p.rsum, p.rcrc, p.roff+off, p.rsize
	}
}

// encodeSegment percent-encodes "%" and "!" inside a name.
func encodeSegment(s string) string {
	if !strings.ContainsAny(s, "%!") {
		return s
	}
	s = strings.ReplaceAll(s, "%", "%25")
	return strings.ReplaceAll(s, "!", "%21")
}

// child makes the node for an entry named name ('/'-separated, already
// checked) inside container p.
func (w *walker) child(p *node, name string, size int64, mod time.Time, r io.Reader, ra io.ReaderAt) *node {
	name = strings.ToValidUTF8(name, "\uFFFD")
	c := &node{
		path:    p.path + "!" + encodeSegment(name),
		name:    path.Base(name),
		size:    size,
		modTime: utc(mod),
		pkg:     p.pkg,
		depth:   p.depth + 1,
		r:       r,
		ra:      ra,
	}
	if d := path.Dir(name); d != "." {
		c.dir = p.path + "!" + encodeSegment(d)
	} else {
		c.dir = p.path
	}
	return c
}

func utc(t time.Time) time.Time {
	if t.IsZero() || t.Unix() <= 0 {
		return time.Time{}
	}
	return t.UTC()
}

// problem records a problem.
func (w *walker) problem(p Problem) {
	p.Input = w.input
	w.res.Problems = append(w.res.Problems, p)
	if w.opts.OnProblem != nil {
		w.opts.OnProblem(p)
	}
}

func (w *walker) warn(path string, off int64, msg string) {
	w.problem(Problem{Path: path, Offset: off, Code: CodeWarning, Message: msg, Warning: true})
}

func (w *walker) progress(force bool) {
	if w.opts.OnProgress == nil {
		return
	}
	done := max(w.seqDone, w.raDone)
	if w.inputSize > 0 && done > w.inputSize {
		done = w.inputSize
	}
	now := time.Now()
	if !force && done-w.lastDone < 1<<20 && now.Sub(w.lastProg) < 100*time.Millisecond {
		return
	}
	w.lastProg, w.lastDone = now, done
	w.opts.OnProgress(Progress{Input: w.input, Done: done, Total: w.inputSize, Path: w.curPath})
}

// bufPool recycles the per-file read buffers (one per nesting level is in
// use at a time; archives with many small entries would otherwise allocate
// 64 KiB per entry).
var bufPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 64<<10) }}

// newHash makes a file's hash: Options.NewHash or crypto/sha256. When the
// SHA-256 is supplied (sum), nothing is hashed.
func (w *walker) newHash(sum func() string) hash.Hash {
	if sum != nil {
		return nil
	}
	if w.opts.NewHash != nil {
		if h := w.opts.NewHash(); h != nil {
			return h
		}
	}
	return sha256.New()
}

// hashReader hashes and counts what passes through, remembers errors of the
// source (so a container can tell them from its own format errors) and
// honours cancellation.
type hashReader struct {
	r     io.Reader
	h     hash.Hash     // nil when sum is set
	sum   func() string // the SHA-256 supplied by the caller
	want  int64         // sum is a range hash of this many bytes; -1 if not
	n     int64
	upErr error
	w     *walker
	top   bool
}

func (c *hashReader) Read(p []byte) (int, error) {
	if c.upErr != nil {
		return 0, c.upErr
	}
	if err := c.w.ctx.Err(); err != nil {
		c.upErr = err
		return 0, err
	}
	n, err := c.r.Read(p)
	if n > 0 {
		if c.h != nil {
			c.h.Write(p[:n])
		}
		c.n += int64(n)
		if c.top {
			c.w.seqDone += int64(n)
			c.w.progress(false)
		}
	}
	if err != nil && err != io.EOF {
		c.upErr = err
	}
	return n, err
}

// raCounter counts bytes read through a top-level ReaderAt for progress.
type raCounter struct {
	ra io.ReaderAt
	w  *walker
}

func (c *raCounter) ReadAt(p []byte, off int64) (int, error) {
	if err := c.w.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := c.ra.ReadAt(p, off)
	c.w.raDone += int64(n)
	c.w.progress(false)
	return n, err
}

func isCtxErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// walkInput processes one top-level input.
func (w *walker) walkInput(in Input) {
	w.input = in.Name
	w.seqDone, w.raDone, w.lastDone, w.expanded = 0, 0, 0, 0
	w.listFull = false
	w.inputSize = 0
	for _, f := range in.Files {
		w.inputSize += f.Size
	}
	w.progress(true)
	defer w.progress(true)
	if !in.IsDir {
		if len(in.Files) != 1 {
			w.problem(Problem{Path: encodeSegment(in.Name), Code: CodeReadError, Message: fmt.Sprintf("file input with %d files", len(in.Files))})
			return
		}
		f := in.Files[0]
		n := &node{path: encodeSegment(in.Name), name: in.Name, size: f.Size, top: true, sum: f.SHA256, rsum: f.RangeSHA256, rcrc: f.RangeCRC32, rsize: f.Size}
		if f.ReaderAt != nil {
			n.ra = &raCounter{ra: f.ReaderAt, w: w}
		}
		idx := w.openAndHandle(n, f)
		info := InputInfo{Name: in.Name, Size: f.Size, Format: string(FormatUnknown)}
		if idx >= 0 {
			e := w.res.Entries[idx]
			info.SHA256, info.Format, info.Size = e.SHA256, e.Format, e.Size
		}
		w.res.Inputs = append(w.res.Inputs, info)
		return
	}
	// A folder.
	fpath := encodeSegment(in.Name)
	idx := len(w.res.Entries)
	w.res.Entries = append(w.res.Entries, Entry{Path: fpath, Size: w.inputSize, Format: "folder", Container: "folder"})
	w.res.Inputs = append(w.res.Inputs, InputInfo{Name: in.Name, Size: w.inputSize, Format: "folder"})
	w.scope.add(&node{path: fpath, name: in.Name})
	if w.opts.OnContainer != nil {
		w.opts.OnContainer(&ContainerInfo{Path: fpath, Kind: "folder"})
	}
	files := append([]InputFile(nil), in.Files...)
	sort.SliceStable(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	w.pushScope()
	defer w.popScope()
	for _, f := range files {
		if w.ctx.Err() != nil {
			return
		}
		rel := strings.ToValidUTF8(strings.TrimPrefix(f.Path, "/"), "\uFFFD")
		if unsafeName(f.Path) || rel == "" {
			w.problem(Problem{Path: fpath + "/" + encodeSegment(rel), Code: CodePathTraversal, Message: fmt.Sprintf("file name %q climbs out of the folder; skipped", f.Path)})
			continue
		}
		n := &node{path: fpath + "/" + encodeSegment(rel), name: path.Base(rel), size: f.Size, top: true, sum: f.SHA256, rsum: f.RangeSHA256, rcrc: f.RangeCRC32, rsize: f.Size}
		if d := path.Dir(rel); d != "." {
			n.dir = fpath + "/" + encodeSegment(d)
		} else {
			n.dir = fpath
		}
		if f.ReaderAt != nil {
			n.ra = &raCounter{ra: f.ReaderAt, w: w}
		}
		w.openAndHandle(n, f)
	}
	_ = idx
}

func (w *walker) openAndHandle(n *node, f InputFile) int {
	if f.Open == nil {
		w.problem(Problem{Path: n.path, Code: CodeReadError, Message: "cannot open: no Open function"})
		return -1
	}
	rc, err := f.Open()
	if err != nil {
		w.problem(Problem{Path: n.path, Code: CodeReadError, Message: "cannot open: " + err.Error()})
		return -1
	}
	defer rc.Close()
	n.r = rc
	idx, err := w.handle(n)
	if err != nil && !isCtxErr(err) {
		w.problem(Problem{Path: n.path, Code: CodeReadError, Message: "read error: " + err.Error()})
	}
	return idx
}

func (w *walker) pushScope() { w.scope = newScope(w.scope) }
func (w *walker) popScope() {
	s := w.scope
	w.scope = s.parent
	w.closeScope(s)
}

// closeScope matches each descript.xml against the files beside it.
func (w *walker) closeScope(s *scope) {
	for _, set := range s.descripts {
		names := s.names[set.Dir]
		prefix := s.prefix[set.Dir]
		listed := map[string]bool{}
		for _, p := range set.Descript.Packages {
			for _, f := range []string{p.BakFile, p.SplitFile} {
				if f == "" {
					continue
				}
				listed[f] = true
				if !names[f] {
					w.problem(Problem{Path: prefix + encodeSegment(f), Code: CodeMissingFile,
						Message: fmt.Sprintf("descript.xml lists %q (package %s, feature %d) but the file is not in the backup set", f, p.PackageName, p.Feature)})
				}
			}
		}
		var extra []string
		for name := range names {
			if strings.HasSuffix(strings.ToLower(name), ".bak") && !listed[name] {
				extra = append(extra, name)
			}
		}
		sort.Strings(extra)
		for _, name := range extra {
			w.problem(Problem{Path: prefix + encodeSegment(name), Code: CodeUnlistedFile, Warning: true,
				Message: fmt.Sprintf("%q is in the backup set but not listed in descript.xml", name)})
		}
	}
}

// containerKind maps a sniffed format to the container that walks it.
func containerKind(f Format) string {
	switch f {
	case FormatZip:
		return "zip"
	case FormatTar:
		return "tar"
	case FormatGzip:
		return "gzip"
	case FormatAndroidBackup:
		return "android-backup"
	case FormatMIUIBak:
		return "miui-bak"
	case FormatKeyValue:
		return "key-value"
	}
	return ""
}

// handle processes one file: sniff, then walk it as a container or hand it
// to visit, then drain the rest so the hash covers every byte. It returns
// the index of its Entry, and an error only for failures of its source
// (which belong to the enclosing container) or cancellation.
func (w *walker) handle(n *node) (int, error) {
	if err := w.ctx.Err(); err != nil {
		return -1, err
	}
	// The list of files is bounded: a million entries in each of nested
	// archives, or long names repeated in every path below them, would
	// otherwise hold gigabytes.
	cost := int64(len(n.path)) + ListEntryCost
	if w.listed+cost > w.opts.MaxListBytes {
		if !w.listFull {
			w.listFull = true
			w.problem(Problem{Path: n.path, Code: CodeTooManyEntries,
				Message: fmt.Sprintf("the list of files reached its limit of %d bytes (%d entries); this file and the rest are neither listed nor read", w.opts.MaxListBytes, len(w.res.Entries))})
		}
		if n.r != nil && !n.top {
			// keep the enclosing stream in step
			if _, err := io.Copy(io.Discard, n.r); err != nil {
				return -1, err
			}
		}
		return -1, nil
	}
	w.listed += cost
	idx := len(w.res.Entries)
	w.res.Entries = append(w.res.Entries, Entry{Path: n.path})
	w.scope.add(n)
	w.curPath = n.path
	want := int64(-1)
	if n.sum == nil && !n.top && n.rsum != nil && n.size >= 0 && n.roff+n.size <= n.rsize {
		// Its bytes are a range of a top-level file: whoever hashes that
		// file may hash them too (and check a stored zip entry's CRC-32:
		// then this file is not read to its end only for it).
		if n.hasCRC && n.rcrc != nil {
			if s := n.rcrc(n.roff, n.size, n.zipCRC); s != nil {
				n.sum, want, n.skip = s, n.size, true
			}
		} else if s := n.rsum(n.roff, n.size); s != nil {
			n.sum, want = s, n.size
		}
	}
	cr := &hashReader{r: n.r, h: w.newHash(n.sum), sum: n.sum, want: want, w: w, top: n.top}
	br := bufPool.Get().(*bufio.Reader)
	br.Reset(cr)
	defer func() {
		br.Reset(nil)
		bufPool.Put(br)
		if r, ok := cr.h.(interface{ Release() }); ok {
			r.Release()
		}
	}()
	peek, _ := br.Peek(maxHead)
	head := append([]byte(nil), peek...)
	format := Sniff(head)
	if format == FormatZip && n.android && n.domain == "a" {
		format = FormatAPK
	}
	kind := containerKind(format)
	if kind != "" && n.depth+1 > w.opts.MaxDepth {
		w.problem(Problem{Path: n.path, Code: CodeTooDeep, Message: fmt.Sprintf("%s nested deeper than %d levels; not opened", kind, w.opts.MaxDepth)})
		kind = ""
	}
	w.res.Entries[idx].Format = string(format)
	w.res.Entries[idx].Container = kind

	var err error
	if kind != "" {
		if w.opts.OnContainer != nil && kind != "miui-bak" && kind != "android-backup" {
			w.opts.OnContainer(&ContainerInfo{Path: n.path, Kind: kind, Depth: n.depth})
		}
		err = w.walkContainer(n, kind, br, cr)
	} else {
		err = w.leaf(n, format, head, br, cr)
	}
	if err != nil {
		if isCtxErr(err) {
			return idx, err
		}
		if cr.upErr != nil {
			w.finish(idx, cr, false)
			return idx, cr.upErr
		}
		w.report(n, cr, err)
	}
	if (n.top || (n.skip && want >= 0)) && n.sum != nil && n.ra != nil && n.size >= 0 {
		// Hashed elsewhere and randomly readable (a top-level file, or a
		// range of one that its tar skips): reading the rest would only
		// have fed the hash.
		if n.top && cr.n < n.size {
			w.seqDone += n.size - cr.n // progress: the file is done
		}
		cr.n = max(cr.n, n.size)
		w.finish(idx, cr, true)
		return idx, nil
	}
	if derr := drain(br); derr != nil {
		w.finish(idx, cr, false)
		if cr.upErr != nil {
			return idx, cr.upErr
		}
		return idx, derr
	}
	w.finish(idx, cr, true)
	return idx, nil
}

func (w *walker) finish(idx int, cr *hashReader, complete bool) {
	e := &w.res.Entries[idx]
	e.Size = cr.n
	switch {
	case !complete:
	case cr.sum != nil:
		if cr.want < 0 || cr.n == cr.want {
			e.SHA256 = cr.sum()
		}
	case cr.h != nil:
		if f, ok := cr.h.(interface{ Failed() bool }); ok && f.Failed() {
			break
		}
		if p, ok := cr.h.(interface{ Placeholder() string }); ok {
			if ph := p.Placeholder(); ph != "" {
				e.SHA256 = ph
				break
			}
		}
		e.SHA256 = hex.EncodeToString(cr.h.Sum(nil))
	}
}

// report turns a container's own error into a Problem.
func (w *walker) report(n *node, cr *hashReader, err error) {
	p := Problem{Path: n.path, Offset: cr.n}
	var (
		ce  *androidbackup.CorruptError
		he  *androidbackup.HeaderError
		mhe *miui.HeaderError
		kve *androidbackup.KVError
		ge  *guardError
		oe  *offsetError
	)
	switch {
	case errors.As(err, &ge):
		p.Code, p.Offset, p.Message, p.Path = ge.code, ge.offset, ge.msg, firstNonEmpty(ge.path, n.path)
	case errors.Is(err, androidbackup.ErrPasswordRequired):
		p.Code, p.Offset, p.Message = CodePasswordRequired, 0, "encrypted backup: password required"
	case errors.Is(err, androidbackup.ErrWrongPassword):
		p.Code, p.Offset, p.Message = CodeWrongPassword, 0, "wrong password"
	case errors.As(err, &ce):
		p.Offset = ce.Offset
		if ce.Truncated {
			p.Code, p.Message = CodeTruncated, fmt.Sprintf("truncated at offset %d", ce.Offset)
		} else {
			p.Code, p.Message = CodeCorrupt, ce.Error()
		}
	case errors.As(err, &he):
		p.Code, p.Offset, p.Message = CodeCorrupt, he.Offset, he.Error()
	case errors.As(err, &mhe):
		p.Offset = mhe.Offset
		if mhe.Truncated {
			p.Code, p.Message = CodeTruncated, fmt.Sprintf("truncated at offset %d", mhe.Offset)
		} else {
			p.Code, p.Message = CodeCorrupt, mhe.Error()
		}
	case errors.As(err, &kve):
		p.Offset = kve.Offset
		if kve.Truncated {
			p.Code, p.Message = CodeTruncated, fmt.Sprintf("truncated at offset %d", kve.Offset)
		} else {
			p.Code, p.Message = CodeCorrupt, kve.Error()
		}
	case errors.As(err, &oe):
		p.Offset = oe.offset
		if errors.Is(oe.err, io.ErrUnexpectedEOF) {
			p.Code, p.Message = CodeTruncated, fmt.Sprintf("truncated at offset %d", oe.offset)
		} else {
			p.Code, p.Message = CodeCorrupt, fmt.Sprintf("%s at offset %d", oe.err, oe.offset)
		}
	case errors.Is(err, io.ErrUnexpectedEOF):
		p.Code, p.Message = CodeTruncated, fmt.Sprintf("truncated at offset %d", cr.n)
	default:
		p.Code, p.Message = CodeCorrupt, err.Error()
	}
	w.problem(p)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// A guardError is a problem with its own code, path and offset.
type guardError struct {
	code, msg, path string
	offset          int64
}

func (e *guardError) Error() string { return e.msg }

// An offsetError attaches the container offset to a format error.
type offsetError struct {
	err    error
	offset int64
}

func (e *offsetError) Error() string { return fmt.Sprintf("%v at offset %d", e.err, e.offset) }
func (e *offsetError) Unwrap() error { return e.err }

// spoolOut copies the rest of r into sf and returns its bytes to read.
// A failure of the spool itself (a full disk) is a *spoolError, the
// stream's own errors are returned as they are.
func spoolOut(sf SpoolFile, r io.Reader) (io.ReaderAt, int64, error) {
	sw := &spoolWriter{sf: sf}
	n, err := io.Copy(sw, r)
	if sw.err != nil {
		return nil, 0, &spoolError{sw.err}
	}
	if err != nil {
		return nil, 0, err
	}
	ra, err := sf.ReaderAt()
	if err != nil {
		return nil, 0, &spoolError{err}
	}
	return ra, n, nil
}

type spoolWriter struct {
	sf  SpoolFile
	err error
}

func (s *spoolWriter) Write(p []byte) (int, error) {
	n, err := s.sf.Write(p)
	if err != nil {
		s.err = err
	}
	return n, err
}

// spoolError is a spool that failed: the file is reported and skipped,
// the walk goes on.
type spoolError struct{ err error }

func (e *spoolError) Error() string { return "could not be held out of memory: " + e.err.Error() }
func (e *spoolError) Unwrap() error { return e.err }

// spoolFailed reports whether err is a failed spool, reporting it.
func (w *walker) spoolFailed(n *node, err error) bool {
	var se *spoolError
	if !errors.As(err, &se) {
		return false
	}
	w.problem(Problem{Path: n.path, Code: CodeSpoolLimit, Message: fmt.Sprintf("%d bytes %v; not read", n.size, se)})
	return true
}

// leaf hands a non-container file to visit, spooling it first when it is
// a random-access format without random access.
func (w *walker) leaf(n *node, format Format, head []byte, br *bufio.Reader, cr *hashReader) error {
	f := &File{
		Path: n.path, Name: n.name, Dir: n.dir, Size: n.size, ModTime: n.modTime,
		Package: n.pkg, Domain: n.domain, Format: format, ReaderAt: n.ra, Depth: n.depth,
	}
	f.Head = head
	if n.size >= 0 && int64(len(head)) > n.size {
		f.Head = head[:n.size]
	}
	var r io.Reader = br
	var spooled []byte
	isDescript := format == FormatMIUIDescript
	sqliteFile := n.ra == nil && (format == FormatSQLite || format == FormatSQLiteWAL || format == FormatSQLiteJournal)
	if sqliteFile && w.opts.Spool != nil && (n.size > MemorySpoolMax || n.size > w.opts.SpoolLimit-w.spoolUsed) &&
		n.size <= w.opts.SpoolOutLimit-w.spoolOutUsed {
		if sf, err := w.opts.Spool(n.size); err == nil {
			ra, size, err := spoolOut(sf, br)
			if w.spoolFailed(n, err) {
				return nil
			}
			if err != nil {
				return err
			}
			w.spoolOutUsed += size
			f.ReaderAt, f.Size = ra, size
			r = io.NewSectionReader(ra, 0, size)
			sqliteFile = false // held: no memory spool
		}
	}
	if isDescript || sqliteFile {
		limit := w.opts.SpoolLimit - w.spoolUsed
		if isDescript {
			limit = miui.MaxDescriptSize
		}
		if n.size > limit {
			if !isDescript {
				w.problem(Problem{Path: n.path, Code: CodeSpoolLimit, Warning: true,
					Message: fmt.Sprintf("%s of %d bytes exceeds the %d-byte spool budget left; passed as a stream only", format, n.size, limit)})
			}
		} else {
			buf, err := io.ReadAll(io.LimitReader(br, limit+1))
			if err != nil {
				return err
			}
			if int64(len(buf)) > limit {
				if !isDescript {
					w.problem(Problem{Path: n.path, Code: CodeSpoolLimit, Warning: true,
						Message: fmt.Sprintf("%s exceeds the %d-byte spool budget left; passed as a stream only", format, limit)})
				}
				r = io.MultiReader(bytes.NewReader(buf), br)
			} else {
				spooled = buf
				if !isDescript {
					w.spoolUsed += int64(len(buf))
					defer func() { w.spoolUsed -= int64(len(buf)) }()
				}
				if f.ReaderAt == nil {
					f.ReaderAt = bytes.NewReader(buf)
				}
				if f.Size < 0 {
					f.Size = int64(len(buf))
				}
				r = bytes.NewReader(buf)
			}
		}
	}
	if w.visit != nil {
		if err := w.visit(f, r); err != nil {
			if isCtxErr(err) {
				return err
			}
			if cr.upErr != nil {
				return cr.upErr
			}
			w.problem(Problem{Path: n.path, Code: CodeVisitFailed, Message: err.Error()})
		}
	}
	if isDescript && spooled != nil {
		d, err := miui.ParseDescript(bytes.NewReader(spooled))
		if err != nil {
			w.problem(Problem{Path: n.path, Code: CodeCorrupt, Message: err.Error()})
		} else {
			set := MIUISet{Dir: n.dir, Path: n.path, Descript: d}
			w.res.MIUISets = append(w.res.MIUISets, set)
			w.scope.descripts = append(w.scope.descripts, set)
			for _, msg := range d.Warnings {
				w.warn(n.path, 0, "descript.xml: "+msg)
			}
			if d.InternalEncrypt {
				w.warn(n.path, 0, "descript.xml carries a HyperOS internalEncrypt key: .bak payloads may be encrypted with a device-bound key (method unknown)")
			}
		}
	}
	return nil
}

// unsafeName reports names that are absolute or climb out with "..".
func unsafeName(name string) bool {
	name = strings.ReplaceAll(name, "\\", "/")
	if strings.HasPrefix(name, "/") {
		return true
	}
	if len(name) >= 2 && name[1] == ':' && (name[0]|0x20 >= 'a' && name[0]|0x20 <= 'z') {
		return true
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == ".." {
			return true
		}
	}
	return false
}

// cleanName normalises a safe entry name ("./a//b" → "a/b").
func cleanName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	c := path.Clean(name)
	if c == "." {
		return ""
	}
	return strings.TrimPrefix(c, "./")
}

// ratioReader stops a decompressor whose output outgrows its input.
type ratioReader struct {
	r        io.Reader
	consumed func() int64
	produced int64
	w        *walker
	path     string
	notTotal bool // not a decompressor: keep out of the input's total
}

func (rr *ratioReader) Read(p []byte) (int, error) {
	n, err := rr.r.Read(p)
	rr.produced += int64(n)
	if !rr.notTotal {
		rr.w.expanded += int64(n)
	}
	o := rr.w.opts
	if rr.produced > o.RatioMinBytes {
		in := max(rr.consumed(), 1)
		if float64(rr.produced) > o.MaxRatio*float64(in) {
			return n, &guardError{code: CodeBombRatio, path: rr.path, offset: in,
				msg: fmt.Sprintf("expansion ratio over %g:1 (%d bytes out of %d); rest of this stream skipped", o.MaxRatio, rr.produced, in)}
		}
	}
	if rr.w.expanded > o.RatioMinBytes && rr.w.inputSize > 0 && float64(rr.w.expanded) > o.MaxRatio*float64(rr.w.inputSize) {
		return n, &guardError{code: CodeBombRatio, path: rr.path, offset: rr.consumed(),
			msg: fmt.Sprintf("total expansion of input %q over %g:1 (%d bytes from %d); rest skipped", rr.w.input, o.MaxRatio, rr.w.expanded, rr.w.inputSize)}
	}
	if rr.w.inputSize > 0 && rr.w.expanded > o.TotalMinBytes && float64(rr.w.expanded) > o.MaxTotalRatio*float64(rr.w.inputSize) {
		return n, &guardError{code: CodeBombRatio, path: rr.path, offset: rr.consumed(),
			msg: fmt.Sprintf("input %q has expanded to %d bytes, over %g times its %d bytes (and over %d bytes); rest skipped", rr.w.input, rr.w.expanded, o.MaxTotalRatio, rr.w.inputSize, o.TotalMinBytes)}
	}
	return n, err
}

// countReader counts bytes read.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// drain reads br to its end through its own 64 KiB buffer (io.Copy to
// io.Discard would read the reader below in 8 KiB pieces: in the browser
// a stored zip entry read that way goes through FileReaderSync block by
// block instead of a stream).
func drain(br *bufio.Reader) error {
	for {
		if _, err := br.Discard(1 << 30); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

var errNoSeek = errors.New("container: not seekable")

// Seek forwards archive/tar's skips to a tarSource (see there); any other
// reader is not seekable (archive/tar then reads what it skips).
func (c *countReader) Seek(off int64, whence int) (int64, error) {
	ts, ok := c.r.(*tarSource)
	if !ok || whence != io.SeekCurrent || off < 0 {
		return -1, errNoSeek
	}
	if off == 0 {
		return c.n, nil
	}
	before := ts.n
	if _, err := ts.Seek(off, io.SeekCurrent); err != nil {
		return -1, err
	}
	c.n += ts.n - before
	return c.n, nil
}

// Locate tells where the bytes of a File's ReaderAt are: in the ReaderAt of
// the top-level InputFile it returns, from offset off (a file stored in a
// zip, a tar entry of an uncompressed backup, an input itself). For a
// ReaderAt that is not part of an input (a file spooled into memory) it
// returns ra itself and 0.
func Locate(ra io.ReaderAt) (top io.ReaderAt, off int64) {
	for {
		switch r := ra.(type) {
		case *io.SectionReader:
			outer, o, _ := r.Outer()
			ra, off = outer, off+o
		case *raCounter:
			ra = r.ra
		default:
			return ra, off
		}
	}
}
