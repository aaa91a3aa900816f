// Package links finds web links in free text (message bodies, contact
// notes) and normalises them for the report.
//
// Three forms are recognised:
//
//   - URLs with a scheme: http://, https://, ftp:// (any letter case);
//   - host names starting with "www.";
//   - bare domain names whose top-level domain is a known one
//     (example.com/path, пример.рф, 10086.cn). The list leaves out TLDs
//     that are common words or file extensions (.is, .no, .so, .md, .py,
//     .zip…) to avoid turning typos and file names into links. An address
//     before "@" (an e-mail) is not a link.
//
// A link ends at white space, a quote, "<", ">", a control character or
// CJK/full-width punctuation. Trailing punctuation (.,:;!?' …) is removed,
// and so is a closing bracket that has no opening partner inside the link,
// so "(see https://example.com/a_(b))." yields https://example.com/a_(b).
//
// Normalisation (Link.URL): the scheme and host are lower-cased, an IDN host
// is converted to punycode (its Unicode form is kept in Link.Display, also
// when the text already used punycode — which is how look-alike hosts are
// spotted), a default port (:80 for http, :443 for https, :21 for ftp) is
// dropped, and links written without a scheme get "http://". Path, query
// and fragment are kept as written. Links are never fetched or resolved;
// Link.Shortener marks hosts of known URL shorteners, whose destination the
// text does not show.
package links

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/backupinspector/backupinspector/parsers/report"
)

// Find returns the links in text in order of appearance, each distinct
// normalised URL once. It returns nil when there is none.
func Find(text string) []report.Link {
	if !strings.Contains(text, ".") && !strings.Contains(text, "://") {
		return nil
	}
	var out []report.Link
	seen := map[string]bool{}
	for i := 0; i < len(text); {
		start, end, ok := next(text, i)
		if !ok {
			break
		}
		i = end
		if l, ok := Normalize(text[start:end]); ok && !seen[l.URL] {
			seen[l.URL] = true
			out = append(out, l)
		}
	}
	return out
}

// next finds the next link candidate at or after i and returns its byte
// range, already trimmed.
func next(text string, i int) (int, int, bool) {
	lo := i
	for i < len(text) {
		// Scheme or www. at a word start.
		if s, e, ok := schemeAt(text, i); ok {
			return s, e, true
		}
		if s, e, ok := wwwAt(text, i); ok {
			return s, e, true
		}
		if text[i] == '.' {
			if s, e, ok := bareAt(text, lo, i); ok {
				return s, e, true
			}
		}
		_, n := utf8.DecodeRuneInString(text[i:])
		i += n
	}
	return 0, 0, false
}

var schemes = []string{"https://", "http://", "ftp://"}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func prevRune(text string, i int) rune {
	if i == 0 {
		return -1
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r
}

func isASCIIAlnum(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}

func schemeAt(text string, i int) (int, int, bool) {
	c := text[i]
	if c != 'h' && c != 'H' && c != 'f' && c != 'F' {
		return 0, 0, false
	}
	if p := prevRune(text, i); isASCIIAlnum(p) || p == '.' || p == '-' || p == '_' || p == '+' {
		return 0, 0, false
	}
	for _, s := range schemes {
		if hasPrefixFold(text[i:], s) {
			if !hostStart(text[i+len(s):]) {
				return 0, 0, false
			}
			end := trimEnd(text, i+len(s), scanURL(text, i+len(s)))
			if end == i+len(s) {
				return 0, 0, false
			}
			return i, end, true
		}
	}
	return 0, 0, false
}

// hostStart reports whether the part after "scheme://" starts with a
// host character (not "/", "?", "#", "@" or ":").
func hostStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r == '[' || isHostRune(r)
}

func wwwAt(text string, i int) (int, int, bool) {
	if text[i] != 'w' && text[i] != 'W' || !hasPrefixFold(text[i:], "www.") {
		return 0, 0, false
	}
	if p := prevRune(text, i); isASCIIAlnum(p) || strings.ContainsRune(".-_@/:+", p) {
		return 0, 0, false
	}
	// The host: labels after "www.", at most maxHost bytes.
	end := i + 4
	for end < len(text) && end-i <= maxHost {
		r, n := utf8.DecodeRuneInString(text[end:])
		if !isHostRune(r) && r != '.' && r != '-' {
			break
		}
		end += n
	}
	end = trimEnd(text, i+4, end)
	host := text[i+4 : end]
	if end-i > maxHost || !strings.Contains(host, ".") || strings.HasPrefix(host, ".") || strings.Contains(host, "..") {
		return 0, 0, false
	}
	if end < len(text) {
		switch text[end] {
		case '@':
			return 0, 0, false
		case '/', ':', '?', '#':
			end = trimEnd(text, i+4, scanURL(text, end))
		}
	}
	return i, end, true
}

