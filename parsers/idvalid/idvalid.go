// Package idvalid recognises and validates the identifiers a phone backup
// carries: IMEI and IMEISV (3GPP TS 23.003, Luhn check digit), MEID, ICCID
// (ITU-T E.118, "89" + Luhn), IMSI (ITU-T E.212, MCC table), EID (GSMA
// SGP.29, ISO 7064 MOD 97-10), E.164 phone numbers, EUI-48 MAC addresses and
// Android IDs.
//
// Each checker normalises its input (separators removed, case folded) and
// returns the normalised value with an error saying why it is not valid:
// ErrFormat (wrong length or characters), ErrChecksum (check digit or mod 97
// fails) or ErrImplausible (format and checksum fine, but the value cannot be
// a real one: unknown MCC, repeated digits, placeholder MAC…). A nil error
// means the value is valid by format and checksum; artifacts.md §4.10 asks
// callers to also require context (a key or column name) before calling a
// value found in free text "confident" — see Scan.
package idvalid

import (
	"errors"
	"strings"
)

// Errors returned by the checkers; test them with errors.Is.
var (
	ErrFormat      = errors.New("idvalid: wrong format")
	ErrChecksum    = errors.New("idvalid: check digit does not match")
	ErrImplausible = errors.New("idvalid: implausible value")
)

// Error wraps one of the sentinel errors with the reason.
type Error struct {
	Kind   string // "imei", "iccid", …
	Err    error  // ErrFormat, ErrChecksum or ErrImplausible
	Reason string
}

func (e *Error) Error() string { return "idvalid: " + e.Kind + ": " + e.Reason }
func (e *Error) Unwrap() error { return e.Err }

func fail(kind string, err error, reason string) error {
	return &Error{Kind: kind, Err: err, Reason: reason}
}

