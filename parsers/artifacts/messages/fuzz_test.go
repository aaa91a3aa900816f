package messages

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
)

func deflate(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// FuzzTelephonyJSON feeds JSON (compressed as the agent writes it) to the
// telephony JSON module, as an SMS file and as an MMS file.
func FuzzTelephonyJSON(f *testing.F) {
	f.Add([]byte(`[{"self_phone":"+79856417795","address":"+79261046570","body":"hi https://bit.ly/x","date":"1694739583063","date_sent":"1694739573000","status":"-1","type":"1","read":"1","recipients":["+79261046570"]}]`))
	f.Add([]byte(`[{"self_phone":"+8618657305424","date":"1704857547","m_type":"132","msg_box":"1","mms_addresses":[{"type":137,"address":"+79859200314","charset":106},{"type":151,"address":"insert-address-token","charset":106}],"mms_body":"x","mms_charset":106}]`))
	f.Add([]byte(`[{"date":1e30,"type":{"x":[]},"recipients":"a","mms_addresses":[1,null,{"type":"137"}]}, 5, "x", null]`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, name := range []string{"000000_sms_backup", "000001_mms_backup"} {
			rep := report.New()
			ctx := artifacts.NewContext(rep)
			file := &container.File{Path: "t.ab!apps/com.android.providers.telephony/d_f/" + name, Name: name, Size: -1}
			_ = telephonyJSON{}.Extract(ctx, file, bytes.NewReader(deflate(data)))
			_ = telephonyJSON{}.Extract(ctx, file, bytes.NewReader(data))
			report.Finalize(rep)
			out, err := report.Encode(rep)
			if err != nil || !json.Valid(out) {
				t.Fatalf("report: %v", err)
			}
		}
	})
}

func TestEpochMillis(t *testing.T) {
	tests := []struct {
		v    int64
		u    Unit
		ms   int64
		note string
	}{
		{0, Millis, 0, ""},
		{1694739583063, Millis, 1694739583063, ""},
		{1694739583, Millis, 1694739583000, "stored in s, not ms"},
		{1694739583063000, Millis, 1694739583063, "stored in µs, not ms"},
		{1704857547, Seconds, 1704857547000, ""},
		{1704857547000, Seconds, 1704857547000, "stored in ms, not s"},
		{12345, Millis, 12345, "implausible"},
		{-5, Seconds, -5000, "implausible"},
		{1 << 62, Seconds, 1 << 62, "implausible"},
		{-1 << 62, Millis, -1 << 62, "implausible"},
	}
	for _, tt := range tests {
		ms, note := EpochMillis(tt.v, tt.u)
		if ms != tt.ms || note != tt.note {
			t.Errorf("EpochMillis(%d, %d) = %d %q, want %d %q", tt.v, tt.u, ms, note, tt.ms, tt.note)
		}
	}
}