// maxHost is the longest host name (RFC 1035: 253 characters; more bytes
// for IDNs written in Unicode).
const maxHost = 512

// bareAt looks at the dot at text[dot] as the one before a top-level
// domain and, when the TLD is known, walks back over the labels of the
// same script.
func bareAt(text string, lo, dot int) (int, int, bool) {
	tldStart := dot + 1
	tldEnd := tldStart
	var script *unicode.RangeTable
	for tldEnd < len(text) {
		r, n := utf8.DecodeRuneInString(text[tldEnd:])
		if !unicode.IsLetter(r) {
			break
		}
		sc := scriptOf(r)
		if script == nil {
			script = sc
		} else if sc != script {
			break
		}
		tldEnd += n
	}
	if tldEnd == tldStart || !knownTLD(text[tldStart:tldEnd]) {
		return 0, 0, false
	}
	// What follows the TLD must not continue the word.
	if tldEnd < len(text) {
		r, _ := utf8.DecodeRuneInString(text[tldEnd:])
		if r == '@' || r == '-' || r == '_' || unicode.IsDigit(r) || (unicode.IsLetter(r) && scriptOf(r) == script) {
			return 0, 0, false
		}
		if r == '.' && tldEnd+1 < len(text) { // more labels follow: the TLD is further on
			if r2, _ := utf8.DecodeRuneInString(text[tldEnd+1:]); isHostRune(r2) {
				return 0, 0, false
			}
		}
	}
	// Walk back over labels.
	start := dot
	labelLen := 0
	for start > lo && dot-start < maxHost {
		r, n := utf8.DecodeLastRuneInString(text[:start])
		switch {
		case r == '.':
			if labelLen == 0 {
				return 0, 0, false // ".." or a label missing
			}
			labelLen = 0
		case r == '-' || isASCIIAlnum(r) && script == latinScript || unicode.IsDigit(r) && r < utf8.RuneSelf ||
			(unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)) && r >= utf8.RuneSelf && scriptOf(r) == script:
			labelLen++
		default:
			goto done
		}
		start -= n
	}
done:
	if labelLen == 0 || start == dot {
		return 0, 0, false
	}
	if p := prevRune(text, start); p == '@' || p == '/' || p == '.' || p == ':' || p == '_' || p == '+' || p == '\\' || p == '=' || p == '&' || p == '%' {
		return 0, 0, false
	}
	label := text[start:dot]
	if label[0] == '-' || label[len(label)-1] == '-' {
		return 0, 0, false
	}
	end := tldEnd
	if end < len(text) && strings.IndexByte("/:?#", text[end]) >= 0 {
		if text[end] == ':' {
			k := end + 1
			for k < len(text) && text[k] >= '0' && text[k] <= '9' {
				k++
			}
			if k == end+1 {
				return start, end, true // a colon, not a port
			}
		}
		end = trimEnd(text, tldEnd, scanURL(text, end))
	}
	return start, end, true
}

var (
	latinScript = unicode.Latin
	cjkScript   = unicode.Han
)

// scriptOf returns the script table of a letter (ASCII letters are Latin;
// Han, Hiragana and Katakana count as one).
func scriptOf(r rune) *unicode.RangeTable {
	if r < utf8.RuneSelf {
		return latinScript
	}
	for _, t := range []*unicode.RangeTable{unicode.Latin, unicode.Cyrillic, unicode.Greek, unicode.Arabic, unicode.Hebrew,
		unicode.Hangul, unicode.Thai, unicode.Devanagari, unicode.Georgian, unicode.Armenian} {
		if unicode.Is(t, r) {
			return t
		}
	}
	if unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) {
		return cjkScript
	}
	return nil
}

func isHostRune(r rune) bool {
	return isASCIIAlnum(r) || r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r))
}

