//go:build !js

// Hostile corpus: inputs built in code the way an attacker (or a broken
// phone) would make them, each run through the whole inspection beside good
// samples. Every case must finish within its time limit without a panic,
// report a problem naming the hostile input (with an offset where the format
// has one), and leave every record of the good inputs exactly as a run
// without the hostile input finds them.
//
// The long cases (100 MB inputs, a million entries, truncation of bigger
// samples at every byte, memory ceilings in a subprocess) are in
// stress_test.go behind the "stress" build tag (make stress).
package inspect

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/adler32"
	"hash/crc32"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/backupinspector/backupinspector/parsers/androidbackup"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/sqlite"
	"github.com/backupinspector/backupinspector/samples"

	_ "modernc.org/sqlite" // the real SQLite, to build damaged databases from
)

// caseLimit is the wall-clock limit of one hostile run (two good samples
// and one hostile input). Generous for a loaded 2-core CI machine; a hang
// is what it catches.
const caseLimit = 60 * time.Second

// Names of the good inputs placed around every hostile input.
const (
	goodDBName = "good-mmssms.db"
	goodABName = "good-telephony.ab"
)

// memInput is an input held in memory; ra gives it random access (like a
// loose file), else it can only be streamed (like a file inside a stream).
func memInput(name string, data []byte, ra bool) container.Input {
	f := container.InputFile{Size: int64(len(data)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(data)), nil
	}}
	if ra {
		f.ReaderAt = bytes.NewReader(data)
	}
	return container.Input{Name: name, Files: []container.InputFile{f}}
}

// dirInput is a folder input made of in-memory files (path → content).
func dirInput(name string, files map[string][]byte) container.Input {
	in := container.Input{Name: name, IsDir: true}
	for p, data := range files {
		data := data
		in.Files = append(in.Files, container.InputFile{Path: p, Size: int64(len(data)), ReaderAt: bytes.NewReader(data),
			Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }})
	}
	sort.Slice(in.Files, func(i, j int) bool { return in.Files[i].Path < in.Files[j].Path })
	return in
}

func mustRead(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(samplePath(name))
	if err != nil {
		t.Skipf("sample %s missing: %v", name, err)
	}
	return b
}

// good holds the good samples and what a run over them alone finds.
var good struct {
	once     sync.Once
	db, ab   []byte
	records  map[string]int // record JSON → count, from the run without hostile input
	files    map[string]string
	messages int
	err      error
}

func goodInputs() []container.Input {
	return []container.Input{memInput(goodDBName, good.db, true), memInput(goodABName, good.ab, false)}
}

func loadGood(t testing.TB) {
	t.Helper()
	good.once.Do(func() {
		var err error
		if good.db, err = os.ReadFile(samplePath("mmssms.db")); err != nil {
			good.err = err
			return
		}
		if good.ab, err = os.ReadFile(samplePath("telephony.ab")); err != nil {
			good.err = err
			return
		}
		rep, _, err := Run(context.Background(), goodInputs(), Options{})
		if err != nil {
			good.err = err
			return
		}
		good.records = recordSet(rep, nil)
		good.files = fileSet(rep, goodDBName, goodABName)
		good.messages = len(rep.Messages)
		if good.messages == 0 {
			good.err = fmt.Errorf("the good samples give no messages")
		}
	})
	if good.err != nil {
		t.Skipf("good samples unusable: %v", good.err)
	}
}

// fromInput reports whether a source or provenance path starts in input name.
func fromInput(src, name string) bool {
	if !strings.HasPrefix(src, name) {
		return false
	}
	rest := src[len(name):]
	return rest == "" || strings.ContainsRune("#!/@", rune(rest[0]))
}

// recordSet returns every record (message, contact, call, identifier) as
// JSON with its count; keep (nil: all) selects records by source.
func recordSet(rep *report.Report, keep func(src string) bool) map[string]int {
	out := map[string]int{}
	add := func(kind, src string, v any) {
		if keep != nil && !keep(src) {
			return
		}
		b, _ := json.Marshal(v)
		out[kind+" "+string(b)]++
	}
	for _, m := range rep.Messages {
		add("message", m.Source, m)
	}
	for _, c := range rep.Contacts {
		add("contact", c.Source, c)
	}
	for _, c := range rep.Calls {
		add("call", c.Source, c)
	}
	for _, id := range rep.Identifiers {
		add("identifier", id.Source, id)
	}
	return out
}

// fileSet lists the files of the given inputs with their hashes.
func fileSet(rep *report.Report, names ...string) map[string]string {
	out := map[string]string{}
	for _, f := range rep.Files {
		for _, n := range names {
			if fromInput(f.Path, n) {
				out[f.Path] = fmt.Sprintf("%d %s %s %s", f.Size, f.SHA256, f.Format, f.Container)
			}
		}
	}
	return out
}

// runLimited runs the inspection in a goroutine and fails the test on a
// panic (with its stack) or when it does not end within limit (with every
// goroutine's stack, to show where it hangs).
func runLimited(t testing.TB, inputs []container.Input, opts Options, limit time.Duration) *report.Report {
	t.Helper()
	type result struct {
		rep   *report.Report
		err   error
		panic any
		stack []byte
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan result, 1)
	go func() {
		var res result
		defer func() {
			if p := recover(); p != nil {
				res.panic, res.stack = p, debug.Stack()
			}
			done <- res
		}()
		res.rep, _, res.err = Run(ctx, inputs, opts)
		if res.err == nil {
			// Encoding is part of every run (CLI and page).
			if b, err := report.Encode(res.rep); err != nil {
				res.err = err
			} else if !json.Valid(b) {
				res.err = fmt.Errorf("report is not valid JSON")
			}
		}
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case res := <-done:
		if res.panic != nil {
			t.Fatalf("panic: %v\n%s", res.panic, res.stack)
		}
		if res.err != nil {
			t.Fatalf("run failed: %v", res.err)
		}
		return res.rep
	case <-timer.C:
		var b strings.Builder
		pprof.Lookup("goroutine").WriteTo(&b, 2)
		t.Fatalf("no result within %v (hang?)\n%s", limit, b.String())
	}
	return nil
}

// expect says what a hostile input must produce.
type expect struct {
	codes  []string // a problem of the hostile input with one of these codes; nil: any problem
	offset bool     // that problem carries a byte offset
	none   bool     // no problem is required (damage the readers need not notice)
	// more checks on the report
	check func(t *testing.T, rep *report.Report)
}

// checkHostile runs the hostile input between the good ones and checks the
// outcome.
func checkHostile(t *testing.T, hostile container.Input, opts Options, want expect) *report.Report {
	t.Helper()
	loadGood(t)
	in := goodInputs()
	inputs := []container.Input{in[0], hostile, in[1]}
	start := time.Now()
	rep := runLimited(t, inputs, opts, caseLimit)
	if d := time.Since(start); d > 10*time.Second {
		t.Logf("slow: %v", d)
	}
	checkReport(t, rep, hostile.Name, want)
	return rep
}

func checkReport(t *testing.T, rep *report.Report, hostile string, want expect) {
	t.Helper()
	// The good inputs are read in full, exactly as without the hostile one.
	got := recordSet(rep, func(src string) bool { return fromInput(src, goodDBName) || fromInput(src, goodABName) })
	for k, n := range good.records {
		if got[k] < n {
			t.Errorf("good record lost beside hostile input %q: %.200s", hostile, k)
			break
		}
	}
	if len(got) != len(good.records) {
		t.Errorf("good inputs give %d distinct records beside %q, %d alone", len(got), hostile, len(good.records))
	}
	gf := fileSet(rep, goodDBName, goodABName)
	for p, v := range good.files {
		if gf[p] != v {
			t.Errorf("good file %s: %q beside %q, %q alone", p, gf[p], hostile, v)
		}
	}
	// Chain of custody: every input is listed with its own hash.
	var names []string
	for _, i := range rep.Inputs {
		names = append(names, i.Name)
	}
	if !containsAll(names, goodDBName, goodABName, hostile) {
		t.Errorf("inputs listed: %q", names)
	}
	var mine []report.Problem
	for _, p := range rep.Problems {
		if p.Code == "" || p.Message == "" || p.Input == "" {
			t.Errorf("problem without code, message or input: %+v", p)
		}
		if p.Code == "module-panic" {
			t.Errorf("a module panicked: %+v", p)
		}
		if (fromInput(p.Input, goodDBName) || fromInput(p.Input, goodABName)) && !crossInput(p.Code) {
			t.Errorf("problem blamed on a good input: %+v", p)
		}
		if p.Input == hostile {
			mine = append(mine, p)
		}
	}
	if testing.Verbose() {
		t.Logf("problems of %s: %s", hostile, problemsString(mine))
	}
	if !want.none {
		ok := false
		for _, p := range mine {
			if (want.codes == nil || contains(want.codes, p.Code)) && (!want.offset || p.Offset != nil) {
				ok = true
			}
		}
		if !ok {
			t.Errorf("no problem %v (offset %v) for %q; problems: %s", want.codes, want.offset, hostile, problemsString(mine))
		}
	}
	if want.check != nil {
		want.check(t, rep)
	}
}

