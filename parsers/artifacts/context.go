package artifacts

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// Context is the state of one inspection run that modules write into.
// Modules are called one at a time; Context is not safe for concurrent use.
type Context struct {
	Report *report.Report
	state  map[string]any

	// The memory budget (SetBudget): bytes the records are estimated to
	// take plus what the run holds beside them (Hold).
	budget, used int64
	file         *container.File // the file being read (Reading)
	overFiles    map[string]bool // files with a record-budget problem

	memCheck  func() // SetMemoryCheck
	nextCheck int64  // c.used at which memCheck is called next

	extras [2]map[string]map[string]string // shareExtra's maps by their content: messages', calls'
	keyBuf []byte
}

// MemoryCheckEvery is how many bytes of records are kept between two calls
// of the SetMemoryCheck function.
const MemoryCheckEvery = 4 << 20

// SetMemoryCheck sets fn to be called each time another MemoryCheckEvery
// bytes of records have been kept: the run's records are what grows its
// live memory, so a caller that paces the garbage collector by what is live
// (the page: wasm/gctune.go) hears of it in time.
func (c *Context) SetMemoryCheck(fn func()) {
	c.memCheck = fn
	c.nextCheck = c.used + MemoryCheckEvery
}

// NewContext returns a Context writing into r.
func NewContext(r *report.Report) *Context {
	return &Context{Report: r, state: map[string]any{}}
}

// State returns the run-wide value stored under key, creating it with mk on
// first use. Modules use it for cross-file state (owner numbers, SIM tables…).
func (c *Context) State(key string, mk func() any) any {
	v, ok := c.state[key]
	if !ok {
		v = mk()
		c.state[key] = v
	}
	return v
}

// CodeRecordBudget is the problem code of records not kept because the
// report reached the memory budget.
const CodeRecordBudget = "record-budget"

// maxBudgetProblems bounds the record-budget problems (one per file).
const maxBudgetProblems = 1000

// SetBudget bounds the memory the records may take: once the estimated bytes
// of the records added plus the bytes passed to Hold reach n, records are no
// longer kept (Add* return false) and a problem names each file they came
// from. n <= 0 means no bound. The estimate (see RecordBytes) depends only on
// the records, so the same inputs are cut at the same record everywhere.
func (c *Context) SetBudget(n int64) { c.budget = n }

// Hold counts n bytes the run holds beside the records (files spooled into
// memory) against the budget.
func (c *Context) Hold(n int64) { c.used += n }

// Budget returns the budget set by SetBudget.
func (c *Context) Budget() int64 { return c.budget }

// Used returns the bytes counted against the budget so far.
func (c *Context) Used() int64 { return c.used }

// Full reports whether the budget is reached: records added from now on are
// not kept. A module reading a long list stops when an Add* returns false.
func (c *Context) Full() bool { return c.budget > 0 && c.used >= c.budget }

// Reading tells the context which file the records that follow are read
// from (nil: none in particular), for the problem of a budget reached.
func (c *Context) Reading(f *container.File) { c.file = f }

// keep counts a record of n estimated bytes and reports whether it is kept.
func (c *Context) keep(n int64, source string) bool {
	if c.Full() {
		c.overBudget(source)
		return false
	}
	c.used += n
	if c.memCheck != nil && c.used >= c.nextCheck {
		c.nextCheck = c.used + MemoryCheckEvery
		c.memCheck()
	}
	return true
}

// overBudget reports, once per file, that records were not kept.
func (c *Context) overBudget(source string) {
	path, input := "", InputName(source)
	if c.file != nil {
		path, input = c.file.Path, InputName(c.file.Path)
	}
	if c.overFiles == nil {
		c.overFiles = map[string]bool{}
	}
	if c.overFiles[path] || len(c.overFiles) > maxBudgetProblems {
		return
	}
	c.overFiles[path] = true
	msg := fmt.Sprintf("the report reached its memory budget of %d MiB (records and files held in memory): records from here on were not kept, the first being %s; a larger budget (--max-memory) keeps them", c.budget>>20, source)
	if len(c.overFiles) > maxBudgetProblems {
		msg = fmt.Sprintf("the report reached its memory budget of %d MiB: records of more files were not kept (only the first %d files are listed)", c.budget>>20, maxBudgetProblems)
	}
	c.Report.Problems = append(c.Report.Problems, report.Problem{Input: input, Path: path, Code: CodeRecordBudget, Message: msg})
}

