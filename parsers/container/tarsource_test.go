package container

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/androidbackup"
)

// readCount counts the bytes Walk reads from an input, by stream and by
// ReaderAt.
type readCount struct{ stream, at int64 }

type countingRC struct {
	r io.Reader
	c *readCount
}

func (c *countingRC) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.c.stream += int64(n)
	return n, err
}
func (c *countingRC) Close() error { return nil }

type countingRA struct {
	ra io.ReaderAt
	c  *readCount
}

func (c *countingRA) ReadAt(p []byte, off int64) (int, error) {
	n, err := c.ra.ReadAt(p, off)
	c.c.at += int64(n)
	return n, err
}

// asPage gives in what the page gives Walk: random access, the inputs'
// SHA-256 and range hashes computed elsewhere (here from the bytes), and
// counts what Walk reads of the files.
func asPage(t *testing.T, in Input, c *readCount) Input {
	t.Helper()
	out := withRanges(t, in, &rangeLog{})
	for i := range out.Files {
		f := &out.Files[i]
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		f.SHA256 = func() string { return sha(data) }
		f.Open = func() (io.ReadCloser, error) { return &countingRC{r: bytes.NewReader(data), c: c}, nil }
		f.ReaderAt = &countingRA{ra: bytes.NewReader(data), c: c}
	}
	return out
}

// walkNoRead walks with a visitor that reads nothing (as for media files,
// which no artifact module reads) and records the last progress.
func walkNoRead(t *testing.T, in Input, opts Options) (*Result, Progress) {
	t.Helper()
	var last Progress
	opts.OnProgress = func(p Progress) { last = p }
	res, err := Walk(context.Background(), []Input{in}, opts, func(*File, io.Reader) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	return res, last
}

// An uncompressed tar (bare, in an .ab, in a MIUI .bak, in a folder) whose
// file hashes are supplied is walked through its ReaderAt: the data of
// entries nobody reads is skipped, not read, and the result is the plain
// walk's, cut anywhere too.
func TestTarSourceSkips(t *testing.T) {
	media := bytes.Repeat([]byte("media bytes, never read "), 25_000) // 600 KB
	withMedia := mkTar(t,
		tfile{name: "apps/com.example/f/a.jpg", data: media},
		tfile{name: "apps/com.android.contacts/_manifest", data: manifest},
		tfile{name: "apps/com.example/f/b.mp4", data: media[:len(media)-777]},
		tfile{name: "apps/com.android.contacts/db/contacts2.db", data: sqliteDB},
		tfile{name: "apps/com.example/f/c.bin", data: media[:200_000]},
	)
	bak := mkBak(contactsHeader, mkAB(t, androidbackup.WriterOptions{}, withMedia))
	for _, tc := range []struct {
		name string
		in   func(data []byte) Input
		data []byte
	}{
		{"tar", func(d []byte) Input { return memInput("x.tar", d, false) }, withMedia},
		{"ab", func(d []byte) Input { return memInput("b.ab", d, false) }, mkAB(t, androidbackup.WriterOptions{}, withMedia)},
		{"ab-v1", func(d []byte) Input { return memInput("b.ab", d, false) }, mkAB(t, androidbackup.WriterOptions{Version: 1}, withMedia)},
		{"bak", func(d []byte) Input { return memInput("c.bak", d, false) }, bak},
		{"miui-folder", func(d []byte) Input {
			return folderInput("set", map[string][]byte{"AllBackup/1/descript.xml": descriptOK, "AllBackup/1/Contacts(com.android.contacts).bak": d})
		}, bak},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check := func(data []byte, whole bool) {
				t.Helper()
				plain, _ := walkNoRead(t, tc.in(data), Options{})
				var c readCount
				got, prog := walkNoRead(t, asPage(t, tc.in(data), &c), Options{})
				if !reflect.DeepEqual(got.Entries, plain.Entries) {
					t.Fatalf("cut at %d: entries differ\n got %v\nwant %v", len(data), got.Entries, plain.Entries)
				}
				if !reflect.DeepEqual(got.Problems, plain.Problems) || !reflect.DeepEqual(got.Inputs, plain.Inputs) {
					t.Fatalf("cut at %d: problems or inputs differ\n got %s\nwant %s", len(data), problemsString(got), problemsString(plain))
				}
				if !whole {
					return
				}
				if len(plain.Problems) != 0 {
					t.Fatalf("problems: %s", problemsString(plain))
				}
				total := int64(0)
				for _, e := range got.Entries {
					if e.SHA256 == "" && e.Container != "folder" {
						t.Errorf("%s: no SHA-256", e.Path)
					}
					total = max(total, e.Size)
				}
				// The media (1.4 MB) is skipped: what is read is the
				// headers, the small files and the first 64 KiB of each
				// file (its format is sniffed).
				if read := c.stream + c.at; read > int64(len(data))/4 {
					t.Errorf("read %d bytes (stream %d, ReaderAt %d) of %d", read, c.stream, c.at, len(data))
				}
				if prog.Done != prog.Total || prog.Total == 0 {
					t.Errorf("last progress %d of %d", prog.Done, prog.Total)
				}
			}
			check(tc.data, true)
			// Cut anywhere, and at every few bytes of the end (the last
			// entry, its padding, the end-of-archive blocks).
			for n := 0; n < len(tc.data); n += 20011 {
				check(tc.data[:n], false)
			}
			for n := max(len(tc.data)-1100, 0); n < len(tc.data); n += 7 {
				check(tc.data[:n], false)
			}
		})
	}
}