// crossInput reports problem codes about disagreement between inputs (a
// damaged input can make a good one disagree with it): those may name a
// good input.
func crossInput(code string) bool { return code == "device-conflict" }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func containsAll(list []string, want ...string) bool {
	for _, w := range want {
		if !contains(list, w) {
			return false
		}
	}
	return true
}

func problemsString(ps []report.Problem) string {
	var b strings.Builder
	for _, p := range ps {
		off := "-"
		if p.Offset != nil {
			off = fmt.Sprint(*p.Offset)
		}
		fmt.Fprintf(&b, "\n  %s @%s %s: %s", p.Code, off, p.Path, p.Message)
	}
	if b.Len() == 0 {
		return "none"
	}
	return b.String()
}

// messagesFrom counts the messages whose source starts with prefix.
func messagesFrom(rep *report.Report, prefix string) int {
	n := 0
	for _, m := range rep.Messages {
		if strings.HasPrefix(m.Source, prefix) {
			n++
		}
	}
	return n
}

// goodDBMessages is the number of messages of mmssms.db alone.
func goodDBMessages(t *testing.T) int {
	n := 0
	for k, c := range good.records {
		if strings.HasPrefix(k, "message ") && strings.Contains(k, `"source":"`+goodDBName+"#") {
			n += c
		}
	}
	if n == 0 {
		t.Fatal("no messages from the good database")
	}
	return n
}

// wantMessagesFrom checks that a copy of the good database hidden inside the
// hostile input (at provenance prefix) was read in full.
func wantMessagesFrom(prefix string) func(t *testing.T, rep *report.Report) {
	return func(t *testing.T, rep *report.Report) {
		if got, want := messagesFrom(rep, prefix), goodDBMessages(t); got != want {
			t.Errorf("%d messages from %s, want %d: the damage beside it stopped its reading", got, prefix, want)
		}
	}
}

// wantNoMessagesFrom checks that nothing was read from entries that must be
// skipped.
func wantNoMessagesFrom(sub string) func(t *testing.T, rep *report.Report) {
	return func(t *testing.T, rep *report.Report) {
		for _, m := range rep.Messages {
			if strings.Contains(m.Source, sub) {
				t.Errorf("message read from a skipped entry: %s", m.Source)
				return
			}
		}
		for _, f := range rep.Files {
			if strings.Contains(f.Path, sub) {
				t.Errorf("skipped entry listed as read: %+v", f)
				return
			}
		}
	}
}

func both(fs ...func(*testing.T, *report.Report)) func(*testing.T, *report.Report) {
	return func(t *testing.T, rep *report.Report) {
		for _, f := range fs {
			f(t, rep)
		}
	}
}

// ---- builders -------------------------------------------------------------

type entry struct {
	name string
	data []byte
	typ  byte // tar type flag; 0 = regular
	link string
	size int64 // declared size when data is nil (header only)
}

func mkTar(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		typ := e.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: e.name, Mode: 0600, Size: int64(len(e.data)), Typeflag: typ, Linkname: e.link,
			ModTime: time.Unix(1700000000, 0), Format: tar.FormatPAX}
		if typ != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if typ == tar.TypeReg {
			tw.Write(e.data)
		}
	}
	tw.Close()
	return buf.Bytes()
}

// tarHeader returns one raw ustar header block (names may be anything,
// sizes any value: archive/tar's writer would refuse some of them).
func tarHeader(name string, size int64, typ byte, link string) []byte {
	b := make([]byte, 512)
	copy(b[0:100], name)
	copy(b[100:], "0000600\x00")
	copy(b[108:], "0000000\x00")
	copy(b[116:], "0000000\x00")
	if size >= 1<<33 {
		// base-256 for sizes over the octal range
		b[124] = 0x80
		binary.BigEndian.PutUint64(b[128:136], uint64(size))
	} else {
		copy(b[124:], fmt.Sprintf("%011o\x00", size))
	}
	copy(b[136:], fmt.Sprintf("%011o\x00", 1700000000))
	b[156] = typ
	copy(b[157:257], link)
	copy(b[257:], "ustar\x0000")
	for i := 148; i < 156; i++ {
		b[i] = ' '
	}
	var sum int64
	for _, c := range b {
		sum += int64(c)
	}
	copy(b[148:], fmt.Sprintf("%06o\x00 ", sum))
	return b
}

func mkZip(t testing.TB, stored bool, entries ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		m := zip.Deflate
		if stored {
			m = zip.Store
		}
		fh := &zip.FileHeader{Name: e.name, Method: m, Modified: time.Unix(1700000000, 0).UTC()}
		if e.typ == tar.TypeSymlink {
			fh.SetMode(0777 | os.ModeSymlink)
		}
		w, err := zw.CreateHeader(fh)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	zw.Close()
	return buf.Bytes()
}

func mkGzip(t testing.TB, data []byte) []byte {
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestCompression)
	zw.Write(data)
	zw.Close()
	return gzipWrap(buf.Bytes(), crc32.ChecksumIEEE(data), uint32(len(data)))
}

func gzipWrap(deflated []byte, crc, isize uint32) []byte {
	out := []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff}
	out = append(out, deflated...)
	out = binary.LittleEndian.AppendUint32(out, crc)
	return binary.LittleEndian.AppendUint32(out, isize)
}

func mkAB(t testing.TB, o androidbackup.WriterOptions, tarData []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	o.Rand = rand.New(rand.NewSource(1))
	if o.Password != "" && o.Rounds == 0 {
		o.Rounds = 10
	}
	w, err := androidbackup.NewWriter(&buf, o)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(tarData)
	w.Close()
	return buf.Bytes()
}

// zeroStream is a raw deflate stream of prefix followed by n MiB of zero
// bytes and then suffix, made in milliseconds: after the first MiB the
// compressed form of each further MiB of zeros (sync-flushed) is the same
// bytes, so it is repeated instead of compressed again.
type zeroStream struct {
	deflate []byte
	size    int64 // uncompressed size
	crc     uint32
	adler   uint32
}

func makeZeroStream(t testing.TB, prefix []byte, mib int, suffix []byte) zeroStream {
	return makeFillStream(t, prefix, 0, mib, suffix)
}

// makeFillStream is makeZeroStream with another fill byte.
func makeFillStream(t testing.TB, prefix []byte, fill byte, mib int, suffix []byte) zeroStream {
	t.Helper()
	if mib < 3 {
		t.Fatal("makeZeroStream needs at least 3 MiB")
	}
	chunk := bytes.Repeat([]byte{fill}, 1<<20)
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestCompression)
	var parts [][]byte
	for i := 0; i < 3; i++ {
		if i == 0 {
			zw.Write(prefix)
		}
		zw.Write(chunk)
		zw.Flush()
		parts = append(parts, append([]byte(nil), buf.Bytes()...))
		buf.Reset()
	}
	zw.Write(suffix)
	zw.Close()
	tail := buf.Bytes()
	if !bytes.Equal(parts[1], parts[2]) {
		t.Fatal("compressed zero blocks differ; cannot repeat them")
	}
	zs := zeroStream{size: int64(len(prefix)) + int64(mib)<<20 + int64(len(suffix))}
	out := make([]byte, 0, len(parts[0])+(mib-1)*len(parts[1])+len(tail))
	out = append(out, parts[0]...)
	for i := 1; i < mib; i++ {
		out = append(out, parts[1]...)
	}
	zs.deflate = append(out, tail...)
	crc := crc32.ChecksumIEEE(prefix)
	ad := adler32.New()
	ad.Write(prefix)
	for i := 0; i < mib; i++ {
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
		ad.Write(chunk)
	}
	zs.crc = crc32.Update(crc, crc32.IEEETable, suffix)
	ad.Write(suffix)
	zs.adler = ad.Sum32()
	return zs
}

// TestZeroStream checks the bomb builder itself on a small size.
func TestZeroStream(t *testing.T) {
	zs := makeZeroStream(t, []byte("head"), 5, []byte("tail"))
	got, err := io.ReadAll(flate.NewReader(bytes.NewReader(zs.deflate)))
	if err != nil {
		t.Fatal(err)
	}
	want := append(append([]byte("head"), make([]byte, 5<<20)...), "tail"...)
	if !bytes.Equal(got, want) || zs.crc != crc32.ChecksumIEEE(want) || zs.adler != adler32.Checksum(want) {
		t.Fatalf("zero stream decodes to %d bytes, want %d", len(got), len(want))
	}
	if r := float64(zs.size) / float64(len(zs.deflate)); r < 900 {
		t.Fatalf("ratio %.0f: not a bomb", r)
	}
}

// zipRaw writes a zip with one entry whose compressed bytes are given.
func zipRaw(t testing.TB, name string, method uint16, raw []byte, crc uint32, size int64, more ...entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: method, CRC32: crc,
		CompressedSize64: uint64(len(raw)), UncompressedSize64: uint64(size), Modified: time.Unix(1700000000, 0).UTC()})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw)
	for _, e := range more {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	zw.Close()
	return buf.Bytes()
}

// ---- container cases ------------------------------------------------------

