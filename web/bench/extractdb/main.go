// Command extractdb writes the SQLite databases (and their -wal/-journal
// files) found in backups to a folder, for the C sqlite3 baseline of
// `make bench`.
//
//	go run ./web/bench/extractdb -out DIR PATH...
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

	"github.com/backupinspector/backupinspector/parsers/container"
)

func main() {
	out := flag.String("out", "", "folder to write the databases to")
	flag.Parse()
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

func fileOf(p, rel string, size int64) container.InputFile {
	return container.InputFile{Path: rel, Size: size, Open: func() (io.ReadCloser, error) { return os.Open(p) }}
}
