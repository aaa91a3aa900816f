package messages

import (
	"slices"
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/links"
	"github.com/backupinspector/backupinspector/parsers/report"
	"github.com/backupinspector/backupinspector/parsers/sqlite"
)

// Epoch units of stored times.
type Unit int

const (
	Millis  Unit = iota // epoch milliseconds (SMS, calls, SMS B&R)
	Seconds             // epoch seconds (MMS pdu.date, telephony JSON MMS)
)

// The plausible range of a message or call time (artifacts.md §7): from
// 2000-01-01 to 2100-01-01. The upper bound is fixed rather than "backup
// time + 1 day" so that output never depends on anything but the input.
const (
	minPlausibleMs = 946684800000
	maxPlausibleMs = 4102444800000
)

// EpochMillis converts a stored time in unit u to epoch milliseconds.
// Values outside 2000–2100 are tried as the other scale (seconds stored
// where ms were expected, ms where seconds were expected, µs) and, when
// that lands in range, converted; note then says what was done. A value
// that no scale makes plausible is returned unchanged (as ms for Millis,
// ×1000 for Seconds) with note "implausible". 0 stays 0 (unknown).
func EpochMillis(v int64, u Unit) (ms int64, note string) {
	if v == 0 {
		return 0, ""
	}
	in := func(x int64) bool { return x >= minPlausibleMs && x < maxPlausibleMs }
	const maxS = maxPlausibleMs / 1000
	switch u {
	case Seconds:
		if v > -maxS && v < maxS && in(v*1000) {
			return v * 1000, ""
		}
		if in(v) {
			return v, "stored in ms, not s"
		}
		if in(v / 1000) {
			return v / 1000, "stored in µs, not s"
		}
		if v > -maxS*1000 && v < maxS*1000 {
			return v * 1000, "implausible"
		}
		return v, "implausible"
	default:
		if in(v) {
			return v, ""
		}
		if v > -maxS && v < maxS && in(v*1000) {
			return v * 1000, "stored in s, not ms"
		}
		if in(v / 1000) {
			return v / 1000, "stored in µs, not ms"
		}
		return v, "implausible"
	}
}

// epochTime converts v and records a note in extra under key+"_note".
func epochTime(v int64, u Unit, extra map[string]string, key string) *report.Time {
	ms, note := EpochMillis(v, u)
	if note != "" && extra != nil {
		extra[key+"_raw"] = strconv.FormatInt(v, 10)
		extra[key+"_note"] = note
	}
	return report.UnixMilli(ms)
}

// finish fills the derived fields of a message: links from the body and
// subject, empty Extra removed.
func finish(m *report.Message) {
	m.Links = links.Find(m.Body)
	if m.Subject != "" {
		seen := map[string]bool{}
		for _, l := range m.Links {
			seen[l.URL] = true
		}
		for _, l := range links.Find(m.Subject) {
			if !seen[l.URL] {
				m.Links = append(m.Links, l)
			}
		}
	}
	if len(m.Extra) == 0 {
		m.Extra = nil
	}
}

// SMSDirection maps the sms.type (and pdu.msg_box) box code to a report
// direction (artifacts.md §1.3).
func SMSDirection(typ int64) string {
	switch typ {
	case 1:
		return report.DirIncoming
	case 2, 4, 6:
		return report.DirOutgoing
	case 3:
		return report.DirDraft
	case 5:
		return report.DirFailed
	}
	return report.DirOther
}

// cols reads named columns of one table's rows.
type cols struct {
	t   *sqlite.Table
	idx map[string]int
}

func newCols(t *sqlite.Table) cols {
	c := cols{t: t, idx: map[string]int{}}
	for i, col := range t.Columns {
		c.idx[strings.ToLower(col.Name)] = i
	}
	return c
}

func (c cols) has(name string) bool { _, ok := c.idx[name]; return ok }

func (c cols) val(row sqlite.Row, name string) sqlite.Value {
	i, ok := c.idx[name]
	if !ok || i >= len(row.Values) {
		return sqlite.Value{}
	}
	return row.Values[i]
}

// str returns a text column ("" for NULL; blobs as text with invalid
// UTF-8 replaced).
func (c cols) str(row sqlite.Row, name string) string {
	return valueText(c.val(row, name))
}

func valueText(v sqlite.Value) string {
	switch v.Kind {
	case sqlite.Null:
		return ""
	case sqlite.Blob:
		return strings.ToValidUTF8(string(v.Bytes), "\uFFFD")
	}
	return v.String()
}

func (c cols) int(row sqlite.Row, name string) (int64, bool) {
	return c.val(row, name).AsInt64()
}

// rowID is the row's rowid, or its _id column for WITHOUT ROWID tables.
func (c cols) rowID(row sqlite.Row) int64 {
	if row.HasRowID {
		return row.RowID
	}
	id, _ := c.int(row, "_id")
	return id
}

