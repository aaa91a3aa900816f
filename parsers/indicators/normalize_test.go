package indicators

import (
	"strings"
	"testing"
)

func TestNormalizeDomain(t *testing.T) {
	tests := []struct{ in, want, err string }{
		{"evil.com", "evil.com", ""},
		{"EVIL.Com.", "evil.com", ""},
		{"  evil.com  ", "evil.com", ""},
		{"пример.рф", "xn--e1afmkfd.xn--p1ai", ""},
		{"ПРИМЕР.РФ", "xn--e1afmkfd.xn--p1ai", ""},
		{"XN--E1AFMKFD.xn--p1ai", "xn--e1afmkfd.xn--p1ai", ""},
		{"пример。рф", "xn--e1afmkfd.xn--p1ai", ""}, // ideographic full stop
		{"ＥＶＩＬ．ＣＯＭ", "evil.com", ""},               // full-width
		{"еvil.com", "xn--vil-qdd.com", ""},        // Cyrillic е: a different domain
		{"under_score.example", "under_score.example", ""},
		{"1.2.3.4", "1.2.3.4", ""},
		{"[2001:DB8::1]", "2001:db8::1", ""},
		{"", "", "empty"},
		{".", "", "empty"},
		{"a..b", "", "empty label"},
		{"*.evil.com", "", "wildcards"},
		{"evil.com/x", "", "not a host name"},
		{"user@evil.com", "", "not a host name"},
		{strings.Repeat("a", 64) + ".com", "", "63"},
		{strings.Repeat("abcdefgh.", 30) + "com", "", "253"},
	}
	for _, tt := range tests {
		got, err := NormalizeDomain(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("NormalizeDomain(%q) = %q, %v; want error ~%q", tt.in, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if d := DisplayDomain("a.xn--e1afmkfd.xn--p1ai"); d != "a.пример.рф" {
		t.Errorf("DisplayDomain = %q", d)
	}
	if d := DisplayDomain("evil.com"); d != "" {
		t.Errorf("DisplayDomain(ascii) = %q", d)
	}
}

func TestNormalizeURL(t *testing.T) {
	tests := []struct{ in, want, frag, err string }{
		{"https://evil.com", "https://evil.com/", "", ""},
		{"HTTPS://EVIL.COM/Path", "https://evil.com/Path", "", ""}, // path keeps its case
		{"https://evil.com:443/", "https://evil.com/", "", ""},
		{"http://evil.com:80/a", "http://evil.com/a", "", ""},
		{"http://evil.com:443/a", "http://evil.com:443/a", "", ""},
		{"https://evil.com:0443/a", "https://evil.com/a", "", ""},
		{"https://evil.com./a", "https://evil.com/a", "", ""},
		{"https://user:pw@evil.com/a", "https://evil.com/a", "", ""},
		{"http://good.com@evil.com/", "http://evil.com/", "", ""},
		{"https://evil.com/a/./b/../c", "https://evil.com/a/c", "", ""},
		{"https://evil.com/%7euser/%2e%2e/x", "https://evil.com/x", "", ""},
		{"https://evil.com/a%2fb%3f", "https://evil.com/a%2Fb%3F", "", ""},
		{"https://evil.com/a b", "https://evil.com/a%20b", "", ""},
		{"https://evil.com/100%", "https://evil.com/100%25", "", ""},
		{"https://пример.рф/путь", "https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C", "", ""},
		{"https://xn--e1afmkfd.xn--p1ai/%d0%bf%d1%83%d1%82%d1%8c", "https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C", "", ""},
		{"https://evil.com/?", "https://evil.com/", "", ""},
		{"https://evil.com/?a=1&b=%7e", "https://evil.com/?a=1&b=~", "", ""},
		{"https://evil.com/x#Frag", "https://evil.com/x", "Frag", ""},
		{"evil.com/x", "evil.com/x", "", ""},
		{"evil.com:8080", "evil.com:8080/", "", ""},
		{"//evil.com/x", "evil.com/x", "", ""},
		{"http://[2001:db8::1]:8080/", "http://[2001:db8::1]:8080/", "", ""},
		{"http://[2001:db8::1]x/", "", "", "after the IPv6"},
		{"http://evil.com:x/", "", "", "port"},
		{"http:///x", "", "", "empty"},
	}
	for _, tt := range tests {
		u, err := NormalizeURL(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("NormalizeURL(%q) = %q, %v; want error ~%q", tt.in, u.String(), err, tt.err)
			}
			continue
		}
		if err != nil || u.String() != tt.want || u.Fragment != tt.frag {
			t.Errorf("NormalizeURL(%q) = %q #%q, %v; want %q #%q", tt.in, u.String(), u.Fragment, err, tt.want, tt.frag)
		}
	}
}

func TestNormalizeEmailAndPhone(t *testing.T) {
	for in, want := range map[string]string{
		"A.B@Evil.COM":          "a.b@evil.com",
		"mailto:x@пример.рф":    "x@xn--e1afmkfd.xn--p1ai",
		" MAILTO:Op@evil.com. ": "op@evil.com",
	} {
		if got, err := NormalizeEmail(in); err != nil || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"nobody", "@evil.com", "x@", "a b@evil.com", "x@evil com"} {
		if got, err := NormalizeEmail(in); err == nil {
			t.Errorf("NormalizeEmail(%q) = %q, want error", in, got)
		}
	}
	for in, want := range map[string]string{
		"+79261234567":         "+79261234567",
		"+7 (926) 123-45-67":   "+79261234567",
		"0079261234567":        "+79261234567",
		"tel:+44.20.7946.0000": "+442079460000",
		"+1/212/555/0100":      "+12125550100",
	} {
		if got, err := NormalizePhone(in); err != nil || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"89261234567", "+123", "+1234567890123456", "+0123456789", "+7 926 CALL NOW", "", "+"} {
		if got, err := NormalizePhone(in); err == nil {
			t.Errorf("NormalizePhone(%q) = %q, want error", in, got)
		}
	}
}

func TestApps(t *testing.T) {
	rep := testReport()
	var got []string
	for _, a := range Apps(rep) {
		got = append(got, a.Package+" "+a.How+" "+a.Source)
	}
	want := []string{
		"com.other " + AppBackupFolder + " phone.ab!apps/com.other/f/Spy-Config.json",
		"com.testspy.agent " + AppBackupFolder + " phone.ab!apps/com.testspy.agent/_manifest",
		"com.testspy.agent.helper " + AppDataFolder + " dump.zip!data/data/com.testspy.agent.helper/shared_prefs/x.xml",
		"com.testspy.agentx " + AppBackupFolder + " phone.ab!apps/com.testspy.agentx/_manifest",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Apps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Other evidence kinds.
	rep.Files = nil
	rep.Payloads = nil
	for _, p := range []string{
		"set/Почта(com.mail.app).bak",
		"dump.tar!data/user/0/com.user.app/databases/x.db",
		"dump.tar!data/user_de/10/com.userde.app/files/x",
		"sd.zip!Android/data/com.sd.app/files/x",
		"x.zip!apps/not_a_package/x",
		"x.zip!apps/com.only.dir",
		"odd%21name.zip!apps/com.bang.app/_manifest",
	} {
		rep.Files = append(rep.Files, reportFile(p))
	}
	got = nil
	for _, a := range Apps(rep) {
		got = append(got, a.Package+" "+a.How)
	}
	want = []string{
		"com.bang.app " + AppBackupFolder,
		"com.mail.app " + AppMIUIBak,
		"com.sd.app " + AppDataFolder,
		"com.user.app " + AppDataFolder,
		"com.userde.app " + AppDataFolder,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Apps:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
