// Package inspect runs a whole inspection: it walks the inputs through the
// containers, hands every file to the artifact modules that want it, opens
// SQLite databases (with their -wal) for the database modules, and returns
// the finished report. The CLI and the wasm adapter both call Run, so they
// write the same report for the same inputs.
package inspect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"sort"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	_ "github.com/backupinspector/backupinspector/parsers/artifacts/all" // register every module
	"github.com/backupinspector/backupinspector/parsers/artifacts/apps"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/sqlite"
	sqlrecover "github.com/backupinspector/backupinspector/parsers/sqlite/recover"
)

// DefaultMemoryBudget is the memory the inspection may use for spooled
// databases and buffered files when Options.MemoryBudget is 0.
const DefaultMemoryBudget = 512 << 20

// Options control a run.
type Options struct {
	// Password is asked for encrypted backups; nil means none is known.
	Password func(req container.PasswordRequest) (string, bool)
	// OnProgress receives progress of the current input.
	OnProgress func(p container.Progress)
	// MemoryBudget bounds the bytes held in memory for databases found
	// inside archives (they need random access) and for files that several
	// modules read. 0 means DefaultMemoryBudget.
	MemoryBudget int64
	// Container guards; zero values take the container package defaults.
	MaxRatio      float64
	RatioMinBytes int64
	MaxTotalRatio float64
	TotalMinBytes int64
	MaxDepth      int
	MaxEntries    int
	// NoRecover skips the search for deleted and superseded SQLite records
	// (report.recovered and the recovered part of report.deleted).
	NoRecover bool
	// DatabasesOnly finds the databases and their sidecars (the Session)
	// and reads none of them: no summary in report.databases, no database
	// module, no deleted-record search — for a run whose only use is a
	// database browser on the Session (the page's worker that took a
	// report over). Files are still walked and file modules still run.
	DatabasesOnly bool
	// SpoolLimit bounds the bytes of databases and zips found inside
	// streams that are held in memory for random access; 0 means a quarter
	// of the memory budget.
	SpoolLimit int64
	// NewHash, if set, makes the SHA-256 hashes of files (see
	// container.Options.NewHash).
	NewHash func() hash.Hash
	// Spool, if set, holds databases that must be read at random but come
	// from a stream out of memory (container.Options.Spool).
	Spool func(size int64) (SpoolFile, error)
	// MemoryCheck, if set, is called each time another
	// artifacts.MemoryCheckEvery bytes of records have been kept (see
	// artifacts.Context.SetMemoryCheck).
	MemoryCheck func()
}

// limits resolves the defaults of o.
func (o Options) limits() report.Limits {
	l := report.Limits{MaxRatio: o.MaxRatio, RatioMinBytes: o.RatioMinBytes, MaxTotalRatio: o.MaxTotalRatio, TotalMinBytes: o.TotalMinBytes, MaxDepth: o.MaxDepth, MaxEntries: o.MaxEntries, SpoolLimit: o.SpoolLimit, MemoryBudget: o.MemoryBudget}
	if l.MemoryBudget <= 0 {
		l.MemoryBudget = DefaultMemoryBudget
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = container.DefaultMaxRatio
	}
	if l.RatioMinBytes <= 0 {
		l.RatioMinBytes = container.DefaultRatioMinBytes
	}
	if l.MaxTotalRatio <= 0 {
		l.MaxTotalRatio = container.DefaultMaxTotalRatio
	}
	if l.TotalMinBytes <= 0 {
		l.TotalMinBytes = container.DefaultTotalMinBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = container.DefaultMaxDepth
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = container.DefaultMaxEntries
	}
	if l.SpoolLimit <= 0 {
		l.SpoolLimit = l.MemoryBudget / 2
	}
	return l
}

// Session keeps what a finished run can still be asked about: the
// databases it found, for a database browser.
type Session struct {
	dbs   map[string]*dbFile
	order []string // the paths in the order found
}

type dbFile struct {
	file    *container.File
	data    io.ReaderAt
	size    int64
	wal     *spooled
	journal *spooled
}

// A SpoolFile holds a file's bytes out of memory (container.SpoolFile).
type SpoolFile = container.SpoolFile

type spooled struct {
	file *container.File
	data io.ReaderAt
	size int64
}