func TestHostileContainers(t *testing.T) {
	loadGood(t)
	db := good.db
	bomb := makeZeroStream(t, nil, 256, nil)
	tarHdr := tarHeader("zeros.bin", 256<<20, tar.TypeReg, "")
	tarBomb := makeZeroStream(t, tarHdr, 256, make([]byte, 1024))
	abHeader := []byte("ANDROID BACKUP\n5\n1\nnone\n")

	nestZip := func(depth int) []byte {
		data := db
		name := "mmssms.db"
		for i := 0; i < depth; i++ {
			data = mkZip(t, true, entry{name: name, data: data})
			name = fmt.Sprintf("level%d.zip", i)
		}
		return data
	}
	nestGzip := func(depth int) []byte {
		data := db
		for i := 0; i < depth; i++ {
			data = mkGzip(t, data)
		}
		return data
	}
	manyTar := func(n int) []byte {
		var buf bytes.Buffer
		tw := tar.NewWriter(&buf)
		for i := 0; i < n; i++ {
			tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("d/%07d", i), Mode: 0600, Size: 1, ModTime: time.Unix(1700000000, 0)})
			tw.Write([]byte{'x'})
		}
		tw.WriteHeader(&tar.Header{Name: "after.db", Mode: 0600, Size: int64(len(db)), ModTime: time.Unix(1700000000, 0)})
		tw.Write(db)
		tw.Close()
		return buf.Bytes()
	}
	traversal := []entry{
		{name: "../../evil-up.db", data: db},
		{name: "/etc/evil-abs.db", data: db},
		{name: "C:\\evil-drive.db", data: db},
		{name: "a/../../evil-mid.db", data: db},
		{name: "..\\..\\evil-back.db", data: db},
		{name: "ok/mmssms.db", data: db},
	}
	hugeStored := func() []byte {
		// A stored entry whose headers declare 4 GiB - 1 bytes while 100 are there.
		z := zipRaw(t, "liar.bin", zip.Store, bytes.Repeat([]byte{'a'}, 100), 0, 100, entry{name: "after.db", data: db})
		// Patch the uncompressed and compressed size of the first entry in
		// the local header (offsets 18, 22) and the central directory.
		binary.LittleEndian.PutUint32(z[18:], 0xFFFFFFF0)
		binary.LittleEndian.PutUint32(z[22:], 0xFFFFFFF0)
		cd := bytes.Index(z, []byte("PK\x01\x02"))
		binary.LittleEndian.PutUint32(z[cd+20:], 0xFFFFFFF0)
		binary.LittleEndian.PutUint32(z[cd+24:], 0xFFFFFFF0)
		return z
	}

	cases := []struct {
		name string
		in   container.Input
		opts Options
		want expect
	}{
		{"zip-bomb-ratio", memInput("bomb.zip", zipRaw(t, "zeros.bin", zip.Deflate, bomb.deflate, bomb.crc, bomb.size, entry{name: "after.db", data: db}), true), Options{},
			expect{codes: []string{container.CodeBombRatio}, offset: true, check: wantMessagesFrom("bomb.zip!after.db#")}},
		{"zip-bomb-ratio-stream", memInput("bomb-stream.zip", zipRaw(t, "zeros.bin", zip.Deflate, bomb.deflate, bomb.crc, bomb.size), false), Options{},
			expect{codes: []string{container.CodeBombRatio}, offset: true}},
		{"gzip-in-gzip-bomb", memInput("bomb.gz", mkGzip(t, gzipWrap(bomb.deflate, bomb.crc, uint32(bomb.size))), false), Options{},
			expect{codes: []string{container.CodeBombRatio}, offset: true}},
		{"tgz-bomb", memInput("bomb.tgz", gzipWrap(tarBomb.deflate, tarBomb.crc, uint32(tarBomb.size)), true), Options{},
			expect{codes: []string{container.CodeBombRatio}, offset: true}},
		{"ab-bomb", memInput("bomb.ab", append(append(append(abHeader, 0x78, 0xda), tarBomb.deflate...), binary.BigEndian.AppendUint32(nil, tarBomb.adler)...), false), Options{},
			expect{codes: []string{container.CodeBombRatio}, offset: true}},
		{"zip-nested-40", memInput("nested.zip", nestZip(40), true), Options{},
			expect{codes: []string{container.CodeTooDeep}}},
		{"zip-nested-8-read", memInput("nested8.zip", nestZip(8), false), Options{},
			expect{none: true, check: func(t *testing.T, rep *report.Report) {
				if got, want := messagesFrom(rep, "nested8.zip!"), goodDBMessages(t); got != want {
					t.Errorf("%d messages from a database 8 zips deep, want %d", got, want)
				}
			}}},
		{"gzip-nested-40", memInput("nested.gz", nestGzip(40), false), Options{},
			expect{codes: []string{container.CodeTooDeep}}},
		{"tar-traversal", memInput("traversal.tar", mkTar(t, traversal...), false), Options{},
			expect{codes: []string{container.CodePathTraversal}, offset: true,
				check: both(wantNoMessagesFrom("evil"), wantMessagesFrom("traversal.tar!ok/mmssms.db#"))}},
		{"zip-traversal", memInput("traversal.zip", mkZip(t, false, traversal...), true), Options{},
			expect{codes: []string{container.CodePathTraversal}, offset: true,
				check: both(wantNoMessagesFrom("evil"), wantMessagesFrom("traversal.zip!ok/mmssms.db#"))}},
		{"zip-traversal-stream", memInput("traversal-s.zip", mkZip(t, false, traversal...), false), Options{},
			expect{codes: []string{container.CodePathTraversal}, offset: true,
				check: both(wantNoMessagesFrom("evil"), wantMessagesFrom("traversal-s.zip!ok/mmssms.db#"))}},
		{"folder-traversal", dirInput("folder", map[string][]byte{"../evil-up.db": db, "/abs/evil-abs.db": db, "ok/mmssms.db": db}), Options{},
			expect{codes: []string{container.CodePathTraversal}, check: both(wantNoMessagesFrom("evil"), wantMessagesFrom("folder/ok/mmssms.db#"))}},
		{"tar-links", memInput("links.tar", mkTar(t,
			entry{name: "mmssms.db", typ: tar.TypeSymlink, link: "/data/data/com.android.providers.telephony/databases/mmssms.db"},
			entry{name: "hard.db", typ: tar.TypeLink, link: "../../etc/shadow"},
			entry{name: "self", typ: tar.TypeSymlink, link: "self"},
			entry{name: "fifo", typ: tar.TypeFifo},
			entry{name: "dev", typ: tar.TypeChar},
			entry{name: "real/mmssms.db", data: db},
		), false), Options{},
			expect{codes: []string{container.CodeLink}, offset: true, check: wantMessagesFrom("links.tar!real/mmssms.db#")}},
		{"zip-symlink", memInput("links.zip", mkZip(t, false, entry{name: "mmssms.db", typ: tar.TypeSymlink, data: []byte("/etc/passwd")}, entry{name: "real.db", data: db}), true), Options{},
			expect{codes: []string{container.CodeLink}, check: wantMessagesFrom("links.zip!real.db#")}},
		{"tar-many-entries", memInput("many.tar", manyTar(20000), false), Options{MaxEntries: 10000},
			expect{codes: []string{container.CodeTooManyEntries}, offset: true}},
		{"zip-many-entries", memInput("many.zip", func() []byte {
			var es []entry
			for i := 0; i < 20000; i++ {
				es = append(es, entry{name: fmt.Sprintf("d/%07d", i), data: []byte{'x'}})
			}
			return mkZip(t, true, es...)
		}(), true), Options{MaxEntries: 10000},
			expect{codes: []string{container.CodeTooManyEntries}}},
		{"zip-lying-sizes", memInput("liar.zip", hugeStored(), true), Options{},
			expect{codes: []string{container.CodeCorrupt, container.CodeTruncated}, check: wantMessagesFrom("liar.zip!after.db#")}},
		{"zip-lying-sizes-stream", memInput("liar-s.zip", hugeStored(), false), Options{},
			expect{codes: []string{container.CodeCorrupt, container.CodeTruncated}, offset: true}},
		{"tar-declares-8GiB", memInput("huge.tar", append(tarHeader("big.db", 8<<30, tar.TypeReg, ""), db...), false), Options{},
			expect{codes: []string{container.CodeTruncated}, offset: true}},
		{"tar-declares-negative", memInput("neg.tar", append(tarHeader("neg.bin", -1, tar.TypeReg, ""), make([]byte, 2048)...), false), Options{},
			expect{codes: []string{container.CodeCorrupt, container.CodeTruncated}, offset: true}},
		{"ab-declares-huge-rounds", memInput("rounds.ab", []byte("ANDROID BACKUP\n5\n0\nAES-256\n"+strings.Repeat("AB", 64)+"\n"+strings.Repeat("CD", 64)+"\n2000000000\n"+strings.Repeat("00", 16)+"\n"+strings.Repeat("00", 96)+"\n"), false),
			Options{Password: func(container.PasswordRequest) (string, bool) { return "pw", true }},
			expect{codes: []string{container.CodeCorrupt, container.CodeWrongPassword}, offset: true}},
		{"empty", memInput("empty.bin", nil, true), Options{}, expect{none: true}},
		{"not-a-backup", memInput("random.bin", randomBytes(1, 1<<20), false), Options{}, expect{none: true}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkHostile(t, tc.in, tc.opts, tc.want)
		})
	}
}

func randomBytes(seed int64, n int) []byte {
	b := make([]byte, n)
	rand.New(rand.NewSource(seed)).Read(b)
	return b
}

// ---- XML, vCard, JSON -----------------------------------------------------

