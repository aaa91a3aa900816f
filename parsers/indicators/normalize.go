package indicators

import (
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// The normalisers below are this package's own: the link extractor of the
// artifacts (parsers/links) did not exist when it was written. They follow
// the rules written in report.Link: lower-case scheme and host, IDN hosts as
// punycode, no trailing dot, default ports dropped.

// MaxDomainLength is the longest host name accepted (RFC 1035: 253).
const MaxDomainLength = 253

// NormalizeDomain returns a host name in its matching form: lower case,
// IDN labels as punycode ("xn--…"), without a trailing dot. IP addresses
// are returned in their canonical text form (IPv6 without brackets).
func NormalizeDomain(s string) (string, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		s = s[1 : len(s)-1]
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().String(), nil
	}
	s = strings.TrimSuffix(s, ".")
	for _, d := range []string{"\u3002", "\uff0e", "\uff61"} {
		s = strings.TrimSuffix(s, d)
	}
	if s == "" {
		return "", errors.New("empty host name")
	}
	if len(s) > 4*MaxDomainLength {
		return "", errors.New("host name longer than 253 bytes")
	}
	if strings.ContainsAny(s, "*") {
		return "", errors.New("wildcards are not part of a domain name (subdomains are always included)")
	}
	if strings.ContainsAny(s, " \t\r\n/\\:@?#%[]<>\"'`|{}^,;=()") {
		return "", errors.New("not a host name (contains a character hosts cannot have)")
	}
	var out string
	if isASCII(s) {
		out = strings.ToLower(s)
	} else {
		a, err := idna.Lookup.ToASCII(s)
		if err != nil {
			// Lenient second try: lower-case and encode each label
			// without the IDNA validity rules (underscores…).
			a, err = idna.Punycode.ToASCII(strings.ToLower(s))
			if err != nil {
				return "", errors.New("not a valid internationalised host name")
			}
		}
		out = strings.ToLower(a)
	}
	out = strings.TrimSuffix(out, ".")
	if out == "" || len(out) > MaxDomainLength {
		return "", errors.New("host name empty or longer than 253 bytes")
	}
	for _, l := range strings.Split(out, ".") {
		if l == "" {
			return "", errors.New("empty label (two dots in a row)")
		}
		if len(l) > 63 {
			return "", errors.New("label longer than 63 bytes")
		}
	}
	return out, nil
}

// DisplayDomain returns the Unicode form of a normalised host, or "" when
// it has no IDN label.
func DisplayDomain(ascii string) string {
	if !strings.Contains(ascii, "xn--") {
		return ""
	}
	u, err := idna.Display.ToUnicode(ascii)
	if err != nil || u == ascii {
		return ""
	}
	return u
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// A URL is a normalised link: Scheme ("" when the text had none) and Key,
// the rest (host[:port]/path[?query]) that links are compared on. The
// fragment is kept apart: it never leaves the phone, and a link matches a
// URL indicator with or without it.
type URL struct {
	Scheme   string
	Host     string // normalised host
	Key      string // host[:non-default-port] + path + ["?" query]
	Fragment string
}

// String returns scheme://key (or key alone when there is no scheme).
func (u URL) String() string {
	if u.Scheme == "" {
		return u.Key
	}
	return u.Scheme + "://" + u.Key
}

var defaultPorts = map[string]string{"http": "80", "https": "443", "ftp": "21", "ws": "80", "wss": "443", "ftps": "990"}

// NormalizeURL parses and normalises a URL: lower-case scheme and host,
// IDN host as punycode, no trailing dot on the host, default port and
// user information dropped, empty path as "/", dot segments removed,
// percent-encoding canonical (unreserved characters decoded, other escapes
// upper-case, non-ASCII characters encoded as UTF-8). A text without
// "scheme://" is read as a scheme-less link ("evil.com/x").
func NormalizeURL(s string) (URL, error) {
	var u URL
	s = strings.TrimSpace(s)
	if i := strings.Index(s, "://"); i > 0 && validScheme(s[:i]) {
		u.Scheme = strings.ToLower(s[:i])
		s = s[i+3:]
	} else if strings.HasPrefix(s, "//") {
		s = s[2:]
	}
	if i := strings.IndexByte(s, '#'); i >= 0 {
		u.Fragment = s[i+1:]
		s = s[:i]
	}
	authEnd := strings.IndexAny(s, "/?")
	if authEnd < 0 {
		authEnd = len(s)
	}
	auth, rest := s[:authEnd], s[authEnd:]
	if i := strings.LastIndexByte(auth, '@'); i >= 0 {
		auth = auth[i+1:]
	}
	host, port := auth, ""
	if strings.HasPrefix(auth, "[") {
		j := strings.IndexByte(auth, ']')
		if j < 0 {
			return u, errors.New("IPv6 host without ']'")
		}
		host = auth[:j+1]
		if p := auth[j+1:]; p != "" {
			if !strings.HasPrefix(p, ":") {
				return u, errors.New("text after the IPv6 host")
			}
			port = p[1:]
		}
	} else if i := strings.LastIndexByte(auth, ':'); i >= 0 {
		host, port = auth[:i], auth[i+1:]
	}
	if port != "" {
		n, err := strconv.ParseUint(port, 10, 16)
		if err != nil {
			return u, errors.New("port is not a number from 0 to 65535")
		}
		port = strconv.FormatUint(n, 10)
		if defaultPorts[u.Scheme] == port {
			port = ""
		}
	}
	h, err := NormalizeDomain(host)
	if err != nil {
		return u, err
	}
	u.Host = h
	hostPart := h
	if strings.Contains(h, ":") {
		hostPart = "[" + h + "]"
	}
	if port != "" {
		hostPart += ":" + port
	}
	path, query := rest, ""
	hasQuery := false
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		path, query, hasQuery = rest[:i], rest[i+1:], true
	}
	path = removeDotSegments(percentNormalize(path))
	if path == "" {
		path = "/"
	}
	u.Key = hostPart + path
	if hasQuery && query != "" {
		u.Key += "?" + percentNormalize(query)
	}
	return u, nil
}

