package container

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"io"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/backupinspector/backupinspector/parsers/androidbackup"
)

// Builders for test inputs made in code.

type tfile struct {
	name string
	data []byte
	typ  byte // tar type flag; 0 = regular
	link string
}

func mkTar(t testing.TB, files ...tfile) []byte {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		typ := f.typ
		if typ == 0 {
			typ = tar.TypeReg
		}
		h := &tar.Header{Name: f.name, Mode: 0600, Size: int64(len(f.data)), Typeflag: typ, Linkname: f.link,
			ModTime: time.Unix(1681594201, 0), Format: tar.FormatPAX}
		if typ != tar.TypeReg {
			h.Size = 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if typ == tar.TypeReg {
			tw.Write(f.data)
		}
	}
	tw.Close()
	return buf.Bytes()
}

// mkZip writes a zip; stored=true uses method Store for every entry.
func mkZip(t testing.TB, stored bool, files ...tfile) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		m := zip.Deflate
		if stored {
			m = zip.Store
		}
		fh := &zip.FileHeader{Name: f.name, Method: m, Modified: time.Unix(1681594201, 0).UTC()}
		if f.typ == tar.TypeSymlink {
			fh.SetMode(0777 | 1<<27) // fs.ModeSymlink
		}
		w, err := zw.CreateHeader(fh)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.data)
	}
	zw.Close()
	return buf.Bytes()
}

func mkGzip(data []byte, name string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Name = name
	zw.Write(data)
	zw.Close()
	return buf.Bytes()
}

func mkAB(t testing.TB, o androidbackup.WriterOptions, tarData []byte) []byte {
	var buf bytes.Buffer
	if o.Rand == nil {
		o.Rand = rand.New(rand.NewSource(1))
	}
	if o.Password != "" && o.Rounds == 0 {
		o.Rounds = 10
	}
	w, err := androidbackup.NewWriter(&buf, o)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(tarData)
	w.Close()
	return buf.Bytes()
}

func mkBak(header string, ab []byte) []byte {
	return append([]byte(header), ab...)
}

func kvRecord(key string, value []byte) []byte {
	var b bytes.Buffer
	var h [12]byte
	binary.LittleEndian.PutUint32(h[:], androidbackup.KVMagic)
	binary.LittleEndian.PutUint32(h[4:], uint32(len(key)))
	binary.LittleEndian.PutUint32(h[8:], uint32(len(value)))
	b.Write(h[:])
	b.WriteString(key)
	b.WriteByte(0)
	for b.Len()%4 != 0 {
		b.WriteByte(0)
	}
	b.Write(value)
	for b.Len()%4 != 0 {
		b.WriteByte(0)
	}
	return b.Bytes()
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// memInput makes a file input; ra adds random access.
func memInput(name string, data []byte, ra bool) Input {
	f := InputFile{Size: int64(len(data)), Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }}
	if ra {
		f.ReaderAt = bytes.NewReader(data)
	}
	return Input{Name: name, Files: []InputFile{f}}
}

func folderInput(name string, files map[string][]byte) Input {
	in := Input{Name: name, IsDir: true}
	for p, d := range files {
		d := d
		in.Files = append(in.Files, InputFile{Path: p, Size: int64(len(d)),
			Open:     func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(d)), nil },
			ReaderAt: bytes.NewReader(d)})
	}
	return in
}

// walkAll runs Walk, collecting visited files and their content.
type visited struct {
	f    File
	data []byte
	ra   []byte // content read through ReaderAt, if any
}

func walkAll(t testing.TB, inputs []Input, opts Options) (*Result, map[string]visited) {
	t.Helper()
	seen := map[string]visited{}
	res, err := Walk(context.Background(), inputs, opts, func(f *File, r io.Reader) error {
		data, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		v := visited{f: *f, data: data}
		if f.ReaderAt != nil && f.Size >= 0 {
			v.ra = make([]byte, f.Size)
			n, _ := f.ReaderAt.ReadAt(v.ra, 0)
			v.ra = v.ra[:n]
		}
		seen[f.Path] = v
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return res, seen
}

func entryMap(res *Result) map[string]Entry {
	m := map[string]Entry{}
	for _, e := range res.Entries {
		m[e.Path] = e
	}
	return m
}

func codes(res *Result) []string {
	var c []string
	for _, p := range res.Problems {
		c = append(c, p.Code)
	}
	sort.Strings(c)
	return c
}

func hasCode(res *Result, code string) bool {
	for _, p := range res.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

func problemsString(res *Result) string {
	var b strings.Builder
	for _, p := range res.Problems {
		b.WriteString(p.Code + " " + p.Path + ": " + p.Message + "\n")
	}
	return b.String()
}
