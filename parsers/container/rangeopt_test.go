package container

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"hash"
	"hash/crc32"
	"io"
	"reflect"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/androidbackup"
)

// rangeLog records what Walk asked of InputFile.RangeSHA256.
type rangeLog struct {
	asked, used int
	hashed      int // files Walk hashed itself (Options.NewHash calls)
}

// withRanges gives every file of in a RangeSHA256 that hashes the range of
// the file's bytes itself (as the page's hash worker does), checking that
// the range lies inside the file.
func withRanges(t *testing.T, in Input, log *rangeLog) Input {
	t.Helper()
	out := in
	out.Files = append([]InputFile(nil), in.Files...)
	for i := range out.Files {
		f := &out.Files[i]
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		name := f.Path
		f.RangeSHA256 = func(off, n int64) func() string {
			log.asked++
			if off < 0 || n < 0 || off+n > int64(len(data)) || f.Size != int64(len(data)) {
				t.Errorf("%s %s: range [%d, %d) outside the file's %d bytes", in.Name, name, off, off+n, len(data))
				return nil
			}
			called := false
			return func() string {
				if called {
					t.Errorf("%s %s: range [%d, %d) sum asked twice", in.Name, name, off, off+n)
				}
				called = true
				log.used++
				return sha(data[off : off+n])
			}
		}
	}
	return out
}

// checkRanges walks in with and without range hashes: the results must be
// the same, and Walk must not hash the files whose range hash it used.
// want: 1 some range hash must be used, -1 none may be asked for, 0 either.
func checkRanges(t *testing.T, label string, in Input, opts Options, want int) {
	t.Helper()
	plain, _ := walkAll(t, []Input{in}, opts)
	log := &rangeLog{}
	o := opts
	o.NewHash = func() hash.Hash { log.hashed++; return sha256.New() }
	got, _ := walkAll(t, []Input{withRanges(t, in, log)}, o)
	if !reflect.DeepEqual(got.Entries, plain.Entries) {
		t.Errorf("%s: entries differ with range hashes\n got %v\nwant %v", label, got.Entries, plain.Entries)
	}
	if !reflect.DeepEqual(got.Problems, plain.Problems) || !reflect.DeepEqual(got.Inputs, plain.Inputs) {
		t.Errorf("%s: problems or inputs differ\n got %s\nwant %s", label, problemsString(got), problemsString(plain))
	}
	if want > 0 && log.used == 0 {
		t.Errorf("%s: no range hash used (asked %d)", label, log.asked)
	}
	if want < 0 && log.asked != 0 {
		t.Errorf("%s: %d range hashes asked for, want none", label, log.asked)
	}
	// Every entry but the folder is hashed exactly once: by Walk or by
	// whoever supplies the range.
	hashed := 0
	for _, e := range got.Entries {
		if e.Container != "folder" {
			hashed++
		}
	}
	if log.hashed+log.asked != hashed {
		t.Errorf("%s: Walk hashed %d files and asked for %d ranges, for %d entries", label, log.hashed, log.asked, hashed)
	}
}

func TestRangeSHA256(t *testing.T) {
	big := bytes.Repeat([]byte("stored media bytes "), 20_000)
	tarData := contactsTar(t)
	withMedia := mkTar(t, tfile{name: "apps/com.example/f/media.bin", data: big}, tfile{name: "apps/com.example/f/small", data: tmpBak})
	set := append(miuiSetFiles(t), tfile{name: "media/big.bin", data: big})
	setMap := map[string][]byte{}
	for _, f := range set {
		setMap[f.name] = f.data
	}
	nested := mkTar(t, tfile{name: "inner.tar", data: withMedia}, tfile{name: "set.zip", data: mkZip(t, true, set...)})
	tiny := Options{SpoolLimit: 1024} // zips inside streams read by their local headers
	for _, tc := range []struct {
		name   string
		in     Input
		opts   Options
		ranges int
	}{
		{"tar", memInput("x.tar", withMedia, false), Options{}, 1},
		{"tar-ra", memInput("x.tar", withMedia, true), Options{}, 1},
		{"ab", memInput("b.ab", mkAB(t, androidbackup.WriterOptions{}, tarData), false), Options{}, 1},
		{"ab-v1", memInput("b.ab", mkAB(t, androidbackup.WriterOptions{Version: 1}, withMedia), false), Options{}, 1},
		{"ab-compressed", memInput("b.ab", mkAB(t, androidbackup.WriterOptions{Compress: true}, tarData), false), Options{}, -1},
		{"ab-encrypted", memInput("b.ab", mkAB(t, androidbackup.WriterOptions{Password: "pw", Rounds: 1}, tarData), false),
			Options{Password: func(r PasswordRequest) (string, bool) { return "pw", r.Attempt == 1 }}, -1},
		{"miui-folder", folderInput("set", setMap), Options{}, 1},
		{"miui-zip-stored", memInput("set.zip", mkZip(t, true, set...), true), Options{}, 1},
		{"miui-zip-stored-stream", memInput("set.zip", mkZipPlain(t, set...), false), tiny, 1},
		{"miui-zip-stored-descriptor", memInput("set.zip", mkZip(t, true, set...), false), tiny, -1},
		{"miui-zip-stored-spooled", memInput("set.zip", mkZip(t, true, set...), false), Options{}, 1},
		{"miui-zip-deflated", memInput("set.zip", mkZip(t, false, set...), true), Options{}, -1},
		{"nested-tar", memInput("n.tar", nested, false), Options{}, 1},
		{"nested-tar-stream", memInput("n.tar", nested, false), tiny, 1},
		{"tgz", memInput("x.tgz", mkGzip(withMedia, "x.tar"), false), Options{}, -1},
		{"bak-plain", memInput("c.bak", contactsBak(t), false), Options{}, 1},
	} {
		checkRanges(t, tc.name, tc.in, tc.opts, tc.ranges)
	}
}

