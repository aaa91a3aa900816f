//go:build js && wasm

package main

import (
	"runtime/debug"
	"runtime/metrics"
)

// Go's garbage collector in the page is paced by a soft memory limit: the
// wasm memory Go grows into is never given back (until its worker is ended
// after the report: web/src/app.js handOff), and with the default pacing
// (the heap may reach twice what is live) a 1 GiB .ab ended at ~200 or
// ~330 MiB of it. But in wasm a limit below what is live makes the
// collector run back to back (a 1 GiB dump, ~140 MiB live, under a fixed
// 128 MiB limit: 202 s instead of 14 s in Node), so the limit follows what
// is live: max(a quarter of the memory budget, 1.5 × live), re-set as the
// input is read (every progress step, at least every MiB) and as records
// are kept (every 4 MiB: inspect.Options.MemoryCheck). A finalizer re-armed
// after each collection would not do: it does not run while the parse runs
// (no goroutine switch in synchronous wasm code).

var gcFloor int64

var liveSample = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}

// startGCTuning sets the floor of the limit from the memory budget.
func startGCTuning(budget int64) {
	gcFloor = max(budget/4, 96<<20)
	tuneGC()
}

// tuneGC re-sets Go's memory limit from the heap live at the last
// collection.
func tuneGC() {
	metrics.Read(liveSample)
	live := int64(0)
	if liveSample[0].Value.Kind() == metrics.KindUint64 {
		live = int64(liveSample[0].Value.Uint64())
	}
	debug.SetMemoryLimit(max(gcFloor, live+live/2))
}
