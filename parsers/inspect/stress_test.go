//go:build stress && !js

// Stress cases (make stress; not part of make test): inputs up to 100 MB,
// a million entries, every byte of the small samples cut, many bit flips.
// Natively any input up to 100 MB must finish (read or rejected) within 30 s
// and the process must stay under 1 GiB of resident memory, whatever sizes
// the input declares. Each big case runs in a child process (this test
// binary again) that does what the CLI does (Run, then encode the report),
// so its peak RSS (VmHWM, and the kernel's rusage) is its own.
//
//	go test -tags stress -run TestStress -v -timeout 60m ./parsers/inspect
package inspect

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/backupinspector/backupinspector/parsers/androidbackup"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/samples"
)

const (
	stressTimeLimit = 30 * time.Second
	stressRSSLimit  = 1 << 30
	stressMaxInput  = 100 << 20
)

// childResult is what the child process reports.
type childResult struct {
	ElapsedMS   int64          `json:"elapsedMs"`
	VmHWMKB     int64          `json:"vmHWMKB"`
	ReportBytes int            `json:"reportBytes"`
	Messages    int            `json:"messages"`
	Files       int            `json:"files"`
	Codes       map[string]int `json:"codes"`
	FirstProbs  []string       `json:"firstProblems"`
}

// TestStressChild is the child side: it inspects the paths in
// BI_STRESS_PATHS as the CLI does and writes a childResult to
// BI_STRESS_OUT. It does nothing in a normal run.
func TestStressChild(t *testing.T) {
	paths := os.Getenv("BI_STRESS_PATHS")
	if paths == "" {
		t.Skip("child process only")
	}
	start := time.Now()
	// As the CLI does (cmd/backup-inspector inspect_cmd.go): the Go heap
	// is kept near the memory budget unless GOMEMLIMIT is set.
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(max(DefaultMemoryBudget*3/2, 768<<20))
	}
	var inputs []container.Input
	for _, p := range strings.Split(paths, string(os.PathListSeparator)) {
		inputs = append(inputs, pathInput(t, p))
	}
	opts := Options{Password: func(container.PasswordRequest) (string, bool) { return samples.DefaultPassword, true }}
	rep, _, err := Run(context.Background(), inputs, opts)
	if err != nil {
		t.Fatal(err)
	}
	// As the CLI does: the report is streamed to its output, never held
	// whole (report.Write writes the same bytes as report.Encode).
	var cw countWriter
	if err := report.Write(&cw, rep); err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("BI_STRESS_HEAPPROFILE"); p != "" {
		f, _ := os.Create(p)
		pprof.WriteHeapProfile(f)
		f.Close()
	}
	res := childResult{ElapsedMS: time.Since(start).Milliseconds(), ReportBytes: int(cw), Messages: len(rep.Messages),
		Files: len(rep.Files), Codes: map[string]int{}, VmHWMKB: vmHWM()}
	for _, p := range rep.Problems {
		res.Codes[p.Code]++
		if len(res.FirstProbs) < 5 {
			off := "-"
			if p.Offset != nil {
				off = strconv.FormatInt(*p.Offset, 10)
			}
			res.FirstProbs = append(res.FirstProbs, fmt.Sprintf("%s @%s %.60s: %.160s", p.Code, off, p.Path, p.Message))
		}
	}
	out, _ := json.Marshal(res)
	if err := os.WriteFile(os.Getenv("BI_STRESS_OUT"), out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// countWriter counts the bytes written to it.
type countWriter int64

func (c *countWriter) Write(p []byte) (int, error) {
	*c += countWriter(len(p))
	return len(p), nil
}

// pathInput makes an input of a file or folder on disk, as the CLI does.
func pathInput(t testing.TB, p string) container.Input {
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if !st.IsDir() {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		return container.Input{Name: filepath.Base(p), Files: []container.InputFile{{Size: st.Size(), ReaderAt: f,
			Open: func() (io.ReadCloser, error) { return os.Open(p) }}}}
	}
	in := container.Input{Name: filepath.Base(p), IsDir: true}
	filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, _ := d.Info()
		rel, _ := filepath.Rel(p, q)
		in.Files = append(in.Files, container.InputFile{Path: filepath.ToSlash(rel), Size: info.Size(),
			Open: func() (io.ReadCloser, error) { return os.Open(q) }})
		return nil
	})
	sort.Slice(in.Files, func(i, j int) bool { return in.Files[i].Path < in.Files[j].Path })
	return in
}

