//go:build !js

package inspect

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	_ "modernc.org/sqlite"
)

// The deleted-record search holds its records within what is left of the
// memory budget: with a budget that runs out during the search, it stops
// early, the records found so far are reported, a record-budget problem
// names the database and how many records were kept, and the same budget
// gives the same report on every run.
func TestRecoverStopsAtMemoryBudget(t *testing.T) {
	p := filepath.Join(t.TempDir(), "deleted.db")
	db, err := sql.Open("sqlite", p)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"PRAGMA secure_delete=OFF", "CREATE TABLE notes (_id INTEGER PRIMARY KEY, title TEXT, created INTEGER, body TEXT)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	tx, _ := db.Begin()
	for i := 1; i <= 3000; i++ {
		if _, err := tx.Exec("INSERT INTO notes (title, created, body) VALUES (?, ?, ?)", fmt.Sprintf("note %d", i), 1700000000+i, fmt.Sprintf("body of deleted note number %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("DELETE FROM notes"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	run := func(budget int64) *report.Report {
		t.Helper()
		rep, _, err := Run(context.Background(), []container.Input{fileInput(t, p)}, Options{MemoryBudget: budget})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	stopped := func(rep *report.Report) *report.Problem {
		for i, pr := range rep.Problems {
			if pr.Code == artifacts.CodeRecordBudget && strings.Contains(pr.Message, "deleted-record search in deleted.db stopped at the memory budget") {
				return &rep.Problems[i]
			}
		}
		return nil
	}
	all := run(0)
	if n := len(all.Recovered); n < 2000 || stopped(all) != nil {
		t.Fatalf("default budget: %d records recovered, problems %+v; want most of the 3000 deleted rows, no stop", n, all.Problems)
	}
	const budget = 512 << 10 // about 700 records
	rep := run(budget)
	pr := stopped(rep)
	if pr == nil || pr.Input != "deleted.db" {
		t.Fatalf("budget 512 KiB: no problem saying where the search stopped: %+v", rep.Problems)
	}
	n := len(rep.Recovered)
	if n == 0 || n >= len(all.Recovered)/2 || !strings.Contains(pr.Message, fmt.Sprintf("after %d records", n)) {
		t.Fatalf("budget 512 KiB: %d of %d records kept, problem %q", n, len(all.Recovered), pr.Message)
	}
	t.Logf("budget 512 KiB: %d of %d records; %s", n, len(all.Recovered), pr.Message)
	first, _ := report.Encode(rep)
	again, _ := report.Encode(run(budget))
	if string(first) != string(again) {
		t.Error("two runs with the same budget differ")
	}
}
