//go:build js && wasm

package main

import "testing"

// TestGCLimit: 1.5 × live above the floor, at most live + 64 MiB; once the heap goal is found at
// what is live (the runtime's other memory eating the room), the limit
// leaves 1.25 × live beside that memory, for the rest of the run.
func TestGCLimit(t *testing.T) {
	const M = 1 << 20
	for _, c := range []struct {
		name                                 string
		live, total, released, objects, goal int64
		squeezed                             bool
		wantLimit                            int64
		wantSqueezed                         bool
	}{
		{"small heap: the floor", 10 * M, 40 * M, 0, 10 * M, 20 * M, false, 128 * M, false},
		{"1.5 × live", 100 * M, 190 * M, 40 * M, 100 * M, 140 * M, false, 150 * M, false},
		{"at most live + 64 MiB", 200 * M, 290 * M, 40 * M, 200 * M, 240 * M, false, 264 * M, false},
		{"goal at live: room beside the rest", 97 * M, 246 * M, 97 * M, 97 * M, 97 * M, false, 52*M + 97*M + 97*M/4, true},
		{"goal 2 % above live: squeezed too", 100 * M, 250 * M, 90 * M, 100 * M, 102 * M, false, 60*M + 125*M, true},
		{"goal 10 % above live: not squeezed", 100 * M, 250 * M, 90 * M, 100 * M, 110 * M, false, 150 * M, false},
		{"once squeezed, it stays", 100 * M, 250 * M, 90 * M, 100 * M, 180 * M, true, 60*M + 125*M, true},
		{"squeezed, small overhead: 1.5 × live still", 100 * M, 120 * M, 0, 100 * M, 180 * M, true, 150 * M, true},
		{"no figures yet", 0, 0, 0, 0, 0, false, 128 * M, false},
	} {
		lim, sq := gcLimit(128*M, c.live, c.total, c.released, c.objects, c.goal, c.squeezed)
		if lim != c.wantLimit || sq != c.wantSqueezed {
			t.Errorf("%s: limit %d MiB, squeezed %v; want %d MiB, %v", c.name, lim/M, sq, c.wantLimit/M, c.wantSqueezed)
		}
	}
}
