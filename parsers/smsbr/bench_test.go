package smsbr

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

func benchFile(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>` + "\n" + `<smses count="` + fmt.Sprint(n) + `">` + "\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `  <sms protocol="0" address="+7926104%04d" date="%d" type="1" subject="null" body="Привет! Как дела? &#55357;&#56911; https://example.com/%d" toa="null" sc_toa="null" service_center="+79855181063" read="1" status="-1" locked="0" date_sent="0" sub_id="1" readable_date="15 Sep 2023 03:59:43" contact_name="Иван Морозов" />`+"\n", i%10000, 1694739583063+int64(i)*1000, i)
	}
	b.WriteString("</smses>\n")
	return b.Bytes()
}

func BenchmarkReader(b *testing.B) {
	data := benchFile(10000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		rd, err := NewReader(bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 10000 {
			b.Fatal(n)
		}
	}
}
