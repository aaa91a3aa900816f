package container

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"reflect"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/androidbackup"
)

// countingReadCloser counts the bytes read through Open.
type countingReadCloser struct {
	r *bytes.Reader
	n *int64
}

func (c countingReadCloser) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	*c.n += int64(n)
	return n, err
}
func (c countingReadCloser) Close() error { return nil }

// TestSuppliedSHA256: a top-level file whose SHA-256 is supplied is not
// hashed by Walk; with random access (a zip) it is not read to the end; the
// entries below it are the same as without.
func TestSuppliedSHA256(t *testing.T) {
	big := bytes.Repeat([]byte("stored media bytes "), 200_000) // 3.8 MB, stored
	zipData := mkZip(t, true, append(miuiSetFiles(t), tfile{name: "media/big.bin", data: big})...)
	abData := mkAB(t, androidbackup.WriterOptions{Compress: true}, contactsTar(t))
	for _, tc := range []struct {
		name string
		data []byte
		ra   bool
		// readAll: the sequential reader is still read to the end (a
		// stream container needs every byte).
		readAll bool
	}{
		{"set.zip", zipData, true, false},
		{"set.zip", zipData, false, true},
		{"backup.ab", abData, true, true},
	} {
		plain, _ := walkAll(t, []Input{memInput(tc.name, tc.data, tc.ra)}, Options{})
		var read int64
		in := memInput(tc.name, tc.data, tc.ra)
		in.Files[0].Open = func() (io.ReadCloser, error) {
			return countingReadCloser{bytes.NewReader(tc.data), &read}, nil
		}
		calls := 0
		in.Files[0].SHA256 = func() string { calls++; return "supplied" }
		got, _ := walkAll(t, []Input{in}, Options{})
		if calls != 1 {
			t.Errorf("%s ra=%v: SHA256 called %d times", tc.name, tc.ra, calls)
		}
		if got.Inputs[0].SHA256 != "supplied" || got.Entries[0].SHA256 != "supplied" || got.Entries[0].Size != int64(len(tc.data)) {
			t.Errorf("%s ra=%v: input %+v entry %+v", tc.name, tc.ra, got.Inputs[0], got.Entries[0])
		}
		if plain.Inputs[0].SHA256 != sha(tc.data) {
			t.Errorf("%s: plain hash %s", tc.name, plain.Inputs[0].SHA256)
		}
		// Everything below the top level is unchanged.
		want := append([]Entry(nil), plain.Entries...)
		want[0].SHA256 = "supplied"
		if !reflect.DeepEqual(got.Entries, want) || !reflect.DeepEqual(got.Problems, plain.Problems) {
			t.Errorf("%s ra=%v: entries differ\n got %v\nwant %v", tc.name, tc.ra, got.Entries, want)
		}
		if tc.readAll && read != int64(len(tc.data)) {
			t.Errorf("%s ra=%v: read %d of %d bytes", tc.name, tc.ra, read, len(tc.data))
		}
		if !tc.readAll && read >= int64(len(big)) {
			t.Errorf("%s ra=%v: read %d bytes sequentially, want only the head", tc.name, tc.ra, read)
		}
	}
}

// releaseHash is a SHA-256 that records Release calls.
type releaseHash struct {
	hash.Hash
	released *int
}

func (h releaseHash) Release() { *h.released++ }

func TestNewHash(t *testing.T) {
	made, released := 0, 0
	opts := Options{NewHash: func() hash.Hash {
		made++
		if made%2 == 0 {
			return nil // nil falls back to crypto/sha256
		}
		return releaseHash{sha256.New(), &released}
	}}
	files := miuiSetFiles(t)
	m := map[string][]byte{}
	for _, f := range files {
		m[f.name] = f.data
	}
	plain, _ := walkAll(t, []Input{folderInput("in", m), memInput("x.zip", mkZip(t, false, files...), false)}, Options{})
	got, _ := walkAll(t, []Input{folderInput("in", m), memInput("x.zip", mkZip(t, false, files...), false)}, opts)
	if !reflect.DeepEqual(got.Entries, plain.Entries) {
		t.Errorf("entries differ with NewHash:\n got %v\nwant %v", got.Entries, plain.Entries)
	}
	if made != len(plain.Entries)-1 { // the folder itself is not hashed
		t.Errorf("NewHash called %d times for %d entries", made, len(plain.Entries))
	}
	if released != (made+1)/2 {
		t.Errorf("Release called %d times, want %d", released, (made+1)/2)
	}
}

// placeholderHash hashes nothing itself: as a browser's hash worker does,
// it gives a placeholder for files whose bytes it saw, or fails.
type placeholderHash struct {
	hash.Hash
	n    *int
	id   string
	fail bool
}

func (h *placeholderHash) Write(p []byte) (int, error) { return h.Hash.Write(p) }
func (h *placeholderHash) Placeholder() string         { return h.id }
func (h *placeholderHash) Failed() bool                { return h.fail }

// TestNewHashPlaceholder: a hash with a Placeholder method gives the file
// that string for its SHA-256; one that Failed gives none; "" falls back
// to Sum.
func TestNewHashPlaceholder(t *testing.T) {
	abData := mkAB(t, androidbackup.WriterOptions{Compress: true}, contactsTar(t))
	plain, _ := walkAll(t, []Input{memInput("b.ab", abData, false)}, Options{})
	for _, mode := range []string{"placeholder", "failed", "empty"} {
		n := 0
		opts := Options{NewHash: func() hash.Hash {
			n++
			h := &placeholderHash{Hash: sha256.New(), n: &n}
			switch mode {
			case "placeholder":
				h.id = fmt.Sprintf("ph%02d", n)
			case "failed":
				h.id, h.fail = "unused", true
			}
			return h
		}}
		got, _ := walkAll(t, []Input{memInput("b.ab", abData, false)}, opts)
		if len(got.Entries) != len(plain.Entries) || len(got.Entries) < 3 {
			t.Fatalf("%s: %d entries, want %d", mode, len(got.Entries), len(plain.Entries))
		}
		for i, e := range got.Entries {
			want := plain.Entries[i].SHA256
			switch mode {
			case "placeholder":
				want = fmt.Sprintf("ph%02d", i+1)
			case "failed":
				want = ""
			}
			if e.SHA256 != want || e.Path != plain.Entries[i].Path {
				t.Errorf("%s: entry %s sha256 %q, want %q", mode, e.Path, e.SHA256, want)
			}
		}
	}
}
