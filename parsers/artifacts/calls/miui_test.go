package calls_test

import (
	"testing"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/backupinspector/backupinspector/parsers/artifacts/calls"
	"github.com/backupinspector/backupinspector/parsers/protobuf"
	"github.com/backupinspector/backupinspector/parsers/report"
)

type pb []byte

func (b pb) str(n protowire.Number, s string) pb {
	b = protowire.AppendTag(b, n, protowire.BytesType)
	return protowire.AppendString(b, s)
}
func (b pb) varint(n protowire.Number, v uint64) pb {
	b = protowire.AppendTag(b, n, protowire.VarintType)
	return protowire.AppendVarint(b, v)
}
func (b pb) msg(n protowire.Number, m pb) pb {
	b = protowire.AppendTag(b, n, protowire.BytesType)
	return protowire.AppendBytes(b, m)
}

func TestDecodeMIUICallLog(t *testing.T) {
	call := pb{}.str(2, "17").str(3, "+441234567890").varint(4, 1588858433593).varint(5, 61).varint(6, 2).varint(7, 0)
	seconds := pb{}.str(2, "18").str(3, "").varint(4, 1588858433).varint(5, 0).varint(6, 7).varint(7, 1) // hidden number, date in s
	misfit := pb{}.str(2, "19").str(3, "+1")                                                             // no date
	payload := pb{}.msg(2, pb{}.msg(1, call).msg(1, seconds).msg(1, misfit))
	m, err := protobuf.Parse(payload)
	if err != nil {
		t.Fatal(err)
	}
	got, skipped := calls.DecodeMIUICallLog(m)
	if len(got) != 2 || skipped != 1 {
		t.Fatalf("%d calls, %d skipped", len(got), skipped)
	}
	c := got[0].Call
	if c.Number != "+441234567890" || c.Direction != report.CallOutgoing || c.DurationSeconds != 61 || c.Time.String() != "2020-05-07T13:33:53.593Z" || c.Extra["id"] != "17" {
		t.Errorf("call %+v", c)
	}
	if got[0].Offset != 2 {
		t.Errorf("offset %d", got[0].Offset)
	}
	c = got[1].Call
	if c.Number != "" || c.Direction != report.CallOther || c.Extra["type"] != "7 (answered externally)" ||
		c.Time.String() != "2020-05-07T13:33:53.000Z" || c.Extra["date_note"] != "stored in s, not ms" || c.Extra["new"] != "1" {
		t.Errorf("call %+v", c)
	}
	// The contacts payload (top-level repeated field 1) is not a call log.
	contacts := pb{}.msg(1, pb{}.msg(2, pb{}.str(2, "1").msg(5, pb{}.str(1, "Amelia"))))
	m, _ = protobuf.Parse(contacts)
	if got, _ := calls.DecodeMIUICallLog(m); got != nil {
		t.Errorf("contacts decoded as calls: %+v", got)
	}
}

func TestDirectionAndFeatures(t *testing.T) {
	for typ, want := range map[int64]string{1: "incoming", 2: "outgoing", 3: "missed", 4: "voicemail", 5: "rejected", 6: "blocked", 7: "other", 10: "other", 0: "other", -1: "other"} {
		if got := calls.Direction(typ); got != want {
			t.Errorf("Direction(%d) = %s, want %s", typ, got, want)
		}
	}
	if got := calls.Features(0x41 | 0x100); len(got) != 3 || got[0] != "video" || got[1] != "VoLTE" || got[2] != "0x100" {
		t.Errorf("Features: %q", got)
	}
}
