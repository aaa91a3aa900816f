package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// sqliteSubcommands maps "sqlite SUB" to its handler; later issues add more
// (e.g. "recover").
var sqliteSubcommands = map[string]func(args []string, stdout, stderr io.Writer) int{
	"tables":  sqliteTables,
	"dump":    sqliteDump,
	"recover": runSQLiteRecover,
}

const sqliteUsage = "sqlite tables [--no-wal] DB | sqlite dump [--no-wal] DB TABLE"

func init() {
	register(command{
		name:  "sqlite",
		usage: "sqlite tables|dump [--no-wal] DB [TABLE]",
		help:  "list the tables of a SQLite database, or dump one table as JSON (DB-wal applied unless --no-wal)",
		run:   runSQLite,
	})
}

func runSQLite(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: backup-inspector "+sqliteUsage)
		return exitUsage
	}
	sub, ok := sqliteSubcommands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "backup-inspector sqlite: unknown subcommand %q\nusage: backup-inspector %s\n", args[0], sqliteUsage)
		return exitUsage
	}
	return sub(args[1:], stdout, stderr)
}

// sqliteFlags parses [--no-wal] and the positional arguments.
func sqliteFlags(name string, args []string, nPos int, stderr io.Writer) (noWAL bool, pos []string, ok bool) {
	fs := flag.NewFlagSet("sqlite "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&noWAL, "no-wal", false, "ignore DB-wal: read the main file only")
	// Accept the flag before or after the positional arguments.
	var rest []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return false, nil, false
		}
		args = fs.Args()
		if len(args) > 0 {
			rest = append(rest, args[0])
			args = args[1:]
		}
	}
	if len(rest) != nPos {
		fmt.Fprintln(stderr, "usage: backup-inspector "+sqliteUsage)
		return false, nil, false
	}
	return noWAL, rest, true
}

// openSQLiteFile opens path read-only, with path-wal (unless noWAL) and
// path-journal beside it. Nothing is ever written next to the files.
func openSQLiteFile(path string, noWAL bool) (*sqlite.DB, func(), error) {
	var files []*os.File
	closeAll := func() {
		for _, f := range files {
			f.Close()
		}
	}
	open := func(p string) (*os.File, int64, error) {
		f, err := os.Open(p)
		if err != nil {
			return nil, 0, err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, 0, err
		}
		if !st.Mode().IsRegular() {
			f.Close()
			return nil, 0, fmt.Errorf("%s: not a regular file", p)
		}
		files = append(files, f)
		return f, st.Size(), nil
	}
	f, size, err := open(path)
	if err != nil {
		return nil, nil, err
	}
	opts := &sqlite.Options{NoWAL: noWAL}
	if !noWAL {
		if w, n, err := open(path + "-wal"); err == nil {
			opts.WAL, opts.WALSize = w, n
		}
	}
	if j, n, err := open(path + "-journal"); err == nil {
		opts.Journal, opts.JournalSize = j, n
	}
	db, err := sqlite.Open(f, size, opts)
	if err != nil {
		closeAll()
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return db, closeAll, nil
}

// reportProblems prints the reader's problems and returns the exit code:
// a hot journal is only a notice; anything else means data was skipped.
func reportProblems(db *sqlite.DB, path string, stderr io.Writer) int {
	code := exitOK
	for _, p := range db.Problems() {
		if errors.Is(p, sqlite.ErrHotJournal) {
			fmt.Fprintf(stderr, "backup-inspector sqlite: notice: %s: %v\n", path, p)
			continue
		}
		fmt.Fprintf(stderr, "backup-inspector sqlite: %s: %v\n", path, p)
		code = exitInputError
	}
	return code
}

func appendNames(b []byte, names []string) []byte {
	b = append(b, '[')
	for i, n := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = sqlite.AppendJSONString(b, []byte(n))
	}
	return append(b, ']')
}

func sqliteTables(args []string, stdout, stderr io.Writer) int {
	noWAL, pos, ok := sqliteFlags("tables", args, 1, stderr)
	if !ok {
		return exitUsage
	}
	db, done, err := openSQLiteFile(pos[0], noWAL)
	if err != nil {
		fmt.Fprintln(stderr, "backup-inspector sqlite:", err)
		return exitInputError
	}
	defer done()
	w := bufio.NewWriter(stdout)
	code := exitOK
	b := []byte(`{"tables":[`)
	for i, t := range db.Tables() {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n"...)
		b = append(b, `{"name":`...)
		b = sqlite.AppendJSONString(b, []byte(t.Name))
		b = append(b, `,"type":`...)
		b = sqlite.AppendJSONString(b, []byte(t.Type))
		b = append(b, `,"columns":`...)
		b = appendNames(b, t.ColumnNames())
		n, err := db.Count(t)
		if err != nil {
			fmt.Fprintf(stderr, "backup-inspector sqlite: %s: table %q: %v\n", pos[0], t.Name, err)
			code = exitInputError
		}
		b = fmt.Appendf(b, `,"rows":%d}`, n)
	}
	b = append(b, "\n]}\n"...)
	w.Write(b)
	if err := w.Flush(); err != nil {
		fmt.Fprintln(stderr, "backup-inspector sqlite:", err)
		return exitInputError
	}
	return max(code, reportProblems(db, pos[0], stderr))
}

func sqliteDump(args []string, stdout, stderr io.Writer) int {
	noWAL, pos, ok := sqliteFlags("dump", args, 2, stderr)
	if !ok {
		return exitUsage
	}
	db, done, err := openSQLiteFile(pos[0], noWAL)
	if err != nil {
		fmt.Fprintln(stderr, "backup-inspector sqlite:", err)
		return exitInputError
	}
	defer done()
	t := db.Table(pos[1])
	if t == nil {
		fmt.Fprintf(stderr, "backup-inspector sqlite: %s: no table %q\n", pos[0], pos[1])
		return exitInputError
	}
	w := bufio.NewWriterSize(stdout, 64<<10)
	b := []byte(`{"table":`)
	b = sqlite.AppendJSONString(b, []byte(t.Name))
	b = append(b, `,"columns":`...)
	b = appendNames(b, t.ColumnNames())
	b = append(b, `,"rows":[`...)
	rows := db.Rows(t)
	first := true
	for rows.Next() {
		r := rows.RowView()
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, "\n{\"rowid\":"...)
		if r.HasRowID {
			b = fmt.Appendf(b, "%d", r.RowID)
		} else {
			b = append(b, "null"...)
		}
		b = append(b, `,"values":[`...)
		for i, v := range r.Values {
			if i > 0 {
				b = append(b, ',')
			}
			b = v.AppendJSON(b)
		}
		b = append(b, "]}"...)
		if len(b) > 32<<10 {
			w.Write(b)
			b = b[:0]
		}
	}
	b = append(b, "\n]}\n"...)
	w.Write(b)
	if err := w.Flush(); err != nil {
		fmt.Fprintln(stderr, "backup-inspector sqlite:", err)
		return exitInputError
	}
	code := reportProblems(db, pos[0], stderr)
	if err := rows.Err(); err != nil {
		fmt.Fprintf(stderr, "backup-inspector sqlite: %s: table %q: %v\n", pos[0], t.Name, err)
		code = exitInputError
	}
	return code
}
