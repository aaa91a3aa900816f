package links

import (
	"reflect"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/report"
)

func TestFind(t *testing.T) {
	tests := []struct {
		text string
		want []report.Link
	}{
		{"Check this out: https://bit.ly/3kTq9Zp", []report.Link{{URL: "https://bit.ly/3kTq9Zp", Text: "https://bit.ly/3kTq9Zp", Host: "bit.ly", Shortener: true}}},
		{"Meeting moved to 3pm, see https://example.com/agenda?week=12.", []report.Link{{URL: "https://example.com/agenda?week=12", Text: "https://example.com/agenda?week=12", Host: "example.com"}}},
		{"看看这个：https://例子.测试/活动", []report.Link{{URL: "https://xn--fsqu00a.xn--0zwm56d/活动", Text: "https://例子.测试/活动", Host: "xn--fsqu00a.xn--0zwm56d", Display: "例子.测试"}}},
		{"Смотри: https://пример.рф/новости.", []report.Link{{URL: "https://xn--e1afmkfd.xn--p1ai/новости", Text: "https://пример.рф/новости", Host: "xn--e1afmkfd.xn--p1ai", Display: "пример.рф"}}},
		{"Te mando la ubicación: https://maps.app.goo.gl/Xy7pQ2rT9", []report.Link{{URL: "https://maps.app.goo.gl/Xy7pQ2rT9", Text: "https://maps.app.goo.gl/Xy7pQ2rT9", Host: "maps.app.goo.gl", Shortener: true}}},
		{"Schau mal: https://www.müller-bäckerei.de/angebote", []report.Link{{URL: "https://www.xn--mller-bckerei-hfb76a.de/angebote", Text: "https://www.müller-bäckerei.de/angebote", Host: "www.xn--mller-bckerei-hfb76a.de", Display: "www.müller-bäckerei.de"}}},
		{"Your package will arrive today. Track: https://amzn.eu/d/7Hq2kLp, reply STOP to opt out.", []report.Link{{URL: "https://amzn.eu/d/7Hq2kLp", Text: "https://amzn.eu/d/7Hq2kLp", Host: "amzn.eu", Shortener: true}}},
		{"【中国移动】尊敬的客户，您本月套餐剩余流量2.35GB。详情：http://10086.cn/t?x=1", []report.Link{{URL: "http://10086.cn/t?x=1", Text: "http://10086.cn/t?x=1", Host: "10086.cn"}}},
		{"Movistar: tu factura ya está disponible en https://mov.es/f4ct (¡gracias!).", []report.Link{{URL: "https://mov.es/f4ct", Text: "https://mov.es/f4ct", Host: "mov.es"}}},
		{"If this wasn't you, visit https://bit.ly/2Sec-Chk now!", []report.Link{{URL: "https://bit.ly/2Sec-Chk", Text: "https://bit.ly/2Sec-Chk", Host: "bit.ly", Shortener: true}}},
		{`<script>alert(1)</script><a href="javascript:alert(2)">win</a> <img src="https://tracker.example.invalid/x.png"> =cmd|' /C calc'!A0`,
			[]report.Link{{URL: "https://tracker.example.invalid/x.png", Text: "https://tracker.example.invalid/x.png", Host: "tracker.example.invalid"}}},
		{"(see https://en.wikipedia.org/wiki/Foo_(bar)).", []report.Link{{URL: "https://en.wikipedia.org/wiki/Foo_(bar)", Text: "https://en.wikipedia.org/wiki/Foo_(bar)", Host: "en.wikipedia.org"}}},
		{"[https://example.com/a]", []report.Link{{URL: "https://example.com/a", Text: "https://example.com/a", Host: "example.com"}}},
		{"HTTPS://Example.COM:443/Path?Q=A#Frag", []report.Link{{URL: "https://example.com/Path?Q=A#Frag", Text: "HTTPS://Example.COM:443/Path?Q=A#Frag", Host: "example.com"}}},
		{"http://example.com:80", []report.Link{{URL: "http://example.com", Text: "http://example.com:80", Host: "example.com"}}},
		{"http://example.com:8080/x", []report.Link{{URL: "http://example.com:8080/x", Text: "http://example.com:8080/x", Host: "example.com"}}},
		{"ftp://FTP.example.org:21/file.txt", []report.Link{{URL: "ftp://ftp.example.org/file.txt", Text: "ftp://FTP.example.org:21/file.txt", Host: "ftp.example.org"}}},
		{"https://user:pw@Host.com/x", []report.Link{{URL: "https://user:pw@host.com/x", Text: "https://user:pw@Host.com/x", Host: "host.com"}}},
		{"https://[2001:db8::1]:443/x", []report.Link{{URL: "https://[2001:db8::1]/x", Text: "https://[2001:db8::1]:443/x", Host: "[2001:db8::1]"}}},
		{"go to www.Example.com/test.", []report.Link{{URL: "http://www.example.com/test", Text: "www.Example.com/test", Host: "www.example.com"}}},
		{"WWW.EXAMPLE.CO.UK!", []report.Link{{URL: "http://www.example.co.uk", Text: "WWW.EXAMPLE.CO.UK", Host: "www.example.co.uk"}}},
		{"see example.com/path?x=1, ok", []report.Link{{URL: "http://example.com/path?x=1", Text: "example.com/path?x=1", Host: "example.com"}}},
		{"visit пример.рф today", []report.Link{{URL: "http://xn--e1afmkfd.xn--p1ai", Text: "пример.рф", Host: "xn--e1afmkfd.xn--p1ai", Display: "пример.рф"}}},
		{"访问baidu.com了解详情", []report.Link{{URL: "http://baidu.com", Text: "baidu.com", Host: "baidu.com"}}},
		{"at 10:30 at cafe.com: nice", []report.Link{{URL: "http://cafe.com", Text: "cafe.com", Host: "cafe.com"}}},
		{"admin panel example.com:8443/x", []report.Link{{URL: "http://example.com:8443/x", Text: "example.com:8443/x", Host: "example.com"}}},
		{"homograph xn--80ak6aa92e.com login", []report.Link{{URL: "http://xn--80ak6aa92e.com", Text: "xn--80ak6aa92e.com", Host: "xn--80ak6aa92e.com", Display: "аррӏе.com"}}},
		{"dup https://a.com/x and https://A.COM/x", []report.Link{{URL: "https://a.com/x", Text: "https://a.com/x", Host: "a.com"}}},
		{"two: http://a.com, http://b.org;", []report.Link{{URL: "http://a.com", Text: "http://a.com", Host: "a.com"}, {URL: "http://b.org", Text: "http://b.org", Host: "b.org"}}},
		{"«https://example.ru/»", []report.Link{{URL: "https://example.ru/", Text: "https://example.ru/", Host: "example.ru"}}},
		{"“https://example.ru/a”", []report.Link{{URL: "https://example.ru/a", Text: "https://example.ru/a", Host: "example.ru"}}},
		{"https://example.com/a。下一句", []report.Link{{URL: "https://example.com/a", Text: "https://example.com/a", Host: "example.com"}}},
		{"https://t.co/abc…", []report.Link{{URL: "https://t.co/abc", Text: "https://t.co/abc", Host: "t.co", Shortener: true}}},
		// Not links.
		{"write to amelia.hughes@qq.com please", nil},
		{"ok.so what now", nil},
		{"see notes.md and IMG_20231105_094410.jpg", nil},
		{"version 2.0.1 and 3.14", nil},
		{"https:// nothing", nil},
		{"http://@", nil},
		{"mailto:x@example.com javascript:alert(1)", nil},
		{"xhttp://example.com", nil},
		{"e.g. i.e. Mr.Smith", nil},
		{"", nil},
		{"Спасибо большое 🙏", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got := Find(tt.text)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Find(%q)\n got  %+v\n want %+v", tt.text, got, tt.want)
			}
		})
	}
}

