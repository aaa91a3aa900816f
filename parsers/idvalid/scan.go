package idvalid

import (
	"bytes"
	"strings"
)

// Confidence of a value found in free text (artifacts.md §4.10).
const (
	Confident = "confident" // format + checksum + context (or format + strong context) agree
	Possible  = "possible"  // format and checksum fit, but no context says what it is
)

// Found is an identifier found by Scan.
type Found struct {
	Kind       string // imei, imsi, iccid, eid, meid, android-id, advertising-id, phone-number, mac-address, serial
	Value      string // normalised
	Raw        string // as written
	Offset     int    // byte offset of Raw in the scanned text
	Confidence string // Confident or Possible
	Context    string // the key or column name that names it, "" if none
}

// contextKinds maps context words (lower case, without '_', '-', '.' or
// spaces) to the kind they announce.
var contextKinds = map[string]string{
	"imei": "imei", "imei0": "imei", "imei1": "imei", "imei2": "imei", "deviceid": "imei", "deviceimei": "imei",
	"roriloemimei": "imei", "rorilmiuiimei": "imei", "rorilmiuiimei0": "imei", "rorilmiuiimei1": "imei",
	"roriloemimei1": "imei", "roriloemimei2": "imei", "persistradioimei": "imei", "persistradioimei1": "imei", "persistradioimei2": "imei",
	"gsmimei": "imei",
	"meid":    "meid", "roriloemmeid": "meid", "persistradiomeid": "meid", "esn": "meid",
	"imsi": "imsi", "subscriberid": "imsi",
	"iccid": "iccid", "iccid0": "iccid", "iccid1": "iccid", "simserial": "iccid", "simserialnumber": "iccid", "iccidnumber": "iccid",
	"eid":    "eid",
	"msisdn": "phone-number", "line1number": "phone-number", "phonenumber": "phone-number", "mynumber": "phone-number", "selfphone": "phone-number",
	"androidid": "android-id", "ssaid": "android-id",
	"adid": "advertising-id", "adidkey": "advertising-id", "gaid": "advertising-id", "advertisingid": "advertising-id",
	"mac": "mac-address", "macaddress": "mac-address", "wifimac": "mac-address", "bssid": "mac-address", "bluetoothaddress": "mac-address",
	"serial": "serial", "serialno": "serial", "roserialno": "serial", "robootserialno": "serial", "serialnumber": "serial",
}

// ContextKind returns the identifier kind a key or column name announces
// ("imei" for "persist.radio.imei1", "imsi" for "subscriberId"…), or "".
func ContextKind(key string) string {
	k := normKey(key)
	if kind, ok := contextKinds[k]; ok {
		return kind
	}
	// Keys that contain a strong word (device_imei_cache, sim_iccid…).
	for _, w := range []string{"imei", "imsi", "iccid", "msisdn", "androidid", "meid"} {
		if strings.Contains(k, w) {
			return contextKinds[w]
		}
	}
	return ""
}

