package container

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/backupinspector/backupinspector/parsers/androidbackup"
)

var (
	sqliteDB   = append([]byte("SQLite format 3\x00"), bytes.Repeat([]byte{1, 2, 3, 4}, 1000)...)
	tmpBak     = []byte("\x0a\x05hello protobuf-ish payload")
	tmpMeta    = []byte("1\ncom.android.contacts\n1000\n12.0\n1681594201234\n3\n2\nsurya\nV12.0.8.0.RJGEUXM\n")
	manifest   = []byte("1\ncom.android.contacts\n1000\n30\n\n0\n0\n")
	descriptOK = []byte(`<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><MIUI-backup><bakVersion>2</bakVersion><device>surya</device>` +
		`<miuiVersion>V12.0.8.0.RJGEUXM</miuiVersion><date>1681594201234</date><packages><package><packageName>com.android.contacts</packageName>` +
		`<feature>2</feature><bakFile>Contacts(com.android.contacts).bak</bakFile><bakType>1</bakType><pkgSize>123</pkgSize></package></packages></MIUI-backup>`)
)

const contactsHeader = "MIUI BACKUP\n2\ncom.android.contacts Contacts\n2\n0\n"

func contactsTar(t testing.TB) []byte {
	return mkTar(t,
		tfile{name: "apps/com.android.contacts/_manifest", data: manifest},
		tfile{name: "apps/com.android.contacts/miui_meta/cache/_tmp_meta", data: tmpMeta},
		tfile{name: "apps/com.android.contacts/miui_bak/_tmp_bak", data: tmpBak},
		tfile{name: "apps/com.android.contacts/db/contacts2.db", data: sqliteDB},
	)
}

func contactsBak(t testing.TB) []byte {
	return mkBak(contactsHeader, mkAB(t, androidbackup.WriterOptions{Version: 5}, contactsTar(t)))
}

func miuiSetFiles(t testing.TB) []tfile {
	return []tfile{
		{name: "AllBackup/20230415_213001/descript.xml", data: descriptOK},
		{name: "AllBackup/20230415_213001/Contacts(com.android.contacts).bak", data: contactsBak(t)},
	}
}

const wantTmpBak = "AllBackup/20230415_213001/Contacts(com.android.contacts).bak!apps/com.android.contacts/miui_bak/_tmp_bak"

// checkMIUISet verifies the leaves of a walked MIUI set under prefix.
func checkMIUISet(t *testing.T, res *Result, seen map[string]visited, prefix string, spooled ...bool) {
	t.Helper()
	v, ok := seen[prefix+wantTmpBak]
	if !ok {
		t.Fatalf("no %s; entries:\n%v\nproblems:\n%s", prefix+wantTmpBak, res.Entries, problemsString(res))
	}
	if !bytes.Equal(v.data, tmpBak) || v.f.Package != "com.android.contacts" || v.f.Domain != "miui_bak" || v.f.Name != "_tmp_bak" {
		t.Errorf("_tmp_bak: %+v", v.f)
	}
	if want := prefix + "AllBackup/20230415_213001/Contacts(com.android.contacts).bak!apps/com.android.contacts/miui_bak"; v.f.Dir != want {
		t.Errorf("Dir = %q, want %q", v.f.Dir, want)
	}
	e := entryMap(res)[prefix+wantTmpBak]
	if e.SHA256 != sha(tmpBak) || e.Size != int64(len(tmpBak)) {
		t.Errorf("entry %+v", e)
	}
	db := seen[prefix+"AllBackup/20230415_213001/Contacts(com.android.contacts).bak!apps/com.android.contacts/db/contacts2.db"]
	if len(spooled) > 0 && !spooled[0] {
		// Over the spool budget: a stream only.
		if db.f.ReaderAt != nil || !bytes.Equal(db.data, sqliteDB) || !hasCode(res, CodeSpoolLimit) {
			t.Errorf("contacts2.db over budget: ReaderAt %v", db.f.ReaderAt)
		}
	} else if db.f.Format != FormatSQLite || !bytes.Equal(db.ra, sqliteDB) || !bytes.Equal(db.data, sqliteDB) {
		t.Errorf("contacts2.db: format %s, ReaderAt gave %d bytes", db.f.Format, len(db.ra))
	}
	d := seen[prefix+"AllBackup/20230415_213001/descript.xml"]
	if d.f.Format != FormatMIUIDescript {
		t.Errorf("descript.xml format %s", d.f.Format)
	}
	if len(res.MIUISets) != 1 || res.MIUISets[0].Descript.Device != "surya" {
		t.Errorf("MIUISets %+v", res.MIUISets)
	}
	for _, p := range res.Problems {
		if !p.Warning {
			t.Errorf("unexpected problem %+v", p)
		}
	}
	bak := entryMap(res)[prefix+"AllBackup/20230415_213001/Contacts(com.android.contacts).bak"]
	if bak.Container != "miui-bak" || bak.SHA256 != sha(contactsBak(t)) {
		t.Errorf("bak entry %+v", bak)
	}
}

