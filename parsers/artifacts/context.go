package artifacts

import (
	"fmt"
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

// AddMessage, AddContact, AddCall and AddIdentifier append records.
func (c *Context) AddMessage(m report.Message) { c.Report.Messages = append(c.Report.Messages, m) }
func (c *Context) AddContact(m report.Contact) { c.Report.Contacts = append(c.Report.Contacts, m) }
func (c *Context) AddCall(m report.Call)       { c.Report.Calls = append(c.Report.Calls, m) }
func (c *Context) AddIdentifier(m report.Identifier) {
	c.Report.Identifiers = append(c.Report.Identifiers, m)
}
func (c *Context) AddPayload(p report.Payload) { c.Report.Payloads = append(c.Report.Payloads, p) }

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
