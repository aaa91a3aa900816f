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
// is live: max(a quarter of the memory budget, 1.5 × live (at most
// live + 64 MiB)), re-set as the
// input is read (every progress step, at least every MiB) and as records
// are kept (every 4 MiB: inspect.Options.MemoryCheck). A finalizer re-armed
// after each collection would not do: it does not run while the parse runs
// (no goroutine switch in synchronous wasm code). 1.75 × live made the
// 1 GiB dump's parse faster (10.0–10.1 -> 8.9–9.2 s in Node), but the 4 GiB
// compressed .ab's Go memory then reached 198–200 MiB in two runs of four
// (renderer 492–503 MiB): 1.5 it is, the room above what is live at most
// gcHeadroomMax.

var gcFloor int64

// gcHeadroomMax bounds the room the limit leaves above what is live.
const gcHeadroomMax = 64 << 20

var liveSample = []metrics.Sample{
	{Name: "/gc/heap/live:bytes"},
	{Name: "/memory/classes/total:bytes"},
	{Name: "/memory/classes/heap/released:bytes"},
	{Name: "/memory/classes/heap/objects:bytes"},
	{Name: "/gc/heap/goal:bytes"},
}

// squeezed: the heap goal was found at what is live (see tuneGC); from
// then on, for the rest of the run, the limit leaves room beside the
// runtime's other memory.
var squeezed bool

// startGCTuning sets the floor of the limit from the memory budget.
func startGCTuning(budget int64) {
	gcFloor = max(budget/4, 96<<20)
	squeezed = false
	tuneGC()
}

// tuneGC re-sets Go's memory limit from the heap live at the last
// collection: max(floor, live + min(½ live, 64 MiB)). The limit counts all the runtime
// holds, not only the heap's objects (GC metadata, stacks, free spans), and
// when that other part is big — the mapped heap once grew big, its metadata
// with it — the heap goal can fall to what is live: a collection after
// every allocation. Measured in Node, the 1 GiB dump with a 24 MiB SQLite
// page cache: live 97 MiB, limit 146, 149 MiB counted against it, 30
// collections a second, 57–172 s instead of ~16. Once the goal is seen
// within 1/32 of what is live, the limit leaves 1.25 × live beside that
// other memory for the rest of the run (0 of 6 such runs slow after it).
// Normal runs keep the tighter limit: always leaving that room cost the
// same dump with the usual 8 MiB cache +25–35 MiB; detecting at 1/8 +20.
func tuneGC() {
	metrics.Read(liveSample)
	v := func(i int) int64 {
		if liveSample[i].Value.Kind() == metrics.KindUint64 {
			return int64(liveSample[i].Value.Uint64())
		}
		return 0
	}
	var limit int64
	limit, squeezed = gcLimit(gcFloor, v(0), v(1), v(2), v(3), v(4), squeezed)
	debug.SetMemoryLimit(limit)
}

// gcLimit is tuneGC's limit from the runtime's figures: the floor, the heap
// live at the last collection, the memory the runtime holds (total), of it
// released and heap objects, the heap goal, and whether the goal was once
// found squeezed to what is live (returned updated).
func gcLimit(floor, live, total, released, objects, goal int64, squeezed bool) (int64, bool) {
	limit := max(floor, live+min(live/2, gcHeadroomMax))
	if live > 0 && goal > 0 && goal < live+live/32 {
		squeezed = true
	}
	if squeezed {
		limit = max(limit, max(0, total-released-objects)+live+live/4)
	}
	return limit, squeezed
}
