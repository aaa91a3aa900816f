package vcard

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

func load(t *testing.T, name string) []*Card {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "aosp", name))
	if err != nil {
		t.Fatal(err)
	}
	cards, err := ReadAll(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return cards
}

func one(t *testing.T, name string) (*Card, *Entry) {
	t.Helper()
	cards := load(t, name)
	if len(cards) != 1 {
		t.Fatalf("%s: %d cards, want 1", name, len(cards))
	}
	return cards[0], cards[0].Entry()
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", what, got, want)
	}
}

// Expectations below follow AOSP's VCardImporterTests.java, property by
// property. Phone numbers are compared as written (AOSP additionally
// reformats them for display, which this reader deliberately does not).

func TestV21Simple(t *testing.T) {
	_, e := one(t, "v21_simple_1.vcf")
	eq(t, "family", e.Name.Family, "Ando")
	eq(t, "given", e.Name.Given, "Roid")
	eq(t, "display", e.Name.Display, "Roid Ando")
	_, e = one(t, "v21_simple_2.vcf")
	eq(t, "display", e.Name.Display, "Ando Roid")
	_, e = one(t, "v21_simple_3.vcf")
	eq(t, "family", e.Name.Family, "Ando")
	eq(t, "given", e.Name.Given, "Roid")
	eq(t, "display (FN preferred)", e.Name.Display, "Ando Roid")
}

func TestV21Backslash(t *testing.T) {
	c, e := one(t, "v21_backslash.vcf")
	eq(t, "N components", c.Components(c.Get("N")), []string{"", "A;B\\", "C\\;", "D", ":E", "\\\\", ""})
	eq(t, "FN", c.Text(c.Get("FN")), "A;B\\C\\;D:E\\\\")
	eq(t, "given", e.Name.Given, "A;B\\")
	eq(t, "middle", e.Name.Middle, "C\\;")
	eq(t, "prefix", e.Name.Prefix, "D")
	eq(t, "suffix", e.Name.Suffix, ":E")
	eq(t, "family", e.Name.Family, "")
	eq(t, "display", e.Name.Display, "A;B\\C\\;D:E\\\\")
}

func TestOrgTitleOrder(t *testing.T) {
	_, e := one(t, "v21_org_before_title.vcf")
	eq(t, "display", e.Name.Display, "Normal Guy")
	eq(t, "orgs", e.Organizations, []Organization{{Company: "Company", Department: "Organization Devision Room Sheet No.", Title: "Excellent Janitor", Type: OrgWork}})
	_, e = one(t, "v21_title_before_org.vcf")
	eq(t, "display", e.Name.Display, "Nice Guy")
	eq(t, "orgs", e.Organizations, []Organization{{Company: "Marverous", Department: "Perfect Great Good Bad Poor", Title: "Cool Title", Type: OrgWork}})
}

func TestV21PrefHandling(t *testing.T) {
	_, e := one(t, "v21_pref_handling.vcf")
	eq(t, "display", e.Name.Display, "Smith")
	eq(t, "phones", e.Phones, []Phone{
		{Number: "1", Type: PhoneHome},
		{Number: "2", Type: PhoneWork, Primary: true},
		{Number: "3", Type: PhoneISDN},
	})
	eq(t, "emails", e.Emails, []Email{
		{Address: "test@example.com", Type: EmailHome, Primary: true},
		{Address: "test2@examination.com", Type: EmailMobile, Primary: true},
	})
	eq(t, "orgs", e.Organizations, []Organization{
		{Company: "Company", Title: "Engineer", Type: OrgWork},
		{Company: "Mystery", Title: "Blogger", Type: OrgWork},
		{Company: "Poetry", Title: "Poet", Type: OrgWork},
	})
}