// A SessionDB is where a database found by a run, and its sidecars, can be
// read: what a Session holds for each. Sources and NewSession move a
// Session to where the run's memory is not (the page's fresh worker after
// the hand-over: the bytes are parts of the inputs or copies).
type SessionDB struct {
	Path        string
	Data        io.ReaderAt
	Size        int64
	WAL         io.ReaderAt // nil: none
	WALSize     int64
	Journal     io.ReaderAt // nil: none
	JournalSize int64
}

// Sources returns where the databases are, in the order they were found.
func (s *Session) Sources() []SessionDB {
	out := make([]SessionDB, 0, len(s.dbs))
	for _, p := range s.order {
		d := s.dbs[p]
		db := SessionDB{Path: p, Data: d.data, Size: d.size}
		if d.wal != nil {
			db.WAL, db.WALSize = d.wal.data, d.wal.size
		}
		if d.journal != nil {
			db.Journal, db.JournalSize = d.journal.data, d.journal.size
		}
		out = append(out, db)
	}
	return out
}

// NewSession makes a Session over databases known from an earlier one
// (Sources): Open opens them as that Session did.
func NewSession(dbs []SessionDB) *Session {
	s := &Session{dbs: make(map[string]*dbFile, len(dbs))}
	for _, db := range dbs {
		if _, dup := s.dbs[db.Path]; dup || db.Data == nil {
			continue
		}
		d := &dbFile{data: db.Data, size: db.Size}
		if db.WAL != nil {
			d.wal = &spooled{data: db.WAL, size: db.WALSize}
		}
		if db.Journal != nil {
			d.journal = &spooled{data: db.Journal, size: db.JournalSize}
		}
		s.dbs[db.Path] = d
		s.order = append(s.order, db.Path)
	}
	return s
}

// Databases returns the provenance paths of the databases found, sorted.
func (s *Session) Databases() []string {
	var out []string
	for p := range s.dbs {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// Open opens a database found by the run, with its WAL unless noWAL.
func (s *Session) Open(path string, noWAL bool) (*sqlite.DB, error) {
	d, ok := s.dbs[path]
	if !ok {
		return nil, fmt.Errorf("no database %q in this inspection", path)
	}
	return d.open(noWAL)
}

func (d *dbFile) open(noWAL bool) (*sqlite.DB, error) {
	opts := &sqlite.Options{NoWAL: noWAL}
	if d.wal != nil && !noWAL {
		opts.WAL, opts.WALSize = d.wal.data, d.wal.size
	}
	if d.journal != nil {
		opts.Journal, opts.JournalSize = d.journal.data, d.journal.size
	}
	return sqlite.Open(d.data, d.size, opts)
}

// Run inspects inputs and returns the finished report and a session over
// the databases found. An error is returned only when the run as a whole
// could not happen (cancelled); problems with single inputs are in the
// report.
func Run(ctx context.Context, inputs []container.Input, opts Options) (*report.Report, *Session, error) {
	lim := opts.limits()
	budget := lim.MemoryBudget - lim.SpoolLimit
	rep := report.New()
	rep.Limits = lim
	actx := artifacts.NewContext(rep)
	// Records, and the files spooled into memory, count against the
	// memory budget: past it records are not kept (a problem names the file).
	actx.SetBudget(lim.MemoryBudget)
	if opts.MemoryCheck != nil {
		actx.SetMemoryCheck(opts.MemoryCheck)
	}
	sess := &Session{dbs: map[string]*dbFile{}}
	r := &runner{ctx: actx, sess: sess, budget: budget, side: map[string]*spooled{}, noRecover: opts.NoRecover, dbOnly: opts.DatabasesOnly}

	copts := container.Options{
		Password:      opts.Password,
		OnProgress:    opts.OnProgress,
		MaxRatio:      lim.MaxRatio,
		RatioMinBytes: lim.RatioMinBytes,
		MaxTotalRatio: lim.MaxTotalRatio,
		TotalMinBytes: lim.TotalMinBytes,
		MaxDepth:      lim.MaxDepth,
		MaxEntries:    lim.MaxEntries,
		SpoolLimit:    lim.SpoolLimit,
		Spool:         opts.Spool,
		NewHash:       opts.NewHash,
		OnContainer: func(c *container.ContainerInfo) {
			if c.MIUI != nil {
				apps.AddMIUIHeader(actx, c.Path, c.MIUI)
			}
		},
		OnProblem: func(p container.Problem) {
			rp := report.Problem{Input: p.Input, Path: p.Path, Code: p.Code, Message: p.Message, Warning: p.Warning}
			if p.Offset >= 0 {
				off := p.Offset
				rp.Offset = &off
			}
			rep.Problems = append(rep.Problems, rp)
		},
	}
	inputs = append([]container.Input(nil), inputs...)
	for i := range inputs {
		// A copy (the SHA-256 funcs are set on it), in the walk's order.
		inputs[i].Files = append([]container.InputFile(nil), inputs[i].Files...)
		sort.SliceStable(inputs[i].Files, func(a, b int) bool { return inputs[i].Files[a].Path < inputs[i].Files[b].Path })
	}
	stopHash := hashInputsInParallel(ctx, inputs)
	res, err := container.Walk(ctx, inputs, copts, r.visit)
	stopHash()
	if res != nil {
		for _, in := range res.Inputs {
			rep.Inputs = append(rep.Inputs, report.Input{Name: in.Name, Size: in.Size, SHA256: in.SHA256, Format: in.Format})
		}
		for _, set := range res.MIUISets {
			apps.AddDescript(actx, set.Path, set.Descript)
		}
		for _, e := range res.Entries {
			rep.Files = append(rep.Files, report.File{Path: e.Path, Size: e.Size, SHA256: e.SHA256, Format: e.Format, Container: e.Container})
		}
	}
	if err != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)) {
		return nil, nil, err
	}
	if err != nil {
		rep.Problems = append(rep.Problems, report.Problem{Code: "walk", Message: err.Error()})
	}
	r.databases()
	sess.order = r.order
	actx.Reading(nil)
	for _, m := range artifacts.Modules() {
		if fin, ok := m.(artifacts.Finisher); ok {
			if err := fin.Finish(actx); err != nil {
				rep.Problems = append(rep.Problems, report.Problem{Code: "module", Message: m.Name() + ": " + err.Error()})
			}
		}
	}
	report.Finalize(rep)
	return rep, sess, nil
}

