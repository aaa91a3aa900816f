package indicators

import (
	"bytes"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/report"
)

// FuzzParsePattern: any text gives a pattern or a *PatternError with an
// offset inside the text, never a panic or a hang; usable comparisons
// round-trip through their String form.
func FuzzParsePattern(f *testing.F) {
	for _, s := range []string{
		`[domain-name:value = 'evil.com']`,
		`[url:value = 'https://пример.рф:8443/a/../b?x=%7e#f']`,
		`[file:hashes.'SHA-256' = '` + strings.Repeat("a", 64) + `']`,
		`[domain-name:value = 'a.com' OR ipv4-addr:value = '1.2.3.4'] OR [app:id = 'a.b']`,
		`[a:b = 'x' AND c:d = 'y'] FOLLOWEDBY [e:f = 'z'] WITHIN 5 SECONDS`,
		`[x:y[*].z NOT IN ('a', 1, 2.5, true, h'00', b'AA', t'2020-01-01T00:00:00Z')]`,
		`[file:name = 'it\'s']`, `((((`, `[`, `'`, `[a:'b' = 'c']`, `[EXISTS a:b]`,
		`[domain-name:value = '` + "\xff\xfe" + `']`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePattern(s)
		if err != nil {
			pe, ok := err.(*PatternError)
			if !ok {
				t.Fatalf("%T %v", err, err)
			}
			if pe.Offset < 0 || pe.Offset > len(s) || pe.Reason == "" {
				t.Fatalf("bad error %+v for %q", pe, s)
			}
			return
		}
		if len(p.Comparisons) == 0 {
			t.Fatalf("no comparison and no error for %q", s)
		}
		for _, c := range p.Comparisons {
			q, err := ParsePattern(c.String())
			if err != nil || len(q.Comparisons) != 1 || q.Comparisons[0].Value != c.Value || q.Comparisons[0].Kind != c.Kind {
				t.Fatalf("%q: comparison %s does not round-trip: %v", s, c.String(), err)
			}
		}
	})
}

// FuzzLoad: any file loads or fails with a *FormatError; a loaded set
// matches a report without panicking.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(`{"type":"bundle","objects":[{"type":"indicator","id":"indicator--1","pattern":"[domain-name:value = 'evil.com']"},{"type":"malware","id":"malware--1","name":"M"},{"type":"relationship","relationship_type":"indicates","source_ref":"indicator--1","target_ref":"malware--1"}]}`))
	f.Add([]byte("+79261234567\n# c\nbad\n"))
	f.Add([]byte(`{"type":"bundle","objects":[1,{"type":"report","object_refs":"x"}]}`))
	f.Add([]byte("\x00\x01"))
	rep := report.New()
	rep.Messages = []report.Message{{Body: "see https://a.evil.com/x and +79261234567", Address: "+79261234567", Source: "s"}}
	rep.Files = []report.File{{Path: "x.ab!apps/com.a.b/_manifest", SHA256: strings.Repeat("a", 64)}}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Load("fuzz", bytes.NewReader(data))
		if err != nil {
			if _, ok := err.(*FormatError); !ok {
				t.Fatalf("%T %v", err, err)
			}
			return
		}
		res := s.Match(rep)
		if res.Matches == nil || res.Unsupported == nil {
			t.Fatal("nil lists")
		}
	})
}

// FuzzScanText: spans are in bounds, ordered within their kind, and every
// hit is re-normalisable.
func FuzzScanText(f *testing.F) {
	for _, s := range []string{
		"Track: https://a.evil.com/x?id=7.", "(see https://evil.com/path), ok", "write to Op@Evil.com.",
		"тест.рф/вход", "ＥＶＩＬ．ＣＯＭ", "http://good.com@evil.com/", "a\xffb evil.com", "://", "@.", "x@y.zz/",
		"https://[::1]:80/", "evil.com:99999/", "..a..b..", "a@b@c.com",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, h := range scanText(s) {
			if h.start < 0 || h.end > len(s) || h.start >= h.end {
				t.Fatalf("span %d..%d of %d in %q", h.start, h.end, len(s), s)
			}
			if h.host == "" {
				t.Fatalf("hit without host in %q", s)
			}
			if _, err := NormalizeDomain(h.host); err != nil {
				t.Fatalf("host %q of %q does not re-normalise: %v", h.host, s, err)
			}
			_ = makeExcerpt(s, h.start, h.end)
		}
	})
}
