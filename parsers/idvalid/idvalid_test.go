package idvalid

import (
	"errors"
	"testing"
)

func TestLuhn(t *testing.T) {
	// artifacts.md §4.10: 49015420323751 → check 8.
	if got := LuhnDigit("49015420323751"); got != '8' {
		t.Fatalf("LuhnDigit = %c, want 8", got)
	}
	if !LuhnValid("490154203237518") || LuhnValid("490154203237519") {
		t.Fatal("LuhnValid wrong")
	}
	if LuhnDigit("12a") != 0 || LuhnValid("") {
		t.Fatal("non-digits accepted")
	}
}

func TestIMEI(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		err      error
	}{
		{"490154203237518", "490154203237518", nil},
		{"49-015420-323751-8", "490154203237518", nil},
		{"49 015420 323751 8", "490154203237518", nil},
		{"490154203237519", "490154203237519", ErrChecksum},
		{"49015420323751", "49015420323751", ErrFormat},
		{"4901542032375188", "4901542032375188", ErrFormat},
		{"000000000000000", "000000000000000", ErrImplausible},
		{"12345678901234x", "", ErrFormat},
	} {
		got, err := IMEI(tc.in)
		if got != tc.want || !errors.Is(err, tc.err) && !(err == nil && tc.err == nil) {
			t.Errorf("IMEI(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.err)
		}
	}
	if !TACPlausible("861234567890123") || TACPlausible("771234567890123") {
		t.Error("TACPlausible")
	}
	var e *Error
	if _, err := IMEI("490154203237519"); !errors.As(err, &e) || e.Kind != "imei" {
		t.Errorf("typed error: %v", err)
	}
}

