//go:build !js

package samples

import (
	"fmt"
	"strings"
)

// telephonyFile is one d_f/NNNNNN_{sms,mms}_backup file (before zlib).
type telephonyFile struct {
	Name string // e.g. 000000_sms_backup
	JSON []byte
}

// inTelephonyBackup reports whether TelephonyBackupAgent would back up m:
// every SMS; only text-only MMS that have a text/plain part.
func inTelephonyBackup(m *Message) bool {
	if m.Removed {
		return false
	}
	if m.Kind == KindSMS {
		return true
	}
	hasText := false
	for _, p := range m.Parts {
		if isAttachment(p) {
			return false
		}
		if p.CT == "text/plain" {
			hasText = true
		}
	}
	return hasText
}

// selfPhone is the E.164 number of an active subscription, "" otherwise
// (the agent only knows active subscriptions).
func (p *Phone) selfPhone(subID int) string {
	s := p.sim(subID)
	if s.Slot < 0 {
		return ""
	}
	return s.Number
}

// telephonyFiles renders the SMS and MMS JSON files, at most perFile
// messages each, oldest first, with one counter shared by both kinds.
func (p *Phone) telephonyFiles(perFile int) []telephonyFile {
	var sms, mms []*Message
	for _, m := range p.Messages {
		if !inTelephonyBackup(m) {
			continue
		}
		if m.Kind == KindSMS {
			sms = append(sms, m)
		} else {
			mms = append(mms, m)
		}
	}
	var files []telephonyFile
	n := 0
	emit := func(kind string, ms []*Message, enc func(*strings.Builder, *Message)) {
		for i := 0; i < len(ms); i += perFile {
			j := min(i+perFile, len(ms))
			var b strings.Builder
			b.WriteByte('[')
			for k, m := range ms[i:j] {
				if k > 0 {
					b.WriteByte(',')
				}
				enc(&b, m)
			}
			b.WriteByte(']')
			files = append(files, telephonyFile{Name: fmt.Sprintf("%06d_%s_backup", n, kind), JSON: []byte(b.String())})
			n++
		}
	}
	emit("sms", sms, p.smsJSON)
	emit("mms", mms, p.mmsJSON)
	return files
}

func (p *Phone) smsJSON(b *strings.Builder, m *Message) {
	b.WriteByte('{')
	first := true
	kv := func(k, v string) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(jsonString(k))
		b.WriteByte(':')
		b.WriteString(v)
	}
	if sp := p.selfPhone(m.SubID); sp != "" {
		kv("self_phone", jsonString(sp))
	}
	kv("address", jsonString(m.Address))
	kv("body", jsonString(m.Body))
	kv("date", jsonString(i64toa(m.Date.UnixMilli())))
	var sent int64
	if m.Box == 1 {
		sent = m.DateSent.UnixMilli()
	}
	kv("date_sent", jsonString(i64toa(sent)))
	kv("status", jsonString(itoa(m.Status)))
	kv("type", jsonString(itoa(m.Box)))
	var rec []string
	for _, r := range m.Thread.Recipients {
		rec = append(rec, jsonString(r))
	}
	kv("recipients", "["+strings.Join(rec, ",")+"]")
	kv("read", jsonString(itoa(boolInt2(m.Read))))
	b.WriteByte('}')
}

func (p *Phone) mmsJSON(b *strings.Builder, m *Message) {
	b.WriteByte('{')
	first := true
	kv := func(k, v string) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		b.WriteString(jsonString(k))
		b.WriteByte(':')
		b.WriteString(v)
	}
	if sp := p.selfPhone(m.SubID); sp != "" {
		kv("self_phone", jsonString(sp))
	}
	if m.Subject != "" {
		kv("sub", jsonString(m.Subject))
	}
	kv("date", jsonString(i64toa(m.Date.Unix())))
	var sent int64
	if m.Box == 1 {
		sent = m.DateSent.Unix()
	}
	kv("date_sent", jsonString(i64toa(sent)))
	mt := 128
	if m.Box == 1 {
		mt = 132
	}
	kv("m_type", jsonString(itoa(mt)))
	kv("v", jsonString("18"))
	kv("msg_box", jsonString(itoa(m.Box)))
	if m.Box == 1 {
		kv("ct_l", jsonString("http://mmsc.example.invalid/"+m.TrID))
	}
	kv("tr_id", jsonString(m.TrID))
	kv("read", jsonString(itoa(boolInt2(m.Read))))
	var addrs []string
	own := p.sim(m.SubID).Number
	addrs = append(addrs, fmt.Sprintf(`{"type":137,"address":%s,"charset":106}`, jsonString(m.From)))
	for _, to := range m.To {
		if to == "insert-address-token" {
			to = own
		}
		addrs = append(addrs, fmt.Sprintf(`{"type":151,"address":%s,"charset":106}`, jsonString(to)))
	}
	kv("mms_addresses", "["+strings.Join(addrs, ",")+"]")
	var body strings.Builder
	for _, pt := range m.Parts {
		if pt.CT == "text/plain" {
			body.WriteString(pt.Text)
		}
	}
	kv("mms_body", jsonString(body.String()))
	kv("mms_charset", "106")
	if m.Subject != "" {
		kv("sub_cs", jsonString("106"))
	}
	b.WriteByte('}')
}