// The same MIUI set as a zip (random access), a zip inside a tgz (spooled),
// the same with a tiny spool budget (zip streamed by local headers), a tar,
// and a folder gives the same leaves and hashes.
func TestMIUISetEverywhere(t *testing.T) {
	files := miuiSetFiles(t)
	zipData := mkZip(t, false, files...)
	tgz := mkGzip(mkTar(t, tfile{name: "backup.zip", data: zipData}), "")
	t.Run("zip", func(t *testing.T) {
		res, seen := walkAll(t, []Input{memInput("backup.zip", zipData, true)}, Options{})
		checkMIUISet(t, res, seen, "backup.zip!")
		if res.Inputs[0].SHA256 != sha(zipData) || res.Inputs[0].Format != "zip" {
			t.Errorf("input %+v", res.Inputs[0])
		}
	})
	t.Run("zip-no-readerat", func(t *testing.T) {
		res, seen := walkAll(t, []Input{memInput("backup.zip", zipData, false)}, Options{SpoolLimit: 1})
		checkMIUISet(t, res, seen, "backup.zip!", false)
	})
	t.Run("tgz-zip-spooled", func(t *testing.T) {
		res, seen := walkAll(t, []Input{memInput("dump.tgz", tgz, false)}, Options{})
		checkMIUISet(t, res, seen, "dump.tgz!dump.tar!backup.zip!")
		e := entryMap(res)
		if e["dump.tgz"].Container != "gzip" || e["dump.tgz!dump.tar"].Container != "tar" || e["dump.tgz!dump.tar!backup.zip"].Container != "zip" {
			t.Errorf("containers: %+v", res.Entries[:3])
		}
	})
	t.Run("tgz-zip-streamed", func(t *testing.T) {
		res, seen := walkAll(t, []Input{memInput("dump.tgz", tgz, false)}, Options{SpoolLimit: 1000})
		checkMIUISet(t, res, seen, "dump.tgz!dump.tar!backup.zip!", false)
	})
	t.Run("zip-stored", func(t *testing.T) {
		stored := mkZip(t, true, files...)
		res, seen := walkAll(t, []Input{memInput("backup.zip", stored, true)}, Options{})
		checkMIUISet(t, res, seen, "backup.zip!")
		// A stored entry on random access exposes a ReaderAt.
		if v := seen["backup.zip!AllBackup/20230415_213001/descript.xml"]; v.f.ReaderAt == nil || !bytes.Equal(v.ra, descriptOK) {
			t.Errorf("stored entry ReaderAt: %v", v.f.ReaderAt)
		}
	})
	t.Run("folder", func(t *testing.T) {
		m := map[string][]byte{}
		for _, f := range files {
			m[strings.TrimPrefix(f.name, "AllBackup/")] = f.data
		}
		res, seen := walkAll(t, []Input{folderInput("AllBackup", m)}, Options{})
		checkMIUISet(t, res, seen, "")
		if res.Entries[0].Container != "folder" {
			t.Errorf("first entry %+v", res.Entries[0])
		}
	})
	t.Run("loose", func(t *testing.T) {
		res, seen := walkAll(t, []Input{memInput("descript.xml", descriptOK, true), memInput("Contacts(com.android.contacts).bak", contactsBak(t), true)}, Options{})
		if _, ok := seen["Contacts(com.android.contacts).bak!apps/com.android.contacts/miui_bak/_tmp_bak"]; !ok {
			t.Errorf("loose .bak not walked: %v", res.Entries)
		}
		if len(res.Problems) != 0 {
			t.Errorf("problems: %s", problemsString(res))
		}
	})
}