type runner struct {
	noRecover bool
	dbOnly    bool // Options.DatabasesOnly
	ctx       *artifacts.Context
	sess      *Session
	budget    int64
	used      int64
	// side holds -wal and -journal files by provenance path until their
	// database is opened.
	side  map[string]*spooled
	order []string // database paths in the order found
}

func isSidecar(name string) (base, kind string) {
	for _, suf := range []string{"-wal", "-journal"} {
		if strings.HasSuffix(name, suf) && len(name) > len(suf) {
			return strings.TrimSuffix(name, suf), suf[1:]
		}
	}
	return "", ""
}

func (r *runner) visit(f *container.File, rd io.Reader) error {
	// Its line in the list of files counts against the memory budget.
	r.ctx.Hold(int64(len(f.Path)) + container.ListEntryCost)
	if _, kind := isSidecar(f.Name); kind != "" {
		if f.Size == 0 {
			return nil
		}
		sp, err := r.spool(f, rd)
		if err != nil {
			r.ctx.Problem(f, -1, "too-large", "%s file not read: %v", kind, err)
			return nil
		}
		r.side[f.Path] = sp
		return nil
	}
	if f.Format == container.FormatSQLite {
		sp, err := r.spool(f, rd)
		if err != nil {
			r.ctx.Problem(f, -1, "too-large", "database not read: %v", err)
			return nil
		}
		r.sess.dbs[f.Path] = &dbFile{file: f, data: sp.data, size: sp.size}
		r.order = append(r.order, f.Path)
		return nil
	}
	mods := artifacts.FileModules(f)
	switch len(mods) {
	case 0:
		return nil
	case 1:
		return r.extract(mods[0], f, rd)
	}
	// Several modules want the same file: buffer it once within the budget.
	sp, err := r.spool(f, rd)
	if err != nil {
		r.ctx.Problem(f, -1, "too-large", "file not read: %v", err)
		return nil
	}
	for _, m := range mods {
		if err := r.extract(m, f, io.NewSectionReader(sp.data, 0, sp.size)); err != nil {
			return err
		}
	}
	return nil
}

func (r *runner) extract(m artifacts.FileModule, f *container.File, rd io.Reader) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.ctx.Problem(f, -1, "module-panic", "%s: internal error: %v", m.Name(), p)
			err = nil
		}
	}()
	r.ctx.Reading(f)
	if err := m.Extract(r.ctx, f, rd); err != nil {
		if errors.Is(err, context.Canceled) {
			return err
		}
		r.ctx.Problem(f, -1, "extract", "%s: %v", m.Name(), err)
	}
	return nil
}