// extraCol describes a vendor column kept in Message.Extra.
type extraCol struct {
	name     string
	keepZero bool             // 0 is meaningful
	skip     []int64          // other values that mean "nothing" (e.g. -1)
	label    map[int64]string // code → meaning
	labelFn  func(int64) string
}

// addExtras copies the present, non-default extra columns of row into extra.
func (c cols) addExtras(row sqlite.Row, list []extraCol, extra map[string]string) {
	for _, e := range list {
		if !c.has(e.name) {
			continue
		}
		v := c.val(row, e.name)
		switch v.Kind {
		case sqlite.Null:
			continue
		case sqlite.Integer:
			if v.Int == 0 && !e.keepZero || slices.Contains(e.skip, v.Int) {
				continue
			}
			s := strconv.FormatInt(v.Int, 10)
			if l, ok := e.label[v.Int]; ok {
				s += " (" + l + ")"
			} else if e.labelFn != nil {
				if l := e.labelFn(v.Int); l != "" {
					s += " (" + l + ")"
				}
			}
			extra[e.name] = s
		default:
			s := valueText(v)
			if v.Kind == sqlite.Blob {
				s = "blob, " + strconv.Itoa(len(v.Bytes)) + " bytes"
			}
			if s == "" || s == "0" && !e.keepZero {
				continue
			}
			extra[e.name] = s
		}
	}
}

// MIUI code tables (artifacts.md §1.9, code-read from
// miui.provider.ExtraTelephony).
var (
	mxStatus = map[int64]string{1: "cloud message pending", 16: "cloud message sent", 17: "cloud message delivered", 256: "cloud message read",
		65537: "cloud message incoming", 131073: "cloud message failed", 196609: "cloud message via web"}
	mxType       = map[int64]string{1: "MMS", 2: "image", 3: "audio", 4: "video", 5: "red packet"}
	urlRisky     = map[int64]string{0: "safe", 1: "suspicious", 2: "risky", 3: "fraud"}
	fakeCell     = map[int64]string{1: "sent by a fake base station", -1: "checked safe"}
	advancedSeen = map[int64]string{1: "service message unseen", 2: "notified", 3: "seen"}
	syncState    = map[int64]string{0: "dirty", 1: "syncing", 2: "synced to Mi Cloud", 3: "sync error", 4: "not uploadable", 65538: "marked for deletion"}
	previewType  = map[int64]string{1: "none", 2: "image", 3: "audio", 4: "video", 5: "vCard", 6: "slideshow"}
	blockReasons = map[int64]string{1: "allowed but muted", 3: "blacklist", 4: "filter", 5: "import", 6: "prefix", 7: "stranger", 8: "URL",
		9: "contact", 10: "service", 12: "keywords", 13: "address", 16: "cloud rule"}
)

func blockTypeLabel(v int64) string {
	s := blockReasons[v&0x7f]
	if v&0x80 != 0 {
		if s != "" {
			s += ", "
		}
		s += "risky URL"
	}
	return s
}

// miuiMessageCols are the MIUI extension columns of sms and pdu kept in
// Extra (artifacts.md §1.9); deleted is mapped to Message.Deleted.
var miuiMessageCols = []extraCol{
	{name: "sim_id", keepZero: true},
	{name: "block_type", labelFn: blockTypeLabel},
	{name: "mx_status", label: mxStatus},
	{name: "mx_id"},
	{name: "mx_type", label: mxType},
	{name: "mx_extension"},
	{name: "favorite_date"},
	{name: "timed"},
	{name: "out_time"},
	{name: "account"},
	{name: "bind_id"},
	{name: "marker"},
	{name: "source"},
	{name: "sync_state", label: syncState},
	{name: "advanced_seen", label: advancedSeen},
	{name: "b2c_numbers"},
	{name: "b2c_ttl"},
	{name: "fake_cell_type", label: fakeCell},
	{name: "url_risky_type", label: urlRisky},
	{name: "need_download"},
	{name: "preview_type", label: previewType},
	{name: "file_id"},
	{name: "error_type"},
	{name: "addresses"},
}

// aospSMSCols are AOSP sms columns worth showing beside the main fields.
var aospSMSCols = []extraCol{
	{name: "status", keepZero: true, skip: []int64{-1}, label: map[int64]string{0: "complete", 32: "pending", 64: "failed"}},
	{name: "error_code", skip: []int64{-1}},
	{name: "service_center"},
	{name: "locked"},
	{name: "creator"},
	{name: "protocol"},
}

var aospPDUCols = []extraCol{
	{name: "m_type", label: map[int64]string{128: "send-req", 130: "notification, content not downloaded", 132: "retrieve-conf", 134: "delivery-ind", 136: "read-orig-ind"}},
	{name: "m_id"},
	{name: "ct_l"},
	{name: "m_cls"},
	{name: "m_size"},
	{name: "tr_id"},
	{name: "locked"},
	{name: "creator"},
	{name: "text_only"},
}
