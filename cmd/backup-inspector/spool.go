package main

import (
	"errors"
	"io"
	"os"
	"sync"

	"github.com/backupinspector/backupinspector/parsers/inspect"
)

// tempSpool holds the big databases found inside streams (a compressed or
// encrypted .ab, a deflated zip entry) in temporary files (mode 0600, in a
// folder of their own under the system's temporary folder), so that the
// memory budget does not bound the databases that can be read: without it
// one larger than the spool limit (256 MiB with the default budget) was not
// read. remove deletes them; a run that is killed leaves them behind.
type tempSpool struct {
	mu    sync.Mutex
	dir   string
	files []*os.File
}

func (t *tempSpool) create(int64) (inspect.SpoolFile, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dir == "" {
		d, err := os.MkdirTemp("", "backup-inspector-")
		if err != nil {
			return nil, err
		}
		t.dir = d
	}
	f, err := os.CreateTemp(t.dir, "spool-")
	if err != nil {
		return nil, err
	}
	t.files = append(t.files, f)
	return tempFile{f}, nil
}

// remove closes and deletes the spooled files.
func (t *tempSpool) remove() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, f := range t.files {
		f.Close()
	}
	if t.dir != "" {
		os.RemoveAll(t.dir)
	}
	t.files, t.dir = nil, ""
}

type tempFile struct{ f *os.File }

func (t tempFile) Write(p []byte) (int, error) { return t.f.Write(p) }

func (t tempFile) ReaderAt() (io.ReaderAt, error) {
	if t.f == nil {
		return nil, errors.New("no spool file")
	}
	return t.f, nil
}
