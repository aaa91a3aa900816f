package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/backupinspector/backupinspector/parsers/sqlite"
	"github.com/backupinspector/backupinspector/parsers/sqlite/recover"
)

const sqliteRecoverUsage = "sqlite recover [--no-wal] DB [TABLE]"

// runSQLiteRecover implements "backup-inspector sqlite recover [--no-wal] DB
// [TABLE]": deleted and superseded records of DB (its -wal applied and
// searched unless --no-wal, its -journal searched) as
// {"recovered":[{"table":…,"rowid":N|null,"values":[…],"source":…,"page":N,
// "offset":N,"confidence":F,"file":…,"superseded":B,"dropped":B},…]}.
func runSQLiteRecover(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sqlite recover", flag.ContinueOnError)
	fs.SetOutput(stderr)
	noWAL := fs.Bool("no-wal", false, "ignore DB-wal: search the main file (and journal) only")
	var pos []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			fmt.Fprintln(stderr, "usage: backup-inspector "+sqliteRecoverUsage)
			return exitUsage
		}
		args = fs.Args()
		if len(args) > 0 {
			pos = append(pos, args[0])
			args = args[1:]
		}
	}
	if len(pos) < 1 || len(pos) > 2 {
		fmt.Fprintln(stderr, "usage: backup-inspector "+sqliteRecoverUsage)
		return exitUsage
	}
	path := pos[0]
	db, done, err := openSQLiteFile(path, *noWAL)
	if err != nil {
		fmt.Fprintln(stderr, "backup-inspector sqlite:", err)
		return exitInputError
	}
	defer done()
	opts := recover.Options{}
	if len(pos) == 2 {
		t := db.Table(pos[1])
		if t == nil {
			fmt.Fprintf(stderr, "backup-inspector sqlite: %s: no table %q\n", path, pos[1])
			return exitInputError
		}
		opts.Table = t.Name
	}
	if j, err := os.Open(path + "-journal"); err == nil {
		defer j.Close()
		if st, err := j.Stat(); err == nil && st.Mode().IsRegular() {
			opts.Journal, opts.JournalSize = j, st.Size()
		}
	}
	recs, err := recover.Recover(db, opts)
	code := exitOK
	if err != nil {
		fmt.Fprintf(stderr, "backup-inspector sqlite: %s: %v\n", path, err)
		code = exitInputError
		if !errors.Is(err, recover.ErrLimit) {
			return code
		}
	}
	w := bufio.NewWriterSize(stdout, 64<<10)
	b := []byte(`{"recovered":[`)
	for i, r := range recs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '\n')
		b = r.AppendJSON(b)
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
	for _, p := range db.Problems() {
		if !errors.Is(p, sqlite.ErrHotJournal) {
			fmt.Fprintf(stderr, "backup-inspector sqlite: %s: %v\n", path, p)
		}
	}
	return code
}
