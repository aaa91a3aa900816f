package container

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/androidbackup"
)

// Cutting each kind of container at every byte never panics or hangs, and
// (once the magic is in) reports "truncated at offset N" for the input.
func TestTruncateEveryByte(t *testing.T) {
	small := mkTar(t,
		tfile{name: "apps/com.android.contacts/_manifest", data: manifest},
		tfile{name: "apps/com.android.contacts/miui_bak/_tmp_bak", data: tmpBak},
	)
	cases := []struct {
		name   string
		data   []byte
		ra     bool
		strict bool // every cut past the magic must report truncation
		from   int  // ... from this length on (default 24)
	}{
		{"ab-compressed", mkAB(t, androidbackup.WriterOptions{Compress: true}, small), false, true, 0},
		{"ab-encrypted", mkAB(t, androidbackup.WriterOptions{Password: "pw", Rounds: 1}, small), false, true, 0},
		{"bak-compressed", mkBak(contactsHeader, mkAB(t, androidbackup.WriterOptions{Compress: true}, small)), false, true, 0},
		{"zip-ra", mkZip(t, false, tfile{name: "a.txt", data: []byte("hello hello hello")}, tfile{name: "b/c.txt", data: tmpMeta}), true, true, 0},
		{"zip-stream", mkZip(t, false, tfile{name: "a.txt", data: []byte("hello hello hello")}, tfile{name: "b/c.txt", data: tmpMeta}), false, true, 0},
		{"tgz", mkGzip(small, "x.tar"), false, true, 0},
		{"tar", small, false, true, 512},
		{"bak-plain", mkBak(contactsHeader, mkAB(t, androidbackup.WriterOptions{}, small)), false, true, 0},
		{"zip-in-tar", mkTar(t, tfile{name: "z.zip", data: mkZip(t, false, tfile{name: "a", data: tmpMeta})}), false, true, 512},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for n := 0; n < len(tc.data); n++ {
				cut := tc.data[:n]
				res, err := Walk(context.Background(), []Input{memInput(tc.name, cut, tc.ra)}, Options{Password: func(r PasswordRequest) (string, bool) { return "pw", r.Attempt == 1 }},
					func(f *File, r io.Reader) error { _, err := io.Copy(io.Discard, r); return err })
				if err != nil {
					t.Fatalf("cut %d: %v", n, err)
				}
				if len(res.Entries) == 0 || res.Entries[0].Size != int64(n) || res.Inputs[0].SHA256 != sha(cut) {
					t.Fatalf("cut %d: first entry %+v", n, res.Entries[0])
				}
				if tc.from == 0 {
					tc.from = 24
				}
				if !tc.strict || n < tc.from {
					continue
				}
				found := false
				for _, p := range res.Problems {
					if p.Code == CodeTruncated && p.Input == tc.name && strings.HasPrefix(p.Message, "truncated at offset ") {
						found = true
						// The offset is where the input ended.
						if p.Offset != int64(n) || p.Path != tc.name {
							t.Errorf("cut %d: problem %+v", n, p)
						}
					}
				}
				if !found {
					t.Fatalf("cut %d of %d: no truncation problem: %s", n, len(tc.data), problemsString(res))
				}
			}
		})
	}
}