func TestIsShortener(t *testing.T) {
	for host, want := range map[string]bool{"bit.ly": true, "BIT.LY": true, "maps.app.goo.gl": true, "goo.gl": true, "example.com": false, "ly": false, "notbit.ly": false, "t.co.": true} {
		if got := IsShortener(host); got != want {
			t.Errorf("IsShortener(%q) = %v", host, got)
		}
	}
}

func TestNormalizeRejects(t *testing.T) {
	for _, s := range []string{"", "https://", "gopher://x.com", "http://x.com:80a/"} {
		if l, ok := Normalize(s); ok {
			t.Errorf("Normalize(%q) = %+v", s, l)
		}
	}
}

func TestFindInvalidUTF8(t *testing.T) {
	got := Find("bad \xff\xfe https://example.com/\xff ok")
	if len(got) != 1 || got[0].URL != "https://example.com/" {
		t.Errorf("%+v", got)
	}
}

func TestFindLongInput(t *testing.T) {
	s := strings.Repeat("a.", 100000) + strings.Repeat("http://", 1000)
	_ = Find(s) // must finish quickly
}

func FuzzFind(f *testing.F) {
	f.Add("see https://例子.测试/活动 and www.example.com.")
	f.Add("(https://a.com/(x)))")
	f.Add("a@b.com c.рф")
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range Find(s) {
			if l.URL == "" || l.Host == "" || !strings.Contains(s, l.Text) {
				t.Fatalf("bad link %+v from %q", l, s)
			}
		}
	})
}

func TestFindMoreHosts(t *testing.T) {
	for text, want := range map[string]string{
		"a.com.b.com":              "http://a.com.b.com",
		"mail.google.com/mail/u/0": "http://mail.google.com/mail/u/0",
		"go to sub.example.co.uk.": "http://sub.example.co.uk",
	} {
		got := Find(text)
		if len(got) != 1 || got[0].URL != want {
			t.Errorf("Find(%q) = %+v, want %s", text, got, want)
		}
	}
}
