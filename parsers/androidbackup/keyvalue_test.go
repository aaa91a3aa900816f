package androidbackup

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

// kvRecord encodes one BackupData entity the way Android's writer does:
// header, key + NUL padded to 4, value; padding before the next header.
func kvRecord(key string, value []byte, deleted bool) []byte {
	var b bytes.Buffer
	var h [12]byte
	binary.LittleEndian.PutUint32(h[:], KVMagic)
	binary.LittleEndian.PutUint32(h[4:], uint32(len(key)))
	size := int32(len(value))
	if deleted {
		size = -1
	}
	binary.LittleEndian.PutUint32(h[8:], uint32(size))
	b.Write(h[:])
	b.WriteString(key)
	b.WriteByte(0)
	for b.Len()%4 != 0 {
		b.WriteByte(0)
	}
	b.Write(value)
	return b.Bytes()
}

// KVStream joins records, padding between them (not after the last one).
func kvStream(recs ...[]byte) []byte {
	var b bytes.Buffer
	for i, r := range recs {
		if i > 0 {
			for b.Len()%4 != 0 {
				b.WriteByte(0)
			}
		}
		b.Write(r)
	}
	return b.Bytes()
}

func TestKeyValue(t *testing.T) {
	wifi := []byte("<WifiBackupData><NetworkList/></WifiBackupData>")
	data := kvStream(
		kvRecord("wifi_new_config", wifi, false),
		kvRecord("gone", nil, true),
		kvRecord("ключ🔑", []byte{1, 2, 3}, false),
		kvRecord("empty", []byte{}, false),
		kvRecord("last", []byte("x"), false),
	)
	if !IsKeyValue(data) {
		t.Fatal("IsKeyValue = false")
	}
	m, err := ReadKeyValues(bytes.NewReader(data), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if string(m["wifi_new_config"]) != string(wifi) || !bytes.Equal(m["ключ🔑"], []byte{1, 2, 3}) || string(m["last"]) != "x" {
		t.Errorf("values %q", m)
	}
	if v, ok := m["gone"]; !ok || v != nil {
		t.Errorf("deleted key: %v %v", v, ok)
	}
	if v, ok := m["empty"]; !ok || len(v) != 0 || v == nil {
		t.Errorf("empty key: %v %v", v, ok)
	}
	// Also with trailing padding after the last value.
	padded := append(append([]byte(nil), data...), 0, 0, 0)
	if m, err := ReadKeyValues(bytes.NewReader(padded), 1<<20); err != nil || len(m) != 5 {
		t.Errorf("padded: %v %d", err, len(m))
	}
	// Skipping values with Next works.
	kr := NewKVReader(bytes.NewReader(data))
	var keys []string
	for {
		rec, err := kr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, rec.Key)
	}
	if strings.Join(keys, ",") != "wifi_new_config,gone,ключ🔑,empty,last" {
		t.Errorf("keys %v", keys)
	}
	// Truncation at every byte gives a typed error or a clean shorter read.
	for n := 1; n < len(data); n++ {
		_, err := ReadKeyValues(bytes.NewReader(data[:n]), 1<<20)
		if err != nil && !errors.Is(err, ErrTruncated) {
			t.Fatalf("cut %d: %v", n, err)
		}
	}
	// Bad magic and a huge key length are rejected with the offset.
	bad := append([]byte(nil), data...)
	copy(bad, "Foo!")
	if _, err := ReadKeyValues(bytes.NewReader(bad), 1<<20); !errors.Is(err, ErrKVFormat) || !strings.Contains(err.Error(), "offset 0") {
		t.Errorf("bad magic: %v", err)
	}
	binary.LittleEndian.PutUint32(bad[4:], 1<<30)
	copy(bad, "Data")
	if _, err := ReadKeyValues(bytes.NewReader(bad), 1<<20); !errors.Is(err, ErrKVFormat) {
		t.Errorf("huge key: %v", err)
	}
	if IsKeyValue([]byte("Data\xff\xff\xff\x7f\x00\x00\x00\x00")) {
		t.Error("IsKeyValue accepted a huge key length")
	}
}

func TestManifest(t *testing.T) {
	m, err := ParseManifest([]byte("1\ncom.android.providers.telephony\n29\n29\n\n0\n1\n3082\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Package != "com.android.providers.telephony" || m.VersionCode != 29 || m.SDK != 29 || m.APKIncluded ||
		len(m.Certificates) != 1 || !bytes.Equal(m.Certificates[0], []byte{0x30, 0x82}) {
		t.Errorf("%+v", m)
	}
	m, err = ParseManifest([]byte("1\ncom.whatsapp\n231234567890\n33\ncom.android.vending\n1\n0\n"))
	if err != nil || m.VersionCode != 231234567890 || !m.APKIncluded || m.Installer != "com.android.vending" {
		t.Errorf("%+v %v", m, err)
	}
	for _, bad := range []string{"", "x\n", "1\n\n", "1\npkg\nx\n29\n", "1\npkg\n1\n29\n\n0\n2\n00\n", "1\npkg\n1\n29\n\n0\n1\nzz\n", "1\npkg\n1\n29\n\n0\n999999\n"} {
		if _, err := ParseManifest([]byte(bad)); !errors.Is(err, ErrManifest) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	meta := append([]byte("1\ncom.example\n"), 0x01, 0xFF, 0xED, 0x01, 0, 0, 0, 2, 'h', 'i')
	mt, err := ParseMeta(meta)
	if err != nil || mt.Package != "com.example" || string(mt.Widget) != "hi" {
		t.Errorf("meta %+v %v", mt, err)
	}
	meta[len(meta)-3] = 200
	if _, err := ParseMeta(meta); err == nil {
		t.Error("meta with overlong widget accepted")
	}
}