func TestV21Complicated(t *testing.T) {
	c, e := one(t, "v21_complicated.vcf")
	eq(t, "N", c.Components(c.Get("N")), []string{"Gump", "Forrest", "Hoge", "Pos", "Tao"})
	eq(t, "ORG", c.Components(c.Get("ORG")), []string{"Gump Shrimp Co.", "Sales Dept.;Manager", "Fish keeper"})
	eq(t, "ROLE", c.Text(c.Get("ROLE")), "Fish Cake Keeper!")
	eq(t, "X-CLASS", c.Text(c.Get("X-CLASS")), "PUBLIC")
	labels := c.All("LABEL")
	if len(labels) != 2 {
		t.Fatalf("LABEL count %d", len(labels))
	}
	eq(t, "LABEL work", labels[0].Value, "100 Waters Edge\r\nBaytown, LA 30314\r\nUnited  States of America")
	eq(t, "LABEL home (QP soft breaks)", labels[1].Value, "42 Plantation St.\r\nBaytown, LA 30314\r\nUnited  States of America")
	eq(t, "X-ATTRIBUTE", c.Get("X-ATTRIBUTE").Value, "Some String")
	eq(t, "GEO", c.Get("GEO").Value, "35.6563854,139.6994233")
	eq(t, "REV", c.Get("REV").Value, "20080424T195243Z")

	eq(t, "name", e.Name, Name{Display: "Joe Due", Family: "Gump", Given: "Forrest", Middle: "Hoge", Prefix: "Pos", Suffix: "Tao"})
	eq(t, "orgs", e.Organizations, []Organization{{Company: "Gump Shrimp Co.", Department: "Sales Dept.;Manager Fish keeper", Title: "Shrimp Man", Type: OrgWork}})
	eq(t, "phones", e.Phones, []Phone{
		{Number: "(111) 555-1212", Type: PhoneWork},
		{Number: "(404) 555-1212", Type: PhoneHome},
		{Number: "0311111111", Type: PhoneMobile},
		{Number: "0322222222", Type: TypeCustom, Label: "VIDEO"},
		{Number: "0333333333", Type: TypeCustom, Label: "VOICE"},
	})
	eq(t, "addresses", e.Addresses, []Address{
		{Street: "100 Waters Edge", City: "Baytown", Region: "LA", PostalCode: "30314", Country: "United States of America",
			Formatted: "100 Waters Edge Baytown LA 30314 United States of America", Type: PostalWork},
		{Street: "42 Plantation St.", City: "Baytown", Region: "LA", PostalCode: "30314", Country: "United States of America",
			Formatted: "42 Plantation St. Baytown LA 30314 United States of America", Type: PostalHome},
	})
	eq(t, "emails", e.Emails, []Email{
		{Address: "forrestgump@walladalla.com", Type: TypeCustom, Label: "INTERNET", Primary: true},
		{Address: "cell@example.com", Type: EmailMobile},
	})
	eq(t, "notes", e.Notes, []string{"The following note is the example from RFC 2045.", "Now's the time for all folk to come to the aid of their country."})
	eq(t, "events", e.Events, []Event{{Date: "19800101", Type: EventBirthday}})
	eq(t, "websites", e.Websites, []string{"http://www.example.com/"})
	eq(t, "photos", e.Photos, 1)
	// The expected photo bytes start like AOSP's sPhotoIntArrayForComplicatedCase
	// (a JPEG with an Exif APP1 segment of 0x0a0f bytes) and end with EOI.
	ph := c.Get("PHOTO")
	if !bytes.HasPrefix(ph.Data, []byte{0xff, 0xd8, 0xff, 0xe1, 0x0a, 0x0f, 0x45, 0x78, 0x69, 0x66, 0x00}) || !bytes.HasSuffix(ph.Data, []byte{0x0c, 0xd1, 0x00, 0xff, 0xd9}) {
		t.Errorf("photo bytes: % x … % x", ph.Data[:min(12, len(ph.Data))], ph.Data[max(0, len(ph.Data)-5):])
	}
	eq(t, "photo types", ph.Types(), []string{"JPEG"})
}