// vmHWM is this process's peak resident set size in KiB.
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				n, _ := strconv.ParseInt(f[1], 10, 64)
				return n
			}
		}
	}
	return -1
}

// runChild inspects paths in a child process and checks time and memory.
func runChild(t *testing.T, paths ...string) childResult {
	t.Helper()
	var total int64
	for _, p := range paths {
		filepath.WalkDir(p, func(_ string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if info, err := d.Info(); err == nil {
					total += info.Size()
				}
			}
			return nil
		})
	}
	if total > stressMaxInput+stressMaxInput/10 {
		t.Fatalf("input of %d bytes is over the 100 MB the guarantee covers", total)
	}
	out := filepath.Join(t.TempDir(), "result.json")
	cmd := exec.Command(os.Args[0], "-test.run=^TestStressChild$", "-test.timeout=10m")
	cmd.Env = append(os.Environ(), "BI_STRESS_HEAPPROFILE="+os.Getenv("BI_STRESS_HEAPPROFILE_"+strings.ToUpper(strings.NewReplacer("-", "_", "/", "_").Replace(t.Name()))), "BI_STRESS_PATHS="+strings.Join(paths, string(os.PathListSeparator)), "BI_STRESS_OUT="+out)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(5 * stressTimeLimit):
		cmd.Process.Kill()
		<-done
		t.Fatalf("child still running after %v: killed", 5*stressTimeLimit)
	}
	wall := time.Since(start)
	if err != nil {
		t.Fatalf("child failed: %v\n%s", err, stderr.String())
	}
	var res childResult
	b, rerr := os.ReadFile(out)
	if rerr != nil || json.Unmarshal(b, &res) != nil {
		t.Fatalf("no child result (%v)\n%s", rerr, stderr.String())
	}
	maxRSS := int64(-1)
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		maxRSS = ru.Maxrss // KiB on Linux
	}
	// rusage's ru_maxrss of a child also counts the parent's pages at fork
	// time on Linux; VmHWM read by the child itself is its own peak.
	t.Logf("%d bytes in: %v (run %d ms), peak RSS (VmHWM) %d MiB [rusage %d MiB], report %d bytes, %d messages, %d files, problems %v %q",
		total, wall.Round(time.Millisecond), res.ElapsedMS, res.VmHWMKB>>10, maxRSS>>10, res.ReportBytes, res.Messages, res.Files, res.Codes, res.FirstProbs)
	if time.Duration(res.ElapsedMS)*time.Millisecond > stressTimeLimit {
		t.Errorf("took %d ms, limit %v", res.ElapsedMS, stressTimeLimit)
	}
	if res.VmHWMKB < 0 {
		t.Errorf("no VmHWM")
	}
	if rss := res.VmHWMKB << 10; rss > stressRSSLimit {
		t.Errorf("peak RSS %d MiB, limit %d MiB", rss>>20, stressRSSLimit>>20)
	}
	return res
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// streamFile writes a file by calling fill with a buffered writer.
func streamFile(t *testing.T, dir, name string, fill func(w *bufio.Writer)) string {
	t.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fill(w)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

// nearRatioZip writes a zip of about size bytes with one deflated entry
// whose expansion ratio stays just under the 1000:1 guard: each MiB of
// zeros carries 64 fixed random bytes, so every compressed MiB is the same
// ~1.1 KB and the entry inflates to ~90 GiB.
func nearRatioZip(t *testing.T, dir string, size int64) string {
	chunk := make([]byte, 1<<20+64)
	rand.New(rand.NewSource(3)).Read(chunk[1<<20:])
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestCompression)
	var parts [][]byte
	for i := 0; i < 3; i++ {
		zw.Write(chunk)
		zw.Flush()
		parts = append(parts, append([]byte(nil), buf.Bytes()...))
		buf.Reset()
	}
	zw.Close()
	tail := append([]byte(nil), buf.Bytes()...)
	if !bytes.Equal(parts[1], parts[2]) {
		t.Fatal("compressed chunks differ")
	}
	n := int((size - int64(len(parts[0])) - 200) / int64(len(parts[1])))
	usize := int64(n+1) * int64(len(chunk))
	crc := uint32(0)
	for i := 0; i <= n; i++ {
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	csize := int64(len(parts[0])) + int64(n)*int64(len(parts[1])) + int64(len(tail))
	t.Logf("near-ratio zip: %d bytes inflating to %d (ratio %.0f)", csize, usize, float64(usize)/float64(csize))
	return streamFile(t, dir, "near-ratio.zip", func(w *bufio.Writer) {
		zw := zip.NewWriter(w)
		fw, err := zw.CreateRaw(&zip.FileHeader{Name: "zeros.bin", Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(csize), UncompressedSize64: uint64(usize)})
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(parts[0])
		for i := 0; i < n; i++ {
			fw.Write(parts[1])
		}
		fw.Write(tail)
		zw.Close()
	})
}

func TestStress(t *testing.T) {
	loadGood(t)
	// BI_STRESS_KEEP=dir writes the inputs there and keeps them (to
	// profile a case by hand: BI_STRESS_PATHS=… go test -run TestStressChild).
	dir, keep := os.Getenv("BI_STRESS_KEEP"), true
	if dir == "" {
		dir, keep = t.TempDir(), false
	}
	gen := func(kind, name, variant string) string {
		out := filepath.Join(dir, name)
		start := time.Now()
		if _, err := samples.Generate(samples.Options{Kind: kind, Seed: 7, Out: out, Size: 100 << 20, Variant: variant}); err != nil {
			t.Fatalf("generate %s: %v", kind, err)
		}
		os.Remove(out + ".truth.json")
		t.Logf("generated %s in %v", name, time.Since(start).Round(time.Millisecond))
		return out
	}
	cases := []struct {
		name  string
		make  func(t *testing.T) []string
		check func(t *testing.T, r childResult)
	}{
		{"ab-100MiB", func(t *testing.T) []string { return []string{gen("ab", "big.ab", "")} }, wantMessages},
		{"ab-encrypted-100MiB", func(t *testing.T) []string { return []string{gen("ab-encrypted", "big-enc.ab", "")} }, wantMessages},
		{"dump-zip-100MiB", func(t *testing.T) []string { return []string{gen("dump", "big-dump.zip", "zip")} }, wantMessages},
		{"dump-tgz-100MiB", func(t *testing.T) []string { return []string{gen("dump", "big-dump.tgz", "tgz")} }, wantMessages},
		{"miui-zip-100MiB", func(t *testing.T) []string { return []string{gen("miui", "big-miui.zip", "zip")} }, nil},
		{"random-100MB", func(t *testing.T) []string {
			return []string{streamFile(t, dir, "random.bin", func(w *bufio.Writer) { io.CopyN(w, rand.New(rand.NewSource(1)), 100<<20) })}
		}, nil},
		{"zeros-100MB", func(t *testing.T) []string {
			return []string{streamFile(t, dir, "zeros.bin", func(w *bufio.Writer) { io.CopyN(w, zeroReader{}, 100<<20) })}
		}, nil},
		{"zip-near-ratio-100MB", func(t *testing.T) []string { return []string{nearRatioZip(t, dir, 100<<20)} }, nil},
		{"zip-1M-entries", func(t *testing.T) []string {
			return []string{streamFile(t, dir, "million.zip", func(w *bufio.Writer) {
				zw := zip.NewWriter(w)
				for i := 0; i <= container.DefaultMaxEntries; i++ {
					fw, _ := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("d/%07d", i), Method: zip.Store})
					fw.Write([]byte{'x'})
				}
				zw.Close()
			})}
		}, wantCode(container.CodeTooManyEntries)},
		{"tgz-1M-entries", func(t *testing.T) []string {
			return []string{streamFile(t, dir, "million.tgz", func(w *bufio.Writer) {
				gw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
				tw := tar.NewWriter(gw)
				for i := 0; i <= container.DefaultMaxEntries; i++ {
					tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("d/%07d", i), Mode: 0600, Size: 1, ModTime: time.Unix(1700000000, 0)})
					tw.Write([]byte{'x'})
				}
				tw.Close()
				gw.Close()
			})}
		}, wantCode(container.CodeTooManyEntries)},
		{"sqlite-100MB", func(t *testing.T) []string { return []string{bigDB(t, dir, 95<<20)} }, wantMessages},
		{"sqlite-100MB-in-tgz", func(t *testing.T) []string {
			db, _ := os.ReadFile(bigDB(t, dir, 95<<20))
			return []string{streamFile(t, dir, "db.tgz", func(w *bufio.Writer) {
				var tb bytes.Buffer
				tw := tar.NewWriter(&tb)
				tw.WriteHeader(&tar.Header{Name: "data/data/com.android.providers.telephony/databases/mmssms.db", Mode: 0600, Size: int64(len(db)), ModTime: time.Unix(1700000000, 0)})
				tw.Write(db)
				tw.Close()
				w.Write(mkGzip(t, tb.Bytes()))
			})}
		}, wantMessages},
		{"sqlite-declares-huge", func(t *testing.T) []string {
			// the good database with a header saying 2^31 pages of 64 KiB,
			// padded to 100 MB of zero pages
			d := append([]byte(nil), good.db...)
			binary.BigEndian.PutUint32(d[28:], 0x7FFFFFFF)
			return []string{streamFile(t, dir, "declares.db", func(w *bufio.Writer) {
				w.Write(d)
				io.CopyN(w, zeroReader{}, 100<<20-int64(len(d)))
			})}
		}, nil},
		{"tar-declares-8GiB-entries", func(t *testing.T) []string {
			return []string{streamFile(t, dir, "liar.tar", func(w *bufio.Writer) {
				for i := 0; i < 12; i++ {
					w.Write(tarHeader(fmt.Sprintf("data/data/x/databases/%d.db", i), 8<<30, tar.TypeReg, ""))
					w.Write(good.db)
					io.CopyN(w, zeroReader{}, 8<<20-int64(len(good.db)))
				}
			})}
		}, nil},
		{"vcard-100MB-one-line", func(t *testing.T) []string {
			return []string{streamFile(t, dir, "line.vcf", func(w *bufio.Writer) {
				w.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Long\r\nNOTE:")
				io.CopyN(w, repeatReader('n'), 100<<20-100)
				w.WriteString("\r\nEND:VCARD\r\n")
			})}
		}, nil},
		{"vcard-100MB-photo", func(t *testing.T) []string {
			return []string{streamFile(t, dir, "photo.vcf", func(w *bufio.Writer) {
				w.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Photo\r\nPHOTO;ENCODING=b;TYPE=JPEG:")
				for i := 0; i < (100<<20-200)/78; i++ {
					w.WriteString("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n ")
				}
				w.WriteString("\r\nEND:VCARD\r\n")
			})}
		}, nil},
		{"smsbr-100MB-body", func(t *testing.T) []string {
			return []string{streamFile(t, dir, "sms-20240101000000.xml", func(w *bufio.Writer) {
				w.WriteString(`<?xml version="1.0" encoding="UTF-8"?><smses count="1"><sms protocol="0" address="+15550100" date="1700000000000" type="1" read="1" body="`)
				io.CopyN(w, repeatReader('b'), 100<<20-300)
				w.WriteString(`" /></smses>`)
			})}
		}, nil},
		{"smsbr-1M-messages", func(t *testing.T) []string {
			return []string{streamFile(t, dir, "sms-20240101000001.xml", func(w *bufio.Writer) {
				w.WriteString(`<?xml version="1.0" encoding="UTF-8"?><smses count="700000">`)
				for i := 0; i < 700000; i++ {
					fmt.Fprintf(w, `<sms protocol="0" address="+1555%07d" date="%d" type="1" read="1" body="message %d https://example.com/%d" />`+"\n", i, 1700000000000+int64(i), i, i)
				}
				w.WriteString(`</smses>`)
			})}
		}, nil},
		// Many tiny records: the memory a record takes in the report is
		// many times the bytes it takes in the input.
		{"smsbr-100MB-tiny-messages", func(t *testing.T) []string {
			return []string{streamFile(t, dir, "sms-20240101000002.xml", func(w *bufio.Writer) {
				w.WriteString(`<?xml version="1.0" encoding="UTF-8"?><smses>`)
				for n := 0; n < 100<<20-100; {
					k, _ := fmt.Fprintf(w, `<sms address="%d" date="%d" type="1" body=""/>`, n%1000, n)
					n += k
				}
				w.WriteString(`</smses>`)
			})}
		}, wantMessages},
		{"calls-xml-100MB-tiny-calls", func(t *testing.T) []string {
			return []string{streamFile(t, dir, "calls-20240101000002.xml", func(w *bufio.Writer) {
				w.WriteString(`<?xml version="1.0" encoding="UTF-8"?><calls>`)
				for n := 0; n < 100<<20-100; {
					k, _ := fmt.Fprintf(w, `<call number="%d" duration="1" date="%d" type="1"/>`, n%1000, n)
					n += k
				}
				w.WriteString(`</calls>`)
			})}
		}, nil},
		{"vcard-100MB-tiny-cards", func(t *testing.T) []string {
			return []string{streamFile(t, dir, "tiny.vcf", func(w *bufio.Writer) {
				for n := 0; n < 100<<20-100; {
					k, _ := fmt.Fprintf(w, "BEGIN:VCARD\r\nFN:%d\r\nEND:VCARD\r\n", n%1000)
					n += k
				}
			})}
		}, nil},
		{"sqlite-100MB-half-deleted", func(t *testing.T) []string {
			// the 300k-message database with every other message deleted:
			// 150k records to recover from free blocks
			db, err := os.ReadFile(bigDB(t, dir, 95<<20))
			if err != nil {
				t.Fatal(err)
			}
			p := writeFile(t, dir, "half-deleted-mmssms.db", db)
			sdb, err := sql.Open("sqlite", p)
			if err != nil {
				t.Fatal(err)
			}
			defer sdb.Close()
			for _, q := range []string{"PRAGMA journal_mode=OFF", "PRAGMA secure_delete=OFF", "DELETE FROM sms WHERE _id % 2 = 0"} {
				if _, err := sdb.Exec(q); err != nil {
					t.Fatal(err)
				}
			}
			return []string{p}
		}, wantMessages},
		{"sqlite-100MB-tiny-rows", func(t *testing.T) []string { return []string{tinyRowsDB(t, dir, 95<<20, false)} }, wantMessages},
		{"sqlite-100MB-deleted-rows", func(t *testing.T) []string { return []string{tinyRowsDB(t, dir, 95<<20, true)} }, nil},
		{"tgz-long-names", func(t *testing.T) []string {
			// names of 60 KiB compress to nothing: the input's total
			// expansion (1 GiB at least) is what bounds them
			return []string{streamFile(t, dir, "names.tgz", func(w *bufio.Writer) {
				gw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
				tw := tar.NewWriter(gw)
				long := strings.Repeat("n", 60<<10)
				for i := 0; i < 40000; i++ {
					tw.WriteHeader(&tar.Header{Name: fmt.Sprintf("d/%07d/%s", i, long), Mode: 0600, Size: 1, ModTime: time.Unix(1700000000, 0), Format: tar.FormatPAX})
					tw.Write([]byte{'x'})
				}
				tw.Close()
				gw.Close()
			})}
		}, nil},
		{"tgz-long-name-zip-1M-entries", func(t *testing.T) []string {
			// a zip of a million entries inside a tar entry with a 4000-byte
			// name: every entry's provenance path repeats that name
			var zb bytes.Buffer
			zw := zip.NewWriter(&zb)
			for i := 0; i < container.DefaultMaxEntries; i++ {
				fw, _ := zw.CreateHeader(&zip.FileHeader{Name: strconv.Itoa(i), Method: zip.Store})
				fw.Write([]byte{'x'})
			}
			zw.Close()
			return []string{streamFile(t, dir, "long-zip.tgz", func(w *bufio.Writer) {
				gw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
				tw := tar.NewWriter(gw)
				tw.WriteHeader(&tar.Header{Name: strings.Repeat("z", 4000) + ".zip", Mode: 0600, Size: int64(zb.Len()), ModTime: time.Unix(1700000000, 0), Format: tar.FormatPAX})
				tw.Write(zb.Bytes())
				tw.Close()
				gw.Close()
			})}
		}, nil},
		{"descript-100MB", func(t *testing.T) []string {
			d := filepath.Join(dir, "miui-set")
			os.MkdirAll(d, 0o755)
			streamFile(t, d, "descript.xml", func(w *bufio.Writer) {
				w.WriteString(`<?xml version="1.0"?><MIUI-backup><jsonMsg>`)
				io.CopyN(w, repeatReader('j'), 100<<20-100)
				w.WriteString(`</jsonMsg></MIUI-backup>`)
			})
			return []string{d}
		}, nil},
		{"telephony-json-256MiB-body", func(t *testing.T) []string {
			zs := makeFillStream(t, []byte(`[{"address":"+15550100","type":"1","date":"1700000000000","body":"`), 'A', 300, []byte(`"}]`))
			ab := mkAB(t, androidbackup.WriterOptions{Compress: true}, mkTar(t,
				entry{name: "apps/com.android.providers.telephony/_manifest", data: []byte("1\ncom.android.providers.telephony\n1\n33\n\n1\n0\n")},
				entry{name: "apps/com.android.providers.telephony/d_f/000000_sms_backup", data: binary.BigEndian.AppendUint32(append([]byte{0x78, 0xda}, zs.deflate...), zs.adler)}))
			return []string{writeFile(t, dir, "jsonbomb.ab", ab)}
		}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			paths := tc.make(t)
			r := runChild(t, paths...)
			if tc.check != nil {
				tc.check(t, r)
			}
			for _, p := range paths {
				if !keep {
					os.RemoveAll(p)
				}
			}
		})
	}
}

