package indicators

import (
	"fmt"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/report"
)

// TestAdversarialTexts: inputs built to make a careless scanner quadratic
// finish (a quadratic scan of these would not end within the test timeout).
func TestAdversarialTexts(t *testing.T) {
	const n = 1 << 20
	set, err := Load("a.stix2", strings.NewReader(`{"type":"bundle","objects":[{"type":"indicator","id":"indicator--1","pattern":"[domain-name:value = 'a.com']"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"closing parens":  "https://a.com/" + strings.Repeat(")", n),
		"many hosts":      strings.Repeat("a.com ", n/6),
		"long local part": strings.Repeat("x", n) + "@a.com",
		"many ats":        strings.Repeat("a@", n/2) + "a.com",
		"many schemes":    strings.Repeat("http://", n/7),
		"long host":       strings.Repeat("a.", n/2) + "com",
		"long IDN host":   strings.Repeat("пример.", n/13) + "рф",
		"long scheme":     strings.Repeat("h", n) + "://a.com",
		"dots":            strings.Repeat(".", n),
	} {
		rep := report.New()
		rep.Messages = []report.Message{{Body: text, Source: "m"}}
		res := set.Match(rep)
		wantMatches := 1
		if name == "many schemes" || name == "long host" || name == "long IDN host" || name == "dots" {
			wantMatches = 0
		}
		if len(res.Matches) != wantMatches {
			t.Errorf("%s: %d matches, want %d", name, len(res.Matches), wantMatches)
		}
		for _, m := range res.Matches {
			if c := m.Context; c != nil && len(c.Before)+len(c.Text)+len(c.After) > 2000 {
				t.Errorf("%s: excerpt of %d bytes", name, len(c.Before)+len(c.Text)+len(c.After))
			}
		}
	}
}

func benchReport(messages int) *report.Report {
	rep := report.New()
	for i := 0; i < messages; i++ {
		body := fmt.Sprintf("Hi! Your parcel %d is waiting: https://track%d.example.net/p/%d?id=%d. "+
			"Questions? Write to help%d@example.org or call +4420794%05d. Привет, как дела? See пример%d.рф/путь", i, i%97, i, i, i%13, i%100000, i%7)
		rep.Messages = append(rep.Messages, report.Message{Kind: "sms", Body: body, Address: fmt.Sprintf("+7926%07d", i), Source: fmt.Sprintf("b.ab!x#json[%d]", i)})
	}
	for i := 0; i < messages/10; i++ {
		rep.Files = append(rep.Files, report.File{Path: fmt.Sprintf("b.ab!apps/com.app%d.x/f/file%d.bin", i%50, i), SHA256: fmt.Sprintf("%064x", i)})
	}
	return rep
}

func benchSet(b *testing.B, indicators int) *Set {
	var sb strings.Builder
	sb.WriteString(`{"type":"bundle","objects":[`)
	for i := 0; i < indicators; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		var p string
		switch i % 5 {
		case 0:
			p = fmt.Sprintf("[domain-name:value = 'bad%d.example.com']", i)
		case 1:
			p = fmt.Sprintf("[url:value = 'https://bad%d.example.com/x']", i)
		case 2:
			p = fmt.Sprintf("[email-addr:value = 'op%d@example.com']", i)
		case 3:
			p = fmt.Sprintf("[file:hashes.sha256 = '%064x']", i+1<<40)
		case 4:
			p = fmt.Sprintf("[app:id = 'com.bad%d.app']", i)
		}
		fmt.Fprintf(&sb, `{"type":"indicator","id":"indicator--%d","pattern":%q}`, i, p)
	}
	sb.WriteString(`]}`)
	s, err := Load("bench.stix2", strings.NewReader(sb.String()))
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkMatch: 10,000 messages (links, e-mail, number, IDN each) and
// 1,000 files against 5,000 indicators.
func BenchmarkMatch(b *testing.B) {
	rep := benchReport(10000)
	set := benchSet(b, 5000)
	size := 0
	for _, m := range rep.Messages {
		size += len(m.Body)
	}
	b.SetBytes(int64(size))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		set.Match(rep)
	}
}

// BenchmarkLoad: a 5,000-indicator bundle.
func BenchmarkLoad(b *testing.B) {
	for i := 0; i < b.N; i++ {
		benchSet(b, 5000)
	}
}