// billionLaughs is an XML document whose entities would expand to ~3 GB.
func billionLaughs(inner string) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lolololololololololol">`)
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, `<!ENTITY lol%d "`, i)
		prev := "lol"
		if i > 1 {
			prev = fmt.Sprintf("lol%d", i-1)
		}
		for j := 0; j < 10; j++ {
			fmt.Fprintf(&b, "&%s;", prev)
		}
		b.WriteString(`">`)
	}
	b.WriteString(`]>`)
	b.WriteString(strings.ReplaceAll(inner, "LOL", "&lol9;"))
	return []byte(b.String())
}

// notExpanded checks that no entity was expanded: the report stays small
// and holds no run of the entity text.
func notExpanded(t *testing.T, rep *report.Report) {
	b, err := report.Encode(rep)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 4<<20 || bytes.Contains(b, []byte(strings.Repeat("lol", 100))) {
		t.Errorf("entities expanded: report of %d bytes", len(b))
	}
}

func deepXML(open, close string, depth int, head, tail string) []byte {
	var b bytes.Buffer
	b.WriteString(head)
	for i := 0; i < depth; i++ {
		b.WriteString(open)
	}
	for i := 0; i < depth; i++ {
		b.WriteString(close)
	}
	b.WriteString(tail)
	return b.Bytes()
}

func zlibBytes(data []byte) []byte {
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestSpeed)
	zw.Write(data)
	zw.Close()
	out := append([]byte{0x78, 0x01}, buf.Bytes()...)
	return binary.BigEndian.AppendUint32(out, adler32.Checksum(data))
}

func TestHostileText(t *testing.T) {
	loadGood(t)
	descriptLaughs := billionLaughs(`<MIUI-backup><jsonMsg>LOL</jsonMsg><bakVersion>2</bakVersion><packages><package><bakFile>LOL</bakFile><packageName>com.android.contacts</packageName><feature>2</feature></package></packages></MIUI-backup>`)
	smsLaughs := billionLaughs(`<smses count="1"><sms protocol="0" address="LOL" date="1700000000000" type="1" body="LOL" read="1" /></smses>`)
	wifiLaughs := billionLaughs(`<WifiConfigStoreData><int name="Version" value="3" /><NetworkList><Network><WifiConfiguration><string name="ConfigKey">&quot;LOL&quot;WPA_PSK</string><string name="SSID">&quot;LOL&quot;</string><string name="PreSharedKey">&quot;LOL&quot;</string></WifiConfiguration></Network></NetworkList></WifiConfigStoreData>`)
	deepVCard := func(n int) []byte {
		var b bytes.Buffer
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "BEGIN:VCARD\r\nVERSION:2.1\r\nN:Depth;%d\r\n", i)
		}
		for i := 0; i < n; i++ {
			b.WriteString("END:VCARD\r\n")
		}
		return b.Bytes()
	}
	longFold := func(n int) []byte {
		var b bytes.Buffer
		b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Fold\r\nNOTE:")
		for i := 0; i < n; i++ {
			b.WriteString("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n ")
		}
		b.WriteString("end\r\nEND:VCARD\r\n")
		return b.Bytes()
	}
	manyProps := func(n int) []byte {
		var b bytes.Buffer
		b.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Props\r\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "TEL;TYPE=CELL:+1555%07d\r\n", i)
		}
		b.WriteString("END:VCARD\r\n")
		return b.Bytes()
	}
	deepJSON := append(append([]byte(strings.Repeat("[", 100000)), "1"...), strings.Repeat("]", 100000)...)
	bigJSONString := append(append([]byte(`[{"address":"+15550100","body":"`), bytes.Repeat([]byte("A"), 32<<20)...), `","date":"1700000000000","type":"1"}]`...)
	abTar := func(name string, data []byte) []byte {
		return mkAB(t, androidbackup.WriterOptions{Compress: true}, mkTar(t,
			entry{name: "apps/com.android.providers.telephony/_manifest", data: []byte("1\ncom.android.providers.telephony\n1\n33\n\n1\n0\n")},
			entry{name: "apps/com.android.providers.telephony/d_f/" + name, data: data}))
	}

	cases := []struct {
		name string
		in   container.Input
		want expect
	}{
		{"descript-billion-laughs", dirInput("miui-set", map[string][]byte{"descript.xml": descriptLaughs}),
			expect{none: true, check: notExpanded}},
		{"descript-deep", dirInput("miui-deep", map[string][]byte{"descript.xml": deepXML("<a>", "</a>", 200000, "<MIUI-backup>", "</MIUI-backup>")}),
			expect{none: true}},
		{"smsbr-billion-laughs", memInput("sms-20240101000000.xml", smsLaughs, true), expect{none: true, check: notExpanded}},
		{"smsbr-deep", memInput("sms-20240101000001.xml", deepXML("<sms>", "</sms>", 200000, `<?xml version="1.0"?><smses count="1">`, "</smses>"), true), expect{none: true}},
		{"smsbr-huge-attr", memInput("sms-20240101000002.xml", append(append([]byte(`<?xml version="1.0"?><smses count="1"><sms address="1" date="1" type="1" body="`), bytes.Repeat([]byte("&#x41;"), 1<<20)...), `"/></smses>`...), false), expect{none: true}},
		{"calls-billion-laughs", memInput("calls-20240101000000.xml", billionLaughs(`<calls count="1"><call number="LOL" duration="1" date="1" type="1"/></calls>`), true), expect{none: true, check: notExpanded}},
		{"wificonfig-billion-laughs", memInput("dump-wifi.zip", mkZip(t, false, entry{name: "data/misc/apexdata/com.android.wifi/WifiConfigStore.xml", data: wifiLaughs}), true), expect{none: true, check: notExpanded}},
		{"vcard-nested-100k", memInput("nested.vcf", deepVCard(100000), false), expect{none: true}},
		{"vcard-fold-1M-lines", memInput("fold.vcf", longFold(200000), false), expect{none: true}},
		{"vcard-100k-props", memInput("props.vcf", manyProps(100000), true), expect{none: true}},
		{"vcard-unterminated", memInput("open.vcf", []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Open\r\nPHOTO;ENCODING=b:"+strings.Repeat("QUJD", 1<<18)), false), expect{none: true}},
		{"telephony-json-deep", memInput("deep.ab", abTar("000000_sms_backup", zlibBytes(deepJSON)), false),
			expect{codes: []string{"extract"}}},
		{"telephony-json-not-zlib", memInput("notzlib.ab", abTar("000000_sms_backup", []byte("[{\"body\":\"x\"}]")), false),
			expect{codes: []string{"extract"}}},
		{"telephony-json-32MiB-string", memInput("bigstring.ab", abTar("000000_sms_backup", zlibBytes(bigJSONString)), false),
			expect{codes: []string{"extract"}, check: jsonLimitSaid}},
		{"telephony-json-zlib-bomb", memInput("jsonbomb.ab", abTar("000001_sms_backup", func() []byte {
			// 64 MiB of body text from 64 KiB: inflated inside the module.
			zs := makeFillStream(t, []byte(`[{"address":"+15550100","type":"1","date":"1700000000000","body":"`), 'A', 64, []byte(`"}]`))
			return binary.BigEndian.AppendUint32(append([]byte{0x78, 0xda}, zs.deflate...), zs.adler)
		}()), false), expect{codes: []string{"extract"}, check: jsonLimitSaid}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			checkHostile(t, tc.in, Options{}, tc.want)
		})
	}
}

// jsonLimitSaid checks that a telephony JSON file cut at the module's limit
// says so (not a bare "unexpected EOF").
func jsonLimitSaid(t *testing.T, rep *report.Report) {
	t.Helper()
	for _, p := range rep.Problems {
		if p.Code == "extract" && strings.Contains(p.Message, "inflated JSON larger than 32 MiB") {
			return
		}
	}
	t.Errorf("no problem names the 32 MiB limit: %+v", rep.Problems)
}

// ---- SQLite damage --------------------------------------------------------

// dbLayout locates the structures of a database that anti-forensic tools
// (and disk damage) touch.
type dbLayout struct {
	pageSize, usable int
	pages            uint32
	smsRoot          uint32
	smsInterior      uint32 // an interior table page of sms (its root if the tree is deep)
	smsLeaf          uint32 // a leaf page of sms
	overflowCell     struct {
		page uint32
		off  int
		next uint32 // first overflow page
		ptr  int    // offset of the overflow pointer in the page
	}
	schemaSMS struct { // the rootpage field of sms in sqlite_schema (local payload)
		page uint32
		off  int // offset of the integer in the page
		size int // its bytes
	}
}