// Digits returns s without the separators people write inside numbers
// (space, '-', '.', '/', '(', ')'), or "" when anything other than decimal
// digits remains.
func Digits(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')' || c == '\t':
		default:
			return ""
		}
	}
	return b.String()
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// LuhnDigit returns the Luhn check digit of the decimal string payload
// (starting from its rightmost digit, every other digit is doubled), or 0
// when payload is not all decimal.
func LuhnDigit(payload string) byte {
	if !allDigits(payload) {
		return 0
	}
	sum := 0
	double := true
	for i := len(payload) - 1; i >= 0; i-- {
		d := int(payload[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return byte('0' + (10-sum%10)%10)
}

// LuhnValid reports whether the decimal string s (payload + check digit)
// passes the Luhn check.
func LuhnValid(s string) bool {
	return len(s) >= 2 && allDigits(s) && LuhnDigit(s[:len(s)-1]) == s[len(s)-1]
}

// repetitive reports strings that are one digit repeated or a run of
// consecutive ascending or descending digits: typical placeholders.
func repetitive(s string) bool {
	if len(s) < 2 {
		return false
	}
	same, up, down := true, true, true
	for i := 1; i < len(s); i++ {
		d := int(s[i]) - int(s[i-1])
		same = same && d == 0
		up = up && (d == 1 || d == -9)
		down = down && (d == -1 || d == 9)
	}
	return same || up || down
}

// TACReportingBodies are the first two digits of type-allocation codes
// commonly seen on real devices (artifacts.md §4.10; a soft signal).
var TACReportingBodies = map[string]bool{"01": true, "35": true, "86": true, "99": true, "91": true, "30": true, "33": true, "44": true, "45": true, "49": true, "50": true, "51": true, "52": true, "53": true, "54": true, "98": true}

// IMEI checks a 15-digit IMEI: format, Luhn check digit over the first 14
// digits, not a placeholder. The result is the bare 15 digits. A 14-digit
// value (IMEI without check digit) is returned with ErrFormat.
func IMEI(s string) (string, error) {
	d := Digits(strings.TrimSpace(s))
	if len(d) != 15 {
		return d, fail("imei", ErrFormat, "an IMEI has 15 decimal digits")
	}
	if !LuhnValid(d) {
		return d, fail("imei", ErrChecksum, "Luhn check digit does not match")
	}
	if repetitive(d[:14]) || strings.Trim(d[8:14], "0") == "" {
		return d, fail("imei", ErrImplausible, "placeholder value")
	}
	return d, nil
}

// TACPlausible reports whether the TAC of an IMEI starts with a commonly
// seen reporting-body code.
func TACPlausible(imei string) bool {
	return len(imei) >= 8 && TACReportingBodies[imei[:2]]
}

// IMEISV checks a 16-digit IMEISV (TAC + serial + software version, no
// check digit).
func IMEISV(s string) (string, error) {
	d := Digits(strings.TrimSpace(s))
	if len(d) != 16 {
		return d, fail("imeisv", ErrFormat, "an IMEISV has 16 decimal digits")
	}
	if repetitive(d[:14]) {
		return d, fail("imeisv", ErrImplausible, "placeholder value")
	}
	return d, nil
}

// Separators removed before checking (built once: a Replacer is costly to
// build and safe for concurrent use).
var (
	meidSeparators  = strings.NewReplacer(" ", "", "-", "", ":", "")
	iccidSeparators = strings.NewReplacer(" ", "", "-", "")
)

// MEID checks a MEID: 14 hex digits (optionally a 15th Luhn-base-16 check
// digit) or the 18-digit decimal form. The result is upper-case hex (14
// digits) or the 18 decimal digits.
func MEID(s string) (string, error) {
	t := strings.ToUpper(meidSeparators.Replace(strings.TrimSpace(s)))
	if len(t) == 18 && allDigits(t) {
		return t, nil
	}
	if len(t) != 14 && len(t) != 15 {
		return t, fail("meid", ErrFormat, "a MEID has 14 hex digits (or 18 decimal digits)")
	}
	for i := 0; i < len(t); i++ {
		if !isHex(t[i]) {
			return t, fail("meid", ErrFormat, "a MEID is hexadecimal")
		}
	}
	if len(t) == 15 {
		if luhn16(t[:14]) != t[14] {
			return t[:14], fail("meid", ErrChecksum, "base-16 Luhn check digit does not match")
		}
		t = t[:14]
	}
	if repetitive(t) {
		return t, fail("meid", ErrImplausible, "placeholder value")
	}
	return t, nil
}

// luhn16 is the Luhn check digit in base 16 of a hex payload.
func luhn16(payload string) byte {
	sum := 0
	double := true
	for i := len(payload) - 1; i >= 0; i-- {
		d := hexVal(payload[i])
		if double {
			d *= 2
			if d > 15 {
				d = d/16 + d%16
			}
		}
		sum += d
		double = !double
	}
	return "0123456789ABCDEF"[(16-sum%16)%16]
}

// ICCID checks an ICCID: "89" + 16–20 more digits (18–22 in all) with a
// Luhn check digit. A trailing "F" pad (raw EF_ICCID reads) is removed
// first. Values with other hex letters are returned with ErrFormat.
func ICCID(s string) (string, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimRight(t, "fF")
	t = iccidSeparators.Replace(t)
	if !allDigits(t) {
		return t, fail("iccid", ErrFormat, "an ICCID is decimal")
	}
	if len(t) < 18 || len(t) > 22 {
		return t, fail("iccid", ErrFormat, "an ICCID has 18–22 digits")
	}
	if !strings.HasPrefix(t, "89") {
		return t, fail("iccid", ErrFormat, "an ICCID starts with 89")
	}
	if !LuhnValid(t) {
		return t, fail("iccid", ErrChecksum, "Luhn check digit does not match")
	}
	if repetitive(t[2 : len(t)-1]) {
		return t, fail("iccid", ErrImplausible, "placeholder value")
	}
	return t, nil
}

// EID checks an eUICC id: 32 digits starting "89" whose value mod 97 is 1
// (ISO 7064 MOD 97-10).
func EID(s string) (string, error) {
	t := Digits(strings.TrimSpace(s))
	if len(t) != 32 || !strings.HasPrefix(t, "89") {
		return t, fail("eid", ErrFormat, "an EID has 32 digits and starts with 89")
	}
	if mod97(t) != 1 {
		return t, fail("eid", ErrChecksum, "mod 97 check does not give 1")
	}
	return t, nil
}

func mod97(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		r = (r*10 + int(s[i]-'0')) % 97
	}
	return r
}

// IMSIInfo is what an IMSI says about the home network.
type IMSIInfo struct {
	MCC, MNC string
	Country  string // ISO 3166 alpha-2, lower case; "" if unknown
}

// IMSI checks an IMSI: 14–15 digits whose first three are an assigned MCC.
// The MNC length is taken from the MCC (3 digits in North America and a few
// other regions, else 2).
func IMSI(s string) (string, IMSIInfo, error) {
	t := Digits(strings.TrimSpace(s))
	if len(t) < 14 || len(t) > 15 || t == "" {
		return t, IMSIInfo{}, fail("imsi", ErrFormat, "an IMSI has 14–15 decimal digits")
	}
	mcc := t[:3]
	iso, ok := MCCCountry(mcc)
	if !ok {
		return t, IMSIInfo{}, fail("imsi", ErrImplausible, "MCC "+mcc+" is not assigned")
	}
	n := 2
	if threeDigitMNC[mcc] {
		n = 3
	}
	info := IMSIInfo{MCC: mcc, MNC: t[3 : 3+n], Country: iso}
	if strings.Trim(t[3+n:], t[len(t)-1:]) == "" {
		return t, info, fail("imsi", ErrImplausible, "placeholder MSIN")
	}
	return t, info, nil
}

// IMSIMatchesHome reports whether imsi starts with the home network's MCC
// and MNC (as text, e.g. siminfo mcc_string and mnc_string).
func IMSIMatchesHome(imsi, mcc, mnc string) bool {
	return mcc != "" && mnc != "" && strings.HasPrefix(imsi, mcc+mnc)
}

// MAC normalises an EUI-48 address written aa:bb:cc:dd:ee:ff, AA-BB-…,
// aabb.ccdd.eeff or as 12 bare hex digits to lower-case colon form. It
// rejects the all-zero, broadcast, multicast and Android placeholder
// (02:00:00:00:00:00) addresses with ErrImplausible.
func MAC(s string) (string, error) {
	t := strings.TrimSpace(s)
	var hex []byte
	switch len(t) {
	case 17:
		sep := t[2]
		if sep != ':' && sep != '-' {
			return t, fail("mac", ErrFormat, "separator must be ':' or '-'")
		}
		for i := 0; i < 17; i++ {
			if i%3 == 2 {
				if t[i] != sep {
					return t, fail("mac", ErrFormat, "separators are not regular")
				}
				continue
			}
			hex = append(hex, t[i])
		}
	case 14:
		if t[4] != '.' || t[9] != '.' {
			return t, fail("mac", ErrFormat, "dotted form is aabb.ccdd.eeff")
		}
		hex = []byte(t[0:4] + t[5:9] + t[10:14])
	case 12:
		hex = []byte(t)
	default:
		return t, fail("mac", ErrFormat, "a MAC address has 12 hex digits")
	}
	for _, c := range hex {
		if !isHex(c) {
			return t, fail("mac", ErrFormat, "a MAC address is hexadecimal")
		}
	}
	out := make([]byte, 0, 17)
	for i, c := range hex {
		if i > 0 && i%2 == 0 {
			out = append(out, ':')
		}
		if c >= 'A' && c <= 'F' {
			c += 'a' - 'A'
		}
		out = append(out, c)
	}
	m := string(out)
	switch m {
	case "00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff", "02:00:00:00:00:00":
		return m, fail("mac", ErrImplausible, "placeholder address")
	}
	if hexVal(m[1])&1 != 0 {
		return m, fail("mac", ErrImplausible, "multicast address")
	}
	return m, nil
}

// MACLocal reports whether a normalised MAC is locally administered (a
// randomized per-network address rather than the hardware one).
func MACLocal(mac string) bool {
	return len(mac) >= 2 && hexVal(mac[1])&2 != 0
}

// AndroidID checks an Android ID / SSAID: 1–16 lower-case hex digits
// (16 for SSAIDs; the legacy secure-settings id has no zero padding).
// Upper-case input is folded. The all-zero value and the bogus Android 2.2
// constant 9774d56d682e549c are ErrImplausible.
func AndroidID(s string) (string, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if len(t) == 0 || len(t) > 16 {
		return t, fail("android-id", ErrFormat, "an Android ID has at most 16 hex digits")
	}
	for i := 0; i < len(t); i++ {
		if !isHex(t[i]) {
			return t, fail("android-id", ErrFormat, "an Android ID is hexadecimal")
		}
	}
	if strings.Trim(t, "0") == "" || t == "9774d56d682e549c" {
		return t, fail("android-id", ErrImplausible, "placeholder value")
	}
	return t, nil
}

// SSAID checks a per-app Android ID from settings_ssaid.xml: exactly 16
// lower-case hex digits.
func SSAID(s string) (string, error) {
	t, err := AndroidID(s)
	if err == nil && len(t) != 16 {
		return t, fail("android-id", ErrFormat, "an SSAID has 16 hex digits")
	}
	return t, err
}

// GAID checks a Google advertising id: a UUID, lower-cased. The all-zero
// UUID (user opted out) is ErrImplausible.
func GAID(s string) (string, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if len(t) != 36 {
		return t, fail("advertising-id", ErrFormat, "a UUID has 36 characters")
	}
	for i := 0; i < 36; i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if t[i] != '-' {
				return t, fail("advertising-id", ErrFormat, "a UUID is 8-4-4-4-12 hex")
			}
			continue
		}
		if !isHex(t[i]) {
			return t, fail("advertising-id", ErrFormat, "a UUID is hexadecimal")
		}
	}
	if t == "00000000-0000-0000-0000-000000000000" {
		return t, fail("advertising-id", ErrImplausible, "zero UUID (advertising id deleted)")
	}
	return t, nil
}
