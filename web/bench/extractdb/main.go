// Command extractdb writes the SQLite databases (and their -wal/-journal
// files) found in backups to a folder, for the C sqlite3 baseline of
// `make bench`; with -scan it instead reads every row of every table of
// the databases given (with their -wal) through parsers/sqlite, the way
// the sqlite3 CLI is timed, and prints the seconds it took.
//
//	go run ./web/bench/extractdb -out DIR PATH...
//	go run ./web/bench/extractdb -scan DB...
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

func main() {
	out := flag.String("out", "", "folder to write the databases to")
	scanDBs := flag.Bool("scan", false, "read every row of the databases given and print the seconds")
	flag.Parse()
	if *scanDBs {
		secs, err := scan(flag.Args())
		if err != nil {
			fmt.Fprintln(os.Stderr, "extractdb:", err)
			os.Exit(1)
		}
		fmt.Printf("%.4f\n", secs)
		return
	}
	if *out == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: extractdb -out DIR PATH...")
		os.Exit(2)
	}
	if err := run(*out, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "extractdb:", err)
		os.Exit(1)
	}
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func run(out string, paths []string) error {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	var inputs []container.Input
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return err
		}
		if !st.IsDir() {
			inputs = append(inputs, container.Input{Name: filepath.Base(p), Files: []container.InputFile{fileOf(p, "", st.Size())}})
			continue
		}
		in := container.Input{Name: filepath.Base(p), IsDir: true}
		filepath.WalkDir(p, func(q string, d os.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				info, _ := d.Info()
				rel, _ := filepath.Rel(p, q)
				in.Files = append(in.Files, fileOf(q, filepath.ToSlash(rel), info.Size()))
			}
			return nil
		})
		inputs = append(inputs, in)
	}
	n := 0
	_, err := container.Walk(context.Background(), inputs, container.Options{SpoolLimit: 1}, func(f *container.File, r io.Reader) error {
		isDB := f.Format == container.FormatSQLite
		side := strings.HasSuffix(f.Name, "-wal") || strings.HasSuffix(f.Name, "-journal")
		if !isDB && !side {
			return nil
		}
		// Name by the provenance path, so a database and its -wal keep
		// matching names.
		name := unsafeChars.ReplaceAllString(f.Path, "_")
		if len(name) > 180 {
			name = name[len(name)-180:]
		}
		w, err := os.Create(filepath.Join(out, name))
		if err != nil {
			return err
		}
		if _, err := io.Copy(w, r); err != nil {
			w.Close()
			return err
		}
		if isDB {
			n++
		}
		return w.Close()
	})
	fmt.Println(n)
	return err
}

// fileOf opens p for random access (kept open until the program ends).
func fileOf(p, rel string, size int64) container.InputFile {
	f := container.InputFile{Path: rel, Size: size, Open: func() (io.ReadCloser, error) { return os.Open(p) }}
	if ra, err := os.Open(p); err == nil {
		f.ReaderAt = ra
	}
	return f
}

// scan reads every row of every table of dbs and returns the seconds.
func scan(dbs []string) (float64, error) {
	start := time.Now()
	for _, p := range dbs {
		f, err := os.Open(p)
		if err != nil {
			return 0, err
		}
		st, _ := f.Stat()
		opts := &sqlite.Options{}
		if w, err := os.Open(p + "-wal"); err == nil {
			wst, _ := w.Stat()
			opts.WAL, opts.WALSize = w, wst.Size()
			defer w.Close()
		}
		db, err := sqlite.Open(f, st.Size(), opts)
		if err != nil {
			f.Close()
			return 0, fmt.Errorf("%s: %w", p, err)
		}
		for _, t := range db.Tables() {
			if t.Type != "table" {
				continue
			}
			rows := db.Rows(t)
			for rows.Next() {
				_ = rows.RowView()
			}
		}
		f.Close()
	}
	return time.Since(start).Seconds(), nil
}