// spool makes f randomly readable: the file's own ReaderAt when it has one,
// else its bytes in memory within the budget.
func (r *runner) spool(f *container.File, rd io.Reader) (*spooled, error) {
	if f.ReaderAt != nil {
		return &spooled{file: f, data: f.ReaderAt, size: f.Size}, nil
	}
	if f.Size >= 0 && r.used+f.Size > r.budget {
		return nil, fmt.Errorf("%d bytes exceed the memory budget (%d bytes left)", f.Size, r.budget-r.used)
	}
	limit := r.budget - r.used
	var buf bytes.Buffer
	if f.Size > 0 {
		buf.Grow(int(f.Size))
	}
	n, err := io.Copy(&buf, io.LimitReader(rd, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, fmt.Errorf("file exceeds the memory budget of %d bytes", r.budget)
	}
	r.used += n
	r.ctx.Hold(n)
	b := buf.Bytes()
	return &spooled{file: f, data: bytes.NewReader(b), size: int64(len(b))}, nil
}

// databases opens every database found, with its sidecars, summarises it
// and runs the database modules that want it.
func (r *runner) databases() {
	for _, p := range r.order {
		d := r.sess.dbs[p]
		d.wal = r.side[p+"-wal"]
		d.journal = r.side[p+"-journal"]
		if r.dbOnly {
			continue
		}
		db, err := d.open(false)
		if err != nil {
			r.ctx.Problem(d.file, -1, "sqlite", "cannot open database: %v", err)
			continue
		}
		sum := summarise(d, db)
		mods := artifacts.DBModules(d.file, db)
		for _, m := range mods {
			if sum.Extractor == "" {
				sum.Extractor = m.Name()
			} else {
				sum.Extractor += ", " + m.Name()
			}
			r.extractDB(m, d.file, db)
		}
		if !r.noRecover {
			r.recoverDeleted(d, db, mods)
		}
		for _, e := range db.Problems() {
			r.ctx.Problem(d.file, -1, "sqlite", "%v", e)
		}
		r.ctx.Report.Databases = append(r.ctx.Report.Databases, sum)
	}
}

// MinRecoveredConfidence is the confidence below which recovered records
// are not reported: below it a candidate is more likely noise than a row.
const MinRecoveredConfidence = 0.5

// recoverDeleted searches db for deleted and superseded rows, reports them
// in report.recovered, and hands the deleted rows of the modules' tables to
// the modules that map them to records (report.deleted).
func (r *runner) recoverDeleted(d *dbFile, db *sqlite.DB, mods []artifacts.DBModule) {
	opts := sqlrecover.Options{MinConfidence: MinRecoveredConfidence}
	if d.journal != nil {
		opts.Journal, opts.JournalSize = d.journal.data, d.journal.size
	}
	r.ctx.Reading(d.file)
	if r.ctx.Full() {
		r.ctx.Problem(d.file, -1, artifacts.CodeRecordBudget, "deleted-record recovery not run: the report reached its memory budget of %d MiB", r.ctx.Budget()>>20)
		return
	}
	if b := r.ctx.Budget(); b > 0 {
		// The records the search holds take at most half of what is left
		// of the budget (the report records made from them are in memory
		// beside them); past it the search stops, at the same record on
		// every run.
		opts.MaxBytes = max((b-r.ctx.Used())/2, 1)
	}
	recs, err := safeRecover(db, opts)
	switch {
	case errors.Is(err, sqlrecover.ErrLimit):
		r.ctx.Problem(d.file, -1, artifacts.CodeRecordBudget, "deleted-record search in %s stopped at the memory budget (%s) after %d records; raise --max-memory to search the whole database", d.file.Path, budgetString(r.ctx.Budget()), len(recs))
	case err != nil:
		r.ctx.Problem(d.file, -1, "recovery", "deleted-record recovery incomplete: %v", err)
	}
	byTable := map[string][]artifacts.RecoveredRow{}
	for _, rec := range recs {
		vals := make([]json.RawMessage, len(rec.Values))
		for i, v := range rec.Values {
			if i < len(rec.Missing) && rec.Missing[i] {
				vals[i] = json.RawMessage(`{"missing":true}`)
				continue
			}
			vals[i] = json.RawMessage(v.AppendJSON(nil))
		}
		if !r.ctx.AddRecovered(report.Recovered{
			Database: d.file.Path, Table: rec.Table, RowID: rec.RowID, Values: vals, Columns: rec.Columns,
			Source: rec.Source, File: rec.File, Page: int64(rec.Page), Offset: rec.Offset,
			Confidence: rec.Confidence, Superseded: rec.Superseded, Dropped: rec.Dropped,
		}) {
			break // memory budget reached (a problem says so)
		}
		if rec.Superseded || rec.Dropped {
			continue
		}
		row := sqlite.Row{Values: rec.Values}
		if rec.RowID != nil {
			row.RowID, row.HasRowID = *rec.RowID, true
		}
		key := strings.ToLower(rec.Table)
		byTable[key] = append(byTable[key], artifacts.RecoveredRow{
			Row: row, Missing: rec.Missing, Confidence: rec.Confidence,
			Source: artifacts.SourceRecovered(d.file, rec.Table, rec.RowID, rec.Source, rec.Page, rec.Offset),
		})
	}
	if len(byTable) == 0 {
		return
	}
	for _, m := range mods {
		rm, ok := m.(artifacts.RecoveredModule)
		if !ok {
			continue
		}
		for _, t := range db.Tables() {
			rows := byTable[strings.ToLower(t.Name)]
			if len(rows) == 0 {
				continue
			}
			func() {
				defer func() {
					if p := recover(); p != nil {
						r.ctx.Problem(d.file, -1, "module-panic", "%s: internal error on recovered rows: %v", m.Name(), p)
					}
				}()
				if err := rm.ExtractRecovered(r.ctx, d.file, db, t, rows); err != nil {
					r.ctx.Problem(d.file, -1, "extract", "%s (recovered rows): %v", m.Name(), err)
				}
			}()
		}
	}
}

// budgetString writes a memory budget in MiB, or KiB below 1 MiB; "none"
// when there is none (Recover's own limit applies).
func budgetString(n int64) string {
	switch {
	case n <= 0:
		return fmt.Sprintf("none: recovery's own limit of %d MiB", sqlrecover.DefaultMaxBytes>>20)
	case n < 1<<20:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d MiB", n>>20)
}

// safeRecover runs the recovery engine, turning a panic into an error.
func safeRecover(db *sqlite.DB, opts sqlrecover.Options) (recs []sqlrecover.Record, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: %v", p)
		}
	}()
	return sqlrecover.Recover(db, opts)
}

