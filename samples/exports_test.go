//go:build !js

package samples

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

var surrogatePair = regexp.MustCompile(`&#(5[5-6]\d{3});&#(5[6-7]\d{3});`)

// fixSurrogates combines SMS Backup & Restore surrogate references.
func fixSurrogates(s string) string {
	return surrogatePair.ReplaceAllStringFunc(s, func(m string) string {
		p := surrogatePair.FindStringSubmatch(m)
		hi, _ := strconv.Atoi(p[1])
		lo, _ := strconv.Atoi(p[2])
		return string(utf16.DecodeRune(rune(hi), rune(lo)))
	})
}

func TestSmallTruthSMSBR(t *testing.T) {
	tr, err := ReadTruth("small/smsbr.truth.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join("small", tr.File))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), "&#55357;") {
		t.Error("no surrogate-pair references in the sample")
	}
	var doc struct {
		Count int `xml:"count,attr"`
		SMS   []struct {
			Address string `xml:"address,attr"`
			Body    string `xml:"body,attr"`
			Date    int64  `xml:"date,attr"`
			Type    int    `xml:"type,attr"`
		} `xml:"sms"`
		MMS []struct {
			Date  int64 `xml:"date,attr"`
			Box   int   `xml:"msg_box,attr"`
			Parts []struct {
				CT   string `xml:"ct,attr"`
				Text string `xml:"text,attr"`
				Data string `xml:"data,attr"`
			} `xml:"parts>part"`
		} `xml:"mms"`
	}
	if err := xml.Unmarshal([]byte(fixSurrogates(string(raw))), &doc); err != nil {
		t.Fatal(err)
	}
	in := 0
	for _, s := range doc.SMS {
		if s.Type == 1 {
			in++
		}
	}
	att := 0
	for _, m := range doc.MMS {
		if m.Box == 1 {
			in++
		}
		for _, p := range m.Parts {
			if p.Data != "" {
				att++
			}
		}
	}
	if doc.Count != tr.Messages.Total || len(doc.SMS) != tr.Messages.SMS || len(doc.MMS) != tr.Messages.MMS || in != tr.Messages.Incoming || att != tr.Messages.Attachments {
		t.Errorf("count=%d sms=%d mms=%d in=%d att=%d; truth %+v", doc.Count, len(doc.SMS), len(doc.MMS), in, att, tr.Messages)
	}
	for _, ex := range tr.Examples.Messages {
		if ex.Kind != KindSMS {
			continue
		}
		tm, _ := time.Parse(time.RFC3339Nano, ex.Time)
		found := false
		for _, s := range doc.SMS {
			if s.Address == ex.Address && s.Body == ex.Body && s.Date == tm.UnixMilli() {
				found = true
			}
		}
		if !found {
			t.Errorf("example %q not found", ex.Body)
		}
	}
	calls, err := os.ReadFile(filepath.Join("small", tr.Companions[0]))
	if err != nil {
		t.Fatal(err)
	}
	var cdoc struct {
		Calls []struct {
			Type int `xml:"type,attr"`
		} `xml:"call"`
	}
	if err := xml.Unmarshal([]byte(fixSurrogates(string(calls))), &cdoc); err != nil {
		t.Fatal(err)
	}
	byType := map[string]int{}
	for _, c := range cdoc.Calls {
		byType[CallTypeNames[c.Type]]++
	}
	if len(cdoc.Calls) != tr.Calls.Total {
		t.Errorf("calls %d, truth %d", len(cdoc.Calls), tr.Calls.Total)
	}
	for k, v := range tr.Calls.ByType {
		if byType[k] != v {
			t.Errorf("calls %s: %d, truth %d", k, byType[k], v)
		}
	}
}

func decodeQP(s string) string {
	s = strings.ReplaceAll(s, "=\r\n", "")
	var b []byte
	for i := 0; i < len(s); i++ {
		if s[i] == '=' && i+2 < len(s) {
			v, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b = append(b, byte(v))
			i += 2
		} else {
			b = append(b, s[i])
		}
	}
	return string(b)
}

func TestSmallTruthVCard(t *testing.T) {
	tr, err := ReadTruth("small/contacts.vcf.truth.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile("small/contacts.vcf")
	s := string(raw)
	if n := strings.Count(s, "BEGIN:VCARD\r\n"); n != tr.Contacts.Total {
		t.Errorf("cards %d, truth %d", n, tr.Contacts.Total)
	}
	unfolded := strings.ReplaceAll(s, "\r\n ", "")
	if n := strings.Count(unfolded, "\r\nTEL;"); n != tr.Contacts.Phones {
		t.Errorf("phones %d, truth %d", n, tr.Contacts.Phones)
	}
	if n := strings.Count(unfolded, "\r\nEMAIL;"); n != tr.Contacts.Emails {
		t.Errorf("emails %d, truth %d", n, tr.Contacts.Emails)
	}
	if !strings.Contains(s, "VERSION:2.1") || !strings.Contains(s, "ENCODING=QUOTED-PRINTABLE") {
		t.Error("no 2.1 QP card")
	}
	for _, c := range tr.Examples.Contacts {
		fn := "FN:" + vcEsc(c.DisplayName) + "\r\n"
		qpfn := "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
		found := strings.Contains(unfolded, fn)
		for _, line := range strings.Split(strings.ReplaceAll(s, "=\r\n", ""), "\r\n") {
			if strings.HasPrefix(line, qpfn) && decodeQP(strings.TrimPrefix(line, qpfn)) == c.DisplayName {
				found = true
			}
		}
		if !found {
			t.Errorf("example contact %q not found", c.DisplayName)
		}
	}
}