func TestDescriptMatching(t *testing.T) {
	m := map[string][]byte{
		"descript.xml":             descriptOK,
		"Extra(com.example).bak":   contactsBak(t),
		"notes.txt":                []byte("hello"),
		"sub/Contacts(x).bak":      contactsBak(t),
		"sub/other/descript.xml2x": []byte("x"),
	}
	res, _ := walkAll(t, []Input{folderInput("20230415_213001", m)}, Options{})
	var missing, extra []string
	for _, p := range res.Problems {
		switch p.Code {
		case CodeMissingFile:
			missing = append(missing, p.Path)
		case CodeUnlistedFile:
			extra = append(extra, p.Path)
		}
	}
	if fmt.Sprint(missing) != "[20230415_213001/Contacts(com.android.contacts).bak]" || fmt.Sprint(extra) != "[20230415_213001/Extra(com.example).bak]" {
		t.Errorf("missing %v extra %v\n%s", missing, extra, problemsString(res))
	}
}

func TestEncryptedAB(t *testing.T) {
	tarData := contactsTar(t)
	ab := mkAB(t, androidbackup.WriterOptions{Version: 5, Compress: true, Password: "s3cret"}, tarData)
	zipData := mkZip(t, false, tfile{name: "backups/phone.ab", data: ab}, tfile{name: "readme.txt", data: []byte("hi")})
	leaf := "backup.zip!backups/phone.ab!apps/com.android.contacts/miui_bak/_tmp_bak"

	// No password: problem, other entries still there, .ab hashed.
	res, seen := walkAll(t, []Input{memInput("backup.zip", zipData, true)}, Options{})
	if !hasCode(res, CodePasswordRequired) {
		t.Errorf("want password-required: %s", problemsString(res))
	}
	if _, ok := seen["backup.zip!readme.txt"]; !ok {
		t.Error("readme.txt missing")
	}
	if e := entryMap(res)["backup.zip!backups/phone.ab"]; e.SHA256 != sha(ab) {
		t.Errorf(".ab entry %+v", e)
	}

	// Wrong then right.
	var reqs []PasswordRequest
	res, seen = walkAll(t, []Input{memInput("backup.zip", zipData, true)}, Options{Password: func(r PasswordRequest) (string, bool) {
		reqs = append(reqs, r)
		if r.Attempt == 1 {
			return "nope", true
		}
		return "s3cret", true
	}})
	if _, ok := seen[leaf]; !ok || len(res.Problems) != 0 {
		t.Errorf("decrypted walk: %s", problemsString(res))
	}
	if len(reqs) != 2 || reqs[0].Path != "backup.zip!backups/phone.ab" || !errors.Is(reqs[1].LastErr, ErrWrongPassword) {
		t.Errorf("requests %+v", reqs)
	}
	// Only wrong.
	res, _ = walkAll(t, []Input{memInput("backup.zip", zipData, true)}, Options{Password: func(r PasswordRequest) (string, bool) { return "nope", r.Attempt < 3 }})
	if !hasCode(res, CodeWrongPassword) {
		t.Errorf("want wrong-password: %s", problemsString(res))
	}
}

func TestEncryptedMIUI(t *testing.T) {
	tarData := contactsTar(t)
	inner := mkAB(t, androidbackup.WriterOptions{Version: 5, Password: "s3cret"}, tarData)
	leaf := "c.bak!apps/com.android.contacts/miui_bak/_tmp_bak"
	for _, tc := range []struct {
		name, header string
		password     string
		want         string // problem code, "" = decrypted
	}{
		{"type1-no-password", "MIUI BACKUP\n2\ncom.android.contacts 联系人\n2\n1\nABCDEF0123\n", "", CodePasswordRequired},
		{"type1-right", "MIUI BACKUP\n2\ncom.android.contacts 联系人\n2\n1\nABCDEF0123\n", "s3cret", ""},
		{"type1-wrong", "MIUI BACKUP\n2\ncom.android.contacts 联系人\n2\n1\nABCDEF0123\n", "other", CodeEncryptedUnknownMethod},
		{"type21-pwd-line-is-password", "MIUI BACKUP\n2\ncom.android.contacts\n2\n21\ns3cret\n999\n", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{}
			if tc.password != "" {
				opts.Password = func(r PasswordRequest) (string, bool) { return tc.password, r.Attempt == 1 }
			}
			res, seen := walkAll(t, []Input{memInput("c.bak", mkBak(tc.header, inner), true)}, opts)
			if tc.want == "" {
				if _, ok := seen[leaf]; !ok || len(res.Problems) != 0 {
					t.Errorf("not decrypted: %s", problemsString(res))
				}
				return
			}
			if !hasCode(res, tc.want) {
				t.Errorf("want %s, got %s", tc.want, problemsString(res))
			}
		})
	}
	// A .bak whose payload is not an Android backup stream (device-bound
	// encryption): "encrypted (method unknown)", not corrupt.
	random := make([]byte, 8192)
	for i := range random {
		random[i] = byte(i*7919 + i>>3*31 + i*i)
	}
	res, _ := walkAll(t, []Input{memInput("x.bak", mkBak("MIUI BACKUP\n2\ncom.tencent.mm 微信\n-1\n1\nZZZ\n", random), true)}, Options{})
	if !hasCode(res, CodeEncryptedUnknownMethod) || hasCode(res, CodeCorrupt) {
		t.Errorf("want encrypted-unknown-method: %s", problemsString(res))
	}
}