func (r *runner) extractDB(m artifacts.DBModule, f *container.File, db *sqlite.DB) {
	defer func() {
		if p := recover(); p != nil {
			r.ctx.Problem(f, -1, "module-panic", "%s: internal error: %v", m.Name(), p)
		}
	}()
	r.ctx.Reading(f)
	if err := m.ExtractDB(r.ctx, f, db); err != nil {
		r.ctx.Problem(f, -1, "extract", "%s: %v", m.Name(), err)
	}
}

func summarise(d *dbFile, db *sqlite.DB) report.Database {
	h := db.Header()
	sum := report.Database{Path: d.file.Path, PageSize: h.PageSize, Encoding: db.Encoding().String(), Journal: d.journal != nil}
	if d.wal != nil {
		wi := db.WALInfo()
		sum.WAL = &report.WALSummary{Path: d.wal.file.Path, Frames: wi.FramesTotal, ValidFrames: wi.ValidFrames, Commits: wi.Commits}
	}
	var main *sqlite.DB
	if d.wal != nil {
		main, _ = d.open(true)
	}
	for _, t := range db.Tables() {
		dt := report.DatabaseTable{Name: t.Name, Type: t.Type}
		for _, c := range t.Columns {
			dt.Columns = append(dt.Columns, c.Name)
		}
		dt.Rows = countRows(db, t)
		if main != nil {
			if mt := main.Table(t.Name); mt != nil {
				if n := countRows(main, mt); n != dt.Rows {
					dt.RowsMainOnly = &n
				}
			} else {
				var zero int64
				dt.RowsMainOnly = &zero
			}
		}
		sum.Tables = append(sum.Tables, dt)
	}
	return sum
}

func countRows(db *sqlite.DB, t *sqlite.Table) int64 {
	if t.Type == "virtual" {
		return 0
	}
	n, _ := db.Count(t)
	return n
}
