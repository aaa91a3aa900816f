//go:build js && wasm

// Command wasm is the thin adapter between the page's Web Worker and the Go
// parsers: the only package that imports syscall/js. It streams the dropped
// File objects into parsers/inspect, reports progress, asks the page for
// passwords, and returns the report as JSON bytes (a Uint8Array), never as
// thousands of JS objects.
//
// It installs these functions on the worker's global object:
//
//	biInspect(inputs, callbacks) → Promise<Uint8Array>   run an inspection
//	biPassword(password|null)                             answer a password request
//	biCancel()                                            cancel the running inspection
//	biDBTables(path, noWal) → Promise<Uint8Array>         a found database's tables
//	biDBRows(path, table, offset, limit, noWal) → Promise<Uint8Array>  rows of a table
//	biDBQuery(queryJSON) → Promise<Uint8Array>            a page of a table, filtered and sorted
//	biSessionExport() → Promise<[{path, data, wal, journal}] | null>   where the last run's databases are
//	biSessionImport(dbs) → number                          the database browser opens those (session.go)
//	biVersion() → string
//	biIndicatorsProbe(name, bytes, force) → JSON   is this an indicator file? (indicators.go)
//	biIndicatorsMatch(files, hashes, saved) → Promise<{json, errors}>  match indicator files with the last report
//
// inputs is an array of {name, isDir, files: [{path, file, sha256}]}
// (sha256: a placeholder for a hash the page computes, hash.go); callbacks
// is {onProgress(jsonString), onPassword(jsonString), onOverview(jsonString),
// memoryBudget, problems, reportSink, databasesOnly, noReport}: onOverview
// gets the overview of the finished report before the whole report is
// encoded (overview.go); databasesOnly (inspect.Options.DatabasesOnly) and
// noReport (no report encoded, nothing returned) are for a run that only
// finds the databases again for the database browser (worker.js rebuild);
// strictCRC has Go check stored zip entries' CRC-32 itself (else the hash
// worker checks those it hashes: container.InputFile.RangeCRC32).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"sync"
	"sync/atomic"
	"syscall/js"
	"time"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/inspect"
	"github.com/backupinspector/backupinspector/parsers/report"
)

var (
	mu        sync.Mutex
	session   *inspect.Session
	cancelRun context.CancelFunc
	// endSession cancels the context of the last finished run: its
	// session's files stay readable (database browser) until the next run.
	endSession context.CancelFunc
	passwords  = make(chan *string, 1)
	// running is set while an inspection runs; canceled once the page
	// asked to stop it. File readers check canceled, so that a long read
	// inside one file (a big database) stops too.
	running, canceled atomic.Bool
)

func main() {
	g := js.Global()
	g.Set("biInspect", asyncFunc(inspectJS))
	g.Set("biPassword", js.FuncOf(func(_ js.Value, a []js.Value) any {
		var p *string
		if len(a) > 0 && a[0].Type() == js.TypeString {
			s := a[0].String()
			p = &s
		}
		select {
		case passwords <- p:
		default:
		}
		return nil
	}))
	g.Set("biCancel", js.FuncOf(func(js.Value, []js.Value) any {
		mu.Lock()
		defer mu.Unlock()
		if cancelRun != nil {
			canceled.Store(true)
			cancelRun()
		}
		// Unblock a pending password request.
		select {
		case passwords <- nil:
		default:
		}
		return nil
	}))
	g.Set("biDBTables", asyncFunc(dbTablesJS))
	g.Set("biDBRows", asyncFunc(dbRowsJS))
	g.Set("biDBQuery", asyncFunc(dbQueryJS))
	g.Set("biSessionExport", asyncFunc(sessionExportJS))
	g.Set("biSessionImport", js.FuncOf(sessionImportJS))
	g.Set("biVersion", js.FuncOf(func(js.Value, []js.Value) any { return report.Version }))
	initJSHash()
	select {} // keep the functions alive
}

