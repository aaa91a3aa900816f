// Package calls extracts call-log entries: from calllog.db (Android 7+) and
// the legacy calls table of contacts2.db, from MIUI call-log payloads
// (com.android.contacts feature 1 _tmp_bak, protobuf), and from SMS Backup
// & Restore calls XML. Direction codes, durations, phone accounts (SIM
// ICCID or subscription id), cached names, geocoded locations, features and
// vendor columns are kept; the SIM ICCIDs and own numbers a call log names
// are also reported as identifiers (once per file).
package calls

import (
	"errors"
	"strconv"
	"strings"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/artifacts/messages"
	"github.com/backupinspector/backupinspector/parsers/idvalid"
	"github.com/backupinspector/backupinspector/parsers/report"
)

// Direction maps a CallLog.Calls type code (artifacts.md §3.3) to a report
// direction. Codes without a report direction (7 answered externally,
// vendor codes) are "other"; Label names them.
func Direction(typ int64) string {
	switch typ {
	case 1:
		return report.CallIncoming
	case 2:
		return report.CallOutgoing
	case 3:
		return report.CallMissed
	case 4:
		return report.CallVoicemail
	case 5:
		return report.CallRejected
	case 6:
		return report.CallBlocked
	}
	return report.CallOther
}

// TypeLabel names a call type code.
func TypeLabel(typ int64) string {
	switch typ {
	case 7:
		return "answered externally"
	case 10:
		return "new contact (MIUI)"
	}
	if d := Direction(typ); d != report.CallOther {
		return d
	}
	return ""
}

// featureBits are the CallLog.Calls FEATURES_* bits.
var featureBits = []struct {
	bit  int64
	name string
}{
	{0x1, "video"}, {0x2, "pulled externally"}, {0x4, "HD audio"}, {0x8, "Wi-Fi calling"},
	{0x10, "assisted dialling"}, {0x20, "RTT"}, {0x40, "VoLTE"},
}

// Features names the set bits of a features mask; unknown bits are given
// in hex.
func Features(mask int64) []string {
	var out []string
	rest := mask
	for _, f := range featureBits {
		if mask&f.bit != 0 {
			out = append(out, f.name)
			rest &^= f.bit
		}
	}
	if rest != 0 {
		out = append(out, "0x"+strconv.FormatInt(rest, 16))
	}
	return out
}

var presentation = map[int64]string{1: "allowed", 2: "restricted (caller hid the number)", 3: "unknown", 4: "payphone", 5: "unavailable"}

var blockReason = map[int64]string{1: "call screening service", 2: "sent to voicemail", 3: "blocked number", 4: "unknown number",
	5: "restricted number", 6: "payphone", 7: "not in contacts"}

// missedReason names the bits of calls.missed_reason (CallLog.Calls).
func missedReason(v int64) string {
	names := []struct {
		bit  int64
		name string
	}{
		{1, "auto-missed: emergency call in progress"}, {2, "auto-missed: maximum ringing calls"}, {4, "auto-missed: maximum dialing calls"},
		{0x10000, "user missed: no answer"}, {0x20000, "user missed: short ring"}, {0x40000, "user missed: do not disturb"},
		{0x80000, "user missed: low ring volume"}, {0x100000, "user missed: no vibration"},
		{0x200000, "user missed: silenced by the call screening service"}, {0x400000, "user missed: call filters timed out"},
		{0x800000, "user missed: never rang"},
	}
	var out []string
	for _, n := range names {
		if v&n.bit != 0 {
			out = append(out, n.name)
		}
	}
	return strings.Join(out, ", ")
}

// MIUI call-log codes (artifacts.md §3.7, code-read).
var (
	firewallType  = map[int64]string{1: "rejected by firewall", 2: "muted"}
	phoneCallType = map[int64]string{1: "VoIP", 2: "callback", 3: "conference"}
	numberType    = map[int64]string{1: "yellow page (business) number"}
	antispamType  = map[int64]string{1: "service provider", 2: "marked by users", 3: "custom"}
)

// callTime converts a stored ms time, noting a fixed scale in extra.
func callTime(v int64, extra map[string]string) *report.Time {
	ms, note := messages.EpochMillis(v, messages.Millis)
	if note != "" {
		extra["date_raw"] = strconv.FormatInt(v, 10)
		extra["date_note"] = note
	}
	return report.UnixMilli(ms)
}

// finish drops an empty Extra.
func finish(c *report.Call) {
	if len(c.Extra) == 0 {
		c.Extra = nil
	}
}

// ids reports the identifiers a call log names, once per value per file.
type ids struct {
	ctx  *artifacts.Context
	seen map[string]bool
}

func newIDs(ctx *artifacts.Context) *ids { return &ids{ctx: ctx, seen: map[string]bool{}} }

// idsOf returns the run-wide identifier set of one container (for formats
// whose records arrive as separate files, such as key-value backups).
func idsOf(ctx *artifacts.Context, key string) *ids {
	m := ctx.State("calls/ids", func() any { return map[string]*ids{} }).(map[string]*ids)
	if m[key] == nil {
		m[key] = newIDs(ctx)
	}
	return m[key]
}

// account looks at a phone-account id: an ICCID on Android ≤ 12.
func (d *ids) account(v, src string) {
	if v = strings.TrimSpace(v); v == "" {
		return
	}
	norm, err := idvalid.ICCID(v)
	if errors.Is(err, idvalid.ErrFormat) || norm == "" {
		return
	}
	d.add(report.Identifier{Kind: report.IDICCID, Value: norm, Valid: err == nil, Label: "call log phone account", Source: src})
}

// ownNumber records the phone's own number used for a call.
func (d *ids) ownNumber(v, country, label, src string) {
	v = strings.TrimSpace(v)
	if v == "" {
		return
	}
	id := report.Identifier{Kind: report.IDPhoneNumber, Value: v, Label: label, Source: src}
	if norm, err := idvalid.E164(v, country); err == nil {
		id.Valid = true
		if norm != v {
			id.Details = map[string]string{"written": v}
			id.Value = norm
		}
	}
	d.add(id)
}

func (d *ids) add(id report.Identifier) {
	key := id.Kind + "\x00" + id.Value
	if d.seen[key] {
		return
	}
	d.seen[key] = true
	d.ctx.AddIdentifier(id)
}