// A bomb entry is stopped; the entries after it are still processed.
func TestBombRatio(t *testing.T) {
	zeros := make([]byte, 64<<20)
	zipData := mkZip(t, false, tfile{name: "bomb.bin", data: zeros}, tfile{name: "after.txt", data: []byte("still here")})
	for _, ra := range []bool{true, false} {
		res, seen := walkAll(t, []Input{memInput("z.zip", zipData, ra)}, Options{SpoolLimit: 1})
		var bomb *Problem
		for i, p := range res.Problems {
			if p.Code == CodeBombRatio {
				bomb = &res.Problems[i]
			}
		}
		if bomb == nil || bomb.Input != "z.zip" || !strings.Contains(bomb.Path, "bomb.bin") {
			t.Fatalf("ra=%v: want bomb-ratio naming z.zip!bomb.bin: %s", ra, problemsString(res))
		}
		if ra {
			if _, ok := seen["z.zip!after.txt"]; !ok {
				t.Errorf("entry after the bomb not processed")
			}
		}
		if v := seen["z.zip!bomb.bin"]; int64(len(v.data)) > 8<<20 {
			t.Errorf("bomb read %d bytes", len(v.data))
		}
	}
	// gzip bomb, and a custom ratio with text.
	res, _ := walkAll(t, []Input{memInput("z.gz", mkGzip(zeros, "z"), false)}, Options{})
	if !hasCode(res, CodeBombRatio) {
		t.Errorf("gzip bomb: %s", problemsString(res))
	}
	text := bytes.Repeat([]byte("abcabcabd "), 300000)
	res, _ = walkAll(t, []Input{memInput("t.gz", mkGzip(text, "t"), false)}, Options{MaxRatio: 10, RatioMinBytes: 1000})
	if !hasCode(res, CodeBombRatio) {
		t.Errorf("ratio 10: %s", problemsString(res))
	}
	// A compressed .ab bomb.
	ab := mkAB(t, androidbackup.WriterOptions{Compress: true}, mkTar(t, tfile{name: "apps/x/f/zero", data: zeros}))
	res, _ = walkAll(t, []Input{memInput("b.ab", ab, false)}, Options{})
	if !hasCode(res, CodeBombRatio) {
		t.Errorf(".ab bomb: %s", problemsString(res))
	}
}

func TestPathGuards(t *testing.T) {
	tarData := mkTar(t,
		tfile{name: "../evil.txt", data: []byte("x")},
		tfile{name: "/etc/passwd", data: []byte("root")},
		tfile{name: "ok/../../up", data: []byte("x")},
		tfile{name: "link", typ: tar.TypeSymlink, link: "/etc/shadow"},
		tfile{name: "hard", typ: tar.TypeLink, link: "ok.txt"},
		tfile{name: "fifo", typ: tar.TypeFifo},
		tfile{name: "./ok.txt", data: []byte("fine")},
	)
	res, seen := walkAll(t, []Input{memInput("t.tar", tarData, false)}, Options{})
	if got := fmt.Sprint(codes(res)); got != "[link link path-traversal path-traversal path-traversal special-file]" {
		t.Errorf("codes %s\n%s", got, problemsString(res))
	}
	if _, ok := seen["t.tar!ok.txt"]; !ok || len(seen) != 1 {
		t.Errorf("seen %v", seen)
	}
	for _, p := range res.Problems {
		if p.Input != "t.tar" {
			t.Errorf("problem without input: %+v", p)
		}
	}
	zipData := mkZip(t, false, tfile{name: "..\\win.txt", data: []byte("x")}, tfile{name: "C:/x", data: []byte("x")},
		tfile{name: "sl", data: []byte("/etc"), typ: tar.TypeSymlink}, tfile{name: "good", data: []byte("g")})
	res, seen = walkAll(t, []Input{memInput("z.zip", zipData, true)}, Options{})
	if got := fmt.Sprint(codes(res)); got != "[link path-traversal path-traversal]" {
		t.Errorf("zip codes %s", got)
	}
	if _, ok := seen["z.zip!good"]; !ok {
		t.Error("good entry missing")
	}
}