func TestInvalidLines(t *testing.T) {
	_, e := one(t, "v21_invalid_multiple_line.vcf")
	eq(t, "given", e.Name.Given, "Omega")
	eq(t, "display", e.Name.Display, "Omega")
	eq(t, "emails", e.Emails, []Email{{Address: `"Omega" <omega@example.com>`, Type: TypeCustom, Label: "INTERNET"}})

	_, e = one(t, "v21_invalid_comment_line.vcf")
	eq(t, "given", e.Name.Given, "Conference Call")
	eq(t, "display", e.Name.Display, "Conference Call")
	eq(t, "notes", e.Notes, []string{"This is an (sharp ->#<- sharp) example. This message must NOT be ignored."})

	c, e := one(t, "v21_winmo_65.vcf")
	eq(t, "family", e.Name.Family, "Example")
	eq(t, "display", e.Name.Display, "Example")
	eq(t, "events", e.Events, []Event{{Date: "20091010", Type: EventAnniversary}})
	eq(t, "ANNIVERSARY VALUE", c.Get("ANNIVERSARY").Param("VALUE"), "DATE")
	eq(t, "AGENT", c.Get("AGENT").Value, "Invalid line which must be handled correctly.")
	eq(t, "X-REDUCTION", c.Get("X-REDUCTION").Value, "")
}

func TestV30Simple(t *testing.T) {
	c, e := one(t, "v30_simple.vcf")
	eq(t, "version", c.Version, "3.0")
	eq(t, "ORG", c.Components(c.Get("ORG")), []string{"Open", "Handset", " Alliance"})
	eq(t, "TEL types", c.Get("TEL").Types(), []string{"PREF", "VOICE"})
	eq(t, "X-GN", c.Get("X-GN").Value, "group0")
	eq(t, "name", e.Name, Name{Display: "And Roid", Family: "And", Given: "Roid", PhoneticGiven: "android"})
	eq(t, "orgs", e.Organizations, []Organization{{Company: "Open", Department: "Handset  Alliance", Type: OrgWork}})
	eq(t, "phones", e.Phones, []Phone{{Number: "0300000000", Type: TypeCustom, Label: "VOICE", Primary: true}})
}

func TestJapanese(t *testing.T) {
	c, e := one(t, "v21_japanese_1.vcf")
	eq(t, "N", c.Components(c.Get("N")), []string{"\u5B89\u85E4\u30ED\u30A4\u30C9", "", "", "", ""})
	eq(t, "SOUND", c.Get("SOUND").Value, "\uFF71\uFF9D\uFF84\uFF9E\uFF73\uFF9B\uFF72\uFF84\uFF9E;;;;")
	eq(t, "name", e.Name, Name{Display: "\u5B89\u85E4\u30ED\u30A4\u30C9", Family: "\u5B89\u85E4\u30ED\u30A4\u30C9",
		PhoneticGiven: "\uFF71\uFF9D\uFF84\uFF9E\uFF73\uFF9B\uFF72\uFF84\uFF9E"})
	eq(t, "phones", e.Phones, []Phone{{Number: "0300000000", Type: TypeCustom, Label: "VOICE", Primary: true}})

	c, e = one(t, "v21_japanese_2.vcf")
	eq(t, "FN", c.Text(c.Get("FN")), "\u5B89\u85E4\u0020\u30ED\u30A4\u30C9\u0020\u0031")
	street := "\u6771\u4EAC\u90FD\u6E0B\u8C37\u533A\u685C\u4E18\u753A\u0032\u0036\u002D\u0031\u30BB\u30EB\u30EA\u30A2\u30F3\u30BF\u30EF\u30FC\u0036\u968E"
	eq(t, "ADR", c.Components(c.Get("ADR")), []string{"", street, "", "", "", "150-8512", ""})
	eq(t, "name", e.Name, Name{Display: "\u5B89\u85E4\u0020\u30ED\u30A4\u30C9\u0020\u0031", Family: "\u5B89\u85E4", Given: "\u30ED\u30A4\u30C9\u0031",
		PhoneticFamily: "\uFF71\uFF9D\uFF84\uFF9E\uFF73", PhoneticGiven: "\uFF9B\uFF72\uFF84\uFF9E\u0031"})
	// AOSP maps the second ADR component (extended address) to STREET.
	eq(t, "address", e.Addresses, []Address{{Extended: street, Street: street, PostalCode: "150-8512", Formatted: street + " 150-8512", Type: PostalHome}})
	eq(t, "notes", e.Notes, []string{"\u30E1\u30E2"})

	// Shift_JIS trail bytes 0x5C must not be taken for backslashes.
	for _, f := range []string{"v21_japanese_3.vcf", "v30_japanese.vcf"} {
		c, e := one(t, f)
		eq(t, f+" FN", c.Text(c.Get("FN")), "伊能 圭一 伊予")
		eq(t, f+" N", c.Components(c.Get("N")), []string{"伊能", "圭一", "伊予", "", ""})
		eq(t, f+" display", e.Name.Display, "伊能 圭一 伊予")
	}
}