func locate(t testing.TB, data []byte) dbLayout {
	t.Helper()
	db, err := sqlite.Open(bytes.NewReader(data), int64(len(data)), nil)
	if err != nil {
		t.Fatal(err)
	}
	var l dbLayout
	l.pageSize, l.usable, l.pages = db.PageSize(), db.UsableSize(), db.PageCount()
	sms := db.Table("sms")
	if sms == nil {
		t.Fatal("no sms table")
	}
	l.smsRoot = sms.RootPage
	// Walk the sms tree for an interior and a leaf page.
	var walk func(n uint32, depth int)
	walk = func(n uint32, depth int) {
		if depth > 10 {
			return
		}
		pg, err := db.Page(n)
		if err != nil {
			t.Fatal(err)
		}
		bp, err := sqlite.ParseBTreePage(pg, n, l.usable)
		if err != nil {
			t.Fatal(err)
		}
		if bp.Type == sqlite.PageInteriorTable {
			if l.smsInterior == 0 {
				l.smsInterior = n
			}
			for _, off := range bp.CellOffsets {
				c, _ := sqlite.ParseCell(pg, bp.Type, off, l.usable)
				walk(c.LeftChild, depth+1)
			}
			walk(bp.RightChild, depth+1)
			return
		}
		if l.smsLeaf == 0 {
			l.smsLeaf = n
		}
	}
	walk(l.smsRoot, 0)
	// Any table leaf cell with an overflow chain, anywhere.
	for n := uint32(1); n <= l.pages && l.overflowCell.page == 0; n++ {
		pg, err := db.Page(n)
		if err != nil {
			continue
		}
		bp, err := sqlite.ParseBTreePage(pg, n, l.usable)
		if err != nil || bp.Type != sqlite.PageLeafTable {
			continue
		}
		for _, off := range bp.CellOffsets {
			c, err := sqlite.ParseCell(pg, bp.Type, off, l.usable)
			if err == nil && c.FirstOverflow != 0 {
				l.overflowCell.page, l.overflowCell.off, l.overflowCell.next = n, off, c.FirstOverflow
				l.overflowCell.ptr = off + c.Size - 4
				break
			}
		}
	}
	// The rootpage integer of sms in sqlite_schema: walk the schema tree's
	// leaves and decode records until name == "sms".
	var schemaWalk func(n uint32, depth int) bool
	schemaWalk = func(n uint32, depth int) bool {
		if depth > 10 {
			return false
		}
		pg, err := db.Page(n)
		if err != nil {
			return false
		}
		bp, err := sqlite.ParseBTreePage(pg, n, l.usable)
		if err != nil {
			return false
		}
		if bp.Type == sqlite.PageInteriorTable {
			for _, off := range bp.CellOffsets {
				c, _ := sqlite.ParseCell(pg, bp.Type, off, l.usable)
				if schemaWalk(c.LeftChild, depth+1) {
					return true
				}
			}
			return schemaWalk(bp.RightChild, depth+1)
		}
		for _, off := range bp.CellOffsets {
			c, err := sqlite.ParseCell(pg, bp.Type, off, l.usable)
			if err != nil {
				continue
			}
			// record header: size varint, then serial types of type, name,
			// tbl_name, rootpage, sql.
			p := c.Local
			hs, n0 := sqlite.Varint(p)
			if n0 == 0 || int(hs) > len(p) {
				continue
			}
			var types []uint64
			for i := n0; i < int(hs) && len(types) < 5; {
				st, k := sqlite.Varint(p[i:])
				if k == 0 {
					break
				}
				types = append(types, st)
				i += k
			}
			if len(types) < 4 {
				continue
			}
			pos := int(hs)
			var fields [][2]int
			for _, st := range types {
				sz := int(sqlite.SerialTypeSize(st))
				fields = append(fields, [2]int{pos, sz})
				pos += sz
			}
			if fields[3][0]+fields[3][1] > len(p) || fields[1][0]+fields[1][1] > len(p) {
				continue
			}
			name := string(p[fields[1][0] : fields[1][0]+fields[1][1]])
			typ := string(p[fields[0][0] : fields[0][0]+fields[0][1]])
			if name == "sms" && typ == "table" && fields[3][1] > 0 {
				// the local payload follows the payload-size and rowid varints
				_, n1 := sqlite.Varint(pg[off:])
				_, n2 := sqlite.Varint(pg[off+n1:])
				localStart := off + n1 + n2
				l.schemaSMS.page = n
				l.schemaSMS.off = localStart + fields[3][0]
				l.schemaSMS.size = fields[3][1]
				return true
			}
		}
		return false
	}
	schemaWalk(1, 0)
	if l.schemaSMS.page == 0 {
		t.Fatal("sms not found in sqlite_schema")
	}
	// Self-check: the located integer is the root page.
	pg := data[int(l.schemaSMS.page-1)*l.pageSize:]
	var v uint64
	for _, c := range pg[l.schemaSMS.off : l.schemaSMS.off+l.schemaSMS.size] {
		v = v<<8 | uint64(c)
	}
	if uint32(v) != l.smsRoot {
		t.Fatalf("located rootpage field reads %d, root is %d", v, l.smsRoot)
	}
	return l
}

// pageAt returns the bytes of page n of data.
func pageAt(data []byte, l dbLayout, n uint32) []byte {
	return data[int(n-1)*l.pageSize : int(n)*l.pageSize]
}

// hdrOff is the offset of the b-tree header in page n.
func hdrOff(n uint32) int {
	if n == 1 {
		return 100
	}
	return 0
}

