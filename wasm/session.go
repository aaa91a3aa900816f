//go:build js && wasm

package main

import (
	"errors"
	"io"
	"syscall/js"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/inspect"
)

// The database browser after the hand-over (worker.js): the worker that
// read the backup says where each database it found is (biSessionExport),
// and the fresh worker that took the report over opens them from there
// (biSessionImport) instead of reading the whole backup again: a database
// that is a part of an input (a loose file, a stored zip entry, a tar
// entry of an uncompressed backup) is that input File and an offset; one
// that was spooled into memory (inflated, decrypted) is copied into a
// Blob, which Chromium keeps outside the renderer.

// inputFiles maps the ReaderAt of each input file of the last run to its
// JS File (jsInputs).
var inputFiles = map[io.ReaderAt]js.Value{}

// exportChunk is the size of the pieces a spooled database is copied out in.
const exportChunk = 1 << 20

// sessionExportJS is biSessionExport() → Promise<[{path, data, wal,
// journal}]>, each part {blob, off, size} or null; null when no run has
// finished.
func sessionExportJS([]js.Value) (any, error) {
	mu.Lock()
	sess := session
	mu.Unlock()
	if sess == nil {
		return js.Null(), nil
	}
	out := js.Global().Get("Array").New()
	for _, db := range sess.Sources() {
		o := js.Global().Get("Object").New()
		o.Set("path", db.Path)
		part, err := exportPart(db.Data, db.Size)
		if err != nil {
			return js.Null(), nil // the fresh worker reads the backup again
		}
		o.Set("data", part)
		for _, side := range []struct {
			name string
			ra   io.ReaderAt
			size int64
		}{{"wal", db.WAL, db.WALSize}, {"journal", db.Journal, db.JournalSize}} {
			v := js.Null()
			if side.ra != nil {
				if v, err = exportPart(side.ra, side.size); err != nil {
					return js.Null(), nil
				}
			}
			o.Set(side.name, v)
		}
		out.Call("push", o)
	}
	return out, nil
}

// exportPart describes the bytes [0, size) of ra as {blob, off, size}.
func exportPart(ra io.ReaderAt, size int64) (js.Value, error) {
	if size < 0 {
		return js.Null(), errors.New("size unknown")
	}
	top, off := container.Locate(ra)
	if f, ok := inputFiles[top]; ok {
		return partJS(f, off, size), nil
	}
	if sb, ok := top.(*spooledBlob); ok { // spooled out of memory (spool.go), or in a zip that was
		return partJS(sb.blob, off, size), nil
	}
	// In memory: copy it out, a Blob per MiB, letting the event loop turn
	// every 8 MiB (Chromium then moves the Blobs' bytes out of the
	// renderer, as for the report: encode.go).
	parts := js.Global().Get("Array").New()
	buf := make([]byte, min(size, exportChunk))
	for pos := int64(0); pos < size; {
		if pos > 0 && pos%(8*exportChunk) == 0 {
			yieldToJS()
		}
		n := int(min(int64(len(buf)), size-pos))
		if k, err := ra.ReadAt(buf[:n], pos); k != n {
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return js.Null(), err
		}
		u8 := js.Global().Get("Uint8Array").New(n)
		js.CopyBytesToJS(u8, buf[:n])
		parts.Call("push", js.Global().Get("Blob").New([]any{u8}))
		pos += int64(n)
	}
	return partJS(js.Global().Get("Blob").New(parts), 0, size), nil
}

func partJS(blob js.Value, off, size int64) js.Value {
	o := js.Global().Get("Object").New()
	o.Set("blob", blob)
	o.Set("off", float64(off))
	o.Set("size", float64(size))
	return o
}

// sessionImportJS is biSessionImport(dbs): the databases of the browser
// are those (biSessionExport's list); returns how many.
func sessionImportJS(_ js.Value, a []js.Value) any {
	if len(a) < 1 || a[0].Type() != js.TypeObject {
		return js.Global().Get("Error").New("biSessionImport(dbs)")
	}
	list := a[0]
	var dbs []inspect.SessionDB
	for i := 0; i < list.Length(); i++ {
		o := list.Index(i)
		db := inspect.SessionDB{Path: o.Get("path").String()}
		db.Data, db.Size = importPart(o.Get("data"))
		if db.Data == nil {
			continue
		}
		db.WAL, db.WALSize = importPart(o.Get("wal"))
		db.Journal, db.JournalSize = importPart(o.Get("journal"))
		dbs = append(dbs, db)
	}
	mu.Lock()
	if endSession != nil {
		endSession()
		endSession = nil
	}
	session = inspect.NewSession(dbs)
	mu.Unlock()
	resetDBCache()
	return len(dbs)
}

func importPart(v js.Value) (io.ReaderAt, int64) {
	if v.Type() != js.TypeObject || v.Get("blob").Type() != js.TypeObject {
		return nil, 0
	}
	off, size := int64(v.Get("off").Float()), int64(v.Get("size").Float())
	blob := v.Get("blob").Call("slice", float64(off), float64(off+size))
	return newBlobReaderAt(blob, size), size
}