func TestDepthAndEntries(t *testing.T) {
	data := []byte("core")
	for i := 0; i < 6; i++ {
		data = mkGzip(data, "")
	}
	res, _ := walkAll(t, []Input{memInput("deep", data, false)}, Options{MaxDepth: 3})
	if !hasCode(res, CodeTooDeep) {
		t.Errorf("want too-deep: %s", problemsString(res))
	}
	res, seen := walkAll(t, []Input{memInput("deep", data, false)}, Options{})
	if len(seen) != 1 || len(res.Problems) != 0 {
		t.Errorf("6 levels: %v %s", seen, problemsString(res))
	}
	for k, v := range seen {
		if string(v.data) != "core" || v.f.Depth != 6 || strings.Count(k, "!") != 6 {
			t.Errorf("%s: %q depth %d", k, v.data, v.f.Depth)
		}
	}

	var files []tfile
	for i := 0; i < 10; i++ {
		files = append(files, tfile{name: fmt.Sprintf("f%d", i), data: []byte{byte(i)}})
	}
	for _, in := range []Input{memInput("t.tar", mkTar(t, files...), false), memInput("z.zip", mkZip(t, false, files...), true), memInput("s.zip", mkZip(t, false, files...), false)} {
		res, seen = walkAll(t, []Input{in}, Options{MaxEntries: 5, SpoolLimit: 1})
		if !hasCode(res, CodeTooManyEntries) || len(seen) != 5 {
			t.Errorf("%s: %d seen, %s", in.Name, len(seen), problemsString(res))
		}
	}
}

func TestKeyValueAndAndroidPaths(t *testing.T) {
	wifi := []byte("<WifiBackupData><NetworkList><Network/></NetworkList></WifiBackupData>")
	kv := append(kvRecord("wifi_new_config", wifi), kvRecord("a/b!c", []byte("v"))...)
	tarData := mkTar(t,
		tfile{name: "apps/com.android.providers.settings/_manifest", data: []byte("1\ncom.android.providers.settings\n30\n30\n\n0\n0\n")},
		tfile{name: "apps/com.android.providers.settings/k/com.android.providers.settings.data", data: kv},
		tfile{name: "shared/0/DCIM/a.jpg", data: []byte{0xff, 0xd8, 0xff}},
	)
	ab := mkAB(t, androidbackup.WriterOptions{Version: 5, Compress: true}, tarData)
	res, seen := walkAll(t, []Input{memInput("backup.ab", ab, true)}, Options{})
	base := "backup.ab!apps/com.android.providers.settings/k/com.android.providers.settings.data"
	v, ok := seen[base+"!wifi_new_config"]
	if !ok || !bytes.Equal(v.data, wifi) || v.f.Format != FormatWifiBackupXML || v.f.Package != "com.android.providers.settings" || v.f.Domain != "k" {
		t.Errorf("wifi key: %+v\n%v\n%s", v.f, res.Entries, problemsString(res))
	}
	if v, ok := seen[base+"!a%2Fb%21c"]; !ok || v.f.Name != "a/b!c" || v.f.Dir != base {
		t.Errorf("encoded key: %+v", v.f)
	}
	if entryMap(res)[base].Container != "key-value" {
		t.Errorf("kv container: %+v", entryMap(res)[base])
	}
	if v := seen["backup.ab!shared/0/DCIM/a.jpg"]; v.f.Domain != "shared" || v.f.Package != "" {
		t.Errorf("shared: %+v", v.f)
	}
	if v := seen["backup.ab!apps/com.android.providers.settings/_manifest"]; v.f.Package != "com.android.providers.settings" || v.f.Domain != "" {
		t.Errorf("manifest: %+v", v.f)
	}
}