func wantMessages(t *testing.T, r childResult) {
	if r.Messages == 0 {
		t.Errorf("no messages read")
	}
}

func wantCode(code string) func(t *testing.T, r childResult) {
	return func(t *testing.T, r childResult) {
		if r.Codes[code] == 0 {
			t.Errorf("no %s problem: %v", code, r.Codes)
		}
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// bigDB builds a message database of about size bytes with the real SQLite.
func bigDB(t *testing.T, dir string, size int64) string {
	p := filepath.Join(dir, "big-mmssms.db")
	if st, err := os.Stat(p); err == nil && st.Size() >= size {
		return p
	}
	sdb, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	for _, q := range []string{"PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF",
		"CREATE TABLE sms (_id INTEGER PRIMARY KEY, thread_id INTEGER, address TEXT, date INTEGER, type INTEGER, read INTEGER, body TEXT)"} {
		if _, err := sdb.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	tx, _ := sdb.Begin()
	rng := rand.New(rand.NewSource(5))
	var written int64
	for i := 1; written < size; i++ {
		body := fmt.Sprintf("message %d https://example.com/%d %s", i, i, strings.Repeat(string(rune('a'+rng.Intn(26))), 50+rng.Intn(400)))
		if _, err := tx.Exec("INSERT INTO sms (thread_id, address, date, type, read, body) VALUES (?, ?, ?, ?, ?, ?)",
			i%500, fmt.Sprintf("+1555%07d", i%100000), 1700000000000+int64(i)*1000, 1+i%2, 1, body); err != nil {
			t.Fatal(err)
		}
		written += int64(len(body)) + 40
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return p
}

// tinyRowsDB builds a message database of about size bytes of rows as small
// as SQLite stores them; with deleted, every row is then deleted (without
// secure_delete), leaving the records in free pages and free blocks.
func tinyRowsDB(t *testing.T, dir string, size int64, deleted bool) string {
	p := filepath.Join(dir, fmt.Sprintf("tiny-%v-mmssms.db", deleted))
	if st, err := os.Stat(p); err == nil && st.Size() >= size*9/10 {
		return p
	}
	os.Remove(p)
	sdb, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	for _, q := range []string{"PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF", "PRAGMA secure_delete=OFF",
		"CREATE TABLE sms (_id INTEGER PRIMARY KEY, address TEXT, date INTEGER, type INTEGER, body TEXT)"} {
		if _, err := sdb.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	tx, _ := sdb.Begin()
	st, err := tx.Prepare("INSERT INTO sms (address, date, type, body) VALUES (?, ?, 1, '')")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= int(size/15); i++ {
		if _, err := st.Exec(strconv.Itoa(i%10), i%100); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if deleted {
		if _, err := sdb.Exec("DELETE FROM sms"); err != nil {
			t.Fatal(err)
		}
	}
	if st, err := os.Stat(p); err == nil {
		t.Logf("%s: %d bytes", filepath.Base(p), st.Size())
	}
	return p
}

// TestStressTruncateEveryByte cuts every small sample at every byte.
func TestStressTruncateEveryByte(t *testing.T) { truncateSamples(t, true) }

// TestStressBitFlips flips bits in every small sample 2000 times.
func TestStressBitFlips(t *testing.T) { bitFlips(t, 2000) }
