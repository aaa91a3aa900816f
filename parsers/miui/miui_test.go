package miui

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

// The worked example of formats.md §2.3 (WeChat, type 0), byte for byte.
var golden = []byte("MIUI BACKUP\n" + "2\n" + "com.tencent.mm \xE5\xBE\xAE\xE4\xBF\xA1\n" + "-1\n" + "0\n" +
	"ANDROID BACKUP\n" + "5\n0\nnone\n")

func TestGoldenHeader(t *testing.T) {
	if len(golden) != 65 {
		t.Fatalf("golden is %d bytes, want 65", len(golden))
	}
	payload := append(append([]byte(nil), golden...), make([]byte, 1024)...)
	r, err := NewReader(bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	h := r.Header
	if h.Version != 2 || h.Package != "com.tencent.mm" || h.Label != "微信" || h.Feature != -1 || h.ExtraType != 0 ||
		h.Size != 41 || !h.StreamFound || h.Encrypted() || h.XSpace() || len(h.Warnings) != 0 {
		t.Errorf("header %+v", h)
	}
	rest, _ := io.ReadAll(r)
	if !bytes.HasPrefix(rest, []byte("ANDROID BACKUP\n5\n0\nnone\n")) || len(rest) != len(payload)-41 {
		t.Errorf("rest starts %q", rest[:20])
	}
}

func TestHeaderVariants(t *testing.T) {
	for _, tc := range []struct {
		in        string
		pkg       string
		label     string
		feature   int
		typ       int
		pwd       string
		uid       int
		hasUID    bool
		size      int64
		warnings  int
		streamOff bool
	}{
		{in: "MIUI BACKUP\n2\ncom.miui.aod Always-on display\n-1\n0\nANDROID BACKUP\n5\n0\nnone\n", pkg: "com.miui.aod", label: "Always-on display", feature: -1},
		{in: "MIUI BACKUP\n2\ncom.whatsapp\n102\n0\nANDROID BACKUP\n", pkg: "com.whatsapp", feature: 102},
		{in: "MIUI BACKUP\n2\ncom.android.contacts 联系人\n2\n1\n3F2A9C\nANDROID BACKUP\n", pkg: "com.android.contacts", label: "联系人", feature: 2, typ: 1, pwd: "3F2A9C"},
		{in: "MIUI BACKUP\n2\ncom.android.mms Messages\n1\n20\n999\nANDROID BACKUP\n", pkg: "com.android.mms", label: "Messages", feature: 1, typ: 20, uid: 999, hasUID: true},
		{in: "MIUI BACKUP\n2\ncom.tencent.mm 微信 (second)\n-1\n21\npw\n999\nANDROID BACKUP\n", pkg: "com.tencent.mm", label: "微信 (second)", feature: -1, typ: 21, pwd: "pw", uid: 999, hasUID: true},
		// Junk between the header and the stream: found by searching.
		{in: "MIUI BACKUP\n2\ncom.x\n-1\n0\n\n\nANDROID BACKUP\n", pkg: "com.x", feature: -1, size: 27, warnings: 1},
		// Unknown type: warning, stream still found.
		{in: "MIUI BACKUP\n2\ncom.x\n-1\n7\nANDROID BACKUP\n", pkg: "com.x", feature: -1, typ: 7, size: 25, warnings: 1},
		// Version 3: accepted with a warning.
		{in: "MIUI BACKUP\n3\ncom.x\n-1\n0\nANDROID BACKUP\n", pkg: "com.x", feature: -1, size: 25, warnings: 1},
		// No stream at all (device-bound encryption?).
		{in: "MIUI BACKUP\n2\ncom.x\n-1\n1\nK\n\x8a\x91\x00\x13garbage", pkg: "com.x", feature: -1, typ: 1, pwd: "K", size: 27, streamOff: true},
	} {
		h, err := ParseHeader([]byte(tc.in))
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if tc.size == 0 {
			tc.size = int64(strings.Index(tc.in, AndroidMagic))
		}
		if h.Package != tc.pkg || h.Label != tc.label || h.Feature != tc.feature || h.ExtraType != tc.typ || h.EncryptedPwd != tc.pwd ||
			h.UserID != tc.uid || h.HasUserID != tc.hasUID || h.Size != tc.size || len(h.Warnings) != tc.warnings || h.StreamFound == tc.streamOff {
			t.Errorf("%q: got %+v", tc.in, h)
		}
	}
}

func TestHeaderErrors(t *testing.T) {
	for _, tc := range []struct {
		in   string
		line int
	}{
		{"MIUI BAK\n2\n", 1},
		{"PK\x03\x04", 1},
		{"MIUI BACKUP\nx\n", 2},
		{"MIUI BACKUP\n2\n\n", 3},
		{"MIUI BACKUP\n2\ncom.x\nabc\n", 4},
		{"MIUI BACKUP\n2\ncom.x\n-1\nz\n", 5},
		{"MIUI BACKUP\n2\ncom.x\n-1\n20\nuser\n", 6},
		{"MIUI BACKUP\n2\ncom.x\n-1\n21\npw\nuser\n", 7},
	} {
		_, err := ParseHeader([]byte(tc.in))
		var he *HeaderError
		if !errors.As(err, &he) || he.Line != tc.line || he.Truncated || !errors.Is(err, ErrHeader) {
			t.Errorf("%q: %v, want line %d", tc.in, err, tc.line)
		}
	}
	if _, err := ParseHeader([]byte("SQLite format 3\x00")); !errors.Is(err, ErrNotMIUI) {
		t.Errorf("sqlite: %v", err)
	}
	// Cut at every byte of the golden header: truncated, never a panic.
	for n := 0; n < 41+len(AndroidMagic)-1; n++ {
		_, err := NewReader(bytes.NewReader(golden[:n]))
		if n == 0 {
			if err == nil {
				t.Error("empty input accepted")
			}
			continue
		}
		if !errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "truncated at offset") {
			t.Errorf("cut %d: %v", n, err)
		}
	}
	// A header that never ends within the search limit.
	long := "MIUI BACKUP\n2\ncom.x " + strings.Repeat("y", SearchLimit)
	if _, err := NewReader(strings.NewReader(long)); !errors.Is(err, ErrHeader) || errors.Is(err, ErrTruncated) {
		t.Errorf("long: %v", err)
	}
}