func TestNamesAndSpool(t *testing.T) {
	tarData := mkTar(t, tfile{name: "dir/we!rd%name.db", data: sqliteDB}, tfile{name: "dir/we!rd%name.db-wal", data: append([]byte{0x37, 0x7f, 0x06, 0x82}, make([]byte, 40)...)})
	res, seen := walkAll(t, []Input{memInput("a!b.tar", tarData, false)}, Options{})
	p := "a%21b.tar!dir/we%21rd%25name.db"
	v, ok := seen[p]
	if !ok || v.f.Name != "we!rd%name.db" || v.f.Dir != "a%21b.tar!dir" || !bytes.Equal(v.ra, sqliteDB) {
		t.Fatalf("encoded: %v %+v", ok, v.f)
	}
	if w := seen[p+"-wal"]; w.f.Dir != v.f.Dir || w.f.Format != FormatSQLiteWAL || w.f.ReaderAt == nil {
		t.Errorf("wal sibling %+v", w.f)
	}
	_ = res
	// Over the spool budget: stream only, with a warning.
	res, seen = walkAll(t, []Input{memInput("a.tar", tarData, false)}, Options{SpoolLimit: 30})
	for k, v := range seen {
		if v.f.ReaderAt != nil || !hasCode(res, CodeSpoolLimit) {
			t.Errorf("%s: ReaderAt %v with tiny spool", k, v.f.ReaderAt)
		}
	}
}

// A damaged input does not stop the next one.
func TestInputsIndependent(t *testing.T) {
	ab := mkAB(t, androidbackup.WriterOptions{Compress: true}, contactsTar(t))
	res, seen := walkAll(t, []Input{
		memInput("cut.ab", ab[:len(ab)/2], false),
		{Name: "broken", Files: []InputFile{{Size: 3, Open: func() (io.ReadCloser, error) { return nil, errors.New("permission denied") }}}},
		memInput("ok.zip", mkZip(t, false, tfile{name: "x.txt", data: []byte("x")}), true),
	}, Options{})
	if _, ok := seen["ok.zip!x.txt"]; !ok {
		t.Error("later input not processed")
	}
	if got := fmt.Sprint(codes(res)); got != "[read-error truncated]" {
		t.Errorf("codes %s", got)
	}
	for _, p := range res.Problems {
		if p.Code == CodeTruncated && (p.Input != "cut.ab" || !strings.HasPrefix(p.Message, "truncated at offset ")) {
			t.Errorf("%+v", p)
		}
	}
	if len(res.Inputs) != 3 {
		t.Errorf("inputs %+v", res.Inputs)
	}
}

func TestCancelAndProgress(t *testing.T) {
	zipData := mkZip(t, false, tfile{name: "a", data: []byte("1")}, tfile{name: "b", data: []byte("2")}, tfile{name: "c", data: []byte("3")})
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := Walk(ctx, []Input{memInput("z.zip", zipData, true), memInput("y.zip", zipData, true)}, Options{}, func(f *File, r io.Reader) error {
		n++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("cancel: err %v after %d visits", err, n)
	}
	var last Progress
	calls := 0
	big := mkAB(t, androidbackup.WriterOptions{}, mkTar(t, tfile{name: "apps/x/f/big", data: bytes.Repeat([]byte("x"), 5<<20)}))
	_, err = Walk(context.Background(), []Input{memInput("big.ab", big, false)}, Options{OnProgress: func(p Progress) { last = p; calls++ }}, nil)
	if err != nil || last.Done != int64(len(big)) || last.Total != int64(len(big)) || calls < 3 {
		t.Errorf("progress %+v after %d calls, err %v", last, calls, err)
	}
}

func TestOnContainer(t *testing.T) {
	var infos []*ContainerInfo
	walkAll(t, []Input{memInput("c.bak", contactsBak(t), true)}, Options{OnContainer: func(c *ContainerInfo) { infos = append(infos, c) }})
	if len(infos) != 1 || infos[0].Kind != "miui-bak" || infos[0].MIUI.Package != "com.android.contacts" || infos[0].MIUI.Feature != 2 || infos[0].AndroidBackup.Version != 5 {
		t.Errorf("infos %+v", infos)
	}
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		head string
		want Format
	}{
		{"", FormatEmpty},
		{"MIUI BACKUP\n2\n", FormatMIUIBak},
		{"ANDROID BACKUP\n5\n", FormatAndroidBackup},
		{"SQLite format 3\x00", FormatSQLite},
		{"PK\x03\x04\x14\x00\x00\x00\x08\x00AndroidManifest.xml", FormatAPK},
		{"PK\x03\x04\x14\x00", FormatZip},
		{"PK\x05\x06", FormatZip},
		{"\x1f\x8b\x08\x00", FormatGzip},
		{"ABX\x00", FormatABX},
		{"x\xda\x01\x02", FormatZlib},
		{"x\x9c\x01\x02", FormatZlib},
		{"\xef\xbb\xbfBEGIN:VCARD\r\nVERSION:2.1", FormatVCard},
		{"<?xml version='1.0'?><smses count=\"1\">", FormatSMSXML},
		{"<?xml version='1.0'?><calls count=\"1\">", FormatCallsXML},
		{"<?xml version='1.0'?><WifiConfigStoreData>", FormatWifiConfigXML},
		{"<?xml version='1.0'?><MIUI-backup>", FormatMIUIDescript},
		{"<?xml version='1.0'?><map>", FormatXML},
		{` [{"a":1}]`, FormatJSON},
		{"hello 世界\n", FormatText},
		{"\x00\x01\x02\xff", FormatUnknown},
	} {
		if got := Sniff([]byte(tc.head)); got != tc.want {
			t.Errorf("Sniff(%q) = %s, want %s", tc.head, got, tc.want)
		}
	}
	if got := Sniff(mkTar(t, tfile{name: "a", data: []byte("b")})); got != FormatTar {
		t.Errorf("tar: %s", got)
	}
}

