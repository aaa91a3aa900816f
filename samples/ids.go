//go:build !js

package samples

import "strings"

// luhnCheck returns the Luhn check digit for the decimal string digits.
func luhnCheck(digits string) byte {
	sum := 0
	double := true // the rightmost payload digit is doubled
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
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

// LuhnValid reports whether the decimal string s passes the Luhn check.
func LuhnValid(s string) bool {
	if len(s) < 2 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return luhnCheck(s[:len(s)-1]) == s[len(s)-1]
}

// tacPrefixes are the leading digits of type-allocation codes of the kind
// seen on Xiaomi phones (reporting body 86) and on GSMA-allocated ones (35).
// They are TAC-like, not real model TACs.
var tacPrefixes = []string{"8612", "8634", "8676", "8690", "3547", "3589"}

// newIMEI returns a 15-digit IMEI: 8-digit TAC, 6-digit serial, Luhn digit.
// Dual-SIM phones share the TAC between their two IMEIs.
func newIMEI(r *Rand, tac string) string {
	body := tac + r.Digits(6)
	return body + string(luhnCheck(body))
}

func newTAC(r *Rand) string {
	p := pick(r, tacPrefixes)
	return p + r.Digits(8-len(p))
}

// newICCID returns a 19- or 20-digit ICCID starting with prefix (which starts
// with 89), padded with random digits, ending with a Luhn digit.
func newICCID(r *Rand, prefix string, length int) string {
	body := prefix + r.Digits(length-1-len(prefix))
	return body + string(luhnCheck(body))
}

// carrier describes one mobile network of a country.
type carrier struct {
	Name        string
	MCC, MNC    string
	ICCIDPrefix string // 89 + country code + issuer
	CarrierID   int    // Android carrier id (plausible; not checked against carrier_list)
}

// country holds what the generator needs to make valid-format numbers.
type country struct {
	ISO      string // lower case, as in siminfo.iso_country_code
	CC       string // country calling code
	Carriers []carrier
	// mobile returns a national significant number for a mobile line.
	mobile func(r *Rand) string
	// format renders an E.164 number the way people type it locally.
	format func(e164 string) string
	Lang   string
}

var countries = map[string]*country{
	"cn": {ISO: "cn", CC: "86", Lang: "zh",
		Carriers: []carrier{
			{"中国移动", "460", "00", "898600", 1435},
			{"中国联通", "460", "01", "898601", 1436},
			{"中国电信", "460", "11", "898611", 2237},
		},
		mobile: func(r *Rand) string {
			return "1" + pick(r, []string{"38", "39", "58", "86", "88", "35", "57"}) + r.Digits(8)
		},
		format: func(n string) string { return n[3:6] + " " + n[6:10] + " " + n[10:] }},
	"in": {ISO: "in", CC: "91", Lang: "hi",
		Carriers: []carrier{
			{"Jio 4G", "405", "857", "899187", 2018},
			{"Airtel", "404", "45", "899110", 2017},
		},
		mobile: func(r *Rand) string { return pick(r, []string{"98", "97", "88", "70", "63"}) + r.Digits(8) },
		format: func(n string) string { return n[3:8] + " " + n[8:] }},
	"ru": {ISO: "ru", CC: "7", Lang: "ru",
		Carriers: []carrier{
			{"MTS RUS", "250", "01", "897010", 2020},
			{"MegaFon", "250", "02", "897020", 2021},
		},
		mobile: func(r *Rand) string { return "9" + pick(r, []string{"16", "26", "03", "85", "99"}) + r.Digits(7) },
		format: func(n string) string { return "8 " + n[2:5] + " " + n[5:8] + "-" + n[8:10] + "-" + n[10:] }},
	"us": {ISO: "us", CC: "1", Lang: "en",
		Carriers: []carrier{
			{"T-Mobile", "310", "260", "8901260", 1},
			{"Verizon", "311", "480", "891480", 1839},
		},
		// 555-01XX is reserved for fiction in every area code.
		mobile: func(r *Rand) string {
			return pick(r, []string{"202", "415", "312", "646", "713"}) + "55501" + r.Digits(2)
		},
		format: func(n string) string { return "(" + n[2:5] + ") " + n[5:8] + "-" + n[8:] }},
	"gb": {ISO: "gb", CC: "44", Lang: "en",
		Carriers: []carrier{
			{"EE", "234", "30", "894430", 2012},
			{"Vodafone UK", "234", "15", "894410", 2011},
		},
		// 07700 900000-900999 is Ofcom's drama range.
		mobile: func(r *Rand) string { return "7700900" + r.Digits(3) },
		format: func(n string) string { return "0" + n[3:7] + " " + n[7:] }},
	"es": {ISO: "es", CC: "34", Lang: "es",
		Carriers: []carrier{
			{"Movistar", "214", "07", "893407", 1954},
			{"Orange", "214", "03", "893403", 1955},
		},
		mobile: func(r *Rand) string { return pick(r, []string{"6", "7"}) + r.Digits(8) },
		format: func(n string) string { return n[3:6] + " " + n[6:8] + " " + n[8:10] + " " + n[10:] }},
	"sa": {ISO: "sa", CC: "966", Lang: "ar",
		Carriers: []carrier{{"STC", "420", "01", "8996601", 1710}},
		mobile:   func(r *Rand) string { return "5" + pick(r, []string{"0", "3", "5", "6"}) + r.Digits(7) },
		format:   func(n string) string { return "0" + n[4:6] + " " + n[6:9] + " " + n[9:] }},
	"eg": {ISO: "eg", CC: "20", Lang: "ar",
		Carriers: []carrier{{"Vodafone EG", "602", "02", "892002", 1891}},
		mobile:   func(r *Rand) string { return "1" + pick(r, []string{"0", "1", "2", "5"}) + r.Digits(8) },
		format:   func(n string) string { return "0" + n[3:6] + " " + n[6:9] + " " + n[9:] }},
	"de": {ISO: "de", CC: "49", Lang: "de",
		Carriers: []carrier{{"Telekom.de", "262", "01", "894901", 1660}},
		mobile:   func(r *Rand) string { return "15" + pick(r, []string{"1", "2", "7", "9"}) + r.Digits(8) },
		format:   func(n string) string { return "0" + n[3:7] + " " + n[7:] }},
	"br": {ISO: "br", CC: "55", Lang: "es", // Portuguese names are not in the lexicon; Spanish is close enough for texts
		Carriers: []carrier{{"VIVO", "724", "06", "895506", 1784}},
		mobile:   func(r *Rand) string { return pick(r, []string{"11", "21", "31"}) + "9" + r.Digits(8) },
		format:   func(n string) string { return "(" + n[3:5] + ") " + n[5:10] + "-" + n[10:] }},
}

// countryOrder fixes the iteration order over countries.
var countryOrder = []string{"cn", "in", "ru", "us", "gb", "es", "sa", "eg", "de", "br"}

func newMobile(r *Rand, c *country) string { return "+" + c.CC + c.mobile(r) }

// newIMSI returns MCC+MNC+MSIN, 15 digits.
func newIMSI(r *Rand, c carrier) string {
	n := c.MCC + c.MNC
	return n + r.Digits(15-len(n))
}

// macAddr returns a MAC address. local sets the locally administered bit.
func macAddr(r *Rand, oui string, local bool) string {
	b := r.Bytes(6)
	if oui != "" {
		var o [3]byte
		for i := 0; i < 3; i++ {
			o[i] = hexByte(oui[i*3 : i*3+2])
		}
		copy(b, o[:])
	}
	b[0] &^= 1 // unicast
	if local {
		b[0] |= 2
	} else if oui == "" {
		b[0] &^= 2
	}
	const hx = "0123456789abcdef"
	var s strings.Builder
	for i, x := range b {
		if i > 0 {
			s.WriteByte(':')
		}
		s.WriteByte(hx[x>>4])
		s.WriteByte(hx[x&15])
	}
	return s.String()
}

func hexByte(s string) byte {
	v := func(c byte) byte {
		switch {
		case c >= '0' && c <= '9':
			return c - '0'
		case c >= 'a' && c <= 'f':
			return c - 'a' + 10
		case c >= 'A' && c <= 'F':
			return c - 'A' + 10
		}
		return 0
	}
	return v(s[0])<<4 | v(s[1])
}
