package inspect

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"runtime"

	"github.com/backupinspector/backupinspector/parsers/container"
)

// hashInputsInParallel gives every top-level input file that has random
// access, and no SHA-256 supplied yet, a SHA-256 computed by one goroutine
// reading it through its ReaderAt while the walk parses it: on a machine
// with more than one core the walk then neither hashes nor drains those
// files (natively SHA-256 and the parse each take about half of an
// inspection's CPU). Not in wasm: there goroutines share one thread, and
// the page hashes its inputs in a worker of its own. It returns a func that
// stops the goroutine.
func hashInputsInParallel(ctx context.Context, inputs []container.Input) (stop func()) {
	if runtime.GOARCH == "wasm" || runtime.NumCPU() < 2 {
		return func() {}
	}
	type job struct {
		ra   io.ReaderAt
		size int64
		done chan string
	}
	var jobs []job
	for i := range inputs {
		for j := range inputs[i].Files {
			f := &inputs[i].Files[j]
			if f.ReaderAt == nil || f.SHA256 != nil || f.Size < 0 {
				continue
			}
			jb := job{ra: f.ReaderAt, size: f.Size, done: make(chan string, 1)}
			jobs = append(jobs, jb)
			f.SHA256 = func() string {
				select {
				case s := <-jb.done:
					jb.done <- s // for a second call
					return s
				case <-ctx.Done():
					return ""
				}
			}
		}
	}
	if len(jobs) == 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		buf := make([]byte, 1<<20)
		for _, jb := range jobs {
			h := sha256.New()
			var off int64
			ok := true
			for off < jb.size {
				if ctx.Err() != nil {
					return
				}
				n, err := jb.ra.ReadAt(buf[:min(int64(len(buf)), jb.size-off)], off)
				h.Write(buf[:n])
				off += int64(n)
				if err != nil && !(err == io.EOF && off == jb.size) {
					ok = false
					break
				}
			}
			if ok {
				jb.done <- hex.EncodeToString(h.Sum(nil))
			} else {
				jb.done <- ""
			}
		}
	}()
	return cancel
}