// overflowDB builds (with the real SQLite, modernc.org/sqlite) a small
// message database whose bodies span overflow chains and whose deleted rows
// left a freelist: the structures the sample database lacks.
func overflowDB(t testing.TB) []byte {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "ovf.db")
	sdb, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	stmts := []string{
		"PRAGMA page_size=1024", "PRAGMA auto_vacuum=NONE", "PRAGMA secure_delete=OFF", "PRAGMA journal_mode=DELETE",
		"CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, date INTEGER, type INTEGER, read INTEGER, body TEXT)",
	}
	for _, q := range stmts {
		if _, err := sdb.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	for i := 1; i <= 60; i++ {
		body := fmt.Sprintf("message %d ", i) + strings.Repeat(fmt.Sprintf("%c", 'a'+i%26), 100+(i%3)*3000)
		if _, err := sdb.Exec("INSERT INTO sms (thread_id, address, date, type, read, body) VALUES (?, ?, ?, ?, ?, ?)",
			i%5, fmt.Sprintf("+1555010%04d", i), 1700000000000+int64(i)*60000, 1+i%2, 1, body); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sdb.Exec("DELETE FROM sms WHERE _id % 4 = 0"); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHostileSQLite(t *testing.T) {
	loadGood(t)
	bases := map[string][]byte{"mmssms": good.db, "ovf": overflowDB(t)}
	layouts := map[string]dbLayout{}
	for name, data := range bases {
		l := locate(t, data)
		layouts[name] = l
		db, _ := sqlite.Open(bytes.NewReader(data), int64(len(data)), nil)
		trunks, leaves, err := db.Freelist()
		t.Logf("%s: page size %d, %d pages, sms root %d interior %d leaf %d, overflow cell %+v, schema field %+v, freelist trunks %v leaves %d (%v)",
			name, l.pageSize, l.pages, l.smsRoot, l.smsInterior, l.smsLeaf, l.overflowCell, l.schemaSMS, trunks, len(leaves), err)
	}
	if layouts["ovf"].overflowCell.page == 0 {
		t.Fatal("the overflow database has no overflow chain")
	}

	be := binary.BigEndian
	type damage func(t *testing.T, l dbLayout, d []byte)
	setRoot := func(v int64) damage {
		return func(t *testing.T, l dbLayout, d []byte) {
			pg := pageAt(d, l, l.schemaSMS.page)
			f := pg[l.schemaSMS.off : l.schemaSMS.off+l.schemaSMS.size]
			if lim := int64(1) << (8*len(f) - 1); v >= lim {
				v = lim - 1 // largest value the field holds (past the end of a small file)
			}
			u := uint64(v)
			for i := len(f) - 1; i >= 0; i-- {
				f[i] = byte(u)
				u >>= 8
			}
		}
	}
	interior := func(fn func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage)) damage {
		return func(t *testing.T, l dbLayout, d []byte) {
			if l.smsInterior == 0 {
				t.Skip("sms has no interior page")
			}
			pg := pageAt(d, l, l.smsInterior)
			bp, err := sqlite.ParseBTreePage(pg, l.smsInterior, l.usable)
			if err != nil {
				t.Fatal(err)
			}
			fn(l, pg, hdrOff(l.smsInterior), bp)
		}
	}
	leaf := func(fn func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage)) damage {
		return func(t *testing.T, l dbLayout, d []byte) {
			pg := pageAt(d, l, l.smsLeaf)
			bp, err := sqlite.ParseBTreePage(pg, l.smsLeaf, l.usable)
			if err != nil {
				t.Fatal(err)
			}
			fn(l, pg, hdrOff(l.smsLeaf), bp)
		}
	}
	overflow := func(v func(l dbLayout) uint32) damage {
		return func(t *testing.T, l dbLayout, d []byte) {
			if l.overflowCell.page == 0 {
				t.Skip("no overflow chain")
			}
			be.PutUint32(pageAt(d, l, l.overflowCell.page)[l.overflowCell.ptr:], v(l))
		}
	}
	overflowNext := func(v func(l dbLayout) uint32) damage {
		return func(t *testing.T, l dbLayout, d []byte) {
			if l.overflowCell.page == 0 {
				t.Skip("no overflow chain")
			}
			be.PutUint32(pageAt(d, l, l.overflowCell.next), v(l))
		}
	}
	trunk := func(fn func(l dbLayout, d []byte, trunk []byte)) damage {
		return func(t *testing.T, l dbLayout, d []byte) {
			first := be.Uint32(d[32:])
			if first == 0 || first > l.pages {
				t.Skip("no freelist")
			}
			fn(l, d, pageAt(d, l, first))
		}
	}
	// firstRecord returns the local payload start of the first cell of the
	// sms leaf: payload-size varint, rowid varint, then the record.
	firstRecord := func(pg []byte, bp sqlite.BTreePage) int {
		off := bp.CellOffsets[0]
		_, n1 := sqlite.Varint(pg[off:])
		_, n2 := sqlite.Varint(pg[off+n1:])
		return off + n1 + n2
	}
	hdr := func(off int, v uint32, size int) damage {
		return func(t *testing.T, l dbLayout, d []byte) {
			switch size {
			case 1:
				d[off] = byte(v)
			case 2:
				be.PutUint16(d[off:], uint16(v))
			case 4:
				be.PutUint32(d[off:], v)
			}
		}
	}
	self := func(l dbLayout) uint32 { return l.overflowCell.next }
	const (
		noProblem = false
		problem   = true
	)

	cases := []struct {
		name    string
		damage  damage
		problem bool // a problem naming the input must be reported
	}{
		// Root-page pointers in sqlite_schema.
		{"root-zero", setRoot(0), problem},
		{"root-schema-page", setRoot(1), problem},
		{"root-past-end", setRoot(1 << 40), problem},
		{"root-negative", setRoot(-1), problem},
		{"root-other-leaf", func(t *testing.T, l dbLayout, d []byte) { setRoot(int64(l.smsLeaf))(t, l, d) }, noProblem},
		// Left-child and right-child pointers of interior pages.
		{"left-child-self", interior(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) {
			be.PutUint32(pg[bp.CellOffsets[0]:], l.smsInterior)
		}), problem},
		{"left-child-page1", interior(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) { be.PutUint32(pg[bp.CellOffsets[0]:], 1) }), problem},
		{"left-child-zero", interior(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) { be.PutUint32(pg[bp.CellOffsets[0]:], 0) }), problem},
		{"left-child-past-end", interior(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) {
			be.PutUint32(pg[bp.CellOffsets[0]:], 0xFFFFFFF0)
		}), problem},
		{"left-children-all-same", interior(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) {
			for _, off := range bp.CellOffsets {
				be.PutUint32(pg[off:], l.smsLeaf)
			}
			be.PutUint32(pg[h+8:], l.smsLeaf)
		}), problem},
		{"right-child-self", interior(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) { be.PutUint32(pg[h+8:], l.smsInterior) }), problem},
		// Overflow chains.
		{"overflow-loop", overflowNext(self), problem},
		{"overflow-cut-short", overflowNext(func(dbLayout) uint32 { return 0 }), problem},
		{"overflow-next-page1", overflowNext(func(dbLayout) uint32 { return 1 }), problem},
		{"overflow-to-page1", overflow(func(dbLayout) uint32 { return 1 }), problem},
		{"overflow-past-end", overflow(func(l dbLayout) uint32 { return l.pages + 7 }), problem},
		{"overflow-zero", overflow(func(dbLayout) uint32 { return 0 }), problem},
		{"overflow-into-btree", overflow(func(l dbLayout) uint32 { return l.smsRoot }), noProblem},
		// Cell-pointer arrays.
		{"cellptr-zero", leaf(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) { be.PutUint16(pg[h+8:], 0) }), problem},
		{"cellptr-past-page", leaf(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) { be.PutUint16(pg[h+8:], 0xFFFF) }), problem},
		{"cellptr-into-header", leaf(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) { be.PutUint16(pg[h+8:], uint16(h+2)) }), problem},
		{"cellptr-all-same", leaf(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) {
			for i := range bp.CellOffsets {
				be.PutUint16(pg[h+8+2*i:], uint16(bp.CellOffsets[0]))
			}
		}), noProblem},
		{"cell-count-65535", leaf(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) { be.PutUint16(pg[h+3:], 0xFFFF) }), problem},
		{"page-type-garbage", leaf(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) { pg[h] = 0x42 }), problem},
		{"leaf-becomes-interior", leaf(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) { pg[h] = byte(sqlite.PageInteriorTable) }), problem},
		// Serial types and record headers.
		{"serial-type-huge-blob", leaf(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) {
			r := firstRecord(pg, bp)
			_, n := sqlite.Varint(pg[r:])
			// first column: a 9-byte varint claiming a 2^62-byte blob
			copy(pg[r+n:], []byte{0xC0, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x0C})
		}), problem},
		{"serial-type-reserved", leaf(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) {
			r := firstRecord(pg, bp)
			_, n := sqlite.Varint(pg[r:])
			pg[r+n] = 10
		}), problem},
		{"record-header-size-huge", leaf(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) {
			r := firstRecord(pg, bp)
			copy(pg[r:], []byte{0xFF, 0xFF, 0x7F})
		}), problem},
		{"payload-size-2GiB", leaf(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) {
			off := bp.CellOffsets[0]
			_, n := sqlite.Varint(pg[off:])
			// the payload size varint, rewritten in the same number of bytes
			v := uint64(1<<31 - 1)
			for i := n - 1; i >= 0; i-- {
				b := byte(v & 0x7f)
				if i != n-1 {
					b |= 0x80
				}
				pg[off+i] = b
				v >>= 7
			}
		}), problem},
		// Freeblocks and fragmentation.
		{"freeblock-loop", leaf(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) {
			fb := bp.CellContentStart - 8
			be.PutUint16(pg[h+1:], uint16(fb))
			be.PutUint16(pg[fb:], uint16(fb))
			be.PutUint16(pg[fb+2:], 8)
		}), noProblem},
		{"freeblock-past-page", leaf(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) { be.PutUint16(pg[h+1:], 0xFFF0) }), noProblem},
		{"fragmented-255", leaf(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) { pg[h+7] = 255 }), noProblem},
		{"content-start-zero", leaf(func(l dbLayout, pg []byte, h int, bp sqlite.BTreePage) { be.PutUint16(pg[h+5:], 0) }), noProblem},
		// Freelist trunks (header fields and the trunk pages themselves).
		{"freelist-trunk-page1", func(t *testing.T, l dbLayout, d []byte) { be.PutUint32(d[32:], 1); be.PutUint32(d[36:], 5) }, noProblem},
		{"freelist-trunk-sms-root", func(t *testing.T, l dbLayout, d []byte) {
			be.PutUint32(d[32:], l.smsRoot)
			be.PutUint32(d[36:], 0xFFFFFFFF)
		}, noProblem},
		{"freelist-trunk-past-end", func(t *testing.T, l dbLayout, d []byte) { be.PutUint32(d[32:], l.pages+100); be.PutUint32(d[36:], 3) }, noProblem},
		{"freelist-trunk-self-loop", trunk(func(l dbLayout, d []byte, tp []byte) { be.PutUint32(tp[0:], be.Uint32(d[32:])) }), noProblem},
		{"freelist-trunk-leafcount-huge", trunk(func(l dbLayout, d []byte, tp []byte) { be.PutUint32(tp[4:], 1<<31) }), noProblem},
		{"freelist-leaf-page1", trunk(func(l dbLayout, d []byte, tp []byte) {
			for i := 0; i < int(be.Uint32(tp[4:])) && 8+4*i+4 <= len(tp); i++ {
				be.PutUint32(tp[8+4*i:], 1)
			}
			be.PutUint32(tp[4:], max(be.Uint32(tp[4:]), 1))
		}), noProblem},
		{"freelist-count-huge", hdr(36, 0xFFFFFFFF, 4), noProblem},
		// Database header fields.
		{"db-size-zero", hdr(28, 0, 4), noProblem},
		{"db-size-max", hdr(28, 0xFFFFFFFF, 4), problem},
		{"db-size-one", hdr(28, 1, 4), problem},
		{"db-size-huge-valid-for", func(t *testing.T, l dbLayout, d []byte) {
			be.PutUint32(d[28:], 0x7FFFFFFF)
			be.PutUint32(d[92:], be.Uint32(d[24:]))
		}, problem},
		{"page-size-1", hdr(16, 1, 2), problem},
		{"page-size-3", hdr(16, 3, 2), problem},
		{"page-size-zero", hdr(16, 0, 2), problem},
		{"reserved-255", hdr(20, 255, 1), problem},
		{"encoding-9", hdr(56, 9, 4), problem},
		{"schema-page-type", func(t *testing.T, l dbLayout, d []byte) { d[100] = 0 }, problem},
		{"largest-root-huge", hdr(52, 0xFFFFFFFF, 4), noProblem},
	}
	for _, base := range []string{"mmssms", "ovf"} {
		orig, l := bases[base], layouts[base]
		for _, tc := range cases {
			t.Run(base+"/"+tc.name, func(t *testing.T) {
				d := append([]byte(nil), orig...)
				tc.damage(t, l, d)
				if bytes.Equal(d, orig) {
					t.Skip("this damage changes nothing here")
				}
				for _, ra := range []bool{true, false} {
					name := "damaged-" + base + "-" + tc.name + ".db"
					checkHostile(t, memInput(name, d, ra), Options{}, expect{none: !tc.problem})
				}
			})
		}
	}
}

