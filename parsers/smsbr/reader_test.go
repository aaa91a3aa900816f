package smsbr

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

const messagesXML = `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<!--File Created By SMS Backup & Restore v10.20.002 on 14/09/2024 16:14:18-->
<?xml-stylesheet type="text/xsl" href="sms.xsl"?>
<smses count="3" backup_set="d0b0a000-380d-4f87-afe0-70bcd77ec806" backup_date="1726319658000" type="full">
  <sms protocol="0" address="+79261046570" date="1694739583063" type="1" subject="null" body="Спасибо большое &#55357;&#56911; &amp; &lt;ok&gt; &#10;line2" toa="null" sc_toa="null" service_center="+79855181063" read="1" status="-1" locked="0" date_sent="1694739573000" sub_id="1" readable_date="15 Sep 2023 03:59:43" contact_name="Иван Морозов" />
  <mms date="1704857547000" ct_t="application/vnd.wap.multipart.related" msg_box="1" sub="null" address="+79859200314~+79161090193~+12025550124" m_type="132" read="1" sub_id="3" contact_name="(Unknown)">
    <parts>
      <part seq="-1" ct="application/smil" name="null" chset="null" cd="null" fn="null" cid="&lt;smil&gt;" cl="smil.xml" ctt_s="null" ctt_t="null" text="&lt;smil&gt;&lt;body&gt;&lt;/body&gt;&lt;/smil&gt;" />
      <part seq="0" ct="text/plain" name="null" chset="106" cd="null" fn="null" cid="&lt;text_0&gt;" cl="text_0.txt" ctt_s="null" ctt_t="null" text="Фото &#xD83D;&#xDE00;" />
      <part seq="1" ct="image/jpeg" name="IMG_1.jpg" chset="null" cd="null" fn="null" cid="&lt;img&gt;" cl="IMG_1.jpg" ctt_s="null" ctt_t="null" data="/9j/4AAQSkZJRgABAQ==" />
    </parts>
    <addrs>
      <addr address="+79859200314" type="137" charset="106" />
      <addr address="insert-address-token" type="151" charset="106" />
    </addrs>
  </mms>
  <sms address="BANK" date="1700000000000" type="1" body="lone &#55357; low &#56832; ctl &#1; &#x7; ok" read="0" />
</smses>
`

func readAll(t *testing.T, r io.Reader) (Header, []*Record, error) {
	t.Helper()
	rd, err := NewReader(r)
	if err != nil {
		return Header{}, nil, err
	}
	var recs []*Record
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return rd.Header(), recs, nil
		}
		if err != nil {
			return rd.Header(), recs, err
		}
		recs = append(recs, rec)
	}
}

