package container

import (
	"bytes"
	"context"
	"hash/crc32"
	"io"
	"reflect"
	"strings"
	"testing"
)

// RangeCRC32: a stored zip entry's CRC-32 goes to whoever hashes its range,
// with the right range; Walk then does not read the entry to its end for
// it (the bytes read sequentially stay below the entry's size) and, the
// check being elsewhere, reports no mismatch itself — which it does without
// RangeCRC32 (the page's second walk).
func TestRangeCRC32(t *testing.T) {
	big := bytes.Repeat([]byte("stored media "), 100_000) // 1.3 MB
	for _, damaged := range []bool{false, true} {
		data := mkZipPlain(t, tfile{name: "a.txt", data: []byte("hello")}, tfile{name: "media/big.bin", data: big})
		if damaged {
			i := bytes.LastIndex(data, []byte("stored media "))
			data[i] ^= 0xff // the entry's bytes no longer match its CRC-32
		}
		plain, _ := walkAll(t, []Input{memInput("set.zip", data, true)}, Options{})
		mismatch := strings.Contains(problemsString(plain), "checksum")
		if mismatch != damaged {
			t.Fatalf("damaged %v: problems without RangeCRC32: %s", damaged, problemsString(plain))
		}
		in := memInput("set.zip", data, true)
		var read int64
		in.Files[0].Open = func() (io.ReadCloser, error) { return countingReadCloser{bytes.NewReader(data), &read}, nil }
		in.Files[0].SHA256 = func() string { return "input" }
		in.Files[0].RangeSHA256 = func(off, n int64) func() string { return func() string { return "range" } }
		type ask struct {
			off, n int64
			crc    uint32
		}
		var asked []ask
		in.Files[0].RangeCRC32 = func(off, n int64, crc uint32) func() string {
			asked = append(asked, ask{off, n, crc})
			if n < 16<<10 {
				return nil // small: Walk hashes and checks it
			}
			return func() string { return "range+crc" }
		}
		// Nothing reads the entries (as for media the modules skip).
		got, err := Walk(context.Background(), []Input{in}, Options{}, func(*File, io.Reader) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		if len(asked) != 2 {
			t.Fatalf("damaged %v: RangeCRC32 asked %d times", damaged, len(asked))
		}
		for _, a := range asked {
			b := data[a.off : a.off+a.n]
			if !bytes.Equal(b, big) && !bytes.Equal(b, []byte("hello")) && !damaged {
				t.Errorf("range [%d, %d) is not an entry's bytes", a.off, a.off+a.n)
			}
			want := crc32.ChecksumIEEE(big)
			if a.n == 5 {
				want = crc32.ChecksumIEEE([]byte("hello"))
			}
			if a.crc != want {
				t.Errorf("range [%d, %d): crc %08x, want the directory's %08x", a.off, a.off+a.n, a.crc, want)
			}
		}
		if strings.Contains(problemsString(got), "checksum") {
			t.Errorf("damaged %v: Walk reported a CRC-32 it left to RangeCRC32: %s", damaged, problemsString(got))
		}
		var e *Entry
		for i := range got.Entries {
			if strings.HasSuffix(got.Entries[i].Path, "big.bin") {
				e = &got.Entries[i]
			}
		}
		if e == nil || e.SHA256 != "range+crc" || e.Size != int64(len(big)) {
			t.Errorf("damaged %v: big.bin entry %+v", damaged, e)
		}
		if read >= int64(len(big)) {
			t.Errorf("damaged %v: %d bytes read sequentially, the entry is %d", damaged, read, len(big))
		}
		// When the entry is read to its end anyway (a module reads it),
		// Walk checks the CRC-32 itself, as without RangeCRC32.
		again, _ := walkAll(t, []Input{in}, Options{})
		if !reflect.DeepEqual(again.Problems, plain.Problems) {
			t.Errorf("damaged %v: read whole, problems %s, want %s", damaged, problemsString(again), problemsString(plain))
		}
	}
}
