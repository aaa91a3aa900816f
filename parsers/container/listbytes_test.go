package container

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// The list of files one Walk makes is bounded in bytes (MaxListBytes): long
// names repeated below a container, or nested archives of many entries,
// stop being listed (and read) with one too-many-entries problem per input,
// and the stream around a skipped entry stays in step.
func TestMaxListBytes(t *testing.T) {
	long := strings.Repeat("n", 4000)
	var files []tfile
	for i := 0; i < 200; i++ {
		files = append(files, tfile{name: fmt.Sprintf("d/%03d/%s", i, long), data: []byte("x")})
	}
	tarData := mkTar(t, files...)
	// a zip streamed with data descriptors: its entries end only where
	// their compressed data ends, so a skipped entry must still be read
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for i := 0; i < 200; i++ {
		w, _ := zw.Create(fmt.Sprintf("z/%03d/%s", i, long))
		w.Write(bytes.Repeat([]byte{byte(i)}, 1000))
	}
	zw.Close()
	const limit = 100 * (4020 + ListEntryCost)
	for _, tc := range []struct {
		name string
		in   Input
	}{
		{"tar", memInput("long.tar", tarData, false)},
		{"tgz", memInput("long.tgz", mkGzip(tarData, ""), false)},
		{"zip-streamed", memInput("long.zip", zb.Bytes(), false)},
		{"zip-random-access", memInput("long.zip", zb.Bytes(), true)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			second := memInput("second.tar", mkTar(t, tfile{name: long, data: []byte("a")}), false)
			res, seen := walkAll(t, []Input{tc.in, second}, Options{MaxListBytes: limit})
			var listed int64
			for _, e := range res.Entries {
				listed += int64(len(e.Path)) + ListEntryCost
			}
			if listed > limit || len(res.Entries) < 90 {
				t.Errorf("%d entries listed, %d bytes; want about 100, at most %d bytes", len(res.Entries), listed, limit)
			}
			var tooMany []Problem
			for _, p := range res.Problems {
				switch p.Code {
				case CodeTooManyEntries:
					tooMany = append(tooMany, p)
				case CodeCorrupt, CodeTruncated, CodeReadError:
					t.Errorf("stream out of step after skipped entries: %+v", p)
				}
			}
			if len(tooMany) != 2 || tooMany[0].Input != tc.in.Name || tooMany[1].Input != "second.tar" ||
				!strings.Contains(tooMany[0].Message, "neither listed nor read") {
				t.Errorf("problems %+v: want one too-many-entries per input", res.Problems)
			}
			for p := range seen {
				found := false
				for _, e := range res.Entries {
					found = found || e.Path == p
				}
				if !found {
					t.Errorf("%s read but not listed", p)
				}
			}
			// the default lists them all
			res, _ = walkAll(t, []Input{tc.in}, Options{})
			if hasCode(res, CodeTooManyEntries) || len(res.Entries) < 200 {
				t.Errorf("default: %d entries, problems %v", len(res.Entries), codes(res))
			}
		})
	}
}