const descriptMIUI12 = `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><MIUI-backup><jsonMsg></jsonMsg><bakVersion>2</bakVersion><brState>3</brState><autoBackup>false</autoBackup><device>surya</device><miuiVersion>V12.0.8.0.RJGEUXM</miuiVersion><date>1681594201234</date><size>5368709120</size><storageLeft>98765432100</storageLeft><supportReconnect>true</supportReconnect><packages><package><packageName>com.android.contacts</packageName><feature>2</feature><bakFile>Contactos(com.android.contacts).bak</bakFile><bakType>1</bakType><pkgSize>34816</pkgSize><sdSize>0</sdSize><state>1</state><error>0</error><progType>0</progType><newThing><x>1</x></newThing></package><package><packageName>com.android.mms</packageName><feature>1</feature><bakFile>Mensajes(com.android.mms).bak</bakFile><bakType>1</bakType><pkgSize>1374</pkgSize><progType>1</progType></package></packages><filesModifyTime /></MIUI-backup>`

const descriptHyperOS = `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><MIUI-backup><bakVersion>2</bakVersion><autoBackup>true</autoBackup><device>earth</device><miuiVersion>V816.0.16.0.UCVMIXM</miuiVersion><date>1700000000000</date><key>internalEncrypt:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2</key><packages><package><packageName>com.mi.globalbrowser</packageName><feature>-1</feature><bakFile>Mi Browser(com.mi.globalbrowser).bak</bakFile><splitFile>Mi Browser(com.mi.globalbrowser).split</splitFile><splitFileSize>3221225472</splitFileSize><bakType>1</bakType><pkgSize>notanumber</pkgSize><bakFileSize>0</bakFileSize></package></packages></MIUI-backup>`