func TestMultipleEntry(t *testing.T) {
	cards := load(t, "v21_multiple_entry.vcf")
	if len(cards) != 3 {
		t.Fatalf("%d cards", len(cards))
	}
	want := [][]Phone{
		{{Number: "9", Label: "NEC-SECRET"}, {Number: "10", Label: "NEC-HOTEL"}, {Number: "11", Label: "NEC-SCHOOL"}, {Number: "12", Type: PhoneFaxHome}},
		{{Number: "13", Label: "MODEM"}, {Number: "14", Type: PhonePager}, {Number: "15", Label: "NEC-FAMILY"}, {Number: "16", Label: "NEC-GIRL"}},
		{{Number: "17", Label: "NEC-BOY"}, {Number: "18", Label: "NEC-FRIEND"}, {Number: "19", Label: "NEC-PHS"}, {Number: "20", Label: "NEC-RESTAURANT"}},
	}
	for i, c := range cards {
		e := c.Entry()
		n := string(rune('3' + i))
		eq(t, "family", e.Name.Family, "\u5B89\u85E4\u30ED\u30A4\u30C9"+n)
		eq(t, "display", e.Name.Display, "\u5B89\u85E4\u30ED\u30A4\u30C9"+n)
		eq(t, "phonetic", e.Name.PhoneticGiven, "\uFF71\uFF9D\uFF84\uFF9E\uFF73\uFF9B\uFF72\uFF84\uFF9E"+n)
		eq(t, "phones", e.Phones, want[i])
	}
}

func TestV30Params(t *testing.T) {
	c, e := one(t, "v30_pager.vcf")
	types := c.Get("TEL").Types()
	sort.Strings(types)
	eq(t, "TEL types", types, []string{"MSG", "PAGER", "WORK"})
	eq(t, "name", e.Name, Name{Display: "G M F", Family: "F", Given: "G", Middle: "M"})
	eq(t, "phones", e.Phones, []Phone{{Number: "6101231234@pagersample.com", Type: PhonePager}})

	c, e = one(t, "v30_multibyte_param.vcf")
	eq(t, "TEL types", c.Get("TEL").RawTypes(), []string{"\u8D39"})
	eq(t, "phones", e.Phones, []Phone{{Number: "1", Type: TypeCustom, Label: "\u8D39"}})
	eq(t, "display", e.Name.Display, "G M F")

	c, _ = one(t, "v30_comma_separated.vcf")
	eq(t, "N types", c.Get("N").Types(), []string{"PREF", "HOME"})
	eq(t, "TEL types", c.Get("TEL").RawTypes(), []string{"COMMA,SEPARATED:INSIDE.DQUOTE", "PREF"})
	eq(t, "TEL value", c.Get("TEL").Value, "1")

	_, e = one(t, "v30_pause_wait.vcf")
	eq(t, "phones", e.Phones, []Phone{{Number: "p1234p5678w9", Type: PhoneHome}})
	eq(t, "name", e.Name, Name{Display: "Pause Wait", Family: "Pause", Given: "Wait"})
}

func TestV40(t *testing.T) {
	c, e := one(t, "v40_sort_as.vcf")
	eq(t, "version", c.Version, "4.0")
	eq(t, "N SORT-AS", c.Get("N").Param("SORT-AS"), "\u3042\u3093\u3069\u3046;\u308D\u3044\u3069")
	eq(t, "name", e.Name, Name{Display: "\u5B89\u85E4\u0020\u30ED\u30A4\u30C9", Family: "\u5B89\u85E4", Given: "\u30ED\u30A4\u30C9",
		PhoneticFamily: "\u3042\u3093\u3069\u3046", PhoneticGiven: "\u308D\u3044\u3069"})
	eq(t, "orgs", e.Organizations, []Organization{{Company: "\u30B0\u30FC\u30B0\u30EB", Department: "\u691C\u7D22\u90E8\u9580",
		PhoneticName: "\u3050\u30FC\u3050\u308B\u3051\u3093\u3055\u304F\u3076\u3082\u3093", Type: OrgWork}})

	_, e = one(t, "v40_sip.vcf")
	eq(t, "name", e.Name, Name{Display: "\u5B89\u85E4\u0020\u30ED\u30A4\u30C9", Family: "\u5B89\u85E4", Given: "\u30ED\u30A4\u30C9"})
	eq(t, "phones", e.Phones, []Phone{{Number: "1", Type: PhoneHome}})
	eq(t, "sips", e.SIPs, []string{"example@example.com"})
}

