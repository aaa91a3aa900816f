package idvalid

import "strings"

// PhoneParts is a phone number split into the dialable number and any
// pause/wait suffix (",", ";", "p", "w") kept apart.
type PhoneParts struct {
	Number string // digits with a leading '+' when international
	Suffix string // post-dial part, "" if none
}

// SplitPhone removes formatting (spaces, '-', '.', '(', ')', '/', a "tel:"
// prefix) from a written phone number and separates a post-dial suffix.
// ok is false when the value holds anything other than digits, a leading
// '+', separators and a suffix (an alphanumeric sender, an e-mail…).
func SplitPhone(s string) (PhoneParts, bool) {
	t := strings.TrimSpace(s)
	if len(t) > 4 && strings.EqualFold(t[:4], "tel:") {
		t = t[4:]
	}
	var p PhoneParts
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == '+' && b.Len() == 0 && !strings.Contains(t[:i], "+"):
			b.WriteByte('+')
		case c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '/' || c == '\t' || c == '\u00a0':
		case c == ',' || c == ';' || c == 'p' || c == 'P' || c == 'w' || c == 'W':
			if b.Len() == 0 {
				return p, false
			}
			p.Suffix = t[i:]
			p.Number = b.String()
			return p, validSuffix(p.Suffix)
		case c == 0xc2 && i+1 < len(t) && t[i+1] == 0xa0: // U+00A0 no-break space
			i++
		default:
			return p, false
		}
	}
	p.Number = b.String()
	return p, p.Number != "" && p.Number != "+"
}

func validSuffix(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == ',' || c == ';' || c == 'p' || c == 'P' || c == 'w' || c == 'W' || c == '*' || c == '#' || c == ' ') {
			return false
		}
	}
	return true
}

// trunk prefixes that differ from the common "0".
var trunkPrefix = map[string]string{
	"ru": "8", "kz": "8", "by": "8", "hu": "06", "mn": "0", "us": "1", "ca": "1",
}

// keepZero lists countries whose national numbers keep their leading 0 in
// international form (Italy, San Marino, Vatican) or have no trunk prefix.
var keepZero = map[string]bool{"it": true, "sm": true, "va": true}

// E164 normalises a written phone number to E.164 ("+" and 8–15 digits).
// An international prefix "00" becomes "+". A national number needs the
// country (ISO 3166 alpha-2 of the SIM or the call log, e.g. "ru"); its
// trunk prefix is removed. The post-dial suffix is dropped. Short codes,
// alphanumeric senders and numbers whose country code is not assigned
// return an error wrapping ErrFormat or ErrImplausible.
func E164(s, country string) (string, error) {
	p, ok := SplitPhone(s)
	if !ok {
		return "", fail("phone-number", ErrFormat, "not a phone number")
	}
	n := p.Number
	switch {
	case strings.HasPrefix(n, "+"):
		n = n[1:]
	case strings.HasPrefix(n, "00") && len(n) > 8:
		n = n[2:]
	case strings.HasPrefix(n, "810") && strings.EqualFold(country, "ru") && len(n) > 11:
		n = n[3:] // Russian international prefix
	case strings.HasPrefix(n, "011") && (strings.EqualFold(country, "us") || strings.EqualFold(country, "ca")) && len(n) > 11:
		n = n[3:]
	default:
		iso := strings.ToLower(country)
		cc := CallingCode(iso)
		if cc == "" {
			return "", fail("phone-number", ErrFormat, "national number without a known country")
		}
		if len(n) <= 6 {
			return "", fail("phone-number", ErrFormat, "short code")
		}
		switch iso {
		case "us", "ca":
			if len(n) == 11 && n[0] == '1' {
				n = n[1:]
			}
			if len(n) != 10 {
				return "", fail("phone-number", ErrFormat, "a NANP number has 10 digits")
			}
		case "cn":
			if len(n) == 11 && n[0] == '1' {
				break
			}
			n = strings.TrimPrefix(n, "0")
		default:
			if keepZero[iso] {
				break
			}
			tp := trunkPrefix[iso]
			if tp == "" {
				tp = "0"
			}
			// A national number written with its country code but no '+'.
			if strings.HasPrefix(n, cc) && len(n)-len(cc) >= 8 && !strings.HasPrefix(n, tp) {
				n = n[len(cc):]
			}
			n = strings.TrimPrefix(n, tp)
		}
		n = cc + n
	}
	if len(n) < 8 || len(n) > 15 {
		return "+" + n, fail("phone-number", ErrFormat, "an E.164 number has 8–15 digits")
	}
	if n[0] == '0' {
		return "+" + n, fail("phone-number", ErrFormat, "a country code does not start with 0")
	}
	if CountryCodeOf(n) == "" {
		return "+" + n, fail("phone-number", ErrImplausible, "country code is not assigned")
	}
	return "+" + n, nil
}