// rawTarBlock builds one ustar header block.
func rawTarBlock(name string, typ byte, size int) []byte {
	b := make([]byte, 512)
	copy(b, name)
	copy(b[100:], "0000600\x00")
	copy(b[108:], "0000000\x00")
	copy(b[116:], "0000000\x00")
	copy(b[124:], fmt.Sprintf("%011o\x00", size))
	copy(b[136:], "14410000000\x00")
	b[156] = typ
	copy(b[257:], "ustar\x0000")
	copy(b[148:], "        ")
	sum := 0
	for _, c := range b {
		sum += int(c)
	}
	copy(b[148:], fmt.Sprintf("%06o\x00 ", sum))
	return b
}

func pad512(b []byte) []byte {
	for len(b)%512 != 0 {
		b = append(b, 0)
	}
	return b
}

// A PAX 1.0 sparse entry that claims 1 GiB of holes is stopped by the ratio
// guard instead of producing a gigabyte of zeros.
func TestSparseBomb(t *testing.T) {
	rec := func(k, v string) string {
		line := " " + k + "=" + v + "\n"
		n := len(line) + 1
		for len(fmt.Sprint(n))+len(line) != n {
			n = len(fmt.Sprint(n)) + len(line)
		}
		return fmt.Sprint(n) + line
	}
	pax := rec("GNU.sparse.major", "1") + rec("GNU.sparse.minor", "0") + rec("GNU.sparse.name", "big") + rec("GNU.sparse.realsize", "1073741824")
	var tarData []byte
	tarData = append(tarData, rawTarBlock("PaxHeaders/big", 'x', len(pax))...)
	tarData = append(tarData, pad512([]byte(pax))...)
	sparseMap := pad512([]byte("0\n"))
	tarData = append(tarData, rawTarBlock("GNUSparseFile.0/big", '0', len(sparseMap))...)
	tarData = append(tarData, sparseMap...)
	tarData = append(tarData, make([]byte, 1024)...)
	res, seen := walkAll(t, []Input{memInput("s.tar", tarData, false)}, Options{})
	if !hasCode(res, CodeBombRatio) {
		t.Errorf("want bomb-ratio: %s %v", problemsString(res), res.Entries)
	}
	if e, ok := entryMap(res)["s.tar!big"]; !ok || e.SHA256 != "" || e.Size > 8<<20 {
		t.Errorf("sparse entry: %+v", e)
	}
	for _, v := range seen {
		if len(v.data) > 8<<20 {
			t.Errorf("read %d bytes of holes", len(v.data))
		}
	}
}