func TestIMAndSIP(t *testing.T) {
	c, e := one(t, "v21_im.vcf")
	eq(t, "X-ANDROID-CUSTOM", c.Components(c.Get("X-ANDROID-CUSTOM")),
		[]string{"vnd.android.cursor.item/nickname", "Nick", "1", "", "", "", "", "", "", "", "", "", "", "", "", ""})
	eq(t, "nicknames", e.Nicknames, []string{"Nick"})
	eq(t, "ims", e.IMs, []IM{{Handle: "hhh@gmail.com", Protocol: ProtoGoogleTalk, Type: IMHome}})

	c, e = one(t, "v30_sip.vcf")
	eq(t, "IMPP types", c.Get("IMPP").RawTypes(), []string{"personal"})
	eq(t, "display", e.Name.Display, "Android")
	eq(t, "sips", e.SIPs, []string{"android@android.example.com"})

	_, e = one(t, "v21_sip.vcf")
	eq(t, "display", e.Name.Display, "Android")
	eq(t, "sips", e.SIPs, []string{"888", "90-180-360"})
}

func TestCustomParams(t *testing.T) {
	c, e := one(t, "v21_x_param.vcf")
	eq(t, "ADR", c.Components(c.Get("ADR")), []string{"pobox", "street"})
	eq(t, "name", e.Name, Name{Display: "Roid Ando", Family: "Ando", Given: "Roid"})
	eq(t, "addresses", e.Addresses, []Address{{POBox: "pobox", Extended: "street", Street: "street", Formatted: "pobox street", Type: TypeCustom, Label: "custom"}})
	eq(t, "phones", e.Phones, []Phone{{Number: "1", Label: "CuStoMpRop"}, {Number: "2", Label: "custompropertywithoutx"}})
	eq(t, "emails", e.Emails, []Email{{Address: "email@example.com", Label: "cUstomPrOperty"}, {Address: "email2@example.com", Label: "CUSTOMPROPERTYWITHOUTX"}})

	_, e = one(t, "v21_android_custom_prop.vcf")
	eq(t, "customs", e.Customs, []Custom{
		{Mimetype: "custom_mime1", Data: strings.Split("1;2;3;4;5;6;7;8;9;10;11;12;13;14;15", ";")},
		{Mimetype: "custom_mime2", Data: strings.Split("a;b;c;d;e;f;g;h;i;j;k;l;m;n;o;p", ";")},
		{Mimetype: "custom_mime3", Data: []string{}},
		{Mimetype: "custom_mime4", Data: []string{"z"}},
	})

	c, e = one(t, "v21_x_android_custom_after_photo.vcf")
	eq(t, "name", e.Name, Name{Display: "Roid Ando", Family: "Ando", Given: "Roid"})
	eq(t, "photos", e.Photos, 1)
	eq(t, "events", e.Events, []Event{{Date: "1999-07-10", Type: EventAnniversary}, {Date: "1975-08-20", Type: EventBirthday}})
	eq(t, "birthday", e.Birthday(), "1975-08-20")
	if d := c.Get("PHOTO").Data; !bytes.HasPrefix(d, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("photo is not the PNG: % x", d[:min(8, len(d))])
	}
}

