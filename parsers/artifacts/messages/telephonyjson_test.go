package messages

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/klauspost/compress/zlib"

	"github.com/backupinspector/backupinspector/parsers/artifacts"
	"github.com/backupinspector/backupinspector/parsers/container"
	"github.com/backupinspector/backupinspector/parsers/report"
)

var tjSamples = []string{
	`[{"self_phone":"+79856417795","address":"+79261046570","body":"hi https://bit.ly/x","date":"1694739583063","date_sent":"1694739573000","status":"-1","type":"1","read":"1","recipients":["+79261046570"]}]`,
	`[{"self_phone":"+8618657305424","date":"1704857547","m_type":"132","msg_box":"1","mms_addresses":[{"type":137,"address":"+79859200314","charset":106},{"type":151,"address":"insert-address-token","charset":106}],"mms_body":"x","mms_charset":106}]`,
	`[{"date":1e30,"type":{"x":[]},"recipients":"a","mms_addresses":[1,null,{"type":"137"}]}]`,
	" \n[ ]\n",
	`[{}, {"read": null, "body": "line\nbreak \"quoted\" \u00e9\ud83d\ude00 \ud800", "address": "` + "caf\xc3\xa9 \xff" + `"}]`,
	`[{"date": -0.5e+3, "type": 2.0, "read": false, "status": true, "archived": 1E2, "unknown": {"a": [1, {"b": null}], "c": "\\"}}]`,
	`[{"body": "a", "body": "b", "recipients": ["x", 5, "", true, null]}]`,
	`[{"Body": "case differs", "BODY": 1, "b\u006fdy": "escaped key"}]`,
}

// Fallbacks: what the fast parser leaves to encoding/json.
var tjSlow = []string{
	``, `{}`, `[`, `[{}`, `[{},]`, `[{}}`, `[null]`, `[5, "x"]`, `[{"a":01}]`, `[{"a":1.}]`, `[{"a":.5}]`, `[{"a":-}]`,
	`[{"a":tru}]`, `[{"a":"x` + "\x01" + `"}]`, `[{"a":"\q"}]`, `[{"a" 1}]`, `[{"a":1 "b":2}]`, "\ufeff[]",
	`[{"a":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}]`,
}

// The fast parser reads the common records, and the same values as
// encoding/json; what it cannot read it leaves (ok false) to encoding/json.
func TestParseTelephonyJSON(t *testing.T) {
	for _, s := range tjSamples {
		fast, ok := parseTelephonyJSON([]byte(s), nil)
		if !ok {
			t.Errorf("fast parser declined %q", s)
			continue
		}
		slow, err := decodeTelephonyJSON(strings.NewReader(s))
		if err != nil {
			t.Errorf("%q: encoding/json: %v", s, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("%q:\nfast %#v\nslow %#v", s, fast, slow)
		}
	}
	for _, s := range tjSlow {
		if _, ok := parseTelephonyJSON([]byte(s), nil); ok {
			t.Errorf("fast parser took %q", s)
		}
	}
}

// extractReport runs the module on one file and returns the report.
func extractReport(t testing.TB, name string, data []byte) ([]byte, error) {
	rep := report.New()
	ctx := artifacts.NewContext(rep)
	file := &container.File{Path: "t.ab!apps/com.android.providers.telephony/d_f/" + name, Name: name, Size: -1}
	err := telephonyJSON{}.Extract(ctx, file, bytes.NewReader(data))
	report.Finalize(rep)
	out, eerr := report.Encode(rep)
	if eerr != nil {
		t.Fatal(eerr)
	}
	return out, err
}

// The module's output is what decoding every record with encoding/json
// gives (the reference below), damaged streams included: records before
// the damage are kept and the error is the same.
func TestTelephonyJSONSameAsEncodingJSON(t *testing.T) {
	var many strings.Builder
	many.WriteString("[")
	for i := 0; i < 500; i++ {
		if i > 0 {
			many.WriteString(",")
		}
		fmt.Fprintf(&many, `{"address":"+7926%07d","body":"message %d https://example.com/%d","date":"%d","type":"%d","read":"1","recipients":["+7926%07d"]}`, i, i, i, 1694739583063+int64(i)*1000, 1+i%2, i)
	}
	many.WriteString("]")
	inputs := append(append([]string{many.String()}, tjSamples...), tjSlow...)
	for _, s := range inputs {
		full := deflate([]byte(s))
		for _, cut := range []int{len(full), len(full) - 4, len(full) / 2} {
			if cut < 0 {
				continue
			}
			for _, name := range []string{"000000_sms_backup", "000001_mms_backup"} {
				got, gotErr := extractReport(t, name, full[:cut])
				want, wantErr := referenceReport(t, name, full[:cut])
				if !bytes.Equal(got, want) || fmt.Sprint(gotErr) != fmt.Sprint(wantErr) {
					t.Errorf("%.60q cut %d %s: report or error differs: %v / %v", s, cut, name, gotErr, wantErr)
				}
			}
		}
	}
}

// referenceReport is the module as it was before the fast parser: every
// record decoded by encoding/json straight from the zlib stream.
func referenceReport(t testing.TB, name string, data []byte) ([]byte, error) {
	rep := report.New()
	ctx := artifacts.NewContext(rep)
	f := &container.File{Path: "t.ab!apps/com.android.providers.telephony/d_f/" + name, Name: name, Size: -1}
	err := func() error {
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			return fmt.Errorf("not a zlib stream: %w", err)
		}
		recs, err := decodeTelephonyJSON(io.LimitReader(zr, maxTelephonyJSON))
		selfSeen := map[string]bool{}
		for i := range recs {
			src := artifacts.SourceItem(f, "json", i)
			if strings.HasSuffix(name, "_mms_backup") {
				ctx.AddMessage(mmsFromJSON(&recs[i], src))
			} else {
				ctx.AddMessage(smsFromJSON(&recs[i], src))
			}
			if self := recs[i].v[kSelfPhone].str(); self != "" && !selfSeen[self] {
				selfSeen[self] = true
				ctx.AddIdentifier(report.Identifier{Kind: report.IDPhoneNumber, Value: self, Valid: validNumber(self), Label: "self_phone", Source: src})
			}
		}
		return err
	}()
	report.Finalize(rep)
	out, eerr := report.Encode(rep)
	if eerr != nil {
		t.Fatal(eerr)
	}
	return out, err
}

func TestErrReaderKeepsError(t *testing.T) {
	e := errors.New("boom")
	recs, err := decodeTelephonyJSON(io.MultiReader(strings.NewReader(`[{"body":"a"},{"bo`), errReader{e}))
	if len(recs) != 1 || !errors.Is(err, e) {
		t.Errorf("got %d records, %v", len(recs), err)
	}
}

// FuzzParseTelephonyJSON: whatever the fast parser takes, encoding/json
// takes too, with the same values.
func FuzzParseTelephonyJSON(f *testing.F) {
	for _, s := range append(append([]string{}, tjSamples...), tjSlow...) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fast, ok := parseTelephonyJSON(data, nil)
		if !ok {
			return
		}
		slow, err := decodeTelephonyJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("fast parser took %q, encoding/json: %v", data, err)
		}
		if !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q:\nfast %#v\nslow %#v", data, fast, slow)
		}
	})
}