func TestDescript(t *testing.T) {
	d, err := ParseDescript(strings.NewReader(descriptMIUI12))
	if err != nil {
		t.Fatal(err)
	}
	if d.BakVersion != 2 || d.BrState != 3 || d.AutoBackup || d.Device != "surya" || d.MIUIVersion != "V12.0.8.0.RJGEUXM" ||
		!d.Date.Equal(time.Date(2023, 4, 15, 21, 30, 1, 234e6, time.UTC)) || d.Date.Location() != time.UTC ||
		d.Size != 5368709120 || d.StorageLeft != 98765432100 || len(d.Packages) != 2 || len(d.Warnings) != 0 {
		t.Errorf("%+v", d)
	}
	p := d.Packages[0]
	if p.PackageName != "com.android.contacts" || p.Feature != 2 || p.BakFile != "Contactos(com.android.contacts).bak" || p.PkgSize != 34816 || p.State != 1 {
		t.Errorf("package %+v", p)
	}
	if d.Packages[1].ProgType != 1 || d.Packages[1].PkgSize != 1374 {
		t.Errorf("mms %+v", d.Packages[1])
	}

	h, err := ParseDescript(strings.NewReader(descriptHyperOS))
	if err != nil {
		t.Fatal(err)
	}
	if !h.InternalEncrypt || !h.AutoBackup || h.Packages[0].SplitFileSize != 3221225472 || h.Packages[0].SplitFile == "" || len(h.Warnings) != 1 {
		t.Errorf("hyperos %+v", h)
	}

	// Minimal 2017 form, invalid UTF-8 in a label, and a broken tail.
	old := "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><MIUI-backup><bakVersion>2</bakVersion><autoBackup>false</autoBackup><device>natrium</device><miuiVersion>7.8.10</miuiVersion><date>1507000000000</date><size>100</size><packages><package><packageName>com.android.contacts</packageName><feature>2</feature><bakFile>\xff\xfe(com.android.contacts).bak</bakFile><bakType>1</bakType><pkgSize>1</pkgSize><sdSize>0</sdSize></package></packages><broken"
	o, err := ParseDescript(strings.NewReader(old))
	if err != nil {
		t.Fatal(err)
	}
	if o.Device != "natrium" || len(o.Packages) != 1 || !strings.HasPrefix(o.Packages[0].BakFile, "\uFFFD") || len(o.Warnings) == 0 {
		t.Errorf("old %+v", o)
	}
	for _, bad := range []string{"", "<smses/>", "not xml", "<?xml version='1.0'?>"} {
		if _, err := ParseDescript(strings.NewReader(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := ParseDescript(strings.NewReader("<smses/>")); !errors.Is(err, ErrNotDescript) {
		t.Errorf("smses: %v", err)
	}
	if !IsDescript([]byte(descriptMIUI12)) || IsDescript([]byte("<smses>")) {
		t.Error("IsDescript")
	}
}

func TestTmpMeta(t *testing.T) {
	m, err := ParseTmpMeta([]byte("1\ncom.android.contacts\n1000\n12.0.1\n1681594201234\n3\n2\nsurya\nV12.0.8.0.RJGEUXM\n"))
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != 1 || m.Package != "com.android.contacts" || m.VersionCode != 1000 || m.VersionName != "12.0.1" ||
		m.CreatedMillis != 1681594201234 || m.Created.Location() != time.UTC || m.AgentVersion != 3 || m.Feature != 2 ||
		m.Device != "surya" || m.MIUIVersion != "V12.0.8.0.RJGEUXM" || len(m.Warnings) != 0 {
		t.Errorf("%+v", m)
	}
	short, err := ParseTmpMeta([]byte("1\ncom.x\n5\n"))
	if err != nil || short.VersionCode != 5 || len(short.Warnings) == 0 {
		t.Errorf("short %+v %v", short, err)
	}
	if _, err := ParseTmpMeta([]byte("x\ny\n")); err == nil {
		t.Error("bad version accepted")
	}
	if _, err := ParseTmpMeta([]byte("1")); err == nil {
		t.Error("one line accepted")
	}
}
