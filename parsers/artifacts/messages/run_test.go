package messages_test

import (
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/inspect"
	"github.com/backupinspector/backupinspector/parsers/report"
)

const smallDir = "../../../samples/small"

// run inspects files or folders the way the CLI does and returns the report.
func run(t testing.TB, password string, paths ...string) *report.Report {
	t.Helper()
	var inputs []container.Input
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if !st.IsDir() {
			inputs = append(inputs, container.Input{Name: filepath.Base(p), Files: []container.InputFile{fileInput(t, p, "")}})
			continue
		}
		in := container.Input{Name: filepath.Base(p), IsDir: true}
		err = filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(p, q)
			in.Files = append(in.Files, fileInput(t, q, filepath.ToSlash(rel)))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		sort.Slice(in.Files, func(i, j int) bool { return in.Files[i].Path < in.Files[j].Path })
		inputs = append(inputs, in)
	}
	opts := inspect.Options{}
	if password != "" {
		opts.Password = func(container.PasswordRequest) (string, bool) { return password, true }
	}
	rep, _, err := inspect.Run(context.Background(), inputs, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func fileInput(t testing.TB, path, rel string) container.InputFile {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	st, _ := f.Stat()
	return container.InputFile{Path: rel, Size: st.Size(), ReaderAt: f,
		Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// truth is the part of a samples truth file the message tests use.
type truth struct {
	Messages *struct {
		Total, SMS, MMS, Incoming, Outgoing, Drafts, Failed, Unread, Threads, Blocked, Attachments int
		WALOnly                                                                                    int `json:"wal_only"`
	} `json:"messages"`
	Identifiers struct {
		OwnNumbers []string `json:"own_numbers"`
	} `json:"identifiers"`
	Examples struct {
		Messages []struct {
			Kind, Direction, Address, Body, Subject, Time string
			Box                                           int
			Recipients                                    []string
			SubID                                         int `json:"sub_id"`
			Attachments                                   []struct {
				ContentType string `json:"content_type"`
				Name        string
				Size        int64
			}
		}
	} `json:"examples"`
	ThirdParty []struct {
		Package  string
		Messages int
		Chats    int
		User     int
	} `json:"third_party"`
	Password string `json:"password"`
}

func loadTruth(t testing.TB, path string) *truth {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tr truth
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	return &tr
}
