package container

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/androidbackup"
)

// FuzzWalk walks arbitrary bytes as a top-level input, with and without
// random access, under tight guards.
func FuzzWalk(f *testing.F) {
	small := mkTar(f, tfile{name: "apps/com.android.contacts/_manifest", data: manifest}, tfile{name: "apps/com.android.contacts/miui_bak/_tmp_bak", data: tmpBak})
	f.Add(small)
	f.Add(mkZip(f, false, tfile{name: "a/b.txt", data: []byte("hello")}, tfile{name: "c.db", data: sqliteDB[:100]}))
	f.Add(mkZip(f, true, tfile{name: "x", data: small}))
	f.Add(mkGzip(small, "s.tar"))
	f.Add(mkAB(f, androidbackup.WriterOptions{Compress: true}, small))
	f.Add(mkAB(f, androidbackup.WriterOptions{Password: "pw", Rounds: 2}, small))
	f.Add(mkBak(contactsHeader, mkAB(f, androidbackup.WriterOptions{}, small)))
	f.Add(append(kvRecord("k", []byte("v")), kvRecord("k2", []byte("<WifiBackupData/>"))...))
	f.Fuzz(func(t *testing.T, data []byte) {
		// Key derivation (up to MaxRounds PBKDF2 rounds, slow when
		// instrumented) is fuzzed in package androidbackup.
		if bytes.Contains(data, []byte("AES-256")) {
			return
		}
		for _, ra := range []bool{false, true} {
			opts := Options{MaxDepth: 4, MaxEntries: 50, SpoolLimit: 1 << 16, RatioMinBytes: 1 << 16, MaxRatio: 200,
				Password: func(r PasswordRequest) (string, bool) { return "pw", r.Attempt == 1 }}
			res, err := Walk(context.Background(), []Input{memInput("in", data, ra)}, opts, func(f *File, r io.Reader) error {
				_, err := io.Copy(io.Discard, r)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Inputs) != 1 || res.Inputs[0].SHA256 != sha(data) {
				t.Fatalf("input %+v", res.Inputs)
			}
			for _, e := range res.Entries {
				if !strings.HasPrefix(e.Path, "in") || e.Size < 0 {
					t.Fatalf("entry %+v", e)
				}
			}
			for _, p := range res.Problems {
				if p.Code == "" || p.Input != "in" {
					t.Fatalf("problem %+v", p)
				}
			}
		}
	})
}
