// Package artifacts is the registry of artifact extractors: modules that
// declare which files they want (by name, path, package or content) and turn
// them into report records. A new artifact family is one new module
// registered from its package's init; nothing else changes.
//
// Two kinds of module exist. A FileModule reads a file streamed out of the
// containers (XML, JSON, vCard, protobuf payloads…). A DBModule reads an
// SQLite database, opened with its -wal when one is beside it. A module that
// also implements Finisher runs once more after every input was read, for
// work across files.
package artifacts

import (
	"io"
	"sort"
	"sync"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// Module is an artifact extractor.
type Module interface {
	// Name is a short stable id, e.g. "messages/mmssms".
	Name() string
}

// FileModule extracts records from a streamed file.
type FileModule interface {
	Module
	// Match reports whether the module reads f. It must decide from f's
	// metadata and f.Head alone.
	Match(f *container.File) bool
	// Extract reads the file. r yields f's content once; it is not seekable.
	Extract(ctx *Context, f *container.File, r io.Reader) error
}

// DBModule extracts records from an SQLite database.
type DBModule interface {
	Module
	// MatchDB reports whether the module reads db, from the file's name and
	// path and the database's tables.
	MatchDB(f *container.File, db *sqlite.DB) bool
	ExtractDB(ctx *Context, f *container.File, db *sqlite.DB) error
}

// Finisher is implemented by modules that work across files once every
// input was read (matching a MIUI descript.xml with its .bak files, say).
type Finisher interface {
	Finish(ctx *Context) error
}

var (
	mu      sync.Mutex
	modules []Module
)

// Register adds a module. Modules register from their package's init.
func Register(m Module) {
	mu.Lock()
	defer mu.Unlock()
	for _, o := range modules {
		if o.Name() == m.Name() {
			panic("artifacts: duplicate module " + m.Name())
		}
	}
	modules = append(modules, m)
	sort.Slice(modules, func(i, j int) bool { return modules[i].Name() < modules[j].Name() })
}

// Modules returns the registered modules sorted by name.
func Modules() []Module {
	mu.Lock()
	defer mu.Unlock()
	return append([]Module(nil), modules...)
}

// FileModules returns the registered modules that read streamed files and
// want f.
func FileModules(f *container.File) []FileModule {
	var out []FileModule
	for _, m := range Modules() {
		if fm, ok := m.(FileModule); ok && fm.Match(f) {
			out = append(out, fm)
		}
	}
	return out
}

// DBModules returns the registered modules that want db.
func DBModules(f *container.File, db *sqlite.DB) []DBModule {
	var out []DBModule
	for _, m := range Modules() {
		if dm, ok := m.(DBModule); ok && dm.MatchDB(f, db) {
			out = append(out, dm)
		}
	}
	return out
}

// RecoveredRow is a row recovered from a database's free space, free
// pages, WAL frames or rollback journal: deleted from its table, not an old
// version of a live row. Row.Values follows the table's columns; Missing[i]
// marks values that could not be recovered (they read as NULL).
type RecoveredRow struct {
	Row        sqlite.Row
	Missing    []bool
	Source     string // the record's source string (see SourceRecovered)
	Confidence float64
}

// RecoveredModule is a DBModule that also turns recovered rows of its
// tables into deleted-but-present records (report.deleted).
type RecoveredModule interface {
	DBModule
	// ExtractRecovered receives the recovered rows of table t of db. The
	// records it adds must have Deleted set.
	ExtractRecovered(ctx *Context, f *container.File, db *sqlite.DB, t *sqlite.Table, rows []RecoveredRow) error
}
