package messages

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/klauspost/compress/zlib"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/idvalid"
	"github.com/backupinspector/backupinspector/parsers/report"
)

func init() { artifacts.Register(telephonyJSON{}) }

// telephonyJSON reads the telephony provider's backup files
// (apps/com.android.providers.telephony/d_f/NNNNNN_sms_backup and
// NNNNNN_mms_backup): a zlib stream of a JSON array. SMS dates are in
// milliseconds, MMS dates in seconds.
type telephonyJSON struct{}

func (telephonyJSON) Name() string { return "messages/telephony-json" }

func (telephonyJSON) Match(f *container.File) bool {
	return strings.HasSuffix(f.Name, "_sms_backup") || strings.HasSuffix(f.Name, "_mms_backup")
}

// maxTelephonyJSON bounds the inflated size of one backup file (the agent
// writes at most 1000 messages a file).
const maxTelephonyJSON = 32 << 20

func (telephonyJSON) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	zr, err := zlib.NewReader(r)
	if err != nil {
		return fmt.Errorf("not a zlib stream: %w", err)
	}
	defer zr.Close()
	dec := json.NewDecoder(io.LimitReader(zr, maxTelephonyJSON))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("JSON: expected an array, found %v", tok)
	}
	mms := strings.HasSuffix(f.Name, "_mms_backup")
	selfSeen := map[string]bool{}
	for i := 0; dec.More(); i++ {
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			return fmt.Errorf("JSON record %d: %w", i, err)
		}
		src := artifacts.SourceItem(f, "json", i)
		if mms {
			ctx.AddMessage(mmsFromJSON(obj, src))
		} else {
			ctx.AddMessage(smsFromJSON(obj, src))
		}
		if self := str(obj["self_phone"]); self != "" && !selfSeen[self] {
			selfSeen[self] = true
			ctx.AddIdentifier(report.Identifier{Kind: report.IDPhoneNumber, Value: self, Valid: validNumber(self), Label: "self_phone", Source: src})
		}
	}
	return nil
}

func smsFromJSON(o map[string]any, src string) report.Message {
	typ := num(o["type"])
	m := report.Message{
		Kind:      "sms",
		Direction: SMSDirection(typ),
		Address:   str(o["address"]),
		Body:      str(o["body"]),
		Subject:   str(o["subject"]),
		Source:    src,
		Extra:     map[string]string{},
	}
	m.Time = epochTime(num(o["date"]), Millis, m.Extra, "date")
	if s := num(o["date_sent"]); s > 0 {
		m.SentTime = epochTime(s, Millis, m.Extra, "date_sent")
	}
	jsonExtras(o, m.Extra)
	if _, ok := o["read"]; ok {
		b := num(o["read"]) != 0
		m.Read = &b
	}
	setRecipients(&m, strs(o["recipients"]))
	finish(&m)
	return m
}

// setRecipients sets the conversation of a telephony JSON message: the
// backup has no thread ids, only each thread's participants, so the
// sorted participants name the conversation.
func setRecipients(m *report.Message, rs []string) {
	if len(rs) == 0 {
		return
	}
	if len(rs) > 1 {
		m.Addresses = rs
	}
	m.Thread = threadKey(rs)
}

// threadKey names a conversation by its sorted participants.
func threadKey(participants []string) string {
	key := append([]string(nil), participants...)
	sort.Strings(key)
	return strings.Join(key, " ")
}

// jsonExtras keeps the telephony JSON keys worth showing.
func jsonExtras(o map[string]any, extra map[string]string) {
	for _, k := range []string{"status", "archived", "m_type", "ct_l", "tr_id", "sub_cs", "mms_charset"} {
		v, ok := o[k]
		if !ok {
			continue
		}
		s := str(v)
		if s == "" || k == "status" && s == "-1" {
			continue
		}
		extra[k] = s
	}
}

func mmsFromJSON(o map[string]any, src string) report.Message {
	box := num(o["msg_box"])
	m := report.Message{
		Kind:      "mms",
		Direction: SMSDirection(box),
		Subject:   str(o["sub"]),
		Body:      str(o["mms_body"]),
		Source:    src,
		Extra:     map[string]string{},
	}
	m.Time = epochTime(num(o["date"]), Seconds, m.Extra, "date")
	if s := num(o["date_sent"]); s > 0 {
		m.SentTime = epochTime(s, Seconds, m.Extra, "date_sent")
	}
	jsonExtras(o, m.Extra)
	if _, ok := o["read"]; ok {
		b := num(o["read"]) != 0
		m.Read = &b
	}
	var list []mmsAddr
	if addrs, ok := o["mms_addresses"].([]any); ok {
		for _, a := range addrs {
			am, _ := a.(map[string]any)
			list = append(list, mmsAddr{address: str(am["address"]), typ: num(am["type"])})
		}
	}
	setRecipients(&m, strs(o["recipients"]))
	mmsAddresses(&m, list, m.Thread == "", str(o["self_phone"]))
	if m.Address == "" {
		if rs := strs(o["recipients"]); len(rs) > 0 {
			m.Address = rs[0]
		}
	}
	finish(&m)
	return m
}

func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

func num(v any) int64 {
	switch x := v.(type) {
	case string:
		n, _ := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		return n
	case json.Number:
		n, err := x.Int64()
		if err != nil {
			f, _ := x.Float64()
			n = int64(f)
		}
		return n
	case bool:
		if x {
			return 1
		}
	}
	return 0
}

func strs(v any) []string {
	arr, _ := v.([]any)
	var out []string
	for _, a := range arr {
		if s := str(a); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// validNumber reports whether s is a valid E.164 number.
func validNumber(s string) bool {
	_, err := idvalid.E164(s, "")
	return err == nil
}
