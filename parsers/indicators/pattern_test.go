package indicators

import (
	"errors"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/report"
)

func TestParsePatternSupported(t *testing.T) {
	tests := []struct {
		pattern string
		want    []string // kind=value of each comparison
		skipped int
	}{
		{`[domain-name:value = 'evil.com']`, []string{"domain-name=evil.com"}, 0},
		{`[domain-name:value='EVIL.com.']`, []string{"domain-name=evil.com"}, 0},
		{`[domain-name:value = 'пример.рф']`, []string{"domain-name=xn--e1afmkfd.xn--p1ai"}, 0},
		{`[url:value = 'HTTPS://Evil.com:443/a/../b?x=%7e']`, []string{"url=https://evil.com/b?x=~"}, 0},
		{`[email-addr:value = 'A.B@Evil.COM']`, []string{"email-addr=a.b@evil.com"}, 0},
		{`[app:id = 'com.evil.app']`, []string{"app=com.evil.app"}, 0},
		{`[file:name = 'payload.apk']`, []string{"file-name=payload.apk"}, 0},
		{`[file:hashes.sha256 = '` + strings.Repeat("AB", 32) + `']`, []string{"file-sha256=" + strings.Repeat("ab", 32)}, 0},
		{`[file:hashes.'SHA-256' = '` + strings.Repeat("0", 64) + `']`, []string{"file-sha256=" + strings.Repeat("0", 64)}, 0},
		{`[file:hashes.SHA256 = '` + strings.Repeat("1", 64) + `']`, []string{"file-sha256=" + strings.Repeat("1", 64)}, 0},
		{`[android-property:name = 'persist.sys.x']`, []string{"android-property=persist.sys.x"}, 0},
		// OR inside one observation and between observations, with parentheses.
		{`[domain-name:value = 'a.com' OR domain-name:value = 'b.com']`, []string{"domain-name=a.com", "domain-name=b.com"}, 0},
		{`[domain-name:value = 'a.com'] OR [app:id = 'x.y.z']`, []string{"domain-name=a.com", "app=x.y.z"}, 0},
		{`([domain-name:value = 'a.com'] OR ([url:value = 'http://b.com/']))`, []string{"domain-name=a.com", "url=http://b.com/"}, 0},
		{`[(domain-name:value = 'a.com' OR (domain-name:value = 'c.com'))]`, []string{"domain-name=a.com", "domain-name=c.com"}, 0},
		// Escapes.
		{`[file:name = 'it\'s \\ here']`, []string{`file-name=it's \ here`}, 0},
		// Usable half of an OR.
		{`[domain-name:value = 'a.com' OR ipv4-addr:value = '1.2.3.4']`, []string{"domain-name=a.com"}, 1},
		{`[file:hashes.MD5 = 'x'] OR [file:name = 'a.apk']`, []string{"file-name=a.apk"}, 1},
		{"\t[ domain-name : value\n=\n'a.com' ]  ", []string{"domain-name=a.com"}, 0},
	}
	for _, tt := range tests {
		p, err := ParsePattern(tt.pattern)
		if err != nil {
			t.Errorf("%s: %v", tt.pattern, err)
			continue
		}
		var got []string
		for _, c := range p.Comparisons {
			got = append(got, c.Kind+"="+c.Value)
		}
		if strings.Join(got, " | ") != strings.Join(tt.want, " | ") {
			t.Errorf("%s: got %q, want %q", tt.pattern, got, tt.want)
		}
		if len(p.Skipped) != tt.skipped {
			t.Errorf("%s: %d skipped, want %d", tt.pattern, len(p.Skipped), tt.skipped)
		}
	}
}

