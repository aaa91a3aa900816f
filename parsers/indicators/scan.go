package indicators

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/backupinspector/backupinspector/parsers/report"
)

type hitKind int

const (
	hitURL   hitKind = iota // a link (with or without scheme)
	hitHost                 // a domain name written alone
	hitEmail                // an e-mail address
)

// A hit is something found in free text: a link, a domain name or an
// e-mail address, with its byte span.
type hit struct {
	kind       hitKind
	start, end int
	url        URL
	host       string // normalised host (of the link, the domain, the address)
	email      string
}

// linkSchemes are the schemes whose links are read out of text.
var linkSchemes = map[string]bool{"http": true, "https": true, "ftp": true, "ftps": true, "ws": true, "wss": true}

// scanText finds links, written domain names and e-mail addresses in s.
// It never resolves anything: it only reads the text.
func scanText(s string) []hit {
	var hits []hit
	var spans [][2]int // URL spans, in order
	// 1. Links with a scheme.
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], "://")
		if i < 0 {
			break
		}
		i += off
		off = i + 3
		j := i
		for j > 0 && schemeChar(s[j-1]) {
			j--
		}
		for j < i && !(s[j] >= 'a' && s[j] <= 'z' || s[j] >= 'A' && s[j] <= 'Z') {
			j++
		}
		if !linkSchemes[strings.ToLower(s[j:i])] {
			continue
		}
		end := trimURLEnd(s, j, urlEnd(s, i+3))
		if end <= i+3 {
			continue
		}
		u, err := NormalizeURL(s[j:end])
		if err != nil {
			continue
		}
		hits = append(hits, hit{kind: hitURL, start: j, end: end, url: u, host: u.Host})
		spans = append(spans, [2]int{j, end})
		off = end
	}
	// 2. Host-like runs outside those links.
	si := 0
	for i := 0; i < len(s); {
		for si < len(spans) && spans[si][1] <= i {
			si++
		}
		if si < len(spans) && i >= spans[si][0] {
			i = spans[si][1]
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !hostRune(r) {
			i += n
			continue
		}
		a := i
		b := i
		for b < len(s) {
			if si < len(spans) && b >= spans[si][0] {
				break
			}
			r, n := utf8.DecodeRuneInString(s[b:])
			if !hostRune(r) {
				break
			}
			b += n
		}
		i = b
		// Trim punctuation around the run.
		for a < b {
			r, n := utf8.DecodeRuneInString(s[a:])
			if r == '.' || r == '-' || r == '_' || isDotVariant(r) {
				a += n
				continue
			}
			break
		}
		tb := b
		for tb > a {
			r, n := utf8.DecodeLastRuneInString(s[a:tb])
			if r == '.' || r == '-' || isDotVariant(r) {
				tb -= n
				continue
			}
			break
		}
		tok := s[a:tb]
		if !looksLikeHost(tok) {
			continue
		}
		if b < len(s) && s[b] == '@' && tb == b {
			continue // the local part of an address
		}
		host, err := NormalizeDomain(tok)
		if err != nil {
			continue
		}
		// An e-mail address: domain preceded by '@' and a local part.
		if a > 0 && s[a-1] == '@' {
			l := a - 1
			for l > 0 {
				r, n := utf8.DecodeLastRuneInString(s[:l])
				if !localRune(r) {
					break
				}
				l -= n
			}
			for l < a-1 && s[l] == '.' {
				l++
			}
			if l < a-1 {
				if e, err := NormalizeEmail(s[l:tb]); err == nil {
					hits = append(hits, hit{kind: hitEmail, start: l, end: tb, host: host, email: e})
					continue
				}
			}
		}
		// A link without a scheme: host followed by a path or a port.
		if tb == b && b < len(s) && (s[b] == '/' || s[b] == ':' && b+1 < len(s) && s[b+1] >= '0' && s[b+1] <= '9') && !isIP(host) {
			end := urlEnd(s, b)
			if si < len(spans) && end > spans[si][0] {
				end = spans[si][0]
			}
			end = trimURLEnd(s, a, end)
			if u, err := NormalizeURL(s[a:end]); err == nil {
				hits = append(hits, hit{kind: hitURL, start: a, end: end, url: u, host: u.Host})
				i = end
				continue
			}
		}
		hits = append(hits, hit{kind: hitHost, start: a, end: tb, host: host})
	}
	return hits
}

func schemeChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'
}

func isDotVariant(r rune) bool { return r == '\u3002' || r == '\uff0e' || r == '\uff61' }

// hostRune: characters of a written host name (IDN letters included, and
// '_' so that "some_evil.com" stays one word).
func hostRune(r rune) bool {
	return r == '.' || r == '-' || r == '_' || isDotVariant(r) ||
		r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
		r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r))
}

func localRune(r rune) bool {
	if r >= utf8.RuneSelf {
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	}
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(".!#$%&'*+/=?^_`{|}~-", r)
}

// looksLikeHost: at least two labels, and the last one either a name of
// two or more characters (not all digits) or the whole run an IPv4 address.
func looksLikeHost(tok string) bool {
	last := -1
	for i, r := range tok {
		if r == '.' || isDotVariant(r) {
			last = i + utf8.RuneLen(r)
		}
	}
	if last < 0 || last >= len(tok) {
		return false
	}
	tld := tok[last:]
	if allDigits(tld) {
		return isIP(tok)
	}
	return utf8.RuneCountInString(tld) >= 2
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isIP(h string) bool {
	if strings.Contains(h, ":") {
		return true
	}
	parts := strings.Split(h, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if !allDigits(p) || len(p) > 3 {
			return false
		}
	}
	return true
}

// urlStop: characters that end a link written in text.
func urlStop(r rune) bool {
	if unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError {
		return true
	}
	switch r {
	case '<', '>', '"', '`', '«', '»', '“', '”', '„', '‘', '’', '‹', '›', '「', '」', '『', '』', '【', '】', '《', '》', '（', '）', '，', '。', '、', '！', '？', '；', '：':
		return true
	}
	return false
}

func urlEnd(s string, from int) int {
	i := from
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if urlStop(r) {
			break
		}
		i += n
	}
	return i
}

// trimURLEnd drops punctuation that ends a sentence rather than the link,
// and closing brackets that the link did not open.
func trimURLEnd(s string, start, end int) int {
	var open, closed [3]int
	const pairs = "()[]{}"
	for i := start; i < end; i++ {
		if k := strings.IndexByte(pairs, s[i]); k >= 0 {
			if k%2 == 0 {
				open[k/2]++
			} else {
				closed[k/2]++
			}
		}
	}
	for end > start {
		c := s[end-1]
		switch c {
		case '.', ',', ';', ':', '!', '?', '\'', '*':
			end--
			continue
		case ')', ']', '}':
			k := strings.IndexByte(pairs, c) / 2
			if open[k] < closed[k] {
				closed[k]--
				end--
				continue
			}
		}
		break
	}
	return end
}

// excerptRunes is how much text an excerpt keeps either side of a match.
const excerptRunes = 48

// makeExcerpt cuts the text around s[start:end]. Its cost depends on the
// excerpt's length only, not on the length of s.
func makeExcerpt(s string, start, end int) *report.Excerpt {
	b := start
	for n := 0; b > 0 && n < excerptRunes; n++ {
		_, k := utf8.DecodeLastRuneInString(s[:b])
		b -= k
	}
	a := end
	for n := 0; a < len(s) && n < excerptRunes; n++ {
		_, k := utf8.DecodeRuneInString(s[a:])
		a += k
	}
	t := start
	for n := 0; t < end && n < 4*excerptRunes; n++ {
		_, k := utf8.DecodeRuneInString(s[t:])
		t += k
	}
	e := &report.Excerpt{Before: oneLine(s[b:start]), Text: oneLine(s[start:t]), After: oneLine(s[end:a])}
	if t < end {
		e.Text += "…"
	}
	if b > 0 {
		e.Before = "…" + e.Before
	}
	if a < len(s) {
		e.After += "…"
	}
	return e
}

// oneLine replaces line breaks and tabs by spaces, and invalid UTF-8 by U+FFFD.
func oneLine(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
}
