package messages

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/smsbr"
)

func init() { artifacts.Register(smsBR{}) }

// smsBR reads the messages files of SMS Backup & Restore (root <smses>).
// Its calls files are read by the calls package.
type smsBR struct{}

func (smsBR) Name() string { return "messages/sms-backup-restore" }

func (smsBR) Match(f *container.File) bool {
	return f.Format == container.FormatSMSXML || (f.Format == container.FormatXML && bytes.Contains(f.Head, []byte("<smses")))
}

func (smsBR) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	rd, err := smsbr.NewReader(r)
	if err != nil {
		if errors.Is(err, smsbr.ErrNotBackup) {
			return nil // sniffed by a substring only; not ours
		}
		return err
	}
	if rd.Header().Root != smsbr.RootMessages {
		return nil
	}
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var se *smsbr.SyntaxError
			if errors.As(err, &se) {
				ctx.Problem(f, se.Offset, "truncated", "SMS Backup & Restore: %v (records before it were read)", se.Err)
				return nil
			}
			return err
		}
		src := artifacts.SourceItem(f, rec.Kind, rec.Index)
		kept := true
		switch rec.Kind {
		case smsbr.KindSMS:
			kept = ctx.AddMessage(smsFromBR(rec, src))
		case smsbr.KindMMS:
			kept = ctx.AddMessage(mmsFromBR(rec, src))
		}
		if !kept {
			return nil // memory budget reached (a problem says so)
		}
	}
}

// brMapped are attributes that become Message fields (or are display
// helpers), not Extra.
var brMapped = map[string]bool{
	"address": true, "body": true, "subject": true, "date": true, "date_sent": true, "type": true, "read": true,
	"sub_id": true, "contact_name": true, "readable_date": true, "toa": true, "sc_toa": true,
	"msg_box": true, "sub": true, "ct_t": true, "v": true, "exp": true, "pri": true, "rr": true, "rpt_a": true,
	"resp_st": true, "retr_st": true, "d_rpt": true, "read_status": true, "ct_cls": true, "sub_cs": true,
	"retr_txt_cs": true, "st": true, "d_tm": true, "resp_txt": true, "retr_txt": true, "seen": true, "_id": true,
	"thread_id": true, "reply_path_present": true,
}

// brExtras copies the remaining non-default attributes into extra.
func brExtras(rec *smsbr.Record, extra map[string]string) {
	for k, v := range rec.Attr {
		if brMapped[k] || v == "" || v == "0" || (k == "status" || k == "error_code") && v == "-1" {
			continue
		}
		extra[k] = v
	}
	for _, c := range rec.Cut {
		extra["cut:"+c] = "longer than the reader keeps; shortened"
	}
}

func brName(rec *smsbr.Record) string {
	n := rec.Get("contact_name")
	if n == "(Unknown)" {
		return ""
	}
	return n
}

func brRead(m *report.Message, rec *smsbr.Record) {
	if rd, ok := rec.Int("read"); ok {
		b := rd != 0
		m.Read = &b
	}
	if sub, ok := rec.Int("sub_id"); ok && sub >= 0 {
		m.SubID = &sub
	}
}

func smsFromBR(rec *smsbr.Record, src string) report.Message {
	typ, _ := rec.Int("type")
	m := report.Message{
		Kind:      "sms",
		Direction: SMSDirection(typ),
		Address:   rec.Get("address"),
		Name:      brName(rec),
		Body:      rec.Get("body"),
		Subject:   rec.Get("subject"),
		Source:    src,
		Extra:     map[string]string{},
	}
	date, _ := rec.Int("date")
	m.Time = epochTime(date, Millis, m.Extra, "date")
	if sent, ok := rec.Int("date_sent"); ok && sent > 0 {
		m.SentTime = epochTime(sent, Millis, m.Extra, "date_sent")
	}
	if m.Direction == report.DirOther {
		m.Extra["type"] = strconv.FormatInt(typ, 10)
	}
	brRead(&m, rec)
	if m.Address != "" {
		m.Thread = threadKey(splitParticipants(m.Address))
	}
	brExtras(rec, m.Extra)
	finish(&m)
	return m
}

// splitParticipants splits an MMS address list ("a~b~c").
func splitParticipants(s string) []string {
	var out []string
	for _, p := range strings.Split(s, "~") {
		if p = strings.TrimSpace(p); p != "" && p != SelfToken {
			out = append(out, p)
		}
	}
	return out
}

func mmsFromBR(rec *smsbr.Record, src string) report.Message {
	box, _ := rec.Int("msg_box")
	m := report.Message{
		Kind:      "mms",
		Direction: SMSDirection(box),
		Name:      brName(rec),
		Subject:   rec.Get("sub"),
		Source:    src,
		Extra:     map[string]string{},
	}
	// This app writes MMS dates in ms (unlike the provider's seconds).
	date, _ := rec.Int("date")
	m.Time = epochTime(date, Millis, m.Extra, "date")
	if sent, ok := rec.Int("date_sent"); ok && sent > 0 {
		m.SentTime = epochTime(sent, Millis, m.Extra, "date_sent")
	}
	if m.Direction == report.DirOther {
		m.Extra["msg_box"] = strconv.FormatInt(box, 10)
	}
	brRead(&m, rec)
	participants := splitParticipants(rec.Get("address"))
	if len(participants) > 1 {
		m.Addresses = participants
	}
	if len(participants) > 0 {
		m.Thread = threadKey(participants)
	}
	var as []mmsAddr
	for _, a := range rec.Addrs {
		as = append(as, mmsAddr{address: a.Address, typ: a.Type})
	}
	mmsAddresses(&m, as, len(participants) == 0, "")
	if m.Address == "" && len(participants) > 0 {
		m.Address = participants[0]
	}
	var texts []string
	for i := range rec.Parts {
		p := &rec.Parts[i]
		ct := strings.ToLower(strings.TrimSpace(p.Get("ct")))
		switch ct {
		case "text/plain":
			if t := p.Get("text"); t != "" {
				texts = append(texts, t)
			}
		case "application/smil":
		default:
			a := report.Attachment{ContentType: ct, Name: firstNonEmpty(p.Get("name"), p.Get("fn"), p.Get("cl"), strings.Trim(p.Get("cid"), "<>"))}
			if p.HasData {
				a.Present, a.Size = true, p.DataSize
			} else if t, ok := p.Attr["text"]; ok {
				a.Present, a.Size = true, int64(len(t))
			}
			m.Attachments = append(m.Attachments, a)
		}
	}
	m.Body = strings.Join(texts, "\n")
	if rec.Truncated {
		m.Extra["parts_note"] = "more parts or addresses than the reader keeps; the rest were skipped"
	}
	brExtras(rec, m.Extra)
	finish(&m)
	return m
}
