//go:build !js

package recover

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// score is the outcome of one scenario.
type score struct {
	reported     int // records returned
	correct      int // every value present equals a deleted/superseded version
	falsePos     int // consistent with no version at all
	liveReported int // consistent with a live row
	mislabel     int // Superseded wrong
	partial      int // correct records missing more than the first column
	delSurv      int // deleted versions whose bytes survive
	delFound     int
	supSurv      int // superseded versions whose bytes survive
	supFound     int
	delTotal     int
	supTotal     int
	elapsed      time.Duration
}

func (s score) precision() float64 {
	if s.reported == 0 {
		return 1
	}
	return float64(s.correct) / float64(s.reported)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func (s *score) add(o score) {
	s.reported += o.reported
	s.correct += o.correct
	s.falsePos += o.falsePos
	s.liveReported += o.liveReported
	s.mislabel += o.mislabel
	s.partial += o.partial
	s.delSurv += o.delSurv
	s.delFound += o.delFound
	s.supSurv += o.supSurv
	s.supFound += o.supFound
	s.delTotal += o.delTotal
	s.supTotal += o.supTotal
	s.elapsed += o.elapsed
}

// openFiles opens generated files with the reader (WAL applied).
func openFiles(t testing.TB, f files) *sqlite.DB {
	t.Helper()
	o := &sqlite.Options{}
	if f.wal != nil {
		o.WAL, o.WALSize = bytes.NewReader(f.wal), int64(len(f.wal))
	}
	if f.journal != nil {
		o.Journal, o.JournalSize = bytes.NewReader(f.journal), int64(len(f.journal))
	}
	db, err := sqlite.Open(bytes.NewReader(f.db), int64(len(f.db)), o)
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func recoverFiles(t testing.TB, f files) []Record {
	t.Helper()
	db := openFiles(t, f)
	opts := Options{}
	if f.journal != nil {
		opts.Journal, opts.JournalSize = bytes.NewReader(f.journal), int64(len(f.journal))
	}
	recs, err := Recover(db, opts)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// consistent: every value r has equals tr's, and a known rowid is tr's.
func consistent(r *Record, tr *truthRow) bool {
	if len(r.Values) != len(tr.vals) {
		return false
	}
	if r.RowID != nil && *r.RowID != tr.rowid {
		return false
	}
	for i, v := range r.Values {
		if !r.Missing[i] && !v.Equal(tr.vals[i]) {
			return false
		}
	}
	return true
}

// evaluate scores records against the truth with the matching rule of
// issue 9: a record matches a true row when every value it has equals the
// truth and at most the first column is missing.
func evaluate(t testing.TB, name string, recs []Record, truth []*truthRow) score {
	var s score
	byTable := map[string][]*truthRow{}
	for _, tr := range truth {
		byTable[tr.table] = append(byTable[tr.table], tr)
		if !tr.live {
			if tr.rowidLive {
				s.supTotal++
			} else {
				s.delTotal++
			}
		}
	}
	matched := map[*truthRow]bool{}
	shown := 0
	for i := range recs {
		r := &recs[i]
		s.reported++
		extraMissing := false
		for c, m := range r.Missing {
			if m && c > 0 {
				extraMissing = true
			}
		}
		var live, old []*truthRow
		for _, tr := range rowsFor(r, byTable) {
			if consistent(r, tr) {
				if tr.live {
					live = append(live, tr)
				} else {
					old = append(old, tr)
				}
			}
		}
		switch {
		case len(live) > 0:
			s.liveReported++
			if shown < 10 {
				shown++
				t.Errorf("%s: live row reported: %s", name, recJSON(r))
			}
		case len(old) > 0:
			s.correct++
			if extraMissing {
				s.partial++
			} else {
				for _, tr := range old {
					matched[tr] = true
				}
			}
			if r.RowID != nil && r.Superseded != old[0].rowidLive {
				s.mislabel++
				if shown < 10 {
					shown++
					t.Errorf("%s: superseded=%v but rowid live=%v: %s", name, r.Superseded, old[0].rowidLive, recJSON(r))
				}
			}
		default:
			s.falsePos++
			if shown < 10 {
				shown++
				t.Logf("%s: false positive (%s): %s%s", name, r.how, recJSON(r), nearest(r, rowsFor(r, byTable)))
			}
		}
	}
	for _, tr := range truth {
		if tr.live || !tr.survives {
			continue
		}
		if tr.rowidLive {
			s.supSurv++
			if matched[tr] {
				s.supFound++
			}
		} else {
			s.delSurv++
			if matched[tr] {
				s.delFound++
			} else if os.Getenv("BI_RECOVER_VERBOSE") != "" {
				t.Logf("%s: missed deleted %s rowid %d: %v", name, tr.table, tr.rowid, valsString(tr.vals))
			}
		}
	}
	return s
}

// rowsFor returns the truth rows a record may match: those of its table,
// or, for a table known only from its records (no name), those of every
// table with as many columns.
func rowsFor(r *Record, byTable map[string][]*truthRow) []*truthRow {
	if r.Table != "" {
		return byTable[r.Table]
	}
	var out []*truthRow
	for _, trs := range byTable {
		for _, tr := range trs {
			if len(tr.vals) == len(r.Values) {
				out = append(out, tr)
			}
		}
	}
	return out
}

// nearest describes the truth row closest to a false positive.
func nearest(r *Record, trs []*truthRow) string {
	best, bestN := (*truthRow)(nil), -1
	for _, tr := range trs {
		n := 0
		for i, v := range r.Values {
			if i < len(tr.vals) && !r.Missing[i] && v.Equal(tr.vals[i]) {
				n++
			}
		}
		if n > bestN {
			best, bestN = tr, n
		}
	}
	if best == nil {
		return ""
	}
	var diffs []string
	for i, v := range r.Values {
		if !r.Missing[i] && !v.Equal(best.vals[i]) {
			diffs = append(diffs, fmt.Sprintf("col %d: got %s want %s", i, trunc(v.String()), trunc(best.vals[i].String())))
		}
	}
	return fmt.Sprintf("\n\tnearest rowid %d live=%v: %s", best.rowid, best.live, strings.Join(diffs, "; "))
}

func recJSON(r *Record) string {
	b, _ := r.MarshalJSON()
	if len(b) > 400 && os.Getenv("BI_RECOVER_FULL") == "" {
		return string(b[:400]) + "…"
	}
	return string(b)
}

func valsString(vs []sqlite.Value) string {
	var parts []string
	for _, v := range vs {
		s := v.String()
		if len(s) > 40 {
			s = s[:40] + "…"
		}
		parts = append(parts, s)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func logScore(t testing.TB, name string, s score) {
	t.Logf("%-34s reported %4d  precision %.3f (fp %d, live %d, partial %d)  recall deleted %3d/%3d = %.3f (of %d deleted)  superseded %3d/%3d = %.3f  %v",
		name, s.reported, s.precision(), s.falsePos, s.liveReported, s.partial,
		s.delFound, s.delSurv, ratio(s.delFound, s.delSurv), s.delTotal,
		s.supFound, s.supSurv, ratio(s.supFound, s.supSurv), s.elapsed.Round(time.Millisecond))
}

// runScenario generates, recovers and scores one scenario, asserting the
// bars of issue 9.
func runScenario(t *testing.T, sc scenario) score {
	f, g := generate(t, sc)
	truth := g.truth(f)
	start := time.Now()
	recs := recoverFiles(t, f)
	el := time.Since(start)
	s := evaluate(t, sc.Name, recs, truth)
	s.elapsed = el
	logScore(t, sc.Name, s)
	if s.liveReported > 0 {
		t.Errorf("%s: %d live rows reported as deleted", sc.Name, s.liveReported)
	}
	if s.mislabel > 0 {
		t.Errorf("%s: %d records with a wrong Superseded flag", sc.Name, s.mislabel)
	}
	minP, minR := 0.99, 0.95 // the bars of issue 9
	if sc.MinPrecision > 0 {
		minP, minR = sc.MinPrecision, sc.MinRecall
	}
	if p := s.precision(); p < minP {
		t.Errorf("%s: precision %.3f < %.2f", sc.Name, p, minP)
	}
	if r := ratio(s.delFound, s.delSurv); r < minR {
		t.Errorf("%s: recall of surviving deleted rows %.3f < %.2f", sc.Name, r, minR)
	}
	return s
}

// quickScenarios run in every `go test`: each page size, encoding,
// auto-vacuum mode, secure_delete, journal mode and overflow appear at
// least once, plus the three Android databases.
func quickScenarios() []scenario {
	base := scenario{PageSize: 4096, Encoding: "UTF-8", AutoVacuum: "NONE", Journal: "delete", Schema: "generic", Rows: 60, Ops: 160, Seed: 1}
	var out []scenario
	// BI_RECOVER_SEED=n shifts every seed: the same scenarios with other
	// data, to check that tuning on the default seeds generalises.
	shift, _ := strconv.ParseInt(os.Getenv("BI_RECOVER_SEED"), 10, 64)
	add := func(name string, f func(s *scenario)) {
		s := base
		s.Name = name
		s.Seed = int64(len(out)+1) + shift*1000
		f(&s)
		out = append(out, s)
	}
	// Every scenario must reach the bars of issue 9 (precision >= 0.99,
	// recall >= 0.95) unless it has a floor of its own: regression guards
	// set just under the measured values (docs/recovery.md), where weak
	// signatures (kv: no rowid alias, first column text) and pages
	// rewritten by auto-vacuum or a PERSIST journal leave fewer records.
	floor := func(p, r float64) func(s *scenario) {
		return func(s *scenario) { s.MinPrecision, s.MinRecall = p, r }
	}
	add("generic/4k/utf8/rollback", floor(0.995, 0.95))
	add("generic/1k/utf16le/overflow", func(s *scenario) {
		s.PageSize, s.Encoding, s.Overflow = 1024, "UTF-16le", true
		floor(0.995, 0.97)(s)
	})
	add("generic/512/utf16be", func(s *scenario) { s.PageSize, s.Encoding = 512, "UTF-16be"; floor(0.995, 0.97)(s) })
	add("generic/2k/autovacuum-full", func(s *scenario) { s.PageSize, s.AutoVacuum = 2048, "FULL"; floor(0.995, 0.95)(s) })
	add("generic/4k/incremental/overflow", func(s *scenario) { s.AutoVacuum, s.Overflow = "INCREMENTAL", true; floor(0.995, 0.92)(s) })
	add("generic/4k/secure-delete", func(s *scenario) { s.SecureDelete = true })
	add("generic/4k/wal", func(s *scenario) { s.Journal = "wal"; floor(0.995, 0.95)(s) })
	add("generic/8k/wal/secure/overflow", func(s *scenario) {
		s.PageSize, s.Journal, s.SecureDelete, s.Overflow = 8192, "wal", true, true
		floor(0.995, 0.99)(s)
	})
	add("generic/4k/persist", func(s *scenario) { s.Journal = "persist"; floor(0.995, 0.95)(s) })
	add("generic/1k/persist/secure/utf16le", func(s *scenario) {
		s.PageSize, s.Journal, s.SecureDelete, s.Encoding = 1024, "persist", true, "UTF-16le"
		floor(0.995, 0.99)(s)
	})
	add("android/mmssms/wal", func(s *scenario) { s.Schema, s.Journal, s.Rows = "mmssms", "wal", 120; floor(0.995, 0.97)(s) })
	add("android/mmssms/rollback", func(s *scenario) { s.Schema, s.Rows = "mmssms", 120; floor(0.995, 0.975)(s) })
	add("android/contacts2/wal", func(s *scenario) { s.Schema, s.Journal, s.Rows = "contacts2", "wal", 80; floor(0.995, 0.975)(s) })
	add("android/calllog/wal", func(s *scenario) { s.Schema, s.Journal, s.Rows = "calllog", "wal", 120; floor(0.995, 0.975)(s) })
	add("android/calllog/rollback/utf16le", func(s *scenario) { s.Schema, s.Rows, s.Encoding = "calllog", 120, "UTF-16le"; floor(0.995, 0.98)(s) })
	return out
}

func TestScenarios(t *testing.T) {
	checkReadings, readingsChanged = true, 0
	defer func() { checkReadings = false }()
	var total score
	for _, sc := range quickScenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			s := runScenario(t, sc)
			total.add(s)
		})
	}
	logScore(t, "TOTAL", total)
	if readingsChanged > 0 {
		t.Errorf("%d readings of places in free space changed while they were being read", readingsChanged)
	}
	// The bars of issue 9 over all scenarios.
	if total.liveReported > 0 {
		t.Errorf("TOTAL: %d live rows reported as deleted", total.liveReported)
	}
	if p := total.precision(); p < 0.99 {
		t.Errorf("TOTAL: precision %.3f < 0.99", p)
	}
	if r := ratio(total.delFound, total.delSurv); r < 0.95 {
		t.Errorf("TOTAL: recall of surviving deleted rows %.3f < 0.95", r)
	}
}

// Test64K runs a database with 64 KiB pages (slow: every page is searched
// byte by byte). BI_RECOVER_SWEEP=1 runs it.
func Test64K(t *testing.T) {
	if os.Getenv("BI_RECOVER_SWEEP") == "" || testing.Short() {
		t.Skip("set BI_RECOVER_SWEEP=1 to run the 64 KiB page scenario")
	}
	runScenario(t, scenario{Name: "generic/64k/utf8/overflow", PageSize: 65536, Encoding: "UTF-8", AutoVacuum: "NONE",
		Journal: "delete", Overflow: true, Schema: "generic", Rows: 12, Ops: 40, Seed: 4, MinPrecision: 0.95, MinRecall: 0.75})
}

// TestScenarioSweep runs the whole matrix (page sizes × encodings ×
// auto-vacuum × secure_delete × journal modes, several seeds). It takes
// minutes: BI_RECOVER_SWEEP=1 go test -run Sweep -v ./parsers/sqlite/recover/
func TestScenarioSweep(t *testing.T) {
	if os.Getenv("BI_RECOVER_SWEEP") == "" || testing.Short() {
		t.Skip("set BI_RECOVER_SWEEP=1 to run the full scenario sweep")
	}
	var total score
	seed := int64(1000)
	perJournal := map[string]*score{}
	for _, ps := range []int{512, 1024, 4096, 8192, 65536} {
		for _, enc := range []string{"UTF-8", "UTF-16le", "UTF-16be"} {
			for _, av := range []string{"NONE", "FULL", "INCREMENTAL"} {
				for _, sd := range []bool{false, true} {
					for _, j := range []string{"delete", "persist", "wal"} {
						seed++
						sc := scenario{Name: fmt.Sprintf("generic/%d/%s/%s/sd=%v/%s", ps, enc, av, sd, j), PageSize: ps, Encoding: enc,
							AutoVacuum: av, SecureDelete: sd, Journal: j, Overflow: seed%2 == 0, Schema: "generic", Rows: 50, Ops: 120, Seed: seed}
						if ps == 65536 {
							sc.Rows = 30
						}
						t.Run(sc.Name, func(t *testing.T) {
							s := runScenario(t, sc)
							total.add(s)
							if perJournal[j] == nil {
								perJournal[j] = &score{}
							}
							perJournal[j].add(s)
						})
					}
				}
			}
		}
	}
	for _, schema := range []string{"mmssms", "contacts2", "calllog"} {
		for _, j := range []string{"delete", "persist", "wal"} {
			for k := 0; k < 3; k++ {
				seed++
				sc := scenario{Name: fmt.Sprintf("android/%s/%s/%d", schema, j, k), PageSize: 4096, Encoding: "UTF-8",
					AutoVacuum: "NONE", Journal: j, Schema: schema, Rows: 150, Ops: 200, Seed: seed}
				t.Run(sc.Name, func(t *testing.T) { total.add(runScenario(t, sc)) })
			}
		}
	}
	for j, s := range perJournal {
		logScore(t, "journal="+j, *s)
	}
	logScore(t, "TOTAL", total)
}