// Bounds of the Extra maps shareExtra shares: small ones only, and not
// more of them at a time than shareMaxMaps (then it starts again: the
// common ones come back at once).
const (
	shareMaxEntries = 8
	shareMaxKey     = 512
	shareMaxMaps    = 4096
)

// Tables of shareExtra.
const (
	shareMessages = iota
	shareCalls
)

// shareExtra returns a map equal to m that records added earlier may hold
// too: most records of a table have the same few vendor columns with the
// same values ({"creator": "com.android.mms", "advanced_seen": "3 (seen)"}
// for 85k of a generated dump's 110k messages), and each map costs ~300
// bytes. Measured on that 1 GiB dump (native): the live heap's peak 128–136
// → 107 MB, the finished report's 104 → 76 MB.
func (c *Context) shareExtra(table int, m map[string]string) map[string]string {
	if len(m) == 0 || len(m) > shareMaxEntries {
		return m
	}
	var keys [shareMaxEntries]string
	n := 0
	for k := range m {
		i := n
		for i > 0 && keys[i-1] > k {
			keys[i] = keys[i-1]
			i--
		}
		keys[i] = k
		n++
	}
	b := c.keyBuf[:0]
	for _, k := range keys[:n] {
		b = strconv.AppendInt(b, int64(len(k)), 10)
		b = append(b, ':')
		b = append(b, k...)
		v := m[k]
		b = strconv.AppendInt(b, int64(len(v)), 10)
		b = append(b, ':')
		b = append(b, v...)
		if len(b) > shareMaxKey {
			c.keyBuf = b
			return m
		}
	}
	c.keyBuf = b
	t := c.extras[table]
	if shared, ok := t[string(b)]; ok {
		return shared
	}
	if t == nil {
		t = map[string]map[string]string{}
		c.extras[table] = t
	}
	if len(t) >= shareMaxMaps {
		clear(t)
	}
	t[string(b)] = m
	return m
}

// AddMessage, AddContact, AddCall, AddIdentifier, AddPayload and
// AddRecovered append a record and report whether it was kept: false once
// the memory budget is reached (see SetBudget). The Extra map of a message or
// a call added may be shared with other records from then on: it must not
// be changed after. (A contact's may: contacts rebuilt from free space get
// notes added later.)
func (c *Context) AddMessage(m report.Message) bool {
	if !c.keep(MessageBytes(&m), m.Source) {
		return false
	}
	m.Extra = c.shareExtra(shareMessages, m.Extra)
	c.Report.Messages = append(c.Report.Messages, m)
	return true
}

// ReserveMessages makes room in the report for the rows of tables ts of db
// (their row counts, which Count remembers) before they are added as
// messages: a large slice grown by appending is reallocated by a quarter at
// a time, ~5× its final size allocated in all, which in wasm is garbage
// collection time. No more room is made than the budget has left.
func (c *Context) ReserveMessages(db *sqlite.DB, ts ...*sqlite.Table) {
	c.Report.Messages = reserve(c.Report.Messages, rowsHint(db, ts), messageBytes, c)
}

// ReserveCalls is ReserveMessages for calls.
func (c *Context) ReserveCalls(db *sqlite.DB, ts ...*sqlite.Table) {
	c.Report.Calls = reserve(c.Report.Calls, rowsHint(db, ts), callBytes, c)
}

func rowsHint(db *sqlite.DB, ts []*sqlite.Table) int {
	var sum int64
	for _, t := range ts {
		if db == nil || t == nil {
			continue
		}
		if n, err := db.Count(t); err == nil && n > 0 {
			sum += n
		}
	}
	return int(min(sum, 1<<26))
}

// reserve grows s's capacity to hold n more elements of about size budget
// bytes each, as far as c's budget has room for them.
func reserve[T any](s []T, n int, size int64, c *Context) []T {
	if c.budget > 0 {
		n = int(min(int64(n), max(c.budget-c.used, 0)/size))
	}
	if n <= cap(s)-len(s) {
		return s
	}
	return slices.Grow(s, n)
}

func (c *Context) AddContact(m report.Contact) bool {
	if !c.keep(ContactBytes(&m), m.Source) {
		return false
	}
	c.Report.Contacts = append(c.Report.Contacts, m)
	return true
}