func inspectJS(args []js.Value) (any, error) {
	if len(args) < 1 {
		return nil, errors.New("biInspect: no inputs")
	}
	var cb js.Value
	if len(args) > 1 {
		cb = args[1]
	}
	// strictCRC: Go checks every stored zip entry's CRC-32 itself (the
	// page's second read after the hash worker found one that differs).
	strict := cb.Truthy() && cb.Get("strictCRC").Truthy()
	inputs, err := jsInputs(args[0], !strict)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	mu.Lock()
	if endSession != nil {
		endSession()
		endSession = nil
	}
	session = nil
	lastReport = nil // let the collector have it while this run reads
	cancelRun = cancel
	canceled.Store(false)
	running.Store(true)
	streamsGone.Store(false)
	mu.Unlock()
	keep := false
	defer func() {
		mu.Lock()
		cancelRun = nil
		running.Store(false)
		canceled.Store(false)
		if keep {
			endSession = cancel
		}
		mu.Unlock()
		if !keep {
			cancel()
		}
	}()
	// Drop a stale answer from an earlier run.
	select {
	case <-passwords:
	default:
	}
	var lastProgress time.Time
	lastInput := ""
	opts := inspect.Options{
		MemoryCheck: tuneGC,
		OnProgress: func(p container.Progress) {
			tuneGC()
			// At most ~10 a second within an input (each is a JSON
			// message to the page): the walker reports every MiB.
			now := time.Now()
			if p.Input == lastInput && p.Done > 0 && p.Done < p.Total && now.Sub(lastProgress) < 100*time.Millisecond {
				return
			}
			lastProgress, lastInput = now, p.Input
			if cb.Truthy() && cb.Get("onProgress").Truthy() {
				b, _ := json.Marshal(progressJSON{Input: p.Input, Done: p.Done, Total: p.Total, Path: p.Path})
				cb.Call("onProgress", string(b))
			}
		},
		Password: func(req container.PasswordRequest) (string, bool) {
			if !cb.Truthy() || !cb.Get("onPassword").Truthy() {
				return "", false
			}
			msg := map[string]any{"path": req.Path, "attempt": req.Attempt, "wrong": req.LastErr != nil}
			if req.LastErr != nil {
				msg["error"] = req.LastErr.Error()
			}
			b, _ := json.Marshal(msg)
			cb.Call("onPassword", string(b))
			select {
			case p := <-passwords:
				if p == nil {
					return "", false
				}
				return *p, true
			case <-ctx.Done():
				return "", false
			}
		},
	}
	opts.Spool = newBlobSpool
	opts.NewHash = func() hash.Hash {
		if h := newStreamHash(); h != nil {
			return h
		}
		return newFileHash()
	}
	if cb.Truthy() && cb.Get("memoryBudget").Truthy() {
		opts.MemoryBudget = int64(cb.Get("memoryBudget").Float())
	}
	if cb.Truthy() && cb.Get("databasesOnly").Truthy() {
		opts.DatabasesOnly = true
	}
	startGCTuning(opts.MemoryBudget)
	rep, sess, err := inspect.Run(ctx, inputs, opts)
	if err == nil && canceled.Load() {
		err = context.Canceled
	}
	if err != nil {
		return nil, err
	}
	addPageProblems(rep, cb)
	sendOverview(rep, cb)
	mu.Lock()
	session = sess
	lastReport = rep
	keep = true
	mu.Unlock()
	resetDBCache()
	if cb.Truthy() && cb.Get("noReport").Truthy() {
		return nil, nil
	}
	if cb.Truthy() && cb.Get("reportSink").Type() == js.TypeFunction {
		return encodeReportSink(rep, cb.Get("reportSink"))
	}
	return encodeReportJS(rep)
}

// jsInputs converts the page's input descriptions into container inputs.
func jsInputs(v js.Value, crcElsewhere bool) ([]container.Input, error) {
	n := v.Length()
	inputs := make([]container.Input, 0, n)
	clear(inputFiles)
	for i := 0; i < n; i++ {
		o := v.Index(i)
		in := container.Input{Name: o.Get("name").String(), IsDir: o.Get("isDir").Truthy()}
		files := o.Get("files")
		for j := 0; j < files.Length(); j++ {
			f := files.Index(j)
			file := f.Get("file")
			size := int64(file.Get("size").Float())
			ra := newBlobReaderAt(file, size)
			if ra != nil {
				inputFiles[ra] = file
			}
			in.Files = append(in.Files, container.InputFile{
				Path: f.Get("path").String(),
				Size: size,
				Open: func() (io.ReadCloser, error) {
					return newBlobReader(file), nil
				},
				ReaderAt:    ra,
				SHA256:      suppliedSHA256(f),
				RangeSHA256: suppliedRangeSHA256(f),
			})
			if crcElsewhere {
				in.Files[len(in.Files)-1].RangeCRC32 = suppliedRangeCRC32(f)
			}
		}
		if !in.IsDir && len(in.Files) != 1 {
			return nil, fmt.Errorf("input %q: a file input needs exactly one file", in.Name)
		}
		inputs = append(inputs, in)
	}
	return inputs, nil
}

// progressJSON is what onProgress receives: the input being read, the bytes
// of it consumed so far, its size and the entry being read inside it.
type progressJSON struct {
	Input string `json:"input"`
	Done  int64  `json:"done"`
	Total int64  `json:"total"`
	Path  string `json:"path"`
}

func bytesToJS(b []byte) js.Value {
	u := js.Global().Get("Uint8Array").New(len(b))
	js.CopyBytesToJS(u, b)
	return u
}
