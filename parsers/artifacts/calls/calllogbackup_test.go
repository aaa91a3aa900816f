package calls_test

import (
	"archive/tar"
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/artifacts/calls"
	"github.com/backupinspector/backupinspector/parsers/report"
)

// java writes DataOutputStream data.
type java struct{ bytes.Buffer }

func (j *java) i32(v int32) { binary.Write(&j.Buffer, binary.BigEndian, v) }
func (j *java) i64(v int64) { binary.Write(&j.Buffer, binary.BigEndian, v) }
func (j *java) utf(b []byte) {
	binary.Write(&j.Buffer, binary.BigEndian, uint16(len(b)))
	j.Write(b)
}
func (j *java) opt(s *string) {
	if s == nil {
		j.WriteByte(0)
		return
	}
	j.WriteByte(1)
	j.utf([]byte(*s))
}

func ptr(s string) *string { return &s }

// record writes a version-1007 record as CallLogBackupAgent does.
func record(number *string, date, duration int64, typ int32, account string) []byte {
	var j java
	j.i32(1007)
	j.i64(date)
	j.i64(duration)
	j.opt(number)
	j.i32(typ)
	j.i32(1)
	j.opt(ptr("com.android.phone/com.android.services.telephony.TelephonyConnectionService"))
	j.opt(ptr(account))
	j.opt(ptr("+447700900123"))
	j.i64(0)
	j.i32(0x40)
	j.utf([]byte("no-oem-namespace"))
	j.i32(0)
	j.i32(0x0060061E)
	j.i32(1)
	j.opt(ptr(",1234#"))
	j.opt(ptr(""))
	j.i32(0)
	j.opt(nil)
	j.opt(nil)
	for i := 0; i < 5; i++ {
		j.opt(ptr(""))
	}
	j.WriteByte(0)
	return j.Bytes()
}

// kv writes BackupDataOutput records.
func kv(recs map[string][]byte, keys ...string) []byte {
	var b bytes.Buffer
	pad := func() {
		for b.Len()%4 != 0 {
			b.WriteByte(0)
		}
	}
	for _, k := range keys {
		v := recs[k]
		binary.Write(&b, binary.LittleEndian, uint32(0x61746144))
		binary.Write(&b, binary.LittleEndian, int32(len(k)))
		binary.Write(&b, binary.LittleEndian, int32(len(v)))
		b.WriteString(k)
		b.WriteByte(0)
		pad()
		b.Write(v)
		pad()
	}
	return b.Bytes()
}

func TestParseCallLogBackup(t *testing.T) {
	c, rec, err := calls.ParseCallLogBackup(record(ptr("+441234567890"), 1588858433593, 61, 2, "89441000301234567890"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Number != "+441234567890" || c.Direction != report.CallOutgoing || c.DurationSeconds != 61 || c.Time.String() != "2020-05-07T13:33:53.593Z" ||
		c.PhoneAccount != "89441000301234567890" || len(c.Features) != 1 || c.Features[0] != "VoLTE" || c.Extra["phone_account_address"] != "+447700900123" ||
		c.Extra["post_dial_digits"] != "6 characters (not shown)" || rec.Version != 1007 {
		t.Errorf("%+v", c)
	}
	// Truncation anywhere is an error naming an offset, never a panic.
	full := record(ptr("+441234567890"), 1588858433593, 61, 2, "x")
	for n := 0; n < len(full)-16; n++ { // the 1007 tail is not needed
		if _, _, err := calls.ParseCallLogBackup(full[:n]); err == nil || !strings.Contains(err.Error(), "offset") {
			t.Fatalf("cut at %d: %v", n, err)
		}
	}
	bad := record(nil, 1, 0, 3, "")
	bad[len(bad)-60] ^= 0xff
	_, _, _ = calls.ParseCallLogBackup(bad)
}

func TestModifiedUTF8(t *testing.T) {
	for in, want := range map[string]string{
		"abc":                              "abc",
		"\xc0\x80":                         "\x00",
		"\xed\xa0\xbd\xed\xb8\x80":         "😀", // U+1F600 as CESU-8 surrogates
		"\xed\xa0\xbd":                     "\uFFFD",
		"\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd": "Иван",
		"\xff":                             "\uFFFD",
	} {
		if got := calls.ModifiedUTF8([]byte(in)); got != want {
			t.Errorf("ModifiedUTF8(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestCallLogBackupInTar: the records inside an adb backup
// (apps/com.android.calllogbackup/k/com.android.calllogbackup.data).
func TestCallLogBackupInTar(t *testing.T) {
	data := kv(map[string][]byte{
		"1": record(ptr("+441234567890"), 1588858433593, 61, 2, "89441000301234567890"),
		"2": record(ptr(""), 1588858500000, 0, 3, "89441000301234567890"),
		"3": []byte{0, 0, 3, 0xef}, // version 1007, then nothing
	}, "1", "2", "3")
	var tb bytes.Buffer
	tb.WriteString("ANDROID BACKUP\n5\n0\nnone\n") // uncompressed, unencrypted
	tw := tar.NewWriter(&tb)
	tw.WriteHeader(&tar.Header{Name: "apps/com.android.calllogbackup/k/com.android.calllogbackup.data", Mode: 0o600, Size: int64(len(data))})
	tw.Write(data)
	tw.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "calllog.ab")
	if err := os.WriteFile(path, tb.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := run(t, "", path)
	if len(rep.Calls) != 2 {
		t.Fatalf("%d calls: %+v", len(rep.Calls), rep.Calls)
	}
	if c := rep.Calls[0]; c.Source != "calllog.ab!apps/com.android.calllogbackup/k/com.android.calllogbackup.data!1" || c.Number != "+441234567890" {
		t.Errorf("call %+v", c)
	}
	var iccids, corrupt int
	for _, id := range rep.Identifiers {
		if id.Kind == report.IDICCID {
			iccids++
		}
	}
	for _, p := range rep.Problems {
		if p.Code == "corrupt" && strings.Contains(p.Message, "record 3") {
			corrupt++
		}
	}
	if iccids != 1 || corrupt != 1 {
		t.Errorf("%d ICCIDs, %d corrupt-record problems: %+v %+v", iccids, corrupt, rep.Identifiers, rep.Problems)
	}
}

func FuzzParseCallLogBackup(f *testing.F) {
	f.Add(record(ptr("+441234567890"), 1588858433593, 61, 2, "89441000301234567890"))
	f.Add(record(nil, 0, 0, 7, ""))
	f.Add([]byte{0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, _, err := calls.ParseCallLogBackup(b)
		if err == nil && c.Direction == "" {
			t.Fatal("no direction")
		}
	})
}