func (c *Context) AddCall(m report.Call) bool {
	if !c.keep(CallBytes(&m), m.Source) {
		return false
	}
	m.Extra = c.shareExtra(shareCalls, m.Extra)
	c.Report.Calls = append(c.Report.Calls, m)
	return true
}

func (c *Context) AddIdentifier(m report.Identifier) bool {
	if !c.keep(identifierBytes+strBytes(m.Kind)+strBytes(m.Value)+strBytes(m.Label)+mapBytes(m.Details)+strBytes(m.Source), m.Source) {
		return false
	}
	c.Report.Identifiers = append(c.Report.Identifiers, m)
	return true
}

func (c *Context) AddPayload(p report.Payload) bool {
	if !c.keep(payloadBytes+strBytes(p.Path)+strBytes(p.Package)+strBytes(p.Feature)+strBytes(p.Format)+int64(len(p.Tree))+strBytes(p.Note), p.Path) {
		return false
	}
	c.Report.Payloads = append(c.Report.Payloads, p)
	return true
}

func (c *Context) AddRecovered(r report.Recovered) bool {
	n := recoveredBytes + strBytes(r.Source) + strBytes(r.File) + int64(len(r.Values))*sliceElem
	for _, v := range r.Values {
		n += int64(len(v)) + allocSlack
	}
	if r.RowID != nil {
		n += wordAlloc
	}
	if !c.keep(n, SourceRecoveredOf(r)) {
		return false
	}
	c.Report.Recovered = append(c.Report.Recovered, r)
	return true
}

// SourceRecoveredOf names a recovered record in a problem.
func SourceRecoveredOf(r report.Recovered) string {
	return r.Database + "#" + r.Table + "@" + r.Source + ",p" + strconv.FormatInt(r.Page, 10) + "+" + strconv.FormatInt(r.Offset, 10)
}

// Problem records a problem with file f. offset < 0 means no offset.
func (c *Context) Problem(f *container.File, offset int64, code, format string, args ...any) {
	p := report.Problem{Input: InputName(f.Path), Path: f.Path, Code: code, Message: fmt.Sprintf(format, args...)}
	if offset >= 0 {
		p.Offset = &offset
	}
	c.Report.Problems = append(c.Report.Problems, p)
}

// InputName returns the first segment of a provenance path: the name of the
// input the path starts in.
func InputName(path string) string {
	if i := strings.IndexAny(path, "/!"); i >= 0 {
		return path[:i]
	}
	return path
}

// SourceRow is the source of a record read from an SQLite table row:
// "<path>#<table>:<rowid>".
func SourceRow(f *container.File, table string, rowid int64) string {
	return f.Path + "#" + table + ":" + strconv.FormatInt(rowid, 10)
}

// SourceItem is the source of the n-th record (0-based) of a file that holds
// a list ("<path>#<what>[n]"), e.g. the 3rd <sms> element of an XML backup.
func SourceItem(f *container.File, what string, n int) string {
	return f.Path + "#" + what + "[" + strconv.Itoa(n) + "]"
}

// SourceOffset is the source of a record found at a byte offset: "<path>@<offset>".
func SourceOffset(f *container.File, offset int64) string {
	return f.Path + "@" + strconv.FormatInt(offset, 10)
}

// SourceRecovered is the source of a record recovered from a database:
// "<path>#<table>:<rowid or ?>@<where>,p<page>+<offset>", where is
// freeblock, unallocated, unreferenced, freelist, journal or wal-frame-N.
func SourceRecovered(f *container.File, table string, rowid *int64, where string, page uint32, offset int64) string {
	id := "?"
	if rowid != nil {
		id = strconv.FormatInt(*rowid, 10)
	}
	return f.Path + "#" + table + ":" + id + "@" + strings.ReplaceAll(where, " ", "-") + ",p" + strconv.FormatUint(uint64(page), 10) + "+" + strconv.FormatInt(offset, 10)
}

// RecoveredNote describes a recovered row for a record's Extra: its
// confidence and the columns whose values could not be recovered.
func RecoveredNote(t *sqlite.Table, rr RecoveredRow) string {
	note := "confidence " + strconv.FormatFloat(rr.Confidence, 'f', 2, 64)
	var missing []string
	for i, m := range rr.Missing {
		if m && i < len(t.Columns) {
			missing = append(missing, t.Columns[i].Name)
		}
	}
	if len(missing) > 0 {
		note += "; not recovered: " + strings.Join(missing, ", ")
	}
	return note
}