func TestPhotos(t *testing.T) {
	for _, tc := range []struct {
		file   string
		photos int
		magic  []byte
	}{
		{"v21_base64_no_2_crlf.vcf", 1, []byte{0xff, 0xd8, 0xff, 0xe1}},
		{"v21_blackberry_photo.vcf", 1, []byte("\x89PNG")},
		{"v30_ios_613_multiline.vcf", 1, []byte{0xff, 0xd8, 0xff, 0xe0}},
		{"v21_malformed_photo.vcf", 0, nil},
	} {
		c, e := one(t, tc.file)
		eq(t, tc.file+" photos", e.Photos, tc.photos)
		if tc.magic != nil && !bytes.HasPrefix(c.Get("PHOTO").Data, tc.magic) {
			t.Errorf("%s: photo starts % x", tc.file, c.Get("PHOTO").Data[:min(4, len(c.Get("PHOTO").Data))])
		}
		if tc.photos == 0 && len(c.Warnings) == 0 {
			t.Errorf("%s: malformed photo not warned", tc.file)
		}
	}
	_, e := one(t, "v21_malformed_photo.vcf")
	eq(t, "malformed photo card name", e.Name.Display, "fullname")
	_, e = one(t, "v21_base64_no_2_crlf.vcf")
	eq(t, "after photo", e.Name, Name{Display: "fullname", Family: "name"})

	c, e := one(t, "v30_ios_613_multiline.vcf")
	eq(t, "ios name", e.Name, Name{Display: "Bob Smith", Family: "Smith", Given: "Bob"})
	eq(t, "ios group", c.Get("EMAIL").Group, "item1")
	eq(t, "ios emails", e.Emails, []Email{{Address: "bob@smithauto.com", Type: TypeCustom, Label: "INTERNET", Primary: true}})
	eq(t, "ios phones", e.Phones, []Phone{{Number: "(650) 555-1212", Type: PhoneMobile, Primary: true}})
	eq(t, "ios url", e.Websites, []string{"www.smithauto.com"})
}

func TestNest(t *testing.T) {
	cards := load(t, "v21_nest.vcf")
	if len(cards) != 1 {
		t.Fatalf("%d top-level cards", len(cards))
	}
	p := cards[0]
	e := p.Entry()
	eq(t, "parent", e.Name.Family, "parent")
	eq(t, "parent phones", e.Phones, []Phone{{Number: "1", Type: PhoneHome}})
	if len(p.Children) != 2 {
		t.Fatalf("%d children", len(p.Children))
	}
	eq(t, "nest1", p.Children[0].Entry().Name.Family, "nest1")
	eq(t, "nest2", p.Children[1].Entry().Name.Family, "nest2")
}

func TestAdrMultipleLine(t *testing.T) {
	c, e := one(t, "v21_adr_multiple_line.vcf")
	if len(e.Addresses) != 2 {
		t.Fatalf("addresses: %+v", e.Addresses)
	}
	eq(t, "adr 1", e.Addresses[0].Street, "Grindelberg 999")
	eq(t, "adr 2 street", e.Addresses[1].Street, "Hermann v. Brevern\n9999999\nPackstation 999")
	eq(t, "adr 2 city", e.Addresses[1].City, "Hamburg")
	eq(t, "adr 2 country", e.Addresses[1].Country, "Deutschland")
	eq(t, "bday", e.Birthday(), "20081203")
	eq(t, "url", e.Websites, []string{"http://bogus.com/"})
	eq(t, "BDAY VALUE", c.Get("BDAY").Param("VALUE"), "DATE")
}

// TestCorpus reads every file of the corpus: each must give at least one
// card with a display name and no panic.
func TestCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "aosp", "*.vcf"))
	if len(files) != 35 {
		t.Fatalf("%d corpus files, want 35", len(files))
	}
	for _, f := range files {
		cards := load(t, filepath.Base(f))
		for _, c := range cards {
			e := c.Entry()
			if e.Name.Display == "" && len(e.Customs) == 0 {
				t.Errorf("%s: card at line %d has no name", f, c.Line)
			}
		}
	}
}