func TestMessages(t *testing.T) {
	h, recs, err := readAll(t, strings.NewReader(messagesXML))
	if err != nil {
		t.Fatal(err)
	}
	if h.Root != RootMessages || h.Count() != 3 || h.BackupDate() != 1726319658000 || h.Attr["type"] != "full" {
		t.Errorf("header %+v", h)
	}
	if len(recs) != 3 {
		t.Fatalf("%d records", len(recs))
	}
	sms := recs[0]
	if sms.Kind != KindSMS || sms.Index != 0 {
		t.Errorf("kind %s index %d", sms.Kind, sms.Index)
	}
	if got, want := sms.Get("body"), "Спасибо большое 🙏 & <ok> \nline2"; got != want {
		t.Errorf("body %q, want %q", got, want)
	}
	if _, ok := sms.Attr["subject"]; ok {
		t.Error(`"null" subject kept`)
	}
	if d, ok := sms.Int("date"); !ok || d != 1694739583063 {
		t.Errorf("date %d %v", d, ok)
	}
	if want := int64(strings.Index(messagesXML, "<sms ")); sms.Offset != want {
		t.Errorf("offset %d, want %d", sms.Offset, want)
	}
	mms := recs[1]
	if mms.Kind != KindMMS || len(mms.Parts) != 3 || len(mms.Addrs) != 2 {
		t.Fatalf("mms %+v", mms)
	}
	if got := mms.Parts[1].Get("text"); got != "Фото 😀" {
		t.Errorf("part text %q", got)
	}
	img := mms.Parts[2]
	if !img.HasData || img.DataSize != 13 || img.Get("data") != "" || img.Get("name") != "IMG_1.jpg" {
		t.Errorf("image part %+v", img)
	}
	if mms.Parts[0].HasData {
		t.Error("smil part has data")
	}
	if want := int64(strings.Index(messagesXML, `<part seq="1"`)); img.Offset != want {
		t.Errorf("part offset %d, want %d", img.Offset, want)
	}
	if mms.Addrs[0] != (Addr{Address: "+79859200314", Type: 137, Charset: 106}) {
		t.Errorf("addr %+v", mms.Addrs[0])
	}
	if got, want := recs[2].Get("body"), "lone \uFFFD low \uFFFD ctl \uFFFD \uFFFD ok"; got != want {
		t.Errorf("body %q, want %q", got, want)
	}
	// Byte-at-a-time reading gives the same records.
	_, recs2, err := readAll(t, iotest.OneByteReader(strings.NewReader(messagesXML)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(recs, recs2) {
		t.Error("one-byte reads differ")
	}
	_, recs3, err := readAll(t, iotest.HalfReader(strings.NewReader(messagesXML)))
	if err != nil || !reflect.DeepEqual(recs, recs3) {
		t.Errorf("half reads differ: %v", err)
	}
}

func TestOldStyleAndCalls(t *testing.T) {
	old := `<?xml version="1.0" encoding="UTF-8"?><smses count="1"><sms address="123" date="1300000000000" type="2" body="hi"/></smses>`
	h, recs, err := readAll(t, strings.NewReader(old))
	if err != nil || h.Count() != 1 || h.BackupDate() != 0 || len(recs) != 1 || recs[0].Get("body") != "hi" {
		t.Errorf("old style: %v %+v %+v", err, h, recs)
	}
	calls := `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<calls count="2" backup_set="x" backup_date="1726319658000" type="full">
  <call number="+441234567890" duration="0" date="1588858433593" type="2" presentation="1" subscription_id="8944100000000000001" post_dial_digits="" subscription_component_name="com.android.phone/com.android.services.telephony.TelephonyConnectionService" readable_date="7 May 2020 14:33:53" contact_name="Samuel Vimes" />
  <call number="" duration="0" date="1588858433000" type="3" presentation="2" subscription_id="null" contact_name="(Unknown)" />
</calls>`
	h, recs, err = readAll(t, strings.NewReader(calls))
	if err != nil || h.Root != RootCalls || len(recs) != 2 || recs[0].Kind != KindCall || recs[0].Get("contact_name") != "Samuel Vimes" {
		t.Fatalf("calls: %v %+v %+v", err, h, recs)
	}
	if _, ok := recs[1].Attr["subscription_id"]; ok {
		t.Error("null subscription_id kept")
	}
	if v, ok := recs[1].Attr["number"]; !ok || v != "" {
		t.Error("empty number lost")
	}
	super := `<?xml version="1.0" encoding="UTF-8"?><alllogs count="1"><log number="555" time="7 May" date="1588858433593" type="1" name="X" new="1" dur="12"/></alllogs>`
	h, recs, err = readAll(t, strings.NewReader(super))
	if err != nil || h.Root != RootLogs || len(recs) != 1 || recs[0].Kind != KindLog || recs[0].Get("dur") != "12" {
		t.Errorf("superbackup: %v %+v %+v", err, h, recs)
	}
}

func TestErrors(t *testing.T) {
	if _, err := NewReader(strings.NewReader(`<?xml version="1.0"?><html><body/></html>`)); !errors.Is(err, ErrNotBackup) {
		t.Errorf("html: %v", err)
	}
	if _, err := NewReader(strings.NewReader(``)); !errors.Is(err, ErrNotBackup) {
		t.Errorf("empty: %v", err)
	}
	// Truncated: records before the cut are returned, then a syntax error
	// naming an offset.
	cut := messagesXML[:strings.Index(messagesXML, `<sms address="BANK"`)+30]
	_, recs, err := readAll(t, strings.NewReader(cut))
	var se *SyntaxError
	if !errors.As(err, &se) || !errors.Is(err, ErrSyntax) || len(recs) != 2 {
		t.Fatalf("truncated: %d records, %v", len(recs), err)
	}
	if want := int64(strings.Index(messagesXML, `<sms address="BANK"`)); se.Offset != want {
		t.Errorf("offset %d, want %d", se.Offset, want)
	}
	if !strings.Contains(err.Error(), "offset") {
		t.Errorf("message %q", err)
	}
	// Missing end of root.
	_, recs, err = readAll(t, strings.NewReader(`<smses count="1"><sms body="a"/>`))
	if !errors.Is(err, ErrSyntax) || len(recs) != 1 {
		t.Errorf("no root end: %v %d", err, len(recs))
	}
	// Garbage bytes are replaced, not fatal.
	_, recs, err = readAll(t, bytes.NewReader([]byte("<smses><sms body=\"a\xff\x01b\"/></smses>")))
	if err != nil || len(recs) != 1 || recs[0].Get("body") != "a\uFFFD\uFFFDb" {
		t.Errorf("garbage: %v %+v", err, recs)
	}
	// Named HTML entities and stray ampersands read leniently.
	_, recs, err = readAll(t, strings.NewReader(`<smses><sms body="a&nbsp;b &c &#99999999999;"/></smses>`))
	if err != nil || len(recs) != 1 || recs[0].Get("body") != "a\u00a0b &c &#99999999999;" {
		t.Errorf("entities: %v %+v", err, recs)
	}
}

func TestLargeValues(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(`<smses><mms date="1"><parts><part ct="video/mp4" data="`)
	data := bytes.Repeat([]byte("QUJD"), 5<<20) // 20 MiB of base64 = 15 MiB decoded
	b.Write(data)
	b.WriteString(`"/></parts></mms><sms body="`)
	b.Write(bytes.Repeat([]byte("x"), 2<<20))
	b.WriteString(`" address="1"/></smses>`)
	_, recs, err := readAll(t, &b)
	if err != nil || len(recs) != 2 {
		t.Fatalf("%v %d", err, len(recs))
	}
	if p := recs[0].Parts[0]; !p.HasData || p.DataSize != 15<<20 {
		t.Errorf("data size %d", p.DataSize)
	}
	if got := recs[1]; len(got.Get("body")) != maxValue || !reflect.DeepEqual(got.Cut, []string{"body"}) || got.Get("address") != "1" {
		t.Errorf("cut body: len %d cut %v", len(got.Get("body")), got.Cut)
	}
}

func TestSkipsUnknownAndText(t *testing.T) {
	in := `<smses count="2"><!-- c --><![CDATA[ x ]]>text<foo><bar/></foo><sms body="1"/>more text<sms body="2"></sms></smses>`
	_, recs, err := readAll(t, strings.NewReader(in))
	if err != nil || len(recs) != 2 || recs[1].Get("body") != "2" || recs[1].Index != 1 {
		t.Errorf("%v %+v", err, recs)
	}
	if want := int64(strings.Index(in, `<sms body="2"`)); recs[1].Offset != want {
		t.Errorf("offset %d, want %d", recs[1].Offset, want)
	}
}
