package indicators

import (
	"fmt"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/report"
)

func reportFile(p string) report.File { return report.File{Path: p} }

func hitsString(s string) string {
	var out []string
	for _, h := range scanText(s) {
		var v string
		switch h.kind {
		case hitURL:
			v = "url:" + h.url.String()
		case hitHost:
			v = "host:" + h.host
		case hitEmail:
			v = "email:" + h.email
		}
		out = append(out, fmt.Sprintf("%s[%s]", v, s[h.start:h.end]))
	}
	return strings.Join(out, " ")
}

func TestScanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Track: https://a.evil.com/x?id=7.", "url:https://a.evil.com/x?id=7[https://a.evil.com/x?id=7]"},
		{"(see https://evil.com/path), ok", "url:https://evil.com/path[https://evil.com/path]"},
		{"https://en.wikipedia.org/wiki/Foo_(bar)!", "url:https://en.wikipedia.org/wiki/Foo_(bar)[https://en.wikipedia.org/wiki/Foo_(bar)]"},
		{"«https://evil.com/x»", "url:https://evil.com/x[https://evil.com/x]"},
		{"link:https://evil.com/x\nnext", "url:https://evil.com/x[https://evil.com/x]"},
		{"HTTPS://EVIL.COM", "url:https://evil.com/[HTTPS://EVIL.COM]"},
		{"market://details?id=com.evil.app", "host:com.evil.app[com.evil.app]"},
		{"EVIL.COM.", "host:evil.com[EVIL.COM]"},
		{"go to evil.com/x, now", "url:evil.com/x[evil.com/x]"},
		{"evil.com:8080 is up", "url:evil.com:8080/[evil.com:8080]"},
		{"write to Op@Evil.com.", "email:op@evil.com[Op@Evil.com]"},
		{"john.smith@gmail.com", "email:john.smith@gmail.com[john.smith@gmail.com]"},
		{"тест.рф/вход", "url:xn--e1aybc.xn--p1ai/%D0%B2%D1%85%D0%BE%D0%B4[тест.рф/вход]"},
		{"1.2.3.4 and 3.14 and v1.2.3 and e.g. and т.е.", "host:1.2.3.4[1.2.3.4]"},
		{"notevil.com evil.com.attacker.net some_evil.com", "host:notevil.com[notevil.com] host:evil.com.attacker.net[evil.com.attacker.net] host:some_evil.com[some_evil.com]"},
		{"ftp://files.evil.com/a and ws://x.evil.com", "url:ftp://files.evil.com/a[ftp://files.evil.com/a] url:ws://x.evil.com/[ws://x.evil.com]"},
		{"https://", ""},
		{"://evil.com", "host:evil.com[evil.com]"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := hitsString(tt.in); got != tt.want {
			t.Errorf("scanText(%q)\n got %s\nwant %s", tt.in, got, tt.want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	s := strings.Repeat("абв ", 30) + "https://evil.com/x" + "\n" + strings.Repeat("где ", 30)
	i := strings.Index(s, "https")
	e := makeExcerpt(s, i, i+len("https://evil.com/x"))
	if !strings.HasPrefix(e.Before, "…") || !strings.HasSuffix(e.After, "…") || e.Text != "https://evil.com/x" || strings.Contains(e.After, "\n") {
		t.Errorf("excerpt %+v", e)
	}
	if n := len([]rune(e.Before)); n != excerptRunes+1 {
		t.Errorf("before has %d runes", n)
	}
	// Invalid UTF-8 becomes U+FFFD.
	e = makeExcerpt("a\xffb evil.com", 4, 12)
	if e.Before != "a\uFFFDb " {
		t.Errorf("before %q", e.Before)
	}
}

func TestNaturalLess(t *testing.T) {
	in := []string{"a#json[10]", "a#json[2]", "a#json[1]", "a#json[02]", "b", "a#json[1]x"}
	for i := range in {
		for j := range in {
			if naturalLess(in[i], in[j]) && naturalLess(in[j], in[i]) {
				t.Errorf("not antisymmetric: %q %q", in[i], in[j])
			}
		}
	}
	if !naturalLess("a#json[2]", "a#json[10]") || naturalLess("a#json[10]", "a#json[2]") || !naturalLess("a#json[1]", "a#json[1]x") {
		t.Errorf("order")
	}
}