func TestSynthetic(t *testing.T) {
	in := "\xEF\xBB\xBFjunk before\r\nbegin:vcard\r\nVERSION:3.0\r\nFN:Zoë\\, the \\\"great\\\"\\nSecond line\r\nN:Müller;Zoë;;;\r\n" +
		"NICKNAME:Zo,Zozo\r\nTEL;TYPE=CELL:+49 151 2345 6789\r\nTEL;VALUE=uri;TYPE=home:tel:+1-202-555-0123\r\n" +
		"PHOTO;VALUE=uri:https://example.com/p.jpg\r\nEMAIL:zoe@example.de\r\nNOTE:a very long note that is fol\r\n ded here\r\n" +
		"X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Anna;14;;;;;;;;;;;;;\r\nIMPP:xmpp:zoe@jabber.example\r\n" +
		"CATEGORIES:friends,work\r\nitem1.X-ABLabel:ignored\r\nN;CHARSET=WINDOWS-1251:\xcf\xf0\xe8\xe2\xe5\xf2\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=98=D0=B2=D0=B0=D0=BD=D0=BE=D0=B2;=D0=98=\r\n=D0=B2=D0=B0=D0=BD;;;\r\n" +
		"TEL;CELL:8 916 109-01-93\r\nPHOTO;ENCODING=BASE64;JPEG:/9j/4AAQ\r\n" // no END:VCARD
	cards, err := ReadAll(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(cards) != 2 {
		t.Fatalf("%d cards", len(cards))
	}
	c := cards[0]
	e := c.Entry()
	eq(t, "FN", e.Name.Display, "Zoë, the \\\"great\\\"\nSecond line")
	eq(t, "N", e.Name.Family, "Müller")
	eq(t, "nicknames", e.Nicknames, []string{"Zo", "Zozo"})
	eq(t, "phones", e.Phones, []Phone{{Number: "+49 151 2345 6789", Type: PhoneMobile}, {Number: "+1-202-555-0123", Type: PhoneHome}})
	eq(t, "photos", e.Photos, 1)
	eq(t, "photo uri", e.PhotoURIs, []string{"https://example.com/p.jpg"})
	eq(t, "note", e.Notes, []string{"a very long note that is folded here"})
	eq(t, "relations", e.Relations, []Relation{{Name: "Anna", Type: 14}})
	eq(t, "ims", e.IMs, []IM{{Handle: "zoe@jabber.example", Protocol: ProtoJabber, Type: IMHome}})
	eq(t, "categories", e.Categories, []string{"friends", "work"})
	eq(t, "cp1251", c.All("N")[1].Value, "Привет")
	c = cards[1]
	e = c.Entry()
	eq(t, "QP UTF-8 name", e.Name, Name{Display: "Иван Иванов", Family: "Иванов", Given: "Иван"})
	eq(t, "photo", e.Photos, 1)
	if len(c.Warnings) == 0 || !strings.Contains(c.Warnings[len(c.Warnings)-1], "END:VCARD") {
		t.Errorf("missing END not warned: %v", c.Warnings)
	}
	if _, err := ReadAll(strings.NewReader("no card here")); err != ErrNoCard {
		t.Errorf("ReadAll without card: %v", err)
	}
	// Invalid UTF-8 without a charset becomes U+FFFD.
	cards, _ = ReadAll(strings.NewReader("BEGIN:VCARD\nFN:a\xffb\nEND:VCARD\n"))
	eq(t, "invalid utf8", cards[0].Entry().Name.Display, "a\uFFFDb")
}

func TestLimits(t *testing.T) {
	// Deep nesting is cut, not recursed without bound.
	var b strings.Builder
	for i := 0; i < 100; i++ {
		b.WriteString("BEGIN:VCARD\nFN:x\n")
	}
	for i := 0; i < 100; i++ {
		b.WriteString("END:VCARD\n")
	}
	cards, err := ReadAll(strings.NewReader(b.String()))
	if err != nil || len(cards) == 0 {
		t.Fatalf("deep: %v", err)
	}
	depth := 0
	for c := cards[0]; len(c.Children) > 0; c = c.Children[0] {
		depth++
	}
	if depth >= MaxDepth {
		t.Errorf("depth %d", depth)
	}
}

func FuzzReader(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "aosp", "*.vcf"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("BEGIN:VCARD\nN;ENCODING=QUOTED-PRINTABLE:=\n=\n"))
	f.Add([]byte("BEGIN:VCARD\nPHOTO;ENCODING=b:\n\n\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		cards, _ := ReadAll(bytes.NewReader(b))
		var walk func(c *Card)
		walk = func(c *Card) {
			e := c.Entry()
			_ = e.Birthday()
			for _, p := range c.Properties {
				c.Components(&p)
				c.List(&p)
			}
			for _, ch := range c.Children {
				walk(ch)
			}
		}
		for _, c := range cards {
			walk(c)
		}
	})
}
