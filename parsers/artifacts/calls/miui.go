package calls

import (
	"io"
	"strconv"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/artifacts/payloads"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/protobuf"
	"github.com/backupinspector/backupinspector/parsers/report"
)

func init() { artifacts.Register(miuiCallLog{}) }

// miuiCallLog decodes the MIUI call-log payload: com.android.contacts
// feature 1, apps/com.android.contacts/miui_bak/_tmp_bak, protobuf.
// Field map (formats.md §2.7, artifacts.md §3.8): top-level field 2 =
// container, its repeated field 1 = call {2 id (string), 3 number
// (string), 4 date (epoch ms), 5 duration (s), 6 type (CallLog codes),
// 7 new}. The map comes from one public decoder and the legacy MIUI
// Backup model, so it is applied leniently: records that do not fit are
// skipped and counted, and the payloads module keeps the whole tree
// visible beside the decoded calls.
type miuiCallLog struct{}

func (miuiCallLog) Name() string { return "calls/miui" }

func (miuiCallLog) Match(f *container.File) bool {
	return f.Name == "_tmp_bak" && f.Package == "com.android.contacts"
}

// MaxMIUIPayload bounds the call-log payload read into memory.
const MaxMIUIPayload = 64 << 20

func (miuiCallLog) Extract(ctx *artifacts.Context, f *container.File, r io.Reader) error {
	if feature, ok := payloads.Feature(ctx, f); ok && feature != 1 {
		return nil // the contacts feature (2) or settings
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxMIUIPayload+1))
	if err != nil {
		return err
	}
	if len(data) > MaxMIUIPayload {
		ctx.Problem(f, -1, "too-large", "MIUI call-log payload larger than %d bytes not decoded", MaxMIUIPayload)
		return nil
	}
	m, err := protobuf.ParseOptions(data, protobuf.Options{MaxDepth: 8, MaxFields: len(data)/2 + 16})
	if err != nil {
		return nil // not protobuf: the payloads module shows what it is
	}
	calls, skipped := DecodeMIUICallLog(m)
	if calls == nil {
		return nil // not the call-log shape (e.g. the contacts payload)
	}
	for _, mc := range calls {
		c := mc.Call
		c.Source = artifacts.SourceOffset(f, mc.Offset)
		if !ctx.AddCall(c) {
			return nil // memory budget reached (a problem says so)
		}
	}
	if skipped > 0 {
		ctx.Problem(f, -1, "partly-decoded", "MIUI call log: %d of %d entries do not fit the known layout and were skipped (see the payload tree)", skipped, skipped+len(calls))
	}
	return nil
}

// MIUICall is one call decoded from the MIUI payload.
type MIUICall struct {
	Call   report.Call
	Offset int64 // byte offset of the call message in the payload
}

// DecodeMIUICallLog maps a parsed MIUI call-log payload. It returns nil
// when the payload does not have the call-log shape (top-level field 2
// holding repeated field 1 messages with a number or a date), and the
// number of entries skipped because they do not fit.
func DecodeMIUICallLog(m *protobuf.Message) (calls []MIUICall, skipped int) {
	var entries []*protobuf.Field
	for _, box := range m.All(2) {
		bm := box.Message()
		if bm == nil {
			continue
		}
		entries = append(entries, bm.All(1)...)
	}
	if len(entries) == 0 {
		return nil, 0
	}
	for _, e := range entries {
		cm := e.Message()
		if cm == nil {
			skipped++
			continue
		}
		number := cm.String(3)
		date, hasDate := cm.Int64(4)
		if !hasDate || cm.Get(3) != nil && cm.Get(3).Wire != protobuf.BytesType {
			skipped++
			continue
		}
		typ, _ := cm.Int64(6)
		c := report.Call{Number: number, Direction: Direction(typ), Extra: map[string]string{}}
		c.Time = callTime(date, c.Extra)
		c.DurationSeconds, _ = cm.Int64(5)
		if c.Direction == report.CallOther {
			c.Extra["type"] = labelled(typ, TypeLabel(typ))
		}
		if id := cm.String(2); id != "" {
			c.Extra["id"] = id
		}
		if g := cm.String(1); g != "" {
			c.Extra["guid"] = g
		}
		if n, ok := cm.Int64(7); ok && n != 0 {
			c.Extra["new"] = strconv.FormatInt(n, 10)
		}
		finish(&c)
		calls = append(calls, MIUICall{Call: c, Offset: e.Offset})
	}
	if len(calls) == 0 {
		return nil, skipped
	}
	return calls, skipped
}