func TestICCID(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		err      error
	}{
		{"8986010000123456782", "8986010000123456782", nil},
		{"89440000000000000010", "89440000000000000010", nil},
		{"8986010000123456782F", "8986010000123456782", nil},
		{"8986010000123456783", "8986010000123456783", ErrChecksum},
		{"7986010000123456782", "7986010000123456782", ErrFormat},
		{"89860100001234", "89860100001234", ErrFormat},
		{"89860A0000123456782", "89860A0000123456782", ErrFormat},
	} {
		got, err := ICCID(tc.in)
		if got != tc.want || (tc.err == nil) != (err == nil) || (tc.err != nil && !errors.Is(err, tc.err)) {
			t.Errorf("ICCID(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestEID(t *testing.T) {
	if _, err := EID("89049032000000000000000000000066"); err != nil {
		t.Errorf("EID example: %v", err)
	}
	if _, err := EID("89049032000000000000000000000067"); !errors.Is(err, ErrChecksum) {
		t.Errorf("bad EID: %v", err)
	}
	if _, err := EID("8904903200000000000000000000006"); !errors.Is(err, ErrFormat) {
		t.Errorf("short EID: %v", err)
	}
}

func TestIMSI(t *testing.T) {
	v, info, err := IMSI("460001234567890")
	if err != nil || v != "460001234567890" || info.MCC != "460" || info.MNC != "00" || info.Country != "cn" {
		t.Errorf("IMSI China: %q %+v %v", v, info, err)
	}
	_, info, err = IMSI("310260123456789")
	if err != nil || info.MNC != "260" || info.Country != "us" {
		t.Errorf("IMSI US: %+v %v", info, err)
	}
	if _, _, err := IMSI("123001234567890"); !errors.Is(err, ErrImplausible) {
		t.Errorf("unassigned MCC: %v", err)
	}
	if _, _, err := IMSI("4600012345"); !errors.Is(err, ErrFormat) {
		t.Errorf("short: %v", err)
	}
	if !IMSIMatchesHome("250011234567890", "250", "01") || IMSIMatchesHome("250011234567890", "250", "02") {
		t.Error("IMSIMatchesHome")
	}
}

func TestMEID(t *testing.T) {
	if v, err := MEID("A0000000002329"); err != nil || v != "A0000000002329" {
		t.Errorf("MEID: %q %v", v, err)
	}
	// A0 00 00 00 00 23 29 check digit in base-16 Luhn.
	cd := luhn16("A0000000002329")
	if v, err := MEID("a0000000002329" + string(cd)); err != nil || v != "A0000000002329" {
		t.Errorf("MEID with check: %q %v", v, err)
	}
	if _, err := MEID("G0000000002329"); !errors.Is(err, ErrFormat) {
		t.Errorf("bad hex: %v", err)
	}
	if _, err := MEID("270113177609606898"); err != nil {
		t.Errorf("decimal MEID: %v", err)
	}
}

func TestMAC(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		err      error
		local    bool
	}{
		{"00:00:5E:00:53:01", "00:00:5e:00:53:01", nil, false},
		{"00-00-5e-00-53-01", "00:00:5e:00:53:01", nil, false},
		{"0000.5e00.5301", "00:00:5e:00:53:01", nil, false},
		{"00005e005301", "00:00:5e:00:53:01", nil, false},
		{"da:a1:19:00:53:01", "da:a1:19:00:53:01", nil, true},
		{"02:00:00:00:00:00", "02:00:00:00:00:00", ErrImplausible, true},
		{"ff:ff:ff:ff:ff:ff", "ff:ff:ff:ff:ff:ff", ErrImplausible, true},
		{"01:00:5e:00:00:01", "01:00:5e:00:00:01", ErrImplausible, false},
		{"00:00:5e:00:53", "00:00:5e:00:53", ErrFormat, false},
		{"00:00:5e-00:53:01", "00:00:5e-00:53:01", ErrFormat, false},
	} {
		got, err := MAC(tc.in)
		if got != tc.want || (tc.err == nil) != (err == nil) || (tc.err != nil && !errors.Is(err, tc.err)) {
			t.Errorf("MAC(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.err)
		}
		if err == nil && MACLocal(got) != tc.local {
			t.Errorf("MACLocal(%q) = %v", got, !tc.local)
		}
	}
}

func TestAndroidID(t *testing.T) {
	if v, err := SSAID("1F2E3D4C5B6A7980"); err != nil || v != "1f2e3d4c5b6a7980" {
		t.Errorf("SSAID: %q %v", v, err)
	}
	if _, err := AndroidID("3a9f2c"); err != nil {
		t.Errorf("legacy short id: %v", err)
	}
	if _, err := SSAID("3a9f2c"); !errors.Is(err, ErrFormat) {
		t.Errorf("short SSAID accepted: %v", err)
	}
	if _, err := AndroidID("9774d56d682e549c"); !errors.Is(err, ErrImplausible) {
		t.Errorf("bogus constant: %v", err)
	}
	if _, err := AndroidID("xyz"); !errors.Is(err, ErrFormat) {
		t.Errorf("non-hex: %v", err)
	}
	if _, err := GAID("38400000-8cf0-11bd-b23e-10b96e40000d"); err != nil {
		t.Errorf("GAID: %v", err)
	}
	if _, err := GAID("00000000-0000-0000-0000-000000000000"); !errors.Is(err, ErrImplausible) {
		t.Errorf("zero GAID: %v", err)
	}
}

func TestE164(t *testing.T) {
	for _, tc := range []struct {
		in, country, want string
		ok                bool
	}{
		{"+44 7700 900123", "", "+447700900123", true},
		{"+1 202 555 0123", "", "+12025550123", true},
		{"(202) 555-0124", "us", "+12025550124", true},
		{"1-202-555-0124", "us", "+12025550124", true},
		{"07700 900123", "gb", "+447700900123", true},
		{"8 916 109-01-93", "ru", "+79161090193", true},
		{"139 1277 4357", "cn", "+8613912774357", true},
		{"0044 7700 900123", "", "+447700900123", true},
		{"+1 650-555-1234,,123#", "", "+16505551234", true},
		{"tel:+1-202-555-0123", "", "+12025550123", true},
		{"06 12 34 56 78", "fr", "+33612345678", true},
		{"06 12 34 56 78", "it", "+390612345678", true},
		{"612 34 56 78", "es", "+34612345678", true},
		{"95588", "cn", "", false},
		{"AMAZON", "", "", false},
		{"insert-address-token", "", "", false},
		{"a@b.com", "", "", false},
		{"07700 900123", "", "", false},
		{"+0123456789", "", "+0123456789", false},
		{"+1234", "", "+1234", false},
	} {
		got, err := E164(tc.in, tc.country)
		if (err == nil) != tc.ok || (tc.want != "" && got != tc.want) {
			t.Errorf("E164(%q, %q) = %q, %v; want %q ok=%v", tc.in, tc.country, got, err, tc.want, tc.ok)
		}
	}
	if p, ok := SplitPhone("+1 650 555 1234;123"); !ok || p.Number != "+16505551234" || p.Suffix != ";123" {
		t.Errorf("SplitPhone suffix: %+v %v", p, ok)
	}
	if CallingCode("RU") != "7" || CountryCodeOf("447700900123") != "44" || CountryCodeOf("8613912774357") != "86" {
		t.Error("calling code tables")
	}
}

func TestScan(t *testing.T) {
	text := []byte(`[persist.radio.imei1]: [861234567890127]
[ro.serialno]: [a1b2c3d4]
<string name="imsi">250011234567890</string>
<string name="sim_iccid">8986010000123456782</string>
{"android_id":"1f2e3d4c5b6a7980","note":"order 490154203237518 shipped"}
random 123456789012345 number and 490154203237519 bad luhn
`)
	// Fix the IMEI in the property line to be Luhn-valid.
	imei := "86123456789012" + string(LuhnDigit("86123456789012"))
	copy(text[len("[persist.radio.imei1]: ["):], imei)
	got := Scan(text, "", 0)
	want := []Found{
		{Kind: "imei", Value: imei, Confidence: Confident, Context: "persist.radio.imei1"},
		{Kind: "imsi", Value: "250011234567890", Confidence: Confident, Context: "imsi"},
		{Kind: "iccid", Value: "8986010000123456782", Confidence: Confident, Context: "sim_iccid"},
		{Kind: "android-id", Value: "1f2e3d4c5b6a7980", Confidence: Confident, Context: "android_id"},
		{Kind: "imei", Value: "490154203237518", Confidence: Possible},
	}
	if len(got) != len(want) {
		t.Fatalf("Scan found %d: %+v", len(got), got)
	}
	for i := range want {
		g := got[i]
		if g.Kind != want[i].Kind || g.Value != want[i].Value || g.Confidence != want[i].Confidence || g.Context != want[i].Context {
			t.Errorf("Scan[%d] = %+v, want %+v", i, g, want[i])
		}
		if string(text[g.Offset:g.Offset+len(g.Raw)]) != g.Raw {
			t.Errorf("Scan[%d] offset %d does not point at %q", i, g.Offset, g.Raw)
		}
	}
	if ContextKind("subscriberId") != "imsi" || ContextKind("ro.ril.miui.imei0") != "imei" || ContextKind("colour") != "" {
		t.Error("ContextKind")
	}
	if f, ok := Classify("imei", "490154203237519", ""); ok {
		t.Errorf("bad Luhn with context accepted: %+v", f)
	}
}

func FuzzScan(f *testing.F) {
	f.Add([]byte(`imei=490154203237518 iccid:8986010000123456782`), "cn")
	f.Add([]byte("\xff\x00 89 860100 00123456782"), "")
	f.Fuzz(func(t *testing.T, b []byte, country string) {
		for _, x := range Scan(b, country, 100) {
			if x.Offset < 0 || x.Offset+len(x.Raw) > len(b) {
				t.Fatalf("offset out of range: %+v", x)
			}
		}
		E164(string(b), country)
		MAC(string(b))
		IMSI(string(b))
	})
}

func TestRegionOf(t *testing.T) {
	for cc, want := range map[string]string{"1": "us", "7": "ru", "44": "gb", "86": "cn", "966": "sa", "": "", "999": ""} {
		if got := RegionOf(cc); got != want {
			t.Errorf("RegionOf(%q) = %q, want %q", cc, got, want)
		}
	}
}
