package container

import (
	"bytes"
	"errors"
	"io"
	"math/rand"
	"strings"
	"testing"
)

// testSpool is a SpoolFile in a buffer of its own.
type testSpool struct {
	buf  bytes.Buffer
	made *[]int64 // sizes asked for
}

func (s *testSpool) Write(p []byte) (int, error) { return s.buf.Write(p) }
func (s *testSpool) ReaderAt() (io.ReaderAt, error) {
	return bytes.NewReader(s.buf.Bytes()), nil
}

// SQLite files inside a stream past MemorySpoolMax go to Options.Spool (no
// spool-limit problem, the File reads them from there); small ones stay in
// memory; past SpoolOutLimit, or when Spool fails, they are spooled to
// memory within SpoolLimit as without a spool.
func TestSpoolOut(t *testing.T) {
	big := make([]byte, MemorySpoolMax+4096) // random: no bomb
	rand.New(rand.NewSource(1)).Read(big)
	copy(big, "SQLite format 3\x00")
	small := append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte{8}, 4096)...)
	tgz := mkGzip(mkTar(t, tfile{name: "big.db", data: big}, tfile{name: "small.db", data: small}), "")
	var made []int64
	spool := func(size int64) (SpoolFile, error) {
		made = append(made, size)
		return &testSpool{made: &made}, nil
	}
	res, seen := walkAll(t, []Input{memInput("b.tgz", tgz, false)}, Options{Spool: spool})
	if len(made) != 1 || made[0] != int64(len(big)) {
		t.Fatalf("spool asked for %v, want one file of %d bytes", made, len(big))
	}
	b := seen["b.tgz!b.tar!big.db"]
	if !bytes.Equal(b.data, big) || !bytes.Equal(b.ra, big) || b.f.Size != int64(len(big)) {
		t.Errorf("big.db: read %d bytes, %d through ReaderAt, size %d; want %d", len(b.data), len(b.ra), b.f.Size, len(big))
	}
	if s := seen["b.tgz!b.tar!small.db"]; !bytes.Equal(s.ra, small) {
		t.Errorf("small.db: %d bytes through ReaderAt", len(s.ra))
	}
	if hasCode(res, CodeSpoolLimit) {
		t.Errorf("problems %v", codes(res))
	}
	if e := entryMap(res)["b.tgz!b.tar!big.db"]; e.SHA256 != sha(big) {
		t.Errorf("big.db hash %s, want %s", e.SHA256, sha(big))
	}

	// Past the bound on what is spooled out: in memory within SpoolLimit.
	made = nil
	_, seen = walkAll(t, []Input{memInput("b.tgz", tgz, false)}, Options{Spool: spool, SpoolOutLimit: MemorySpoolMax})
	if len(made) != 0 || !bytes.Equal(seen["b.tgz!b.tar!big.db"].ra, big) {
		t.Errorf("over SpoolOutLimit: spool asked for %v, %d bytes through ReaderAt", made, len(seen["b.tgz!b.tar!big.db"].ra))
	}
	// A spool that fails: the same.
	res, seen = walkAll(t, []Input{memInput("b.tgz", tgz, false)}, Options{Spool: func(int64) (SpoolFile, error) { return nil, errors.New("no room") }})
	if !bytes.Equal(seen["b.tgz!b.tar!big.db"].ra, big) || hasCode(res, CodeSpoolLimit) {
		t.Errorf("failing spool: %d bytes through ReaderAt, problems %v", len(seen["b.tgz!b.tar!big.db"].ra), codes(res))
	}
}

// A zip inside a stream past MemorySpoolMax is spooled out of memory and
// read through its central directory; its entries' bytes come from there.
func TestSpoolOutZip(t *testing.T) {
	big := make([]byte, MemorySpoolMax+4096)
	rand.New(rand.NewSource(2)).Read(big)
	inner := mkZip(t, true, tfile{name: "media/big.bin", data: big}, tfile{name: "note.txt", data: []byte("hello")})
	tgz := mkGzip(mkTar(t, tfile{name: "inner.zip", data: inner}), "")
	var made []int64
	spool := func(size int64) (SpoolFile, error) {
		made = append(made, size)
		return &testSpool{made: &made}, nil
	}
	res, seen := walkAll(t, []Input{memInput("z.tgz", tgz, false)}, Options{Spool: spool})
	if len(made) != 1 || made[0] != int64(len(inner)) {
		t.Fatalf("spool asked for %v, want one file of %d bytes", made, len(inner))
	}
	b := seen["z.tgz!z.tar!inner.zip!media/big.bin"]
	if !bytes.Equal(b.data, big) || !bytes.Equal(b.ra, big) {
		t.Errorf("big.bin: %d bytes read, %d through ReaderAt; want %d", len(b.data), len(b.ra), len(big))
	}
	if string(seen["z.tgz!z.tar!inner.zip!note.txt"].data) != "hello" {
		t.Errorf("note.txt: %q", seen["z.tgz!z.tar!inner.zip!note.txt"].data)
	}
	if len(codes(res)) != 0 {
		t.Errorf("problems %v", codes(res))
	}
	// The same without a spool: the same files (through memory).
	_, seen2 := walkAll(t, []Input{memInput("z.tgz", tgz, false)}, Options{})
	if len(seen2) != len(seen) || !bytes.Equal(seen2["z.tgz!z.tar!inner.zip!media/big.bin"].data, big) {
		t.Errorf("without a spool: %d files", len(seen2))
	}
}

// failingSpool fails after some bytes, as a full disk does.
type failingSpool struct{ n int }

func (s *failingSpool) Write(p []byte) (int, error) {
	if s.n += len(p); s.n > 1<<20 {
		return 0, errors.New("no space left on device")
	}
	return len(p), nil
}
func (s *failingSpool) ReaderAt() (io.ReaderAt, error) { return nil, errors.New("unreachable") }

// A spool that fails while the file is copied: the file is reported
// (spool-limit) and the rest of the input is still read.
func TestSpoolOutFails(t *testing.T) {
	big := make([]byte, MemorySpoolMax+4096)
	rand.New(rand.NewSource(3)).Read(big)
	copy(big, "SQLite format 3\x00")
	tgz := mkGzip(mkTar(t, tfile{name: "a.db", data: big}, tfile{name: "b.txt", data: []byte("after")}), "")
	res, seen := walkAll(t, []Input{memInput("f.tgz", tgz, false)}, Options{Spool: func(int64) (SpoolFile, error) { return &failingSpool{}, nil }})
	if _, ok := seen["f.tgz!f.tar!a.db"]; ok {
		t.Errorf("a.db visited")
	}
	if string(seen["f.tgz!f.tar!b.txt"].data) != "after" {
		t.Errorf("b.txt not read after the failed spool: %v", codes(res))
	}
	found := false
	for _, p := range res.Problems {
		if p.Code == CodeSpoolLimit && p.Path == "f.tgz!f.tar!a.db" && strings.Contains(p.Message, "no space left on device") {
			found = true
		}
	}
	if !found {
		t.Errorf("problems %+v: want a spool-limit problem naming a.db and the cause", res.Problems)
	}
}