// BenchmarkWalkEncryptedAB measures the whole chain on a 64 MiB tar:
// AES-256 decrypt + zlib inflate + tar + SHA-256 of every entry and of the
// input. MB/s counts tar bytes.
func BenchmarkWalkEncryptedAB(b *testing.B) {
	var files []tfile
	chunk := make([]byte, 1<<20)
	for i := range chunk {
		chunk[i] = "the quick brown fox jumps over the lazy dog 0123456789\n"[i%55] ^ byte(i>>12)
	}
	for i := 0; i < 64; i++ {
		files = append(files, tfile{name: fmt.Sprintf("apps/com.example/f/file%02d", i), data: chunk})
	}
	tarData := mkTar(b, files...)
	ab := mkAB(b, androidbackup.WriterOptions{Version: 5, Compress: true, Password: "pw", Rounds: 10000}, tarData)
	b.SetBytes(int64(len(tarData)))
	b.ReportMetric(float64(len(ab))/float64(len(tarData)), "ratio")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := Walk(context.Background(), []Input{memInput("b.ab", ab, false)}, Options{Password: func(r PasswordRequest) (string, bool) { return "pw", r.Attempt == 1 }}, nil)
		if err != nil || len(res.Problems) != 0 || len(res.Entries) != 65 {
			b.Fatalf("%v %+v", err, res.Problems)
		}
	}
}

// Every MIUI header type walks: plain, XSpace (with its user id), and the
// §2.3 golden WeChat header with a feature-102 variant.
func TestMIUIHeaderTypesWalk(t *testing.T) {
	tarData := contactsTar(t)
	for _, tc := range []struct {
		header string
		uid    int
	}{
		{"MIUI BACKUP\n2\ncom.tencent.mm \xE5\xBE\xAE\xE4\xBF\xA1\n-1\n0\n", 0},
		{"MIUI BACKUP\n2\ncom.tencent.mm\n102\n0\n", 0},
		{"MIUI BACKUP\n2\ncom.android.contacts Contacts\n2\n20\n999\n", 999},
		{"MIUI BACKUP\n2\ncom.android.contacts 联系人\n2\n21\nPWD\n999\n", 999},
	} {
		var info *ContainerInfo
		opts := Options{OnContainer: func(c *ContainerInfo) { info = c }}
		inner := androidbackup.WriterOptions{Version: 5}
		if strings.Contains(tc.header, "\n21\n") {
			inner.Password = "PWD" // the password line itself unlocks it
		}
		res, seen := walkAll(t, []Input{memInput("x.bak", mkBak(tc.header, mkAB(t, inner, tarData)), false)}, opts)
		if _, ok := seen["x.bak!apps/com.android.contacts/miui_bak/_tmp_bak"]; !ok || len(res.Problems) != 0 {
			t.Errorf("%q: %s", tc.header, problemsString(res))
		}
		if info == nil || info.MIUI == nil || info.MIUI.UserID != tc.uid || info.AndroidBackup == nil {
			t.Errorf("%q: info %+v", tc.header, info)
		}
	}
}

// TestBombTotal: many streams each under MaxRatio, together far over the
// input's total cap, are stopped by MaxTotalRatio.
func TestBombTotal(t *testing.T) {
	// 40 gzip members of 2 MiB of text each (ratio ~ 200:1 per stream,
	// under MaxRatio 1000) inside one tar.
	text := bytes.Repeat([]byte("abcdefgh"), 256<<10)
	var files []tfile
	for i := 0; i < 40; i++ {
		files = append(files, tfile{name: fmt.Sprintf("d/%02d.gz", i), data: mkGzip(text, "x")})
	}
	files = append(files, tfile{name: "z/after.txt", data: []byte("still here")})
	tarData := mkTar(t, files...)
	opts := Options{MaxTotalRatio: 20, TotalMinBytes: 4 << 20}
	res, seen := walkAll(t, []Input{memInput("many.tar", tarData, false)}, opts)
	if !hasCode(res, CodeBombRatio) {
		t.Fatalf("no total-expansion problem: %s", problemsString(res))
	}
	var out int
	for p, v := range seen {
		if strings.HasPrefix(p, "many.tar!d/") {
			out += len(v.data)
		}
	}
	if limit := int(opts.MaxTotalRatio) * len(tarData); out > limit+len(text) {
		t.Errorf("read %d bytes, over the cap %d", out, limit)
	}
	// Without the tighter cap the same input is read in full.
	res, _ = walkAll(t, []Input{memInput("many.tar", tarData, false)}, Options{})
	if hasCode(res, CodeBombRatio) {
		t.Errorf("default limits flag a legitimate archive: %s", problemsString(res))
	}
}
