package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"golang.org/x/term"

	"github.com/backupinspector/backupinspector/parsers/container"
)

// passwordEnv names the environment variable read when --password is not
// given.
const passwordEnv = "BACKUP_INSPECTOR_PASSWORD"

// A passwordSource supplies passwords for encrypted backups: the --password
// flag, else $BACKUP_INSPECTOR_PASSWORD, else a prompt on the terminal (no
// echo) when stdin is one, else none.
type passwordSource struct {
	given    string // from the flag or the environment
	hasGiven bool
	from     string // "--password" or the variable name, for messages
	stdin    *os.File
	prompt   io.Writer // where prompts go (stderr)
	isTTY    func(fd int) bool
	readPW   func(fd int) ([]byte, error)

	mu   sync.Mutex
	last string // last password typed at the prompt, offered first next time
	have bool
}

// newPasswordSource builds the source for a command. flagValue is the
// --password value ("" when absent). stdin and prompt may be nil (no
// prompting).
func newPasswordSource(flagValue string, stdin *os.File, prompt io.Writer) *passwordSource {
	p := &passwordSource{stdin: stdin, prompt: prompt, isTTY: term.IsTerminal, readPW: term.ReadPassword}
	switch {
	case flagValue != "":
		p.given, p.hasGiven, p.from = flagValue, true, "--password"
	case os.Getenv(passwordEnv) != "":
		p.given, p.hasGiven, p.from = os.Getenv(passwordEnv), true, passwordEnv
	}
	return p
}

// canPrompt reports whether stdin is a terminal we may prompt on.
func (p *passwordSource) canPrompt() bool {
	return p.stdin != nil && p.prompt != nil && p.isTTY(int(p.stdin.Fd()))
}

// Callback returns the function for container.Options.Password.
func (p *passwordSource) Callback() func(container.PasswordRequest) (string, bool) {
	return func(req container.PasswordRequest) (string, bool) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.hasGiven {
			if req.Attempt == 1 {
				return p.given, true
			}
			if !p.canPrompt() {
				return "", false
			}
			fmt.Fprintf(p.prompt, "The password from %s does not open %s.\n", p.from, req.Path)
		} else if req.Attempt == 1 && p.have {
			// Reuse the password typed for the previous file first.
			return p.last, true
		}
		if !p.canPrompt() || req.Attempt > 3 {
			return "", false
		}
		if req.LastErr != nil {
			fmt.Fprintf(p.prompt, "Wrong password for %s.\n", req.Path)
		}
		fmt.Fprintf(p.prompt, "Password for %s (empty to skip): ", req.Path)
		b, err := p.readPW(int(p.stdin.Fd()))
		fmt.Fprintln(p.prompt)
		if err != nil {
			return "", false
		}
		pw := strings.TrimRight(string(b), "\r\n")
		if pw == "" {
			return "", false
		}
		p.last, p.have = pw, true
		return pw, true
	}
}

// inputsFromPaths turns command-line paths into container inputs, opened
// read-only. Files get an *os.File as ReaderAt; directories list every
// regular file below them, sorted, with a ReaderAt opened on first use.
// Symbolic links and special files are skipped and named in skipped. The
// returned close function releases every file handle.
func inputsFromPaths(paths []string) (inputs []container.Input, skipped []string, closeAll func(), err error) {
	var mu sync.Mutex
	var open []*os.File
	track := func(f *os.File) {
		mu.Lock()
		open = append(open, f)
		mu.Unlock()
	}
	closeAll = func() {
		mu.Lock()
		defer mu.Unlock()
		for _, f := range open {
			f.Close()
		}
		open = nil
	}
	for _, arg := range paths {
		abs, aerr := filepath.Abs(arg)
		if aerr != nil {
			closeAll()
			return nil, nil, func() {}, aerr
		}
		st, serr := os.Stat(abs)
		if serr != nil {
			closeAll()
			return nil, nil, func() {}, serr
		}
		name := filepath.Base(abs)
		if !st.IsDir() {
			if !st.Mode().IsRegular() {
				closeAll()
				return nil, nil, func() {}, fmt.Errorf("%s: not a regular file", arg)
			}
			f, oerr := os.Open(abs)
			if oerr != nil {
				closeAll()
				return nil, nil, func() {}, oerr
			}
			track(f)
			inputs = append(inputs, container.Input{Name: name, Files: []container.InputFile{{
				Size:     st.Size(),
				Open:     func() (io.ReadCloser, error) { return os.Open(abs) },
				ReaderAt: f,
			}}})
			continue
		}
		in := container.Input{Name: name, IsDir: true}
		werr := filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				skipped = append(skipped, fmt.Sprintf("%s: %v", p, err))
				if d != nil && d.IsDir() && p != abs {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(abs, p)
			rel = filepath.ToSlash(rel)
			if !d.Type().IsRegular() {
				kind := "special file"
				if d.Type()&fs.ModeSymlink != 0 {
					kind = "symbolic link"
				}
				skipped = append(skipped, fmt.Sprintf("%s/%s: %s not followed", name, rel, kind))
				return nil
			}
			info, ierr := d.Info()
			if ierr != nil {
				skipped = append(skipped, fmt.Sprintf("%s/%s: %v", name, rel, ierr))
				return nil
			}
			full := p
			in.Files = append(in.Files, container.InputFile{
				Path:     rel,
				Size:     info.Size(),
				Open:     func() (io.ReadCloser, error) { return os.Open(full) },
				ReaderAt: &lazyFile{path: full, track: track},
			})
			return nil
		})
		if werr != nil {
			closeAll()
			return nil, nil, func() {}, werr
		}
		sort.Slice(in.Files, func(i, j int) bool { return in.Files[i].Path < in.Files[j].Path })
		inputs = append(inputs, in)
	}
	return inputs, skipped, closeAll, nil
}

// lazyFile opens its file read-only on the first ReadAt.
type lazyFile struct {
	path  string
	track func(*os.File)
	once  sync.Once
	f     *os.File
	err   error
}

func (l *lazyFile) ReadAt(p []byte, off int64) (int, error) {
	l.once.Do(func() {
		l.f, l.err = os.Open(l.path)
		if l.err == nil {
			l.track(l.f)
		}
	})
	if l.err != nil {
		return 0, l.err
	}
	return l.f.ReadAt(p, off)
}