func TestParsePatternRejected(t *testing.T) {
	tests := []struct {
		pattern string
		invalid bool
		offset  int // -1: don't check
		reason  string
	}{
		{``, true, 0, "empty pattern"},
		{`   `, true, 0, "empty pattern"},
		{`[domain-name:value = 'a.com'`, true, 28, "expected ']' or OR, found end of pattern"},
		{`domain-name:value = 'a.com'`, true, 0, "expected '['"},
		{`[domain-name:value = 'a.com]`, true, 21, "string not closed"},
		{`[domain-name:value = 'a\x.com']`, true, 23, "bad escape"},
		{`[domain-name:value == 'a.com']`, true, 19, "'==' is not a STIX operator"},
		{`[domain-name:value = 'a.com' or domain-name:value = 'b.com']`, true, 29, "STIX keywords are upper case"},
		{`[domain-name value = 'a.com']`, true, 13, "expected ':'"},
		{`[domain-name: = 'a.com']`, true, 14, "expected a property name"},
		{`[domain-name:value = ]`, true, 21, "expected a value"},
		{`[domain-name:value = 'a.com'] extra`, true, 30, "unexpected"},
		{`[domain-name:value = 'a.com'] OR`, true, 32, "expected '['"},
		{`[domain-name:value = 'a.com' ! 'b']`, true, 29, "unexpected '!'"},
		{`[domain-name:value = 'a.com' § ]`, true, 29, "unexpected character"},
		{`[file:hashes.sha256 = 'zz']`, true, 1, "not a SHA-256"},
		{`[domain-name:value = 'com']`, true, 1, "single label"},
		{`[domain-name:value = '*.evil.com']`, true, 1, "wildcards"},
		{`[domain-name:value = 'a b.com']`, true, 1, "not a host name"},
		{`[url:value = 'http://[::1']`, true, 1, "IPv6"},
		{`[url:value = 'http://a.com:99999/']`, true, 1, "port"},
		{`[email-addr:value = 'nobody']`, true, 1, "local@domain"},
		{`[app:id = 'not a package']`, true, 1, "package"},
		{`[file:name = 'a/b']`, true, 1, "not a file name"},
		{strings.Repeat("(", 100) + `[a:b = 'c']`, true, 64, "nested deeper"},
		{"[file:name = '" + strings.Repeat("a", MaxPatternLength) + "']", true, MaxPatternLength, "limit"},
		// Valid but unsupported.
		{`[domain-name:value = 'a.com' AND url:value = 'http://a.com/']`, false, 29, "AND joins comparisons"},
		{`[domain-name:value = 'a.com'] AND [url:value = 'http://a.com/']`, false, 30, "AND joins observations"},
		{`[domain-name:value = 'a.com'] FOLLOWEDBY [url:value = 'http://a.com/']`, false, 30, "FOLLOWEDBY"},
		{`[domain-name:value = 'a.com'] WITHIN 300 SECONDS`, false, 30, "qualifier WITHIN"},
		{`[domain-name:value = 'a.com'] REPEATS 5 TIMES`, false, 30, "qualifier REPEATS"},
		{`[domain-name:value = 'a.com'] START t'2024-01-01T00:00:00Z' STOP t'2024-02-01T00:00:00Z'`, false, 30, "qualifier START"},
		{`[NOT domain-name:value = 'a.com']`, false, 1, "NOT"},
		{`[domain-name:value NOT = 'a.com']`, false, 1, "NOT"},
		{`[domain-name:value != 'a.com']`, false, 1, "operator !="},
		{`[domain-name:value LIKE '%.a.com']`, false, 1, "operator LIKE"},
		{`[domain-name:value MATCHES '^a']`, false, 1, "operator MATCHES"},
		{`[domain-name:value IN ('a.com', 'b.com')]`, false, 1, "operator IN"},
		{`[ipv4-addr:value ISSUBSET '10.0.0.0/8']`, false, 1, "ipv4-addr"},
		{`[EXISTS file:name]`, false, 1, "operator EXISTS"},
		{`[file:size > 100]`, false, 1, "object path file:size is not supported"},
		{`[file:name = 5]`, false, 1, "non-string value"},
		{`[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']`, false, 1, "SHA-256 of every file"},
		{`[file:path = '/data/local/tmp/x']`, false, 1, "file paths are not compared"},
		{`[process:name = 'x']`, false, 1, "process names"},
		{`[x-custom:value = 'x']`, false, 1, "x-custom:value is not supported"},
		{`[file:names[0] = 'x']`, false, 1, "list steps"},
		{`[domain-name:value = 'a'] OR [ipv4-addr:value = '1.2.3.4']`, true, -1, "no comparison can be used"},
	}
	for _, tt := range tests {
		p, err := ParsePattern(tt.pattern)
		if err == nil {
			t.Errorf("%s: accepted (%+v)", tt.pattern, p)
			continue
		}
		var pe *PatternError
		if !errors.As(err, &pe) {
			t.Errorf("%s: error %T %v", tt.pattern, err, err)
			continue
		}
		want := ErrUnsupportedPattern
		if tt.invalid {
			want = ErrInvalidPattern
		}
		if !errors.Is(err, want) || pe.Invalid != tt.invalid {
			t.Errorf("%s: %v; want invalid=%v", tt.pattern, err, tt.invalid)
		}
		if tt.offset >= 0 && pe.Offset != tt.offset {
			t.Errorf("%s: offset %d, want %d (%s)", trunc(tt.pattern), pe.Offset, tt.offset, pe.Reason)
		}
		if !strings.Contains(pe.Reason, tt.reason) {
			t.Errorf("%s: reason %q lacks %q", trunc(tt.pattern), pe.Reason, tt.reason)
		}
	}
}

func trunc(s string) string { return truncate(s, 80) }

func TestComparisonStringRoundTrip(t *testing.T) {
	p, err := ParsePattern(`[file:name = 'it\'s \\ x'] OR [file:hashes.'SHA-256' = '` + strings.Repeat("a", 64) + `']`)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range p.Comparisons {
		q, err := ParsePattern(c.String())
		if err != nil {
			t.Fatalf("%s: %v", c.String(), err)
		}
		if len(q.Comparisons) != 1 || q.Comparisons[0].Value != c.Value || q.Comparisons[0].Kind != c.Kind {
			t.Errorf("%s round trip: %+v", c.String(), q.Comparisons)
		}
	}
	if p.Comparisons[1].Kind != report.IndicatorSHA256 {
		t.Errorf("kind %s", p.Comparisons[1].Kind)
	}
}
