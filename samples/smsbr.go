//go:build !js

package samples

import (
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf16"
)

// brEsc escapes an attribute value the way SMS Backup & Restore writes it:
// XML entities, newlines as character references and every character
// outside the BMP as two numeric references to its UTF-16 surrogates
// (formats.md §4.4), e.g. 😀 → &#55357;&#56832;.
func brEsc(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\'':
			b.WriteString("&apos;")
		case r == '\n':
			b.WriteString("&#10;")
		case r == '\r':
			b.WriteString("&#13;")
		case r > 0xFFFF:
			a, c := utf16.EncodeRune(r)
			fmt.Fprintf(&b, "&#%d;&#%d;", a, c)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func nz(s string) string {
	if s == "" {
		return "null"
	}
	return brEsc(s)
}

func (p *Phone) contactName(addr string) string {
	for _, c := range p.Contacts {
		if c.Removed || c.SoftDeleted {
			continue
		}
		for _, ph := range c.Phones {
			if ph.E164 == addr || ph.Number == addr {
				return c.Display
			}
		}
	}
	return "(Unknown)"
}

func (p *Phone) readable(ms int64) string {
	return p.localTime(unixMilli(ms)).Format("2 Jan 2006 15:04:05")
}

// smsBRXML renders sms-<date>.xml.
func (p *Phone) smsBRXML(keep func(*Message) bool) string {
	var msgs []*Message
	for _, m := range p.Messages {
		if keep(m) {
			msgs = append(msgs, m)
		}
	}
	r := NewRand(p.Seed, "smsbr")
	var b strings.Builder
	b.WriteString("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
	fmt.Fprintf(&b, "<!--File Created By SMS Backup & Restore v10.20.002 on %s-->\n", p.localTime(p.BackupTime).Format("02/01/2006 15:04:05"))
	b.WriteString("<?xml-stylesheet type=\"text/xsl\" href=\"sms.xsl\"?>\n")
	fmt.Fprintf(&b, "<smses count=\"%d\" backup_set=\"%s-%s-4%s-a%s-%s\" backup_date=\"%d\" type=\"full\">\n", len(msgs), r.Hex(8), r.Hex(4), r.Hex(3), r.Hex(3), r.Hex(12), p.BackupTime.UnixMilli())
	for _, m := range msgs {
		if m.Kind == KindSMS {
			var sc, sent string
			if m.Box == 1 {
				sc, sent = p.sim(m.SubID).SMSC, i64toa(m.DateSent.UnixMilli())
			} else {
				sent = "0"
			}
			fmt.Fprintf(&b, "  <sms protocol=\"0\" address=\"%s\" date=\"%d\" type=\"%d\" subject=\"null\" body=\"%s\" toa=\"null\" sc_toa=\"null\" service_center=\"%s\" read=\"%d\" status=\"%d\" locked=\"%d\" date_sent=\"%s\" sub_id=\"%d\" readable_date=\"%s\" contact_name=\"%s\" />\n",
				brEsc(m.Address), m.Date.UnixMilli(), m.Box, brEsc(m.Body), nz(sc), boolInt2(m.Read), m.Status, boolInt2(m.Locked), sent, m.SubID, p.readable(m.Date.UnixMilli()), brEsc(p.contactName(m.Address)))
			continue
		}
		addrs := strings.Join(m.Thread.Recipients, "~")
		mt, ctl, exp := 128, "null", "null"
		if m.Box == 1 {
			mt, ctl, exp = 132, "http://mmsc.example.invalid/"+m.TrID, "604800"
		}
		textOnly := 1
		var size int
		for _, pt := range m.Parts {
			if isAttachment(pt) {
				textOnly = 0
			}
			size += len(pt.Text) + len(pt.Data)
		}
		name := p.contactName(m.Address)
		if len(m.Thread.Recipients) > 1 {
			var ns []string
			for _, a := range m.Thread.Recipients {
				ns = append(ns, p.contactName(a))
			}
			name = strings.Join(ns, ", ")
		}
		var sent int64
		if m.Box == 1 {
			sent = m.DateSent.UnixMilli()
		}
		fmt.Fprintf(&b, "  <mms date=\"%d\" rr=\"129\" sub=\"%s\" ct_t=\"application/vnd.wap.multipart.related\" read_status=\"null\" seen=\"%d\" msg_box=\"%d\" address=\"%s\" sub_cs=\"%s\" resp_st=\"null\" retr_st=\"null\" d_tm=\"null\" text_only=\"%d\" exp=\"%s\" locked=\"%d\" m_id=\"%s\" st=\"null\" retr_txt_cs=\"null\" retr_txt=\"null\" creator=\"com.android.mms\" date_sent=\"%d\" read=\"%d\" m_size=\"%d\" rpt_a=\"null\" ct_cls=\"null\" pri=\"129\" sub_id=\"%d\" tr_id=\"%s\" resp_txt=\"null\" ct_l=\"%s\" m_cls=\"personal\" d_rpt=\"129\" v=\"18\" _id=\"%d\" m_type=\"%d\" readable_date=\"%s\" contact_name=\"%s\">\n",
			m.Date.UnixMilli(), nz(m.Subject), boolInt2(m.Seen), m.Box, brEsc(addrs), map[bool]string{true: "106", false: "null"}[m.Subject != ""], textOnly, exp, boolInt2(m.Locked), brEsc(m.MID),
			sent, boolInt2(m.Read), size, m.SubID, m.TrID, ctl, m.ID, mt, p.readable(m.Date.UnixMilli()), brEsc(name))
		b.WriteString("    <parts>\n")
		for _, pt := range m.Parts {
			text, data, chset := "null", "", "null"
			if isAttachment(pt) {
				data = " data=\"" + base64.StdEncoding.EncodeToString(pt.Data) + "\""
			} else {
				text = brEsc(pt.Text)
				if pt.Chset != 0 {
					chset = itoa(pt.Chset)
				}
			}
			fmt.Fprintf(&b, "      <part seq=\"%d\" ct=\"%s\" name=\"%s\" chset=\"%s\" cd=\"null\" fn=\"null\" cid=\"%s\" cl=\"%s\" ctt_s=\"null\" ctt_t=\"null\" text=\"%s\"%s />\n",
				pt.Seq, pt.CT, brEsc(pt.Name), chset, brEsc(pt.CID), brEsc(pt.CL), text, data)
		}
		b.WriteString("    </parts>\n    <addrs>\n")
		own := p.sim(m.SubID).Number
		fmt.Fprintf(&b, "      <addr address=\"%s\" type=\"137\" charset=\"106\" />\n", brEsc(m.From))
		for _, to := range m.To {
			if to == "insert-address-token" {
				to = own
			}
			fmt.Fprintf(&b, "      <addr address=\"%s\" type=\"151\" charset=\"106\" />\n", brEsc(to))
		}
		b.WriteString("    </addrs>\n  </mms>\n")
	}
	b.WriteString("</smses>\n")
	return b.String()
}

// callsBRXML renders calls-<date>.xml.
func (p *Phone) callsBRXML() string {
	var calls []*Call
	for _, c := range p.Calls {
		if !c.Removed {
			calls = append(calls, c)
		}
	}
	r := NewRand(p.Seed, "callsbr")
	var b strings.Builder
	b.WriteString("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
	fmt.Fprintf(&b, "<!--File Created By SMS Backup & Restore v10.20.002 on %s-->\n", p.localTime(p.BackupTime).Format("02/01/2006 15:04:05"))
	b.WriteString("<?xml-stylesheet type=\"text/xsl\" href=\"calls.xsl\"?>\n")
	fmt.Fprintf(&b, "<calls count=\"%d\" backup_set=\"%s-%s-4%s-a%s-%s\" backup_date=\"%d\" type=\"full\">\n", len(calls), r.Hex(8), r.Hex(4), r.Hex(3), r.Hex(3), r.Hex(12), p.BackupTime.UnixMilli())
	for _, c := range calls {
		acct := c.SIM.ICCID
		if p.Device.SDK >= 33 && c.SIM.Slot >= 0 {
			acct = itoa(c.SIM.SubID)
		}
		name := c.Name
		if name == "" {
			name = "(Unknown)"
		}
		fmt.Fprintf(&b, "  <call number=\"%s\" duration=\"%d\" date=\"%d\" type=\"%d\" presentation=\"%d\" subscription_id=\"%s\" post_dial_digits=\"%s\" subscription_component_name=\"%s\" readable_date=\"%s\" contact_name=\"%s\" />\n",
			brEsc(c.Number), c.Duration, c.Date.UnixMilli(), c.Type, c.Presentation, acct, brEsc(c.PostDial), simComponent, p.readable(c.Date.UnixMilli()), brEsc(name))
	}
	b.WriteString("</calls>\n")
	return b.String()
}