// isTerminator reports whether r ends a link.
func isTerminator(r rune) bool {
	if r < utf8.RuneSelf {
		return r <= ' ' || r == 0x7f || strings.ContainsRune("\"<>\\^`{|}", r)
	}
	switch {
	case unicode.IsSpace(r), unicode.IsControl(r), r == utf8.RuneError:
		return true
	case r >= 0x3000 && r <= 0x303F: // CJK symbols and punctuation 、。「」【】…
		return true
	case r >= 0xFF00 && r <= 0xFF0F, r >= 0xFF1A && r <= 0xFF20, r >= 0xFF3B && r <= 0xFF40, r >= 0xFF5B && r <= 0xFF65: // full-width punctuation
		return true
	case r >= 0x2010 && r <= 0x206F: // general punctuation: quotes, dashes, …, invisible controls
		return r != 0x2010 && r != 0x2011
	case r == 0xAB || r == 0xBB || r == 0xA0 || r == 0xFEFF:
		return true
	}
	return false
}

func scanURL(text string, i int) int {
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if isTerminator(r) {
			break
		}
		i += n
	}
	return i
}

// trimEnd removes trailing punctuation and unbalanced closing brackets
// from text[from:end] and returns the new end.
func trimEnd(text string, from, end int) int {
	var opens, closes [3]int
	const pairs = "()[]{}"
	for i := from; i < end; i++ {
		if k := strings.IndexByte(pairs, text[i]); k >= 0 {
			if k%2 == 0 {
				opens[k/2]++
			} else {
				closes[k/2]++
			}
		}
	}
	for end > from {
		r, n := utf8.DecodeLastRuneInString(text[from:end])
		switch r {
		case '.', ',', ':', ';', '!', '?', '\'', '*', '¡', '¿':
			end -= n
			continue
		case '(', '[', '{':
			k := strings.IndexRune(pairs, r) / 2
			opens[k]--
			end -= n
			continue
		case ')', ']', '}':
			k := strings.IndexRune(pairs, r) / 2
			if closes[k] > opens[k] {
				closes[k]--
				end -= n
				continue
			}
		}
		break
	}
	return end
}

var lookup = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false), idna.VerifyDNSLength(false))

// Normalize turns one link as written into a report.Link. It accepts
// "scheme://…", "www.…" and bare "host.tld/…" forms and reports false when
// s has no usable host.
func Normalize(s string) (report.Link, bool) {
	l := report.Link{Text: s}
	scheme, rest := "http", s
	hasScheme := false
	for _, p := range schemes {
		if hasPrefixFold(s, p) {
			scheme, rest, hasScheme = strings.ToLower(p[:len(p)-3]), s[len(p):], true
			break
		}
	}
	if !hasScheme && strings.Contains(s, "://") {
		return l, false
	}
	authEnd := strings.IndexAny(rest, "/?#")
	if authEnd < 0 {
		authEnd = len(rest)
	}
	auth, tail := rest[:authEnd], rest[authEnd:]
	userinfo := ""
	if k := strings.LastIndexByte(auth, '@'); k >= 0 {
		userinfo, auth = auth[:k+1], auth[k+1:]
	}
	host, port := auth, ""
	if strings.HasPrefix(host, "[") { // IPv6 literal
		k := strings.IndexByte(host, ']')
		if k < 0 {
			return l, false
		}
		host, port = host[:k+1], strings.TrimPrefix(host[k+1:], ":")
	} else if k := strings.LastIndexByte(host, ':'); k >= 0 {
		host, port = host[:k], host[k+1:]
	}
	for _, c := range port {
		if c < '0' || c > '9' {
			return l, false
		}
	}
	if host == "" {
		return l, false
	}
	ascii := strings.ToLower(host)
	if !strings.HasPrefix(host, "[") {
		if a, err := lookup.ToASCII(host); err == nil && a != "" {
			ascii = a
		} else if !isASCII(host) {
			// Not a valid IDN: keep it readable rather than drop it.
			ascii = strings.ToLower(host)
		}
		if strings.Contains(ascii, "xn--") {
			if u, err := lookup.ToUnicode(ascii); err == nil && u != ascii {
				l.Display = u
			}
		}
	}
	if port == defaultPort[scheme] {
		port = ""
	}
	l.Host = ascii
	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(userinfo)
	b.WriteString(ascii)
	if port != "" {
		b.WriteString(":")
		b.WriteString(port)
	}
	b.WriteString(tail)
	l.URL = b.String()
	l.Shortener = IsShortener(ascii)
	return l, true
}

var defaultPort = map[string]string{"http": "80", "https": "443", "ftp": "21"}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// IsShortener reports whether host (lower-case, ASCII) belongs to a known
// URL-shortening service.
func IsShortener(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for h := host; h != ""; {
		if shorteners[h] {
			return true
		}
		k := strings.IndexByte(h, '.')
		if k < 0 {
			break
		}
		h = h[k+1:]
	}
	return false
}

func knownTLD(s string) bool { return tlds[strings.ToLower(s)] }