// A sparse tar entry is not a range of its file, even when its sizes agree.
func TestRangeSHA256Sparse(t *testing.T) {
	for _, typ := range []byte{'S', 0} {
		var tarData []byte
		if typ == 'S' {
			tarData = append(rawTarBlock("old", 'S', 0), make([]byte, 1024)...)
		} else {
			tarData = sparsePAX(t)
		}
		checkRanges(t, "sparse-"+string(rune('0'+typ)), memInput("s.tar", tarData, false), Options{}, -1)
	}
}

// sparsePAX is a PAX 1.0 sparse entry of 4 data bytes without holes.
func sparsePAX(t *testing.T) []byte {
	rec := func(k, v string) string {
		line := " " + k + "=" + v + "\n"
		n := len(line) + 1
		for len(itoa(n))+len(line) != n {
			n = len(itoa(n)) + len(line)
		}
		return itoa(n) + line
	}
	pax := rec("GNU.sparse.major", "1") + rec("GNU.sparse.minor", "0") + rec("GNU.sparse.name", "f") + rec("GNU.sparse.realsize", "4")
	// The sparse map (one fragment: offset 0, 4 bytes), then the data.
	data := append(pad512([]byte("1\n0\n4\n")), pad512([]byte("abcd"))...)
	var out []byte
	out = append(out, rawTarBlock("PaxHeaders/f", 'x', len(pax))...)
	out = append(out, pad512([]byte(pax))...)
	out = append(out, rawTarBlock("GNUSparseFile.0/f", '0', 512+4)...)
	out = append(out, data...)
	return append(out, make([]byte, 1024)...)
}

// mkZipPlain writes a zip of stored entries without data descriptors (the
// sizes and CRC-32 in the local headers), which can be read as a stream.
func mkZipPlain(t *testing.T, files ...tfile) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		fh := &zip.FileHeader{Name: f.name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(f.data),
			CompressedSize64: uint64(len(f.data)), UncompressedSize64: uint64(len(f.data))}
		w, err := zw.CreateRaw(fh)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.data)
	}
	zw.Close()
	return buf.Bytes()
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// Cut at every byte, the walk with range hashes is the walk without: a
// range hash is only used for a file read completely.
func TestRangeSHA256Truncated(t *testing.T) {
	small := mkTar(t,
		tfile{name: "apps/com.android.contacts/_manifest", data: manifest},
		tfile{name: "apps/com.android.contacts/miui_bak/_tmp_bak", data: tmpBak},
	)
	for _, tc := range []struct {
		name string
		data []byte
		ra   bool
		opts Options
	}{
		{"tar", small, false, Options{}},
		{"bak-plain", mkBak(contactsHeader, mkAB(t, androidbackup.WriterOptions{}, small)), false, Options{}},
		{"zip-stored-ra", mkZip(t, true, tfile{name: "a.txt", data: []byte("hello hello hello")}, tfile{name: "b/c.tar", data: small}), true, Options{}},
		{"zip-stored-stream", mkZipPlain(t, tfile{name: "a.txt", data: []byte("hello hello hello")}, tfile{name: "b/c.tar", data: small}), false, Options{SpoolLimit: 16}},
		{"zip-in-tar", mkTar(t, tfile{name: "z.zip", data: mkZip(t, true, tfile{name: "a", data: small})}), false, Options{}},
	} {
		for n := 0; n <= len(tc.data); n++ {
			want := 0
			if n == len(tc.data) {
				want = 1
			}
			checkRanges(t, tc.name, memInput(tc.name, tc.data[:n], tc.ra), tc.opts, want)
			if t.Failed() {
				t.Fatalf("%s cut at %d of %d", tc.name, n, len(tc.data))
			}
		}
	}
}

// FuzzRangeSHA256: on any input the walk with range hashes is the walk
// without (same entries, hashes and problems), and every range asked for
// lies inside its file.
func FuzzRangeSHA256(f *testing.F) {
	small := mkTar(f, tfile{name: "apps/com.android.contacts/_manifest", data: manifest}, tfile{name: "apps/com.android.contacts/miui_bak/_tmp_bak", data: tmpBak})
	f.Add(small)
	f.Add(mkZip(f, true, tfile{name: "x", data: small}))
	f.Add(mkTar(f, tfile{name: "z.zip", data: mkZip(f, true, tfile{name: "a", data: small})}))
	f.Add(mkBak(contactsHeader, mkAB(f, androidbackup.WriterOptions{}, small)))
	f.Add(mkAB(f, androidbackup.WriterOptions{Version: 1}, small))
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.Contains(data, []byte("AES-256")) {
			return
		}
		opts := Options{MaxDepth: 4, MaxEntries: 50, SpoolLimit: 1 << 12, RatioMinBytes: 1 << 16, MaxRatio: 200}
		for _, ra := range []bool{false, true} {
			checkRanges(t, "fuzz", memInput("in", data, ra), opts, 0)
		}
		// As the page walks: the input's SHA-256 supplied too, its tars
		// read through the ReaderAt and what nobody reads skipped.
		plain, _ := walkNoRead(t, memInput("in", data, false), opts)
		got, _ := walkNoRead(t, asPage(t, memInput("in", data, false), &readCount{}), opts)
		if !reflect.DeepEqual(got.Entries, plain.Entries) || !reflect.DeepEqual(got.Problems, plain.Problems) {
			t.Errorf("page walk differs\n got %v\n%s\nwant %v\n%s", got.Entries, problemsString(got), plain.Entries, problemsString(plain))
		}
	})
}
