package smsbr

import (
	"bytes"
	"io"
	"testing"
	"unicode/utf8"
)

func FuzzReader(f *testing.F) {
	f.Add([]byte(messagesXML))
	f.Add([]byte(`<calls count="1"><call number="1" date="1" type="2" duration="3"/></calls>`))
	f.Add([]byte(`<smses><sms body="&#55357;&#56832;&#55357;&#xDC00;&#1;"/><mms><parts><part data="QUJD"/></parts><addrs><addr address="x" type="137"/></addrs></mms></smses>`))
	f.Add([]byte(`<alllogs><log number="1" dur="2"/></alllogs>`))
	f.Add([]byte("<smses><sms body=\"\xff\xfe<\"/><!-- x --><![CDATA[y]]><!DOCTYPE [<!ENTITY a 'b'>]></smses>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		rd, err := NewReader(bytes.NewReader(b))
		if err != nil {
			return
		}
		for i := 0; ; i++ {
			rec, err := rd.Next()
			if err != nil {
				if err != io.EOF {
					if _, err2 := rd.Next(); err2 != err {
						t.Fatalf("error not sticky: %v then %v", err, err2)
					}
				}
				return
			}
			if rec.Index != i || rec.Offset < 0 || rec.Offset >= int64(len(b)) {
				t.Fatalf("record %d: index %d offset %d", i, rec.Index, rec.Offset)
			}
			for k, v := range rec.Attr {
				if !utf8.ValidString(k) || !utf8.ValidString(v) {
					t.Fatalf("invalid UTF-8 in %q=%q", k, v)
				}
			}
		}
	})
}