// TestHostileWALDeclaresHugeDatabase: a WAL with valid checksums whose
// commit frame says the database has 2^32-1 pages (every size SQLite reads
// from a file is attacker-chosen). The reader must not size anything by it.
func TestHostileWALDeclaresHugeDatabase(t *testing.T) {
	loadGood(t)
	main := mustRead(t, "mmssms-wal.db")
	pageSize := int(binary.BigEndian.Uint16(main[16:]))
	if pageSize == 1 {
		pageSize = 65536
	}
	// Page 1 in the WAL with an in-header size that is not valid (its
	// version-valid-for differs from the change counter), so only the
	// commit frame's size counts.
	page1 := append([]byte(nil), main[:pageSize]...)
	binary.BigEndian.PutUint32(page1[92:], binary.BigEndian.Uint32(page1[24:])+1)
	wal := buildWAL(pageSize, []walFrame{{pgno: 1, commit: 0xFFFFFFFF, data: page1}})
	in := dirInput("walhuge", map[string][]byte{"mmssms.db": main, "mmssms.db-wal": wal})
	var before, after debugStats
	before.read()
	rep := checkHostile(t, in, Options{}, expect{none: true})
	after.read()
	if d := after.totalAlloc - before.totalAlloc; d > 1<<30 {
		t.Errorf("reading a database whose WAL declares 2^32-1 pages allocated %d MiB", d>>20)
	}
	if n := messagesFrom(rep, "walhuge/mmssms.db#"); n == 0 {
		t.Errorf("no messages read from the database with the lying WAL")
	}
}

type walFrame struct {
	pgno, commit uint32
	data         []byte
}

// buildWAL writes a WAL (little-endian checksums) with valid salts and
// checksums, as SQLite does.
func buildWAL(pageSize int, frames []walFrame) []byte {
	be := binary.BigEndian
	h := make([]byte, 32)
	be.PutUint32(h[0:], 0x377f0682)
	be.PutUint32(h[4:], 3007000)
	be.PutUint32(h[8:], uint32(pageSize))
	be.PutUint32(h[12:], 0)
	be.PutUint32(h[16:], 0x11223344)
	be.PutUint32(h[20:], 0x55667788)
	s0, s1 := walSum(h[:24], 0, 0)
	be.PutUint32(h[24:], s0)
	be.PutUint32(h[28:], s1)
	out := h
	for _, f := range frames {
		fh := make([]byte, 24)
		be.PutUint32(fh[0:], f.pgno)
		be.PutUint32(fh[4:], f.commit)
		copy(fh[8:16], h[16:24])
		page := make([]byte, pageSize)
		copy(page, f.data)
		s0, s1 = walSum(fh[:8], s0, s1)
		s0, s1 = walSum(page, s0, s1)
		be.PutUint32(fh[16:], s0)
		be.PutUint32(fh[20:], s1)
		out = append(out, fh...)
		out = append(out, page...)
	}
	return out
}

// walSum is SQLite's WAL checksum over little-endian 32-bit words.
func walSum(b []byte, s0, s1 uint32) (uint32, uint32) {
	le := binary.LittleEndian
	for i := 0; i+8 <= len(b); i += 8 {
		s0 += le.Uint32(b[i:]) + s1
		s1 += le.Uint32(b[i+4:]) + s0
	}
	return s0, s1
}

// ---- truncation and bit flips ---------------------------------------------

// smallSamples are the committed samples cut and flipped here, with the
// name each is given as an input (modules match some files by name). In
// make test each is cut at every byte of its first head bytes (where the
// headers are) and every stride-th byte after; make stress cuts every byte
// of those up to 32 KiB and every 7th byte of the bigger ones.
var smallSamples = []struct {
	file, name   string
	head, stride int
	strict       bool // every cut must be reported with an offset
}{
	{"telephony.ab", "cut-telephony.ab", 600, 29, true},
	{"contacts.vcf", "cut-contacts.vcf", 300, 23, false},
	{"telephony-encrypted.ab", "cut-encrypted.ab", 0, 173, true},
	{"miui.zip", "cut-miui.zip", 0, 97, true},
	{"dump.zip", "cut-dump.zip", 0, 211, true},
	{"mmssms.db", "cut-mmssms.db", 120, 509, false},
	{"smsbr/sms-20240914161418.xml", "sms-20240914161418.xml", 200, 131, false},
}

func samplePassword(container.PasswordRequest) (string, bool) { return "sample-password", true }

// TestTruncatedSamples cuts small samples at every byte (or every stride-th
// byte for the bigger ones; make stress cuts them all at every byte), with a
// good sample beside each cut.
func TestTruncatedSamples(t *testing.T) {
	truncateSamples(t, false)
}