func validScheme(s string) bool {
	if s == "" || !(s[0] >= 'a' && s[0] <= 'z' || s[0] >= 'A' && s[0] <= 'Z') {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

func isUnreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

const hexUpper = "0123456789ABCDEF"

// percentNormalize makes percent-encoding canonical ('+' is kept as
// written).
func percentNormalize(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) {
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if ok1 && ok2 {
				v := hi<<4 | lo
				if isUnreserved(v) {
					b.WriteByte(v)
				} else {
					b.WriteByte('%')
					b.WriteByte(hexUpper[v>>4])
					b.WriteByte(hexUpper[v&15])
				}
				i += 2
				continue
			}
		}
		switch {
		case c == '%':
			b.WriteString("%25")
		case c >= 0x80 || c <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}':
			b.WriteByte('%')
			b.WriteByte(hexUpper[c>>4])
			b.WriteByte(hexUpper[c&15])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// removeDotSegments implements RFC 3986 §5.2.4.
func removeDotSegments(p string) string {
	if !strings.Contains(p, ".") {
		return p
	}
	var out []string
	in := p
	for in != "" {
		switch {
		case strings.HasPrefix(in, "../"):
			in = in[3:]
		case strings.HasPrefix(in, "./"):
			in = in[2:]
		case strings.HasPrefix(in, "/./"):
			in = in[2:]
		case in == "/.":
			in = "/"
		case strings.HasPrefix(in, "/../"):
			in = in[3:]
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case in == "/..":
			in = "/"
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		case in == "." || in == "..":
			in = ""
		default:
			j := strings.IndexByte(in[1:], '/')
			if j < 0 {
				out = append(out, in)
				in = ""
			} else {
				out = append(out, in[:j+1])
				in = in[j+1:]
			}
		}
	}
	return strings.Join(out, "")
}

// NormalizeEmail returns an e-mail address in matching form: "mailto:"
// dropped, lower case, the domain normalised like a host.
func NormalizeEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
	}
	i := strings.LastIndexByte(s, '@')
	if i <= 0 || i == len(s)-1 {
		return "", errors.New("not an e-mail address (needs local@domain)")
	}
	local := s[:i]
	if strings.ContainsAny(local, " \t\r\n<>()[]\\,;:\"@") {
		return "", errors.New("not an e-mail address (bad character before @)")
	}
	d, err := NormalizeDomain(s[i+1:])
	if err != nil {
		return "", err
	}
	return strings.ToLower(local) + "@" + d, nil
}

// NormalizePhone returns an E.164 number ("+" and 7 to 15 digits) from a
// number written with optional spaces, dashes, dots, slashes or
// parentheses, "tel:" and "00" in place of "+".
func NormalizePhone(s string) (string, error) {
	d, intl := phoneDigits(s)
	if !intl {
		return "", errors.New("not an E.164 number (must start with + and the country code)")
	}
	if len(d) < 7 || len(d) > 15 {
		return "", errors.New("an E.164 number has 7 to 15 digits")
	}
	if d[0] == '0' {
		return "", errors.New("country codes do not start with 0")
	}
	return "+" + d, nil
}

// phoneDigits returns the digits of a phone number and whether it was
// written in international form. It returns "" for text that is not a
// number (letters, short codes are still digits).
func phoneDigits(s string) (digits string, intl bool) {
	s = strings.TrimSpace(s)
	if len(s) > 4 && strings.EqualFold(s[:4], "tel:") {
		s = s[4:]
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == '+' && b.Len() == 0 && !intl:
			intl = true
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' || c == '\t':
		default:
			return "", false
		}
	}
	d := b.String()
	if !intl && strings.HasPrefix(d, "00") {
		d, intl = d[2:], true
	}
	return d, intl
}

// validPackage reports whether s looks like an Android package name: two or
// more dot-separated segments, each a letter then letters, digits or '_'.
func validPackage(s string) bool {
	if len(s) > 255 {
		return false
	}
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if p == "" || !(p[0] >= 'a' && p[0] <= 'z' || p[0] >= 'A' && p[0] <= 'Z') {
			return false
		}
		for i := 1; i < len(p); i++ {
			c := p[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
				return false
			}
		}
	}
	return true
}
