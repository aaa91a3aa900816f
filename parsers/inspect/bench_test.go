package inspect

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
)

// benchInputs opens paths (files or folders) as the CLI does.
func benchInputs(tb testing.TB, paths []string) ([]container.Input, int64) {
	tb.Helper()
	var inputs []container.Input
	var total int64
	addFile := func(p string) container.InputFile {
		st, err := os.Stat(p)
		if err != nil {
			tb.Fatal(err)
		}
		f, err := os.Open(p)
		if err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { f.Close() })
		total += st.Size()
		return container.InputFile{Size: st.Size(), Open: func() (io.ReadCloser, error) { return os.Open(p) }, ReaderAt: f}
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			tb.Fatal(err)
		}
		if !st.IsDir() {
			inputs = append(inputs, container.Input{Name: filepath.Base(p), Files: []container.InputFile{addFile(p)}})
			continue
		}
		in := container.Input{Name: filepath.Base(p), IsDir: true}
		var files []string
		filepath.WalkDir(p, func(q string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				files = append(files, q)
			}
			return nil
		})
		sort.Strings(files)
		for _, q := range files {
			f := addFile(q)
			rel, _ := filepath.Rel(p, q)
			f.Path = filepath.ToSlash(rel)
			in.Files = append(in.Files, f)
		}
		inputs = append(inputs, in)
	}
	return inputs, total
}

// BenchmarkRun inspects the inputs named by $BI_BENCH_INPUTS (a
// comma-separated list of files or folders, e.g. generated big samples),
// or the committed small samples, and reports MiB/s of input plus the peak
// Go heap (MB) and the report size. `make bench` runs it with -benchtime 1x.
func BenchmarkRun(b *testing.B) {
	var paths []string
	if env := os.Getenv("BI_BENCH_INPUTS"); env != "" {
		paths = strings.Split(env, ",")
	} else {
		dir := filepath.Join("..", "..", "samples", "small")
		for _, n := range []string{"miui", "telephony-uncompressed.ab", "telephony.ab", "miui.zip", "dump.zip"} {
			paths = append(paths, filepath.Join(dir, n))
		}
	}
	for _, p := range paths {
		b.Run(filepath.Base(p), func(b *testing.B) {
			inputs, total := benchInputs(b, []string{p})
			b.SetBytes(total)
			var size int
			var peak uint64
			for b.Loop() {
				stop := make(chan struct{})
				done := make(chan uint64)
				go func() { done <- heapPeak(stop) }()
				rep, _, err := Run(context.Background(), inputs, Options{})
				if err != nil {
					b.Fatal(err)
				}
				enc, err := report.Encode(rep)
				if err != nil {
					b.Fatal(err)
				}
				size = len(enc)
				close(stop)
				peak = max(peak, <-done)
			}
			b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
			b.ReportMetric(float64(size)/1e6, "report-MB")
		})
	}
}

// heapPeak samples the live heap until stop is closed.
func heapPeak(stop chan struct{}) uint64 {
	var ms runtime.MemStats
	var peak uint64
	for {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
		select {
		case <-stop:
			return peak
		default:
			runtime.Gosched()
			select {
			case <-stop:
				return peak
			case <-tick():
			}
		}
	}
}

// BenchmarkReportEncode measures report.Encode on the report of the
// committed samples.
func BenchmarkReportEncode(b *testing.B) {
	dir := filepath.Join("..", "..", "samples", "small")
	inputs, _ := benchInputs(b, []string{filepath.Join(dir, "miui"), filepath.Join(dir, "dump.zip")})
	rep, _, err := Run(context.Background(), inputs, Options{})
	if err != nil {
		b.Fatal(err)
	}
	enc, _ := report.Encode(rep)
	b.SetBytes(int64(len(enc)))
	for b.Loop() {
		out, err := report.Encode(rep)
		if err != nil || !bytes.Equal(out, enc) {
			b.Fatal("encode differs", err)
		}
	}
}

func tick() <-chan time.Time { return time.After(20 * time.Millisecond) }