func normKey(key string) string {
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Classify checks one value given the key it was stored under (a property
// name, an XML attribute, a JSON key or column name; "" when unknown) and
// returns what it is, or ok=false. country is the SIM country for national
// phone numbers ("" if unknown).
func Classify(key, value, country string) (Found, bool) {
	kind := ContextKind(key)
	v := strings.TrimSpace(value)
	f := Found{Raw: value, Context: key}
	if kind != "" {
		f.Kind = kind
		f.Confidence = Confident
		var err error
		switch kind {
		case "imei":
			f.Value, err = IMEI(v)
			if err != nil {
				if m, err2 := MEID(v); err2 == nil && strings.Contains(normKey(key), "meid") {
					f.Kind, f.Value, err = "meid", m, nil
				}
			}
		case "meid":
			f.Value, err = MEID(v)
		case "imsi":
			f.Value, _, err = IMSI(v)
		case "iccid":
			f.Value, err = ICCID(v)
		case "eid":
			f.Value, err = EID(v)
		case "phone-number":
			f.Value, err = E164(v, country)
		case "android-id":
			// Keys merely containing "android_id" also name counters and
			// flags: require the length of a real id (legacy ids lack
			// zero padding, so 12–16 digits).
			f.Value, err = AndroidID(v)
			if err == nil && len(f.Value) < 12 {
				err = ErrFormat
			}
		case "advertising-id":
			f.Value, err = GAID(v)
		case "mac-address":
			f.Value, err = MAC(v)
		case "serial":
			f.Value = v
			if len(v) < 4 || len(v) > 32 || !alnum(v) || v == "unknown" || repetitive(v) {
				err = ErrFormat
			}
		}
		if err != nil {
			return f, false
		}
		return f, true
	}
	// No context: only checksummed kinds with a plausible shape, as
	// "possible".
	d := Digits(v)
	switch {
	case len(d) == 15 && d == v:
		if imei, err := IMEI(d); err == nil && TACPlausible(imei) {
			return Found{Kind: "imei", Value: imei, Raw: value, Confidence: Possible}, true
		}
	case len(d) >= 19 && len(d) <= 20 && d == v && strings.HasPrefix(d, "89"):
		if iccid, err := ICCID(d); err == nil {
			return Found{Kind: "iccid", Value: iccid, Raw: value, Confidence: Possible}, true
		}
	case len(d) == 32 && d == v:
		if eid, err := EID(d); err == nil {
			return Found{Kind: "eid", Value: eid, Raw: value, Confidence: Possible}, true
		}
	}
	return f, false
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// MaxScan bounds the bytes Scan looks at.
const MaxScan = 32 << 20

// Scan looks for identifiers in free text (XML preferences, JSON, property
// dumps, logs). A candidate is a run of digits (or hex for Android IDs) not
// touching other letters or digits; its context is the nearest key-like
// word in the 48 bytes before it ("imei", "deviceId", "iccid"…). Values
// with context are Confident when they pass their checks; values without
// context are reported only when a checksum and shape make them likely
// (IMEI with Luhn and a plausible TAC, ICCID, EID), as Possible. Results
// are in text order; at most limit are returned (0 = no limit).
func Scan(text []byte, country string, limit int) []Found {
	if len(text) > MaxScan {
		text = text[:MaxScan]
	}
	var out []Found
	i := 0
	for i < len(text) {
		c := text[i]
		if !isHex(c) || (i > 0 && isWordByte(text[i-1])) {
			i++
			continue
		}
		j := i
		digits := true
		for j < len(text) && isHex(text[j]) {
			if text[j] > '9' {
				digits = false
			}
			j++
		}
		if j < len(text) && isWordByte(text[j]) {
			i = j
			continue
		}
		tok := string(text[i:j])
		n := len(tok)
		if (digits && n >= 14 && n <= 22) || n == 32 || (!digits && n == 16) || (digits && n == 16) {
			key := contextBefore(text, i)
			if f, ok := Classify(key, tok, country); ok {
				f.Offset = i
				out = append(out, f)
				if limit > 0 && len(out) >= limit {
					return out
				}
			}
		}
		i = j
	}
	return out
}

func isWordByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

// contextBefore returns the last key-like word within 48 bytes before off:
// the word that names the value in `imei=…`, `"imei":"…"`,
// `<string name="imei">…` or `[persist.radio.imei]: [...]`.
func contextBefore(text []byte, off int) string {
	start := off - 48
	if start < 0 {
		start = 0
	}
	win := text[start:off]
	// Stop at a line break: context does not cross lines.
	if k := bytes.LastIndexByte(win, '\n'); k >= 0 {
		win = win[k+1:]
	}
	// Find the last word made of key characters that is followed only by
	// punctuation (quotes, '=', ':', '>', brackets, spaces).
	end := len(win)
	for end > 0 && !isKeyByte(win[end-1]) {
		end--
	}
	b := end
	for b > 0 && isKeyByte(win[b-1]) {
		b--
	}
	return string(win[b:end])
}

func isKeyByte(c byte) bool { return isWordByte(c) || c == '.' || c == '-' }