func truncateSamples(t *testing.T, everyByte bool) {
	loadGood(t)
	goodAB := memInput(goodABName, good.ab, false)
	var want map[string]int
	{
		rep := runLimited(t, []container.Input{goodAB}, Options{}, caseLimit)
		want = recordSet(rep, nil)
	}
	for _, s := range smallSamples {
		t.Run(s.name, func(t *testing.T) {
			data := mustRead(t, s.file)
			step := func(n int) int {
				switch {
				case n < s.head, everyByte && len(data) <= 32<<10:
					return 1
				case everyByte:
					return min(s.stride, 7)
				}
				return s.stride
			}
			start := time.Now()
			runs := 0
			for n := 0; n < len(data); n += step(n) {
				cut := data[:n]
				in := memInput(s.name, cut, n%2 == 0)
				rep := runLimited(t, []container.Input{in, goodAB}, Options{Password: samplePassword}, caseLimit)
				runs++
				got := recordSet(rep, func(src string) bool { return fromInput(src, goodABName) })
				if len(got) != len(want) {
					t.Fatalf("cut at %d: the good input gives %d records, %d alone", n, len(got), len(want))
				}
				var mine []report.Problem
				for _, p := range rep.Problems {
					if p.Code == "module-panic" {
						t.Fatalf("cut at %d: module panic: %+v", n, p)
					}
					if p.Input == goodABName && !crossInput(p.Code) {
						t.Fatalf("cut at %d: problem blamed on the good input: %+v", n, p)
					}
					if p.Input == s.name {
						mine = append(mine, p)
					}
				}
				listed := false
				for _, in := range rep.Inputs {
					listed = listed || in.Name == s.name && in.SHA256 == sha(cut) && in.Size == int64(n)
				}
				if !listed {
					t.Fatalf("cut at %d: input listed as %+v", n, rep.Inputs)
				}
				if s.strict && n > 64 {
					ok := false
					for _, p := range mine {
						if p.Offset != nil {
							ok = true
						}
					}
					if !ok {
						t.Fatalf("cut at %d of %d: no problem with an offset: %s", n, len(data), problemsString(mine))
					}
				}
			}
			t.Logf("%d cuts of %d bytes in %v", runs, len(data), time.Since(start).Round(time.Millisecond))
		})
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestBitFlips flips random bits of each small sample (seeded: the same
// flips every run) beside a good sample.
func TestBitFlips(t *testing.T) {
	bitFlips(t, 40)
}

func bitFlips(t *testing.T, rounds int) {
	loadGood(t)
	goodAB := memInput(goodABName, good.ab, false)
	for i, s := range smallSamples {
		t.Run(s.name, func(t *testing.T) {
			data := mustRead(t, s.file)
			rng := rand.New(rand.NewSource(int64(i + 1)))
			for r := 0; r < rounds; r++ {
				d := append([]byte(nil), data...)
				flips := 1 + rng.Intn(16)
				var where []int
				for k := 0; k < flips; k++ {
					// Half the flips land in the first 4 KiB, where headers are.
					pos := rng.Intn(len(d))
					if rng.Intn(2) == 0 {
						pos = rng.Intn(min(len(d), 4096))
					}
					d[pos] ^= 1 << rng.Intn(8)
					where = append(where, pos)
				}
				rep := runLimited(t, []container.Input{memInput(s.name, d, r%2 == 0), goodAB}, Options{Password: samplePassword}, caseLimit)
				for _, p := range rep.Problems {
					if p.Code == "module-panic" || p.Input == goodABName && !crossInput(p.Code) {
						t.Fatalf("flips at %v: %+v", where, p)
					}
				}
				if got := messagesFrom(rep, goodABName+"!"); got == 0 {
					t.Fatalf("flips at %v: the good input lost its messages", where)
				}
			}
		})
	}
}

// ---- hostile samples from the generator ----------------------------------

// TestHostileStringsVerbatim: markup, formulas and URLs inside the data are
// evidence. They must reach the report exactly as stored (the page escapes
// them when it renders; the report never rewrites them).
func TestHostileStringsVerbatim(t *testing.T) {
	db := mustHostileDB(t)
	rep := runLimited(t, []container.Input{memInput("hostile-mmssms.db", db, true)}, Options{}, caseLimit)
	b, err := report.Encode(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{`<img src=x onerror=alert(1)>`, `<script>alert(1)</script>`, `=cmd|' /C calc'!A0`, `"><svg onload=alert(1)>`} {
		want, _ := json.Marshal(p)
		want = bytes.ReplaceAll(want, []byte(`\u003c`), []byte("<"))
		want = bytes.ReplaceAll(want, []byte(`\u003e`), []byte(">"))
		want = bytes.ReplaceAll(want, []byte(`\u0026`), []byte("&"))
		if !bytes.Contains(b, want[1:len(want)-1]) {
			t.Errorf("hostile string %q not in the report verbatim", p)
		}
	}
}

var hostileDB struct {
	once sync.Once
	data []byte
	err  error
}

// mustHostileDB generates the -hostile -deleted mmssms.db with the samples
// generator.
func mustHostileDB(t testing.TB) []byte {
	hostileDB.once.Do(func() {
		dir, err := os.MkdirTemp("", "bi-hostile-")
		if err != nil {
			hostileDB.err = err
			return
		}
		defer os.RemoveAll(dir)
		out := filepath.Join(dir, "mmssms.db")
		_, hostileDB.err = samples.Generate(samples.Options{Kind: "mmssms", Seed: 1, Out: out, Hostile: true, Deleted: true})
		if hostileDB.err == nil {
			hostileDB.data, hostileDB.err = os.ReadFile(out)
		}
	})
	if hostileDB.err != nil {
		t.Skipf("cannot generate a hostile sample: %v", hostileDB.err)
	}
	return hostileDB.data
}

// debugStats samples the Go heap counters.
type debugStats struct{ totalAlloc, heapSys uint64 }

func (s *debugStats) read() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	s.totalAlloc, s.heapSys = m.TotalAlloc, m.HeapSys
}

// ---- whole-run fuzzing ----------------------------------------------------

// Where FuzzInspect puts the fuzzed bytes: modules pick files by name,
// Android package (from the backup tar path) and folder, so the same bytes
// reach different readers depending on where they sit.
var (
	fuzzNames   = []string{"input.bin", "contacts.vcf", "sms-20240101.xml", "descript.xml", "mmssms.db", "backup.ab", "x.bak", "dump.zip"}
	fuzzABPaths = []string{
		"apps/com.android.providers.telephony/_manifest",
		"apps/com.android.providers.telephony/d_f/000000_sms_backup",
		"apps/com.android.providers.telephony/d_f/000001_mms_backup",
		"apps/com.android.providers.settings/k/com.android.providers.settings.data",
		"apps/com.android.contacts/miui_bak/_tmp_bak",
		"apps/com.android.contacts/miui_meta/cache/_tmp_meta",
		"apps/com.android.settings/miui_bak/_tmp_bak",
		"apps/com.android.mms/miui_bak/_tmp_bak",
		"apps/com.whatsapp/sp/com.whatsapp_preferences_light.xml",
		"apps/com.whatsapp/db/wa.db",
		"apps/com.whatsapp/db/msgstore.db",
	}
	fuzzDirPaths = []string{
		"data/misc/apexdata/com.android.wifi/WifiConfigStore.xml",
		"data/misc/bluedroid/bt_config.conf",
		"data/system/users/0/settings_secure.xml",
		"data/system/users/0/settings_ssaid.xml",
		"data/system/users/0/accounts.xml",
		"getprop.txt",
		"system/build.prop",
		"data/user_de/0/com.android.providers.telephony/app_parts/PART_1_photo.jpg",
		"data/data/com.whatsapp/shared_prefs/com.whatsapp_preferences_light.xml",
		"data/user_de/0/com.android.providers.telephony/databases/telephony.db",
		"data/data/com.android.providers.contacts/databases/contacts2.db",
		"data/data/com.android.providers.contacts/databases/calllog.db",
		"data/system_ce/0/accounts_ce.db",
	}
)

// fuzzInput places data as wrap (0 loose file, 1 entry of an Android
// backup tar, 2 file of a folder dump) under the which-th name.
func fuzzInput(t testing.TB, data []byte, wrap, which uint8) container.Input {
	switch wrap % 3 {
	case 1:
		var buf bytes.Buffer
		buf.WriteString("ANDROID BACKUP\n5\n0\nnone\n")
		tw := tar.NewWriter(&buf)
		p := fuzzABPaths[int(which)%len(fuzzABPaths)]
		tw.WriteHeader(&tar.Header{Name: p, Mode: 0600, Size: int64(len(data)), ModTime: time.Unix(1700000000, 0), Format: tar.FormatPAX})
		tw.Write(data)
		tw.Close()
		return memInput("fuzz.ab", buf.Bytes(), false)
	case 2:
		return dirInput("dump", map[string][]byte{fuzzDirPaths[int(which)%len(fuzzDirPaths)]: data})
	}
	return memInput(fuzzNames[int(which)%len(fuzzNames)], data, which%2 == 0)
}

// tarEntries lists the entries of an uncompressed tar (or of the tar inside
// an uncompressed Android backup or MIUI .bak).
func tarEntries(b []byte) map[string][]byte {
	if i := bytes.Index(b, []byte("ANDROID BACKUP\n")); i >= 0 {
		for k := 0; k < 4 && i >= 0; k++ {
			j := bytes.IndexByte(b[i:], '\n')
			if j < 0 {
				return nil
			}
			i += j + 1
		}
		b = b[i:]
	}
	out := map[string][]byte{}
	tr := tar.NewReader(bytes.NewReader(b))
	for {
		h, err := tr.Next()
		if err != nil {
			return out
		}
		data, _ := io.ReadAll(tr)
		out[h.Name] = data
	}
}

// FuzzInspect runs the whole inspection over fuzzed bytes placed where each
// module looks, and checks what no input may break: no panic (in modules
// too), no hang, problems with a code and an input, a valid report, and the
// same report bytes twice (no map-order or clock dependence).
func FuzzInspect(f *testing.F) {
	const maxSeed = 96 << 10
	addFile := func(path string, wrap, which uint8) {
		if b, err := os.ReadFile(path); err == nil && len(b) <= maxSeed {
			f.Add(b, wrap, which)
		}
	}
	for i, n := range fuzzNames {
		switch n {
		case "contacts.vcf":
			addFile(samplePath("contacts.vcf"), 0, uint8(i))
		case "sms-20240101.xml":
			addFile(samplePath("smsbr/sms-20240914161418.xml"), 0, uint8(i))
			addFile(samplePath("smsbr/calls-20240914161418.xml"), 0, uint8(i))
		case "backup.ab":
			addFile(samplePath("telephony.ab"), 0, uint8(i))
			addFile(samplePath("telephony-encrypted.ab"), 0, uint8(i))
		case "dump.zip":
			addFile(samplePath("dump.zip"), 0, uint8(i))
			addFile(samplePath("miui.zip"), 0, uint8(i))
		case "descript.xml", "x.bak":
			set, _ := filepath.Glob(samplePath("miui/*/*"))
			for _, p := range set {
				if (n == "descript.xml") == strings.HasSuffix(p, ".xml") {
					addFile(p, 0, uint8(i))
				}
			}
		}
	}
	// Backup tar entries at their own paths.
	entries := tarEntries(mustReadF(f, "telephony-uncompressed.ab"))
	bakFiles, _ := filepath.Glob(samplePath("miui/*/*.bak"))
	for _, p := range bakFiles {
		if b, err := os.ReadFile(p); err == nil {
			for k, v := range tarEntries(b) {
				entries[k] = v
			}
		}
	}
	for i, p := range fuzzABPaths {
		if b, ok := entries[p]; ok && len(b) <= maxSeed {
			f.Add(b, uint8(1), uint8(i))
		}
	}
	// Folder-dump files at their own paths.
	if zr, err := zip.OpenReader(samplePath("dump.zip")); err == nil {
		files := map[string][]byte{}
		for _, zf := range zr.File {
			if rc, err := zf.Open(); err == nil {
				files[zf.Name], _ = io.ReadAll(rc)
				rc.Close()
			}
		}
		zr.Close()
		for i, p := range fuzzDirPaths {
			for name, b := range files {
				if (name == p || strings.HasPrefix(p, "data/user_de/0/com.android.providers.telephony/app_parts/") && strings.Contains(name, "/app_parts/")) && len(b) <= maxSeed {
					f.Add(b, uint8(2), uint8(i))
					break
				}
			}
		}
	}
	f.Add(billionLaughs(`<smses count="1"><sms address="LOL" body="LOL" date="1" type="1"/></smses>`), uint8(0), uint8(2))
	f.Add([]byte("BEGIN:VCARD\r\nVERSION:2.1\r\nBEGIN:VCARD\r\nN:a\r\nEND:VCARD\r\n"), uint8(0), uint8(1))
	f.Fuzz(func(t *testing.T, data []byte, wrap, which uint8) {
		// Key derivation is fuzzed in androidbackup (it is slow instrumented).
		if bytes.Contains(data, []byte("AES-256")) {
			return
		}
		opts := Options{MaxEntries: 2000, MaxDepth: 6, MemoryBudget: 64 << 20, Password: samplePassword}
		var reports [2][]byte
		for i := range reports {
			rep := runLimited(t, []container.Input{fuzzInput(t, data, wrap, which)}, opts, 60*time.Second)
			for _, p := range rep.Problems {
				if p.Code == "module-panic" || p.Code == "" || p.Input == "" {
					t.Fatalf("problem %+v", p)
				}
			}
			reports[i], _ = report.Encode(rep)
		}
		if !bytes.Equal(reports[0], reports[1]) {
			t.Fatalf("the same input gave two different reports (%d and %d bytes)", len(reports[0]), len(reports[1]))
		}
	})
}

func mustReadF(f *testing.F, name string) []byte {
	b, err := os.ReadFile(samplePath(name))
	if err != nil {
		f.Skipf("sample %s missing: %v", name, err)
	}
	return b
}
