//go:build !js

package inspect

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/samples"
)

// Recovered (deleted) SQLite records count against the memory budget like
// live ones: with a budget that runs out during recovery, some recovered
// records are kept, a record-budget problem names the database and the
// first recovered record not kept, and the same budget keeps the same
// records on every run.
func TestMemoryBudgetCutsRecoveredRecords(t *testing.T) {
	out := filepath.Join(t.TempDir(), "mmssms.db")
	if _, err := samples.Generate(samples.Options{Kind: "mmssms", Seed: 1, Out: out, Deleted: true}); err != nil {
		t.Fatal(err)
	}
	run := func(budget int64) *report.Report {
		t.Helper()
		rep, _, err := Run(context.Background(), []container.Input{fileInput(t, out)}, Options{MemoryBudget: budget})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	all := len(run(0).Recovered)
	if all < 2 {
		t.Fatalf("%d records recovered with the default budget: the sample has no deleted records to cut", all)
	}
	// The smallest budgets are full before recovery starts, large ones keep
	// everything: search between them for one that cuts recovery.
	lo, hi := int64(1), int64(256<<10)
	for hi < DefaultMemoryBudget && len(run(hi).Recovered) < all {
		lo, hi = hi, hi*2
	}
	var rep *report.Report
	for {
		if hi-lo <= 1 {
			t.Fatalf("no budget between %d and %d keeps some recovered records but not all %d", lo, hi, all)
		}
		mid := lo + (hi-lo)/2
		rep = run(mid)
		n := len(rep.Recovered)
		if n == 0 {
			lo = mid
			continue
		}
		if n == all {
			hi = mid
			continue
		}
		t.Logf("budget %d bytes: %d of %d recovered records kept", mid, n, all)
		var cut *report.Problem
		for i, p := range rep.Problems {
			if p.Code == artifacts.CodeRecordBudget {
				cut = &rep.Problems[i]
			}
		}
		// Either the search stopped at the budget (its candidates count
		// against it), or records it found were not kept.
		if cut == nil || cut.Input != "mmssms.db" || !strings.Contains(cut.Message, "memory budget") ||
			!(strings.Contains(cut.Message, "mmssms.db#") || strings.Contains(cut.Message, "deleted-record search in mmssms.db stopped")) {
			t.Fatalf("no record-budget problem naming the database (and the first record not kept, or where the search stopped): %+v", rep.Problems)
		}
		again, err := report.Encode(run(mid))
		if err != nil {
			t.Fatal(err)
		}
		first, _ := report.Encode(rep)
		if string(first) != string(again) {
			t.Error("two runs with the same budget differ")
		}
		return
	}
}
